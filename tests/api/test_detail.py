"""GET /api/applications/{id}: state, deadlines with their trail, timeline, and who may see it."""

from __future__ import annotations

import datetime as dt

from django.test import override_settings
from django.urls import reverse

from gongkai.cases.services import application_request_correction
from gongkai.test import VALID_ID
from tests.api.base import ApiTestCase, registration


class DetailTests(ApiTestCase):
    def setUp(self) -> None:
        self.application = self.register()
        self.url = reverse("api:application", args=[self.application.pk])

    def test_it_shows_state_deadlines_and_timeline(self) -> None:
        application_request_correction(
            actor=self.clerk, application=self.application, on=dt.date(2025, 3, 5),
            items="请写明文号", today=dt.date(2025, 3, 5),
        )  # fmt: skip
        response = self.get_json(self.url)
        self.assertEqual(response.status_code, 200)
        data = response.json()
        self.assertEqual(data["tracking_no"], "WCBGS-2025-0001")
        self.assertEqual((data["status"], data["status_label"]), ("correction", "待补正"))
        self.assertEqual(data["received_on"], "2025-03-03")
        self.assertIsNone(data["deadlines"]["reply_due"])
        self.assertEqual(data["deadlines"]["clock_status"], "awaiting_correction")
        self.assertTrue(data["deadlines"]["trail"])
        self.assertEqual(
            [(e["action"], e["date"], e["actor"]) for e in data["timeline"]],
            [("register", "2025-03-03", "clerk"), ("request_correction", "2025-03-05", "clerk")],
        )
        self.assertEqual(data["timeline"][1]["data"]["items"], "请写明文号")
        self.assertEqual(data["timeline"][1]["action_label"], "发出补正通知")
        self.assertEqual(
            data["allowed_actions"], ["receive_correction", "close_no_correction", "withdraw"]
        )

    def test_the_id_number_is_masked(self) -> None:
        response = self.get_json(self.url)
        self.assertNotIn(VALID_ID, response.content.decode())
        self.assertEqual(response.json()["applicant"]["id_number_masked"], "1101**********002X")

    def test_allowed_actions_follow_the_callers_role(self) -> None:
        clerk = self.get_json(self.url, "clerk").json()["allowed_actions"]
        reviewer = self.get_json(self.url, "reviewer").json()["allowed_actions"]
        self.assertNotIn("reply", clerk)
        self.assertNotIn("extend", clerk)
        self.assertIn("reply", reviewer)
        self.assertIn("extend", reviewer)

    def test_the_supervisor_reads_without_acting(self) -> None:
        response = self.get_json(self.url, "supervisor")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["allowed_actions"], [])

    def test_another_organisations_application_is_404(self) -> None:
        self.assertError(self.get_json(self.url, "outsider"), 404)

    def test_a_missing_application_is_404(self) -> None:
        self.assertError(self.get_json(reverse("api:application", args=[999999])), 404)

    def test_it_needs_a_token(self) -> None:
        self.assertError(self.client.get(self.url), 401)

    def test_it_costs_a_fixed_number_of_queries(self) -> None:
        self.get_json(self.url)  # records the token's use, which is not written again for a minute
        # token and user, memberships, application, events with actors, roles, the parent
        # organisation and the workday overrides for the calendar.
        with self.assertNumQueries(7):
            self.get_json(self.url)


class UncheckedAnswersTests(ApiTestCase):
    """Production writes the answers without checking them (GONGKAI_API_CHECK_RESPONSES off):
    what it writes must be what the checked path writes."""

    def test_the_fast_path_writes_the_same_json(self) -> None:
        created = self.post_json(reverse("api:applications"), registration()).json()
        urls = [reverse("api:applications"), reverse("api:application", args=[created["id"]])]
        for url in urls:
            with self.subTest(url):
                checked = self.get_json(url).json()
                with override_settings(API_CHECK_RESPONSES=False):
                    unchecked = self.get_json(url).json()
                self.assertEqual(unchecked, checked)
                self.assertIn("received_on", str(unchecked))
