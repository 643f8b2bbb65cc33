from django.http import Http404

from gongkai.accounts.access import readable_organisation_ids, writable_organisation_ids
from gongkai.cases.access import applications_for_user, get_application_for_user
from gongkai.test import BaseTestCase


class AccessTests(BaseTestCase):
    def test_members_read_and_write_their_own_organisation(self) -> None:
        app = self.register()
        for user in (self.clerk, self.reviewer, self.admin):
            self.assertEqual(get_application_for_user(user, app.pk, write=True), app)

    def test_another_organisation_gets_404(self) -> None:
        app = self.register()
        with self.assertRaises(Http404):
            get_application_for_user(self.outsider, app.pk)
        with self.assertRaises(Http404):
            get_application_for_user(self.clerk, 999999)

    def test_a_supervisor_reads_the_subtree_but_writes_nothing(self) -> None:
        app = self.register()
        self.assertEqual(get_application_for_user(self.supervisor, app.pk), app)
        with self.assertRaises(Http404):
            get_application_for_user(self.supervisor, app.pk, write=True)
        self.assertEqual(
            readable_organisation_ids(self.supervisor),
            {self.district.pk, self.office.pk, self.other.pk},
        )
        self.assertEqual(writable_organisation_ids(self.supervisor), set())

    def test_anonymous_users_see_nothing(self) -> None:
        from django.contrib.auth.models import AnonymousUser

        self.register()
        self.assertEqual(applications_for_user(AnonymousUser()).count(), 0)
