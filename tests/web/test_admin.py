from django.contrib.auth.models import User
from django.urls import reverse

from gongkai.accounts.models import Organisation
from gongkai.accounts.tokens import api_token_create
from tests.web.base import WebTestCase


class AdminTests(WebTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.client.force_login(User.objects.create_superuser("root", password="x"))

    def test_every_list_renders(self) -> None:
        self.new()
        api_token_create(user=self.clerk, name="tests")
        for model in (
            "cases/application",
            "cases/attachment",
            "cases/workdayoverride",
            "accounts/organisation",
            "accounts/membership",
            "accounts/apitoken",
            "reports/proactiveitem",
            "reports/normativedocument",
            "reports/enforcementfigures",
            "reports/appeal",
        ):
            with self.subTest(model):
                self.assertEqual(self.client.get(f"/admin/{model}/").status_code, 200)

    def test_applications_are_read_only_and_show_the_identity_number_masked(self) -> None:
        application = self.new()
        response = self.client.get(reverse("admin:cases_application_change", args=[application.pk]))
        self.assertContains(response, "1101**********002X")
        self.assertNotContains(response, application.id_number)
        self.assertNotContains(response, 'name="_save"')
        self.assertEqual(self.client.get(reverse("admin:cases_application_add")).status_code, 403)

    def test_a_national_override_must_carry_the_whole_year(self) -> None:
        response = self.client.get(reverse("admin:cases_workdayoverride_add"))
        self.assertContains(response, "须录入该年度国务院办公厅通知中的全部放假和调休上班日期")

    def test_api_tokens_cannot_be_added_or_changed(self) -> None:
        self.assertEqual(self.client.get(reverse("admin:accounts_apitoken_add")).status_code, 403)

    def test_a_township_deadline_that_is_not_a_day_of_every_year_is_refused(self) -> None:
        township = Organisation.objects.create(
            code="HLZ", name="红泥湾镇人民政府", kind="township", parent=self.district
        )
        url = reverse("admin:accounts_organisation_change", args=[township.pk])
        form = {
            "code": "HLZ", "name": "红泥湾镇人民政府", "kind": "township",
            "parent": self.district.pk, "report_due_month": 2, "report_due_day": 30,
            "memberships-TOTAL_FORMS": 0, "memberships-INITIAL_FORMS": 0,
        }  # fmt: skip
        response = self.client.post(url, form)
        self.assertContains(response, "年报截止日期无效")
        township.refresh_from_db()
        self.assertEqual((township.report_due_month, township.report_due_day), (1, 31))
        self.assertEqual(self.client.post(url, form | {"report_due_day": 20}).status_code, 302)
        township.refresh_from_db()
        self.assertEqual((township.report_due_month, township.report_due_day), (2, 20))
