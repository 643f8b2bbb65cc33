"""Internet applications in cases: submission as 待签收, the 查询码 stored only hashed, the 签收
that fixes the receipt date (条例第三十一条（三）), refusal, the online 补正, the dashboard list and
the annual report's counting."""

from __future__ import annotations

import datetime as dt

from django.test import TestCase

from gongkai.audit.models import AuditEntry
from gongkai.cases.models import Application, Event, OnlineSubmission
from gongkai.cases.online import (
    CODE_ALPHABET,
    application_for_code,
    code_digest,
    normalize_code,
)
from gongkai.cases.selectors import dashboard_lists
from gongkai.cases.services import (
    Applicant,
    Registration,
    ServiceError,
    application_confirm_receipt,
    application_refuse_submission,
    application_request_correction,
    application_submit_correction_online,
    application_submit_online,
)
from gongkai.reports.build import counted_applications
from gongkai.test import VALID_ID, Personas
from tests.api.base import ApiTestCase
from tests.web.base import freeze_today

MONDAY = dt.date(2025, 3, 17)


def online_registration(on: dt.date, **applicant: str) -> Registration:
    fields = {"phone": "13800000000", **applicant}
    return Registration(
        applicant=Applicant("natural", "张三", "resident_id", VALID_ID, **fields),
        channel="online",
        received_on=on,
        content="请公开2024年某道路改造项目的批复文件",
        delivery="online",
    )


class OnlineSubmissionTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()

    def submit(self, on: dt.date = MONDAY) -> tuple[Application, str]:
        with freeze_today(on):
            submitted = application_submit_online(
                organisation=self.office, data=online_registration(on)
            )
        return submitted.application, submitted.code

    def test_a_submission_awaits_signing_with_no_deadline(self) -> None:
        application, _code = self.submit()
        self.assertEqual(application.status, "submitted")
        self.assertEqual(application.channel, "online")
        self.assertIsNone(application.due_on)
        self.assertEqual(application.tracking_no, "WCBGS-2025-0001")

    def test_the_code_has_at_least_60_bits_and_is_never_stored_in_clear(self) -> None:
        application, code = self.submit()
        plain = normalize_code(code)
        self.assertEqual(len(plain), 16)
        self.assertTrue(set(plain) <= set(CODE_ALPHABET))
        self.assertGreaterEqual(len(plain) * 5, 60)  # 32 letters: 5 bits each
        row = OnlineSubmission.objects.get(application=application)
        self.assertEqual(row.code_hash, code_digest(row.code_salt, code))
        # No column of any row of the case holds the code, with or without its hyphens.
        for model in (Application, OnlineSubmission, Event):
            for values in model.objects.values():
                text = repr(values)
                self.assertNotIn(code, text)
                self.assertNotIn(plain, text)

    def test_two_submissions_get_different_salts_and_codes(self) -> None:
        first, code1 = self.submit()
        second, code2 = self.submit()
        self.assertNotEqual(code1, code2)
        salts = set(OnlineSubmission.objects.values_list("code_salt", flat=True))
        self.assertEqual(len(salts), 2)
        self.assertNotEqual(first.tracking_no, second.tracking_no)

    def test_lookup_needs_the_right_code_and_reads_it_as_typed(self) -> None:
        application, code = self.submit()
        self.assertEqual(application_for_code(application.tracking_no, code), application)
        sloppy = code.lower().replace("-", " ").replace("0", "Ｏ")
        self.assertEqual(application_for_code(application.tracking_no, sloppy), application)
        self.assertIsNone(application_for_code(application.tracking_no, "0000-0000-0000-0000"))
        self.assertIsNone(application_for_code("WCBGS-2025-9999", code))

    def test_an_unknown_number_costs_the_same_hmac_as_a_wrong_code(self) -> None:
        from unittest import mock

        from gongkai.cases import online

        application, _code = self.submit()
        for number in (application.tracking_no, "WCBGS-2025-9999"):
            with (
                mock.patch.object(online, "code_digest", wraps=online.code_digest) as digest,
                self.assertNumQueries(1),
            ):
                self.assertIsNone(application_for_code(number, "AAAA-BBBB-CCCC-DDDD"))
            self.assertEqual(digest.call_count, 1, number)

    def test_confirmation_sets_the_receipt_date_to_the_day_of_signing(self) -> None:
        application, _code = self.submit(MONDAY)
        thursday = MONDAY + dt.timedelta(days=3)
        with freeze_today(thursday):
            application_confirm_receipt(actor=self.clerk, application=application, on=thursday)
        application.refresh_from_db()
        self.assertEqual(application.status, "registered")
        self.assertEqual(application.received_on, thursday)
        # 20 working days from the day after receipt (条例第三十三条): 2025-04-18 (Qingming 4-4).
        self.assertEqual(application.due_on, dt.date(2025, 4, 18))
        self.assertEqual(OnlineSubmission.objects.get().application_id, application.pk)
        entry = AuditEntry.objects.filter(object_id=str(application.pk)).last()
        assert entry is not None
        self.assertEqual(entry.detail["step"], "confirm_receipt")

    def test_confirmation_is_dated_today_only(self) -> None:
        application, _code = self.submit(MONDAY)
        with freeze_today(MONDAY + dt.timedelta(days=2)), self.assertRaises(ServiceError):
            application_confirm_receipt(actor=self.clerk, application=application, on=MONDAY)
        application.refresh_from_db()
        self.assertEqual(application.status, "submitted")

    def test_confirmation_needs_an_office_role(self) -> None:
        application, _code = self.submit(MONDAY)
        with freeze_today(MONDAY), self.assertRaises(ServiceError) as raised:
            application_confirm_receipt(actor=self.outsider, application=application, on=MONDAY)
        self.assertEqual(raised.exception.kind, "forbidden")

    def test_refusal_needs_a_reason_and_counts_nowhere(self) -> None:
        application, _code = self.submit(MONDAY)
        with freeze_today(MONDAY):
            with self.assertRaises(ServiceError):
                application_refuse_submission(
                    actor=self.clerk, application=application, on=MONDAY, note=" "
                )
            application_refuse_submission(
                actor=self.clerk, application=application, on=MONDAY, note="内容为测试文字"
            )
        application.refresh_from_db()
        self.assertEqual(application.status, "not_accepted")
        self.assertFalse(counted_applications(self.office).filter(pk=application.pk).exists())

    def test_unconfirmed_submissions_are_not_counted_then_counted_by_signing_date(self) -> None:
        application, _code = self.submit(dt.date(2024, 12, 30))
        self.assertFalse(counted_applications(self.office).exists())
        with freeze_today(dt.date(2025, 1, 2)):
            application_confirm_receipt(
                actor=self.clerk, application=application, on=dt.date(2025, 1, 2)
            )
        counted = counted_applications(self.office).get()
        self.assertEqual(counted.received_on, dt.date(2025, 1, 2))  # the 2025 report's

    def test_the_dashboard_lists_unconfirmed_ones_with_the_days_waiting(self) -> None:
        application, _code = self.submit(MONDAY)
        lists = {item.key: item for item in dashboard_lists(self.clerk, MONDAY + dt.timedelta(3))}
        rows = lists["submitted"].rows
        self.assertEqual([row.application.pk for row in rows], [application.pk])
        self.assertIn("已等待3天", rows[0].note)
        self.assertEqual(dashboard_lists(self.outsider, MONDAY)[0].rows, [])

    def test_the_online_correction_restarts_the_clock(self) -> None:
        application, _code = self.submit(MONDAY)
        with freeze_today(MONDAY):
            application_confirm_receipt(actor=self.clerk, application=application, on=MONDAY)
            application_request_correction(
                actor=self.clerk, application=application, on=MONDAY, items="请写明文号"
            )
        friday = MONDAY + dt.timedelta(days=4)
        with freeze_today(friday):
            with self.assertRaises(ServiceError):
                application_submit_correction_online(application=application, text="  ")
            application_submit_correction_online(
                application=application, text="文号为宛政〔2024〕1号"
            )
        application.refresh_from_db()
        self.assertEqual(application.status, "processing")
        event = application.events.get(action="receive_correction")
        self.assertEqual(event.date, friday)
        self.assertIsNone(event.actor)
        self.assertEqual(application.due_on, dt.date(2025, 4, 21))
        with freeze_today(friday), self.assertRaises(ServiceError):
            application_submit_correction_online(application=application, text="再补一次")

    def test_a_submission_with_a_bad_id_is_refused_and_stores_nothing(self) -> None:
        data = Registration(
            applicant=Applicant("natural", "张三", "resident_id", "110105194912310021"),
            channel="online",
            received_on=MONDAY,
            content="某文件",
        )
        with freeze_today(MONDAY), self.assertRaises(ServiceError):
            application_submit_online(organisation=self.office, data=data)
        self.assertFalse(Application.objects.exists())


class WorkbenchSigningTests(Personas, TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.make_personas()

    def test_the_workbench_lists_it_and_signs_for_it(self) -> None:
        from django.urls import reverse

        with freeze_today(MONDAY):
            submitted = application_submit_online(
                organisation=self.office, data=online_registration(MONDAY)
            )
            application = submitted.application
            self.client.force_login(self.clerk)
            dashboard = self.client.get("/").content.decode()
            self.assertIn("待签收的网上申请", dashboard)
            self.assertIn(application.tracking_no, dashboard)
            detail = self.client.get(reverse("cases:detail", args=[application.pk]))
            self.assertEqual(detail.status_code, 200)
            self.assertContains(detail, "签收网上申请")
            self.assertContains(detail, "网上申请尚未签收")
            response = self.client.post(
                reverse("cases:act", args=[application.pk, "confirm_receipt"]),
                {"confirm_receipt-date": MONDAY.isoformat()},
            )
            self.assertEqual(response.status_code, 302)
        application.refresh_from_db()
        self.assertEqual(application.status, "registered")
        self.assertEqual(application.received_on, MONDAY)
        self.assertIsNotNone(application.due_on)


class ApiSubmissionTests(ApiTestCase):
    def test_the_api_knows_no_submission_awaiting_signing(self) -> None:
        from django.urls import reverse

        with freeze_today(MONDAY):
            application = application_submit_online(
                organisation=self.office, data=online_registration(MONDAY)
            ).application
            response = self.get_json(reverse("api:application", args=[application.pk]))
        self.assertEqual(response.status_code, 404)
        listed = self.get_json(reverse("api:applications")).json()["results"]
        self.assertNotIn(application.pk, [row["id"] for row in listed])
        with freeze_today(MONDAY):
            application_confirm_receipt(actor=self.clerk, application=application, on=MONDAY)
            response = self.get_json(reverse("api:application", args=[application.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response.json()["deadlines"]["receipt_date"], MONDAY.isoformat())
