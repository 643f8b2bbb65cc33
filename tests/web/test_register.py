from typing import Any

from django.test import override_settings
from django.urls import reverse

from gongkai.accounts.models import Membership
from gongkai.cases.models import Application, Event
from gongkai.domain.lifecycle import Role
from gongkai.test import VALID_ID
from tests.web.base import TODAY, WebTestCase

URL = reverse("cases:register")


def form_data(**changes: Any) -> dict[str, Any]:
    data = {
        "applicant_type": "natural",
        "applicant_name": "李四",
        "id_type": "resident_id",
        "id_number": VALID_ID,
        "phone": "13800000000",
        "email": "",
        "address": "",
        "postcode": "",
        "channel": "letter",
        "received_on": "2025-03-18",
        "content": "请公开某项目的环评批复",
        "purpose": "",
        "form": "electronic",
        "delivery": "email",
    }
    return {**data, **changes}


class RegisterTests(WebTestCase):
    def post(self, **changes: Any) -> Any:
        return self.client.post(URL, {"organisation": self.office.pk, **form_data(**changes)})

    def test_it_redirects_anonymous_users_to_the_login_page(self) -> None:
        self.assertRedirectsToLogin(self.client.get(URL))

    def test_the_form_explains_the_receipt_date_rule_of_the_channel(self) -> None:
        self.login("clerk")
        response = self.client.get(URL)
        self.assertContains(response, "以提交之日为收到申请之日")  # 当面提交, the default
        self.assertContains(response, "以签收之日为收到申请之日")  # in the list of all channels
        self.assertContains(response, f'value="{TODAY:%Y-%m-%d}"')
        self.assertContains(response, "宛城区人民政府办公室")

    def test_the_rule_follows_the_chosen_channel_when_the_form_comes_back(self) -> None:
        self.login("clerk")
        response = self.post(channel="mail", id_number="123")
        self.assertEqual(response.context["receipt_rule"], "以签收之日为收到申请之日")

    def test_a_clerk_registers_an_application(self) -> None:
        self.login("clerk")
        response = self.post()
        application = Application.objects.get()
        self.assertRedirects(
            response, reverse("cases:detail", args=[application.pk]), fetch_redirect_response=False
        )
        self.assertEqual(application.tracking_no, "WCBGS-2025-0001")
        self.assertEqual(application.organisation, self.office)
        self.assertEqual(application.channel, "letter")
        self.assertEqual(Event.objects.get().actor, self.clerk)
        follow = self.client.get(response["Location"])
        self.assertContains(follow, "已登记，申请编号 WCBGS-2025-0001")

    def test_an_invalid_identity_number_is_shown_on_its_field(self) -> None:
        self.login("clerk")
        response = self.post(id_number="110105194912310021")
        self.assertEqual(response.status_code, 200)
        self.assertIn("校验位错误", response.context["form"].errors["id_number"][0])
        self.assertContains(response, "校验位错误")
        self.assertFalse(Application.objects.exists())

    def test_a_future_receipt_date_is_refused_on_its_field(self) -> None:
        self.login("clerk")
        response = self.post(received_on="2025-03-21")
        self.assertIn("不能晚于今天", response.context["form"].errors["received_on"][0])
        self.assertFalse(Application.objects.exists())

    def test_a_missing_contact_is_refused_on_the_phone_field(self) -> None:
        self.login("clerk")
        response = self.post(phone="")
        self.assertIn("联系方式", response.context["form"].errors["phone"][0])

    def test_missing_fields_are_refused_by_the_form(self) -> None:
        self.login("clerk")
        response = self.post(content="", applicant_name="")
        self.assertEqual(set(response.context["form"].errors), {"content", "applicant_name"})
        self.assertContains(response, "这个字段是必填项")
        self.assertFalse(Application.objects.exists())

    def test_a_clerk_cannot_register_for_another_organisation(self) -> None:
        self.login("outsider")
        response = self.post()
        self.assertIn("organisation", response.context["form"].errors)
        self.assertFalse(Application.objects.exists())

    def test_a_clerk_of_two_organisations_chooses_one(self) -> None:
        Membership.objects.create(user=self.clerk, organisation=self.other, role=Role.CLERK)
        self.login("clerk")
        response = self.client.get(URL)
        self.assertContains(response, '<select name="organisation"')
        self.client.post(URL, {"organisation": self.other.pk, **form_data()})
        self.assertEqual(Application.objects.get().tracking_no, "WCCZJ-2025-0001")

    def test_a_supervisor_may_not_register(self) -> None:
        self.login("supervisor")
        response = self.client.get(URL)
        self.assertEqual(response.status_code, 403)
        self.assertContains(response, "您没有登记申请的权限", status_code=403)


class PlausibilityTests(WebTestCase):
    """Receipt dates, names and identity numbers on the registration form (decision I-3)."""

    def post(self, **changes: Any) -> Any:
        return self.client.post(URL, {"organisation": self.office.pk, **form_data(**changes)})

    def test_a_receipt_before_the_regulations_is_refused(self) -> None:
        self.login("clerk")
        for day in ("0001-01-01", "1990-01-01", "2008-04-30"):
            response = self.post(received_on=day)
            self.assertIn("2008年5月1日", response.context["form"].errors["received_on"][0])
            self.assertNotContains(response, "确认收到日期")
        self.assertFalse(Application.objects.exists())

    def test_an_old_receipt_asks_for_confirmation_then_registers(self) -> None:
        self.login("clerk")
        # 2025-01-18 is 61 days before TODAY (2025-03-20).
        response = self.post(received_on="2025-01-18")
        self.assertEqual(response.status_code, 200)
        message = response.context["form"].errors["received_on"][0]
        self.assertIn("距今已61天（超过60天）", message)
        self.assertContains(response, 'name="confirm_received_on"')
        self.assertContains(response, "确认收到日期")
        self.assertFalse(Application.objects.exists())
        response = self.post(received_on="2025-01-18", confirm_received_on="on")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Application.objects.get().received_on.isoformat(), "2025-01-18")

    def test_sixty_days_ago_needs_no_confirmation(self) -> None:
        self.login("clerk")
        self.assertEqual(self.post(received_on="2025-01-19").status_code, 302)

    @override_settings(RECEIPT_CONFIRM_DAYS=5)
    def test_the_limit_is_a_setting(self) -> None:
        self.login("clerk")
        response = self.post(received_on="2025-03-14")
        self.assertIn("超过5天", response.context["form"].errors["received_on"][0])

    def test_a_name_of_zero_width_characters_is_refused(self) -> None:
        self.login("clerk")
        response = self.post(applicant_name="\u200b\u200c\u200d")
        self.assertIn("applicant_name", response.context["form"].errors)
        self.assertFalse(Application.objects.exists())

    def test_a_full_width_id_number_is_stored_half_width(self) -> None:
        self.login("clerk")
        response = self.post(id_number="１１０１０５ １９４９１２３１ ００２ｘ")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Application.objects.get().id_number, VALID_ID)
