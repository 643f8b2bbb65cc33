"""Notices to the applicant (issue 14 §5): e-mail and SMS at receipt, 补正, fee, extension and
reply, each recorded on the timeline; nothing for a rolled-back step, a ledger import or history."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.test import override_settings

from gongkai.cases import services as s
from gongkai.cases.applicant_notices import NOTICE, MemorySmsBackend
from gongkai.cases.models import Application, Event
from gongkai.cases.selectors.application import _event_details
from gongkai.cases.services import Applicant, Registration
from gongkai.test import VALID_ID, BaseTestCase

D = dt.date
RECEIVED = D(2025, 3, 3)
SMS = "gongkai.cases.applicant_notices.MemorySmsBackend"


class NoticeTests(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        MemorySmsBackend.outbox.clear()

    def registered(
        self, *, email: str = "zhang@example.com", phone: str = "13800000000", on: D = RECEIVED
    ) -> Application:
        data = Registration(
            Applicant("natural", "张三", "resident_id", VALID_ID, phone=phone, email=email),
            "online",
            on,
            "请公开2024年某项目的批复文件",
        )
        with self.captureOnCommitCallbacks(execute=True):
            return s.application_register(
                actor=self.clerk, organisation=self.office, data=data, today=on
            )

    def notices(self, app: Application) -> list[Event]:
        return list(app.events.filter(action=NOTICE).order_by("id"))

    def test_registration_sends_the_receipt_by_email_and_records_it(self) -> None:
        app = self.registered()
        [message] = mail.outbox
        self.assertEqual(message.to, ["zhang@example.com"])
        self.assertEqual(message.subject, f"您的政府信息公开申请（编号{app.tracking_no}）已登记")
        # 2025-03-03 + 20 working days, no holiday in March 2025: 2025-03-31.
        self.assertIn("本机关将在2025年3月31日前答复", message.body)
        [entry] = self.notices(app)
        self.assertEqual(entry.date, D(2025, 3, 3))
        self.assertEqual(entry.note, message.subject)
        # (PostgreSQL's jsonb keeps its own key order: the details as a set.)
        self.assertCountEqual(
            _event_details(entry), [("方式", "电子邮件"), ("发送至", "z***@example.com")]
        )

    @override_settings(GONGKAI_SMS_BACKEND=SMS)
    def test_a_configured_sms_backend_also_sends_a_short_text(self) -> None:
        app = self.registered(email="")
        self.assertEqual(mail.outbox, [])
        [(phone, text)] = MemorySmsBackend.outbox
        self.assertEqual(phone, "13800000000")
        self.assertEqual(
            text, f"【宛城区人民政府办公室】您的政府信息公开申请（编号{app.tracking_no}）已登记"
        )
        [entry] = self.notices(app)
        self.assertEqual(entry.data["to"], "138****0000")

    def test_correction_extension_and_reply_are_each_notified(self) -> None:
        app = self.registered()
        steps = [
            (s.application_request_correction, D(2025, 3, 5), {"items": "请写明文件名称"}),
            (s.application_receive_correction, D(2025, 3, 7), {}),
            (s.application_extend, D(2025, 3, 20), {"reason": "需要检索"}),
            (s.application_reply, D(2025, 3, 25), {"outcome_key": "r_open"}),
        ]
        for service, on, kwargs in steps:
            actor = self.clerk if "correction" in service.__name__ else self.reviewer
            with self.captureOnCommitCallbacks(execute=True):
                app = service(actor=actor, application=app, on=on, today=on, **kwargs)
        subjects = [m.subject for m in mail.outbox]
        number = app.tracking_no
        self.assertEqual(
            subjects,
            [
                f"您的政府信息公开申请（编号{number}）已登记",
                f"请补正您的政府信息公开申请（编号{number}）",
                f"您的政府信息公开申请（编号{number}）答复期限已延长",
                f"您的政府信息公开申请（编号{number}）已答复",
            ],
        )
        self.assertIn("已于2025年3月25日对您的政府信息公开申请", mail.outbox[-1].body)
        self.assertEqual(
            [e.date for e in self.notices(app)],
            [D(2025, 3, 3), D(2025, 3, 5), D(2025, 3, 20), D(2025, 3, 25)],
        )

    def test_no_address_no_notice(self) -> None:
        app = self.registered(email="")
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.notices(app), [])

    def test_history_entered_late_is_not_notified(self) -> None:
        data = Registration(
            Applicant("natural", "张三", "resident_id", VALID_ID, email="zhang@example.com"),
            "online",
            D(2025, 1, 6),
            "请公开某文件",
        )
        with self.captureOnCommitCallbacks(execute=True):
            app = s.application_register(
                actor=self.clerk, organisation=self.office, data=data, today=D(2025, 3, 3)
            )
        self.assertEqual(mail.outbox, [])
        self.assertEqual(self.notices(app), [])

    def test_a_step_that_fails_sends_nothing(self) -> None:
        app = self.registered()
        mail.outbox.clear()
        with self.captureOnCommitCallbacks(execute=True), self.assertRaises(s.ServiceError):
            s.application_reply(
                actor=self.clerk,
                application=app,
                on=D(2025, 3, 5),
                outcome_key="r_open",
                today=D(2025, 3, 5),
            )  # fmt: skip  (a clerk may not reply)
        self.assertEqual(mail.outbox, [])

    @override_settings(EMAIL_BACKEND="tests.cases.test_applicant_notices.BrokenBackend")
    def test_a_failed_email_is_recorded_and_the_step_stands(self) -> None:
        app = self.registered()
        [entry] = self.notices(app)
        self.assertTrue(entry.note.startswith("发送失败："))
        self.assertIn("SMTP 服务器无响应", entry.data["error"])
        self.assertEqual(app.status, "registered")

    def test_a_notice_does_not_block_a_step_dated_before_it(self) -> None:
        app = self.registered(on=RECEIVED)
        with self.captureOnCommitCallbacks(execute=True):
            app = s.application_request_correction(
                actor=self.clerk, application=app, on=D(2025, 3, 6), items="请写明文件名称",
                today=D(2025, 3, 6),
            )  # fmt: skip
        # A step recorded late, dated between the two notices, is still accepted.
        s.application_receive_correction(
            actor=self.clerk, application=app, on=D(2025, 3, 6), today=D(2025, 3, 10)
        )


class BrokenBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise OSError("SMTP 服务器无响应")
