"""POST /api/applications: registration through the API, and every way a body is refused.

Deadlines are counted by hand with the 2025 schedule (国办发明电〔2024〕12号): 劳动节 5/1–5/5
with 4/27 (Sun) a working day; 端午节 5/31–6/2.
"""

from __future__ import annotations

import datetime as dt
import json

from django.urls import reverse
from django.utils import timezone

from gongkai.cases.models import Application, Event
from gongkai.test import VALID_ID
from tests.api.base import DROP, ApiTestCase, registration

URL = reverse("api:applications")


class RegisterTests(ApiTestCase):
    def test_it_registers_and_answers_201_with_tracking_number_and_deadlines(self) -> None:
        response = self.post_json(URL, registration())
        self.assertEqual(response.status_code, 201, response.content.decode())
        data = response.json()
        application = Application.objects.get()
        self.assertEqual(data["id"], application.pk)
        self.assertEqual(response["Location"], f"/api/applications/{application.pk}")
        self.assertEqual(data["tracking_no"], "WCBGS-2025-0001")
        self.assertEqual(data["status"], "registered")
        self.assertEqual(data["status_label"], "已登记")
        self.assertEqual(data["org"], "WCBGS")
        # 2025-03-03 (Mon) is not counted; 20 working days: 3/4–3/7 (4), 3/10–3/14 (9),
        # 3/17–3/21 (14), 3/24–3/28 (19), 3/31 (20). 补正 notice: 7 working days → 3/12.
        deadlines = data["deadlines"]
        self.assertEqual(deadlines["receipt_date"], "2025-03-03")
        self.assertEqual(deadlines["reply_due"], "2025-03-31")
        self.assertEqual(deadlines["current_due"], "2025-03-31")
        self.assertEqual(deadlines["correction_notice_due"], "2025-03-12")
        self.assertIsNone(deadlines["extended_reply_due"])
        self.assertEqual(deadlines["trail"][-1]["date"], "2025-03-31")
        self.assertEqual([e["action"] for e in data["timeline"]], ["register"])
        self.assertEqual(data["timeline"][0]["actor"], "clerk")
        self.assertIn("request_correction", data["allowed_actions"])

    def test_it_stores_what_was_sent(self) -> None:
        body = registration(
            applicant__address="南阳市宛城区某路2号", applicant__email="zhang@example.cn",
            purpose="学术研究", form="paper", delivery="mail", channel="mail",
        )  # fmt: skip
        self.assertEqual(self.post_json(URL, body).status_code, 201)
        application = Application.objects.get()
        self.assertEqual(application.applicant_name, "张三")
        self.assertEqual(application.id_number, VALID_ID)
        self.assertEqual(application.email, "zhang@example.cn")
        self.assertEqual(application.purpose, "学术研究")
        self.assertEqual((application.form, application.delivery), ("paper", "mail"))
        self.assertEqual(application.channel, "mail")

    def test_optional_fields_take_their_defaults(self) -> None:
        body = registration(form=DROP, delivery=DROP)
        self.assertEqual(self.post_json(URL, body).status_code, 201)
        application = Application.objects.get()
        self.assertEqual((application.form, application.delivery), ("electronic", "email"))

    def test_a_holiday_receipt_counts_from_the_next_working_day(self) -> None:
        # Received on 5/1 (劳动节): the clock starts on 5/6, which is not counted itself.
        # 5/7–5/9 (3), 5/12–16 (8), 5/19–23 (13), 5/26–30 (18), 端午 5/31–6/2, 6/3 (19), 6/4 (20).
        data = self.post_json(URL, registration(received_on="2025-05-01")).json()
        self.assertEqual(data["deadlines"]["clock_start"], "2025-05-06")
        self.assertEqual(data["deadlines"]["reply_due"], "2025-06-04")

    def test_the_id_number_is_never_returned_in_full(self) -> None:
        response = self.post_json(URL, registration())
        self.assertNotIn(VALID_ID, response.content.decode())
        self.assertEqual(response.json()["applicant"]["id_number_masked"], "1101**********002X")

    def test_the_reviewer_and_the_admin_may_register(self) -> None:
        for persona in ("reviewer", "admin"):
            self.assertEqual(self.post_json(URL, registration(), persona).status_code, 201)


class RefusedRegistrationTests(ApiTestCase):
    def refused(self, body: object, status: int, field: str | None, persona: str = "clerk") -> str:
        data = self.assertError(self.post_json(URL, body, persona), status, field)
        self.assertFalse(Application.objects.exists())
        self.assertFalse(Event.objects.exists())
        return str(data["error"])

    def test_a_wrong_id_check_digit_is_422_on_the_id_number(self) -> None:
        message = self.refused(
            registration(applicant__id_number="110105194912310021"), 422, "applicant.id_number"
        )
        self.assertIn("校验位", message)

    def test_an_unknown_applicant_type_is_422(self) -> None:
        self.refused(registration(applicant__type="alien"), 422, "applicant.type")

    def test_an_unknown_id_type_is_422(self) -> None:
        self.refused(registration(applicant__id_type="driving_licence"), 422, "applicant.id_type")

    def test_missing_content_is_422(self) -> None:
        self.refused(registration(content=DROP), 422, "content")

    def test_blank_content_is_422(self) -> None:
        self.refused(registration(content="   "), 422, "content")

    def test_a_future_receipt_date_is_422(self) -> None:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        self.refused(registration(received_on=tomorrow.isoformat()), 422, "received_on")

    def test_an_impossible_date_is_422(self) -> None:
        self.refused(registration(received_on="2025-02-30"), 422, "received_on")
        self.refused(registration(received_on="3/3/2025"), 422, "received_on")
        self.refused(registration(received_on=20250303), 422, "received_on")

    def test_an_unknown_channel_is_422(self) -> None:
        self.refused(registration(channel="pigeon"), 422, "channel")

    def test_an_unknown_form_or_delivery_is_422(self) -> None:
        self.refused(registration(form="stone"), 422, "form")
        self.refused(registration(delivery="drone"), 422, "delivery")

    def test_no_way_to_reach_the_applicant_is_422(self) -> None:
        self.refused(registration(applicant__phone=""), 422, "applicant.phone")

    def test_a_malformed_email_is_422(self) -> None:
        self.refused(registration(applicant__email="not-an-address"), 422, "applicant.email")

    def test_a_name_too_long_is_422(self) -> None:
        self.refused(registration(applicant__name="张" * 201), 422, "applicant.name")

    def test_missing_required_fields_are_named(self) -> None:
        for name in ("org", "applicant", "channel", "received_on"):
            with self.subTest(name):
                self.refused(registration(**{name: DROP}), 422, name)
        body = registration()
        del body["applicant"]["id_number"]
        self.refused(body, 422, "applicant.id_number")

    def test_unknown_fields_are_422(self) -> None:
        self.refused(registration(priority="high"), 422, "priority")
        self.refused(registration(applicant__nickname="小张"), 422, "applicant.nickname")

    def test_wrong_json_types_are_422(self) -> None:
        self.refused(registration(content=["a"]), 422, "content")
        self.refused(registration(applicant__name=12), 422, "applicant.name")
        self.refused(registration(applicant="张三"), 422, "applicant")

    def test_a_nul_character_is_422(self) -> None:
        self.refused(registration(content="批复\x00文件"), 422, "content")

    def test_an_unknown_organisation_is_422(self) -> None:
        self.refused(registration(org="NOPE"), 422, "org")

    def test_an_organisation_without_an_acting_role_is_403(self) -> None:
        self.refused(registration(), 403, None, persona="outsider")
        self.refused(registration(), 403, None, persona="supervisor")

    def test_malformed_json_is_400(self) -> None:
        self.refused('{"org": "WCBGS",', 400, None)
        self.refused("", 400, None)
        self.refused(json.dumps([registration()]), 400, None)
