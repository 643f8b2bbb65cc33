"""POST /api/applications/{id}/actions: every action, the whole procedure, and each refusal.

Deadlines are counted by hand with the 2025 schedule (国办发明电〔2024〕12号): 清明 4/4–4/6;
劳动节 5/1–5/5 with 4/27 (Sun) a working day.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application, Event
from gongkai.domain.lifecycle import SIGNING_ACTIONS, Action
from tests.api.base import SCENARIOS, SIGN_OFF_SCENARIOS, ApiTestCase, registration

D = dt.date


class EveryActionTests(ApiTestCase):
    def test_the_scenarios_cover_every_action(self) -> None:
        taken = {body["action"] for steps in SCENARIOS.values() for _, body in steps}
        # 签收 and 不予签收 are workbench steps only (SIGNING_ACTIONS).
        self.assertEqual(taken, {a.value for a in Action if a not in SIGNING_ACTIONS})

    def test_every_action_is_taken_through_the_api(self) -> None:
        for name, steps in SCENARIOS.items():
            Organisation.objects.filter(pk=self.office.pk).update(
                leader_signoff=name in SIGN_OFF_SCENARIOS
            )
            application = self.register()
            for persona, body in steps:
                with self.subTest(name, action=body["action"]):
                    response = self.act(application, persona, **body)
                    self.assertEqual(response.status_code, 200, response.content.decode())
                    data = response.json()
                    application.refresh_from_db()
                    self.assertEqual(data["status"], application.status)
                    self.assertEqual(data["timeline"][-1]["action"], body["action"])
                    self.assertEqual(data["timeline"][-1]["actor"], persona)

    def test_the_closures_record_their_report_rows(self) -> None:
        expected = {"no_correction": "r_other_nocorrect", "no_fee": "r_other_nofee",
                    "withdrawal": "r_other_other", "review": "r_open"}  # fmt: skip
        for name, outcome in expected.items():
            application = self.register()
            for persona, body in SCENARIOS[name]:
                data = self.act(application, persona, **body).json()
            self.assertEqual(data["outcome"], outcome, name)
            self.assertIsNotNone(data["outcome_label"])
            self.assertIsNotNone(data["concluded_on"])

    def test_the_fee_notice_data_reaches_the_timeline(self) -> None:
        application = self.register()
        data = self.act(application, **SCENARIOS["fee"][0][1]).json()
        self.assertEqual(data["status"], "awaiting_fee")
        self.assertEqual(data["timeline"][-1]["data"]["amount"], 100)
        self.assertIsNotNone(data["deadlines"]["fee_payment_due"])


class ConsultationTests(ApiTestCase):
    def test_an_agency_consultation_pauses_the_clock(self) -> None:
        # Regression: answering a consultation of another agency (第三十四条) used to fail with
        # an AttributeError in the services (Party.AGENCY for Party.OTHER_AGENCY).
        application = self.register()
        data = self.act(application, action="start_consultation", date="2025-03-05",
                        party="agency", consulted="宛城区财政局").json()  # fmt: skip
        # Unanswered, the pause counts as the agency's whole 15 working days (3/6–3/26), so the
        # 3/31 deadline moves by 15: 4/1–4/3 (3), 清明, 4/7–11 (8), 4/14–18 (13), 4/21–22 (15).
        self.assertEqual(data["deadlines"]["reply_due"], "2025-04-22")
        response = self.act(application, action="end_consultation", date="2025-03-10")
        self.assertEqual(response.status_code, 200, response.content.decode())
        # (3/5, 3/10] holds three working days, 3/6, 3/7 and 3/10: 3/31 becomes 4/3.
        self.assertEqual(response.json()["deadlines"]["reply_due"], "2025-04-03")


class WholeProcedureTests(ApiTestCase):
    def test_register_correct_consult_extend_reply_deliver_archive(self) -> None:
        created = self.post_json(reverse("api:applications"), registration())
        self.assertEqual(created.status_code, 201)
        pk = created.json()["id"]

        data = self.step(pk, "clerk", "correction", action="request_correction",
                         date="2025-03-05", items="请写明所需文件的名称或文号")  # fmt: skip
        self.assertIsNone(data["deadlines"]["reply_due"])

        # The corrected application restarts the 20 working days from 3/10: 3/11–3/14 (4),
        # 3/17–21 (9), 3/24–28 (14), 3/31–4/3 (18), 清明 4/4–4/6, 4/7 (19), 4/8 (20).
        data = self.step(pk, "clerk", "processing", action="receive_correction", date="2025-03-10")
        self.assertEqual(data["deadlines"]["clock_start"], "2025-03-10")
        self.assertEqual(data["deadlines"]["reply_due"], "2025-04-08")

        # Consultation from 3/12 to the answer on 3/19 is not counted (第三十三条第三款):
        # 3/13, 3/14, 3/17, 3/18, 3/19 → five more working days: 4/9, 4/10, 4/11, 4/14, 4/15.
        self.step(pk, "clerk", "consulting", action="start_consultation", date="2025-03-12",
                  party="third_party", consulted="某某有限公司")  # fmt: skip
        data = self.step(pk, "clerk", "processing", action="end_consultation",
                         date="2025-03-19", opinion="不同意公开其商业秘密部分")  # fmt: skip
        self.assertEqual(data["deadlines"]["reply_due"], "2025-04-15")

        # The clerk may not extend; the reviewer may. 20 more working days after 4/15:
        # 4/16–18 (3), 4/21–25 (8), 4/27 调休 (9), 4/28–30 (12), 劳动节 5/1–5/5, 5/6–9 (16),
        # 5/12–15 (20).
        self.assertError(self.act(pk, "clerk", action="extend", date="2025-03-20",
                                  reason="需要会商"), 403)  # fmt: skip
        data = self.step(pk, "reviewer", "processing", action="extend", date="2025-03-20",
                         reason="需要会商")  # fmt: skip
        self.assertTrue(data["extended"])
        self.assertEqual(data["deadlines"]["extended_reply_due"], "2025-05-15")
        self.assertEqual(data["deadlines"]["current_due"], "2025-05-15")
        self.assertNotIn("extend", data["allowed_actions"])

        self.assertError(self.act(pk, "clerk", action="reply", date="2025-04-10",
                                  outcome="r_partial"), 403)  # fmt: skip
        data = self.step(pk, "reviewer", "replied", action="reply", date="2025-04-10",
                         outcome="r_partial")  # fmt: skip
        self.assertEqual(data["outcome"], "r_partial")
        self.assertEqual(data["concluded_on"], "2025-04-10")
        self.assertEqual(data["legal_basis"], "《中华人民共和国政府信息公开条例》第三十七条")
        self.assertEqual(data["deadlines"]["overdue"], False)

        self.step(pk, "clerk", "delivered", action="deliver", date="2025-04-11", method="email")
        data = self.step(pk, "clerk", "archived", action="archive", date="2025-04-14")
        self.assertEqual(data["archived_on"], "2025-04-14")
        self.assertEqual(data["allowed_actions"], [])
        self.assertEqual(
            [e["action"] for e in data["timeline"]],
            ["register", "request_correction", "receive_correction", "start_consultation",
             "end_consultation", "extend", "reply", "deliver", "archive"],
        )  # fmt: skip

    def step(self, pk: int, persona: str, status: str, **body: Any) -> dict[str, Any]:
        response = self.act(pk, persona, **body)
        self.assertEqual(response.status_code, 200, response.content.decode())
        data: dict[str, Any] = response.json()
        self.assertEqual(data["status"], status)
        self.assertEqual(Application.objects.get(pk=pk).status, status)
        return data


class RefusedActionTests(ApiTestCase):
    def setUp(self) -> None:
        self.application = self.register()
        self.events = Event.objects.count()

    def refused(self, status: int, field: str | None, persona: str = "clerk", **body: Any) -> str:
        data = self.assertError(self.act(self.application, persona, **body), status, field)
        self.assertEqual(Application.objects.get(pk=self.application.pk).status, "registered")
        self.assertEqual(Event.objects.count(), self.events)
        return str(data["error"])

    def test_an_illegal_step_is_409_with_a_message(self) -> None:
        message = self.refused(409, None, action="deliver", date="2025-03-05", method="email")
        self.assertIn("已登记", message)
        self.refused(409, None, action="receive_fee", date="2025-03-05")

    def test_a_second_extension_is_409(self) -> None:
        self.act(self.application, "reviewer", action="extend", date="2025-03-05", reason="核实")
        response = self.act(self.application, "reviewer", action="extend", date="2025-03-06",
                            reason="再核实")  # fmt: skip
        self.assertError(response, 409)

    def test_a_step_the_role_may_not_take_is_403(self) -> None:
        self.refused(403, None, action="reply", date="2025-03-05", outcome="r_open")
        self.refused(403, None, action="extend", date="2025-03-05", reason="需要核实")
        self.refused(403, None, "supervisor", action="request_correction", date="2025-03-05",
                     items="请写明文号")  # fmt: skip

    def test_another_organisations_application_is_404(self) -> None:
        self.refused(404, None, "outsider", action="withdraw", date="2025-03-05")
        response = self.act(999999, "clerk", action="withdraw", date="2025-03-05")
        self.assertError(response, 404)

    def test_a_missing_date_is_422_on_date(self) -> None:
        self.refused(422, "date", action="withdraw")

    def test_a_malformed_date_is_422_on_date(self) -> None:
        self.refused(422, "date", action="withdraw", date="2025-3-5")
        self.refused(422, "date", action="withdraw", date=20250305)

    def test_a_date_in_the_future_or_before_receipt_is_422_on_date(self) -> None:
        tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        self.refused(422, "date", action="withdraw", date=tomorrow)
        self.refused(422, "date", action="withdraw", date="2025-03-02")

    def test_a_missing_or_unknown_action_is_422_on_action(self) -> None:
        self.refused(422, "action", date="2025-03-05")
        message = self.refused(422, "action", action="approve_all", date="2025-03-05")
        self.assertIn("request_correction", message)
        self.refused(422, "action", action=["withdraw"], date="2025-03-05")

    def test_a_field_of_another_action_is_422(self) -> None:
        self.refused(422, "amount", action="request_correction", date="2025-03-05",
                     items="请写明文号", amount=100)  # fmt: skip
        self.refused(422, "tracking_number", action="withdraw", date="2025-03-05",
                     tracking_number="EMS1")  # fmt: skip

    def test_missing_action_fields_are_422(self) -> None:
        self.refused(422, "items", action="request_correction", date="2025-03-05")
        self.refused(422, "items", action="request_correction", date="2025-03-05", items=" ")
        self.refused(422, "consulted", action="start_consultation", date="2025-03-05",
                     party="third_party")  # fmt: skip
        self.refused(422, "method", action="notify_fee", date="2025-03-05", amount=10)

    def test_wrong_types_are_422(self) -> None:
        self.refused(422, "amount", action="notify_fee", date="2025-03-05", amount="100",
                     method="by_count")  # fmt: skip
        self.refused(422, "amount", action="notify_fee", date="2025-03-05", amount=True,
                     method="by_count")  # fmt: skip
        self.refused(422, "amount", action="notify_fee", date="2025-03-05", amount=99.5,
                     method="by_count")  # fmt: skip
        self.refused(422, "items", action="request_correction", date="2025-03-05", items=1)

    def test_values_the_services_refuse_are_422_on_their_field(self) -> None:
        self.refused(422, "amount", action="notify_fee", date="2025-03-05", amount=0,
                     method="by_count")  # fmt: skip
        self.refused(422, "method", action="notify_fee", date="2025-03-05", amount=10,
                     method="by_weight")  # fmt: skip
        self.refused(422, "party", action="start_consultation", date="2025-03-05",
                     party="neighbour", consulted="某人")  # fmt: skip
        self.refused(422, "outcome", action="propose_reply", date="2025-03-05", outcome="r_nope")
        self.refused(422, "outcome", action="propose_reply", date="2025-03-05",
                     outcome="r_other_nofee")  # fmt: skip

    def test_mail_delivery_needs_a_tracking_number(self) -> None:
        self.act(self.application, "reviewer", action="reply", date="2025-03-05", outcome="r_open")
        response = self.act(self.application, action="deliver", date="2025-03-06", method="mail")
        self.assertError(response, 422, "tracking_number")

    def test_a_reply_without_outcome_or_proposal_is_422(self) -> None:
        self.refused(422, "outcome", "reviewer", action="reply", date="2025-03-05")

    def test_malformed_json_is_400(self) -> None:
        url = reverse("api:application_actions", args=[self.application.pk])
        self.assertError(self.post_json(url, "{action: withdraw}"), 400)
        self.assertError(self.post_json(url, '"withdraw"'), 400)


class AllowedActionsTests(ApiTestCase):
    def test_the_answer_lists_what_the_caller_may_do_next(self) -> None:
        application = self.register()
        data = self.act(application, action="propose_reply", date="2025-03-05",
                        outcome="r_open").json()  # fmt: skip
        self.assertEqual(data["status"], "review")
        self.assertEqual(data["allowed_actions"], ["withdraw"])
        url = reverse("api:application", args=[application.pk])
        reviewer = self.get_json(url, "reviewer").json()
        self.assertEqual(reviewer["allowed_actions"], ["extend", "return_reply", "reply",
                                                       "transfer", "withdraw"])  # fmt: skip
