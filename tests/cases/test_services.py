"""The services: registration, every step of the procedure, refusals that change nothing.

Expected deadlines are counted by hand with the 2025 schedule (国办发明电〔2024〕12号): 清明
4/4–4/6, 劳动节 5/1–5/5 with 4/27 (Sun) a working day.
"""

from __future__ import annotations

import datetime as dt

from gongkai.cases import services as s
from gongkai.cases.models import Application, Event
from gongkai.test import VALID_ID, BaseTestCase

D = dt.date


class RegistrationTests(BaseTestCase):
    def test_it_numbers_applications_per_organisation_and_year(self) -> None:
        first = self.register(received_on=D(2025, 3, 3))
        second = self.register(received_on=D(2025, 3, 4))
        next_year = self.register(received_on=D(2026, 1, 5))
        self.assertEqual(first.tracking_no, "WCBGS-2025-0001")
        self.assertEqual(second.tracking_no, "WCBGS-2025-0002")
        self.assertEqual(next_year.tracking_no, "WCBGS-2026-0001")

    def test_it_computes_the_reply_deadline(self) -> None:
        # 2025-03-03 (Mon) not counted; 20 working days: 3/4–3/7 (4), 3/10–3/14 (9),
        # 3/17–3/21 (14), 3/24–3/28 (19), 3/31 (20).
        app = self.register(received_on=D(2025, 3, 3))
        self.assertEqual(app.due_on, D(2025, 3, 31))
        # 7 working days: 3/4–3/7 (4), 3/10–3/12 (7).
        self.assertEqual(app.correction_notice_due, D(2025, 3, 12))
        self.assertEqual(list(app.events.values_list("action", flat=True)), ["register"])

    def _data(self, **changes: object) -> s.Registration:
        applicant = {
            "type": "natural",
            "name": "李四",
            "id_type": "resident_id",
            "id_number": VALID_ID,
            "phone": "13800000000",
        }
        applicant.update({k[2:]: v for k, v in changes.items() if k.startswith("a_")})
        top = {"channel": "online", "received_on": D(2025, 3, 3), "content": "某文件"}
        top.update({k: v for k, v in changes.items() if not k.startswith("a_")})
        return s.Registration(s.Applicant(**applicant), **top)  # type: ignore[arg-type]

    def assert_refused(self, field: str, **changes: object) -> None:
        with self.assertRaises(s.ServiceError) as caught:
            s.application_register(
                actor=self.clerk,
                organisation=self.office,
                data=self._data(**changes),
                today=D(2025, 3, 3),
            )
        self.assertEqual(caught.exception.field, field)
        self.assertEqual(Application.objects.count(), 0)

    def test_invalid_data_is_refused_naming_the_field(self) -> None:
        self.assert_refused("applicant.id_number", a_id_number="110105194912310021")
        self.assert_refused("applicant.type", a_type="alien")
        self.assert_refused("applicant.name", a_name="  ")
        self.assert_refused("applicant.phone", a_phone="")
        self.assert_refused("channel", channel="pigeon")
        self.assert_refused("content", content="")
        self.assert_refused("received_on", received_on=D(2025, 3, 4))

    def test_an_outsider_may_not_register_for_the_office(self) -> None:
        with self.assertRaises(s.ServiceError) as caught:
            s.application_register(
                actor=self.outsider,
                organisation=self.office,
                data=self._data(),
                today=D(2025, 3, 3),
            )
        self.assertEqual(caught.exception.kind, "forbidden")

    def test_the_id_number_is_stored_normalised(self) -> None:
        app = s.application_register(
            actor=self.clerk,
            organisation=self.office,
            data=self._data(a_id_number="11010519491231002x "),
            today=D(2025, 3, 3),
        )
        self.assertEqual(app.id_number, VALID_ID)
        self.assertEqual(app.masked_id, "1101**********002X")


class ProcedureTests(BaseTestCase):
    def step(self, service, app: Application, on: dt.date, actor=None, **kw):  # type: ignore[no-untyped-def]
        return service(actor=actor or self.clerk, application=app, on=on, today=on, **kw)

    def test_a_corrected_application_restarts_the_clock(self) -> None:
        app = self.register(received_on=D(2025, 3, 3))
        app = self.step(s.application_request_correction, app, D(2025, 3, 5), items="请写明文号")
        self.assertEqual(app.status, "correction")
        self.assertIsNone(app.due_on)
        app = self.step(s.application_receive_correction, app, D(2025, 3, 17))
        # From 3/17: 3/18–3/21 (4), 3/24–3/28 (9), 3/31–4/3 (13), 4/4 清明, 4/7–4/11 (18), 4/14–4/15 (20).
        self.assertEqual(app.due_on, D(2025, 4, 15))
        self.assertEqual(app.status, "processing")

    def test_consultation_is_not_counted(self) -> None:
        app = self.register(received_on=D(2025, 3, 3))
        app = self.step(
            s.application_start_consultation,
            app,
            D(2025, 3, 10),
            party="third_party",
            consulted="某公司",
        )
        app = self.step(s.application_end_consultation, app, D(2025, 3, 14), opinion="同意")
        # 3/11–3/14 (4 working days) are excluded: 3/31 moves to 4/7 (4/4 清明).
        self.assertEqual(app.due_on, D(2025, 4, 7))

    def test_an_extension_needs_a_reviewer_and_happens_once(self) -> None:
        app = self.register(received_on=D(2025, 3, 3))
        with self.assertRaises(s.ServiceError) as caught:
            self.step(s.application_extend, app, D(2025, 3, 20), reason="复杂")
        self.assertEqual(caught.exception.kind, "forbidden")
        app = self.step(s.application_extend, app, D(2025, 3, 20), self.reviewer, reason="复杂")
        # 3/31 + 20 working days: 4/1–4/3 (3), 4/7–4/11 (8), 4/14–4/18 (13), 4/21–4/25 (18),
        # 4/27 (Sun, 调休上班) (19), 4/28 (20).
        self.assertEqual(app.due_on, D(2025, 4, 28))
        self.assertTrue(app.extended)
        with self.assertRaises(s.ServiceError) as caught:
            self.step(s.application_extend, app, D(2025, 3, 21), self.reviewer, reason="再延")
        self.assertEqual(caught.exception.kind, "conflict")

    def test_the_reply_is_proposed_then_approved(self) -> None:
        app = self.register(received_on=D(2025, 3, 3))
        app = self.step(s.application_propose_reply, app, D(2025, 3, 10), outcome_key="r_partial",
                        reasons="涉及个人信息部分不予公开")  # fmt: skip
        self.assertEqual(app.status, "review")
        self.assertEqual(app.outcome, "")
        with self.assertRaises(s.ServiceError):
            self.step(s.application_reply, app, D(2025, 3, 11))  # a clerk cannot approve
        app = self.step(s.application_reply, app, D(2025, 3, 11), self.reviewer)
        self.assertEqual(
            (app.status, app.outcome, app.concluded_on), ("replied", "r_partial", D(2025, 3, 11))
        )
        self.assertIn("第三十七条", app.legal_basis)
        app = self.step(
            s.application_deliver, app, D(2025, 3, 12), method="mail", tracking_number="1100"
        )
        app = self.step(s.application_archive, app, D(2025, 3, 13))
        self.assertEqual((app.status, app.archived_on), ("archived", D(2025, 3, 13)))

    def test_a_returned_reply_goes_back_to_processing(self) -> None:
        app = self.register(received_on=D(2025, 3, 3))
        app = self.step(s.application_propose_reply, app, D(2025, 3, 10), outcome_key="r_open")
        app = self.step(
            s.application_return_reply, app, D(2025, 3, 10), self.reviewer, note="依据不当"
        )
        self.assertEqual(app.status, "processing")

    def test_closures_set_the_other_rows(self) -> None:
        cases = [
            (
                s.application_close_no_correction,
                "r_other_nocorrect",
                s.application_request_correction,
                {"items": "x"},
            ),
            (
                s.application_close_no_fee,
                "r_other_nofee",
                s.application_notify_fee,
                {"amount": 100, "method": "by_count"},
            ),
            (s.application_withdraw, "r_other_other", None, {}),
        ]
        for close, row, before, kw in cases:
            app = self.register(received_on=D(2025, 3, 3))
            if before:
                app = self.step(before, app, D(2025, 3, 4), **kw)
            app = self.step(close, app, D(2025, 4, 30))
            self.assertEqual(
                (app.status, app.outcome, app.concluded_on), ("closed", row, D(2025, 4, 30))
            )

    def test_closure_outcomes_are_not_reply_outcomes(self) -> None:
        app = self.register(received_on=D(2025, 3, 3))
        with self.assertRaises(s.ServiceError) as caught:
            self.step(
                s.application_reply, app, D(2025, 3, 5), self.reviewer, outcome_key="r_other_nofee"
            )
        self.assertEqual(caught.exception.field, "outcome")

    def test_an_illegal_step_changes_nothing(self) -> None:
        app = self.register(received_on=D(2025, 3, 3))
        before = (app.status, app.due_on, Event.objects.count())
        with self.assertRaises(s.ServiceError) as caught:
            self.step(s.application_archive, app, D(2025, 3, 5))
        self.assertEqual(caught.exception.kind, "conflict")
        self.assertIn("已登记", caught.exception.message)
        app.refresh_from_db()
        self.assertEqual((app.status, app.due_on, Event.objects.count()), before)

    def test_dates_cannot_go_backwards_or_into_the_future(self) -> None:
        app = self.register(received_on=D(2025, 3, 3))
        app = self.step(s.application_request_correction, app, D(2025, 3, 6), items="x")
        for on, today in [(D(2025, 3, 5), D(2025, 3, 10)), (D(2025, 3, 11), D(2025, 3, 10))]:
            with self.assertRaises(s.ServiceError) as caught:
                s.application_receive_correction(
                    actor=self.clerk, application=app, on=on, today=today
                )
            self.assertEqual(caught.exception.field, "date")
        self.assertEqual(Event.objects.filter(application=app).count(), 2)

    def test_an_outsider_cannot_act_on_the_office_case(self) -> None:
        app = self.register(received_on=D(2025, 3, 3))
        with self.assertRaises(s.ServiceError) as caught:
            self.step(s.application_withdraw, app, D(2025, 3, 4), self.outsider)
        self.assertEqual(caught.exception.kind, "forbidden")
        with self.assertRaises(s.ServiceError):
            self.step(s.application_withdraw, app, D(2025, 3, 4), self.supervisor)


class AttachmentTests(BaseTestCase):
    def test_a_pdf_is_stored_with_its_hash(self) -> None:
        app = self.register()
        content = b"%PDF-1.4 test"
        att = s.attachment_add(
            actor=self.clerk,
            application=app,
            name="申请书.pdf",
            content=content,
            kind="application",
        )
        import hashlib

        self.assertEqual(att.sha256, hashlib.sha256(content).hexdigest())
        self.assertEqual((att.size, att.content_type), (len(content), "application/pdf"))
        self.assertEqual(att.file.read(), content)

    def test_bad_uploads_are_refused(self) -> None:
        app = self.register()
        bad = [
            ("a.exe", b"MZ", "不支持"),
            ("a.pdf", b"", "为空"),
            ("a.pdf", b"<html>", "不符"),
            ("a.docx", b"PK\x03\x04broken", "损坏"),
        ]
        for name, content, message in bad:
            with self.assertRaises(s.ServiceError) as caught:
                s.attachment_add(
                    actor=self.clerk, application=app, name=name, content=content, kind="other"
                )
            self.assertIn(message, caught.exception.message)
        with self.settings(ATTACHMENT_MAX_BYTES=10):
            with self.assertRaises(s.ServiceError) as caught:
                s.attachment_add(
                    actor=self.clerk,
                    application=app,
                    name="a.pdf",
                    content=b"%PDF" + b"0" * 20,
                    kind="other",
                )
            self.assertIn("过大", caught.exception.message)
        self.assertEqual(app.attachments.count(), 0)
