"""系统管理 (the Django admin): each administrator sees the lists of his role (decision U-1),
office users do not get in, and what the admin shows is masked or read-only."""

from django.contrib.auth.models import User
from django.urls import reverse

from gongkai.accounts.models import Organisation
from gongkai.accounts.tokens import api_token_create
from tests.web.base import WebTestCase

# The lists each administrator sees; any other list of the admin is 403 for him.
VISIBLE = {
    "sysadmin": {
        "auth/user", "accounts/organisation", "cases/workdayoverride", "disclosure/lettertemplate",
    },
    "secadmin": {
        "auth/user", "auth/group", "accounts/organisation", "accounts/membership",
        "accounts/apitoken",
    },
    "auditor": {"audit/auditentry"},
}  # fmt: skip
EVERY_LIST = set().union(*VISIBLE.values()) | {
    "cases/application", "cases/attachment", "reports/proactiveitem",
    "reports/normativedocument", "reports/enforcementfigures", "reports/appeal",
}  # fmt: skip


class AdminTests(WebTestCase):
    sysadmin: User
    secadmin: User

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.make_administrators()

    def test_each_administrator_sees_the_lists_of_his_role_and_no_other(self) -> None:
        self.new()
        api_token_create(user=self.clerk, name="tests")
        for persona, lists in VISIBLE.items():
            self.login(persona)
            for model in sorted(EVERY_LIST):
                with self.subTest(persona=persona, model=model):
                    expected = 200 if model in lists else 403
                    self.assertEqual(self.client.get(f"/admin/{model}/").status_code, expected)

    def test_office_users_do_not_get_into_the_admin(self) -> None:
        for persona in ("clerk", "reviewer", "admin", "supervisor"):
            with self.subTest(persona):
                self.login(persona)
                response = self.client.get("/admin/")
                self.assertEqual(response.status_code, 302)
                self.assertIn("/admin/login/", response["Location"])

    def test_the_admin_says_what_it_is_in_chinese(self) -> None:
        self.login("sysadmin")
        page = self.client.get("/admin/").content.decode()
        self.assertIn("<title>系统管理 | 政府信息公开工作平台 · 系统管理</title>", page)
        self.assertIn("政府信息公开工作平台 · 系统管理", page)

    def test_applications_are_read_only_and_show_the_identity_number_masked(self) -> None:
        # No administrator's role includes applications; a superuser, should an installation
        # still have one, sees them read-only and masked.
        self.client.force_login(User.objects.create_superuser("root", password="x"))
        application = self.new()
        response = self.client.get(reverse("admin:cases_application_change", args=[application.pk]))
        self.assertContains(response, "1101**********002X")
        self.assertNotContains(response, application.id_number)
        self.assertNotContains(response, 'name="_save"')
        self.assertEqual(self.client.get(reverse("admin:cases_application_add")).status_code, 403)

    def test_a_national_override_must_carry_the_whole_year(self) -> None:
        self.login("sysadmin")
        response = self.client.get(reverse("admin:cases_workdayoverride_add"))
        self.assertContains(response, "须录入该年度国务院办公厅通知中的全部放假和调休上班日期")

    def test_api_tokens_cannot_be_added_or_changed(self) -> None:
        self.login("secadmin")
        self.assertEqual(self.client.get(reverse("admin:accounts_apitoken_add")).status_code, 403)

    def test_a_township_deadline_that_is_not_a_day_of_every_year_is_refused(self) -> None:
        self.login("sysadmin")
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
