"""The full ID number or phone of one application: a POST on the page or `?reveal=1` in the API,
for users acting in the organisation only, each view recorded in the audit log."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from gongkai.accounts.tokens import api_token_create
from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases.ledger import import_rows, read_ledger, validate_rows
from gongkai.domain.ledger import guess_mapping
from gongkai.test import VALID_ID
from tests.ledger.workbooks import TODAY as LEDGER_TODAY
from tests.ledger.workbooks import row, xlsx
from tests.web.base import WebTestCase

FULL_PHONE = "13800000000"


def reveals() -> Any:
    """The reveal entries (logging in adds its own)."""
    kinds = [AuditAction.REVEAL_ID, AuditAction.REVEAL_PHONE]
    return AuditEntry.objects.filter(action__in=kinds).order_by("id")


class PageRevealTests(WebTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = self.new()
        self.url = reverse("cases:reveal", args=[self.application.pk])

    def reveal(self, field: str) -> Any:
        return self.client.post(self.url, {"field": field})

    def test_a_clerk_reveals_the_id_number_for_one_response_and_it_is_audited(self) -> None:
        self.login("clerk")
        response = self.reveal("id_number")
        self.assertContains(response, f'<span class="mono" id="full-id">{VALID_ID}</span>')
        self.assertNotContains(response, FULL_PHONE)  # only what was asked for
        self.assertNotContains(response, 'name="field" value="id_number"')
        entry = reveals().get()
        self.assertEqual(
            (entry.action, entry.username, entry.success, entry.ip),
            (AuditAction.REVEAL_ID, "clerk", True, "127.0.0.1"),
        )
        self.assertEqual(entry.object_repr, self.application.tracking_no)
        self.assertEqual(entry.organisation, "WCBGS")
        self.assertEqual(entry.detail, {"field": "id_number", "via": "web"})
        # The next view of the page is masked again.
        self.assertNotContains(self.detail(self.application), VALID_ID)

    def test_the_phone_is_revealed_on_its_own(self) -> None:
        self.login("reviewer")
        response = self.reveal("phone")
        self.assertContains(response, f'<span class="mono" id="full-phone">{FULL_PHONE}</span>')
        self.assertNotContains(response, VALID_ID)
        self.assertEqual(
            list(reveals().values_list("action", flat=True)), [AuditAction.REVEAL_PHONE]
        )

    def test_a_supervisor_is_refused_and_the_attempt_recorded(self) -> None:
        self.login("supervisor")
        response = self.reveal("id_number")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(VALID_ID, response.content.decode())
        entry = reveals().get()
        self.assertEqual((entry.action, entry.success), (AuditAction.REVEAL_ID, False))

    def test_another_office_gets_404_and_learns_nothing(self) -> None:
        self.login("outsider")
        self.assertEqual(self.reveal("id_number").status_code, 404)

    def test_only_a_post_with_a_known_field_reveals(self) -> None:
        self.login("clerk")
        self.assertEqual(self.client.get(self.url, {"field": "id_number"}).status_code, 405)
        self.assertEqual(self.reveal("address").status_code, 404)
        self.assertFalse(reveals().exists())

    def test_the_reveal_needs_the_csrf_token(self) -> None:
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.clerk)
        self.assertEqual(client.post(self.url, {"field": "id_number"}).status_code, 403)
        self.assertFalse(reveals().exists())

    def test_anonymous_users_are_sent_to_log_in(self) -> None:
        self.assertRedirectsToLogin(self.reveal("id_number"))

    def test_a_number_imported_masked_has_nothing_to_reveal(self) -> None:
        data = xlsx([row(1, id_number="1101**********002X", phone="138****0000")])
        sheet = read_ledger(data)
        reports = validate_rows(
            sheet, guess_mapping(sheet.headers), self.office, today=LEDGER_TODAY
        )
        result = import_rows(
            actor=self.reviewer, organisation=self.office, rows=reports, only_valid=False,
            today=LEDGER_TODAY,
        )  # fmt: skip
        imported = result.imported[0][1]
        self.login("clerk")
        response = self.detail(imported)
        self.assertContains(response, "1101**********002X")
        self.assertNotContains(response, reverse("cases:reveal", args=[imported.pk]))


class ApiRevealTests(WebTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.application = self.new()
        self.url = reverse("api:application", args=[self.application.pk])

    def get(self, persona: str, **params: str) -> Any:
        token = api_token_create(user=getattr(self, persona), name="tests")[1]
        return self.client.get(self.url, params, HTTP_AUTHORIZATION=f"Bearer {token}")

    def test_reveal_1_gives_the_full_values_to_an_acting_user_and_is_audited(self) -> None:
        response = self.get("clerk", reveal="1")
        self.assertEqual(response.status_code, 200)
        applicant = response.json()["applicant"]
        self.assertEqual(applicant["id_number"], VALID_ID)
        self.assertEqual(applicant["phone"], FULL_PHONE)
        self.assertEqual(applicant["id_number_masked"], "1101**********002X")
        entries = reveals()
        self.assertEqual(
            [(e.action, e.username, e.success, e.detail["via"]) for e in entries],
            [
                (AuditAction.REVEAL_ID, "clerk", True, "api"),
                (AuditAction.REVEAL_PHONE, "clerk", True, "api"),
            ],
        )

    def test_without_reveal_nothing_is_audited(self) -> None:
        for params in ({}, {"reveal": "0"}):
            self.assertEqual(
                self.get("clerk", **params).json()["applicant"]["phone"], "138****0000"
            )
        self.assertFalse(reveals().exists())

    def test_a_supervisor_asking_to_reveal_gets_403_and_is_recorded(self) -> None:
        response = self.get("supervisor", reveal="1")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(response.json()["field"], "reveal")
        self.assertNotIn(VALID_ID, response.content.decode())
        self.assertEqual(
            set(reveals().values_list("action", "success")),
            {(AuditAction.REVEAL_ID, False), (AuditAction.REVEAL_PHONE, False)},
        )

    def test_another_office_gets_404(self) -> None:
        self.assertEqual(self.get("outsider", reveal="1").status_code, 404)
        self.assertFalse(reveals().exists())

    def test_a_bad_reveal_value_or_unknown_parameter_is_422(self) -> None:
        self.assertEqual(self.get("clerk", reveal="yes").json()["field"], "reveal")
        self.assertEqual(self.get("clerk", full="1").json()["field"], "full")
