"""application_correct: who may correct what, the checks of a registration, the old values kept
in the timeline and the audit log, and the deadlines recomputed.

Deadlines are counted by hand with the 2025 schedule (国办发明电〔2024〕12号): 清明 4/4–4/6."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User

from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.cases import services as s
from gongkai.cases.models import Application, Event
from gongkai.test import VALID_ID, BaseTestCase, use_temporary_media

D = dt.date
MARCH_10 = D(2025, 3, 10)
# Another valid 居民身份证 number (check digit 8 by GB 11643).
OTHER_ID = "110105194912310038"


class CorrectionTests(BaseTestCase):
    def setUp(self) -> None:
        self.app = self.register(received_on=D(2025, 3, 3))

    def correct(self, actor: User | None = None, today: dt.date = MARCH_10,
                reason: str = "据申请书原件更正", **changes: Any) -> Application:  # fmt: skip
        return s.application_correct(
            actor=actor or self.clerk, application=self.app, changes=changes, reason=reason,
            today=today,
        )  # fmt: skip

    def refused(self, kind: str = "invalid", field: str | None = None, **kw: Any) -> str:
        before = list(Application.objects.values())
        events = Event.objects.count()
        with self.assertRaises(s.ServiceError) as caught:
            self.correct(**kw)
        self.assertEqual((caught.exception.kind, caught.exception.field), (kind, field))
        self.assertEqual(list(Application.objects.values()), before)
        self.assertEqual(Event.objects.count(), events)
        self.assertFalse(AuditEntry.objects.filter(action=AuditAction.CORRECT).exists())
        return caught.exception.message

    def test_a_clerk_corrects_a_misspelt_name_and_the_old_value_stays(self) -> None:
        app = self.correct(applicant_name="张珊")
        self.assertEqual(app.applicant_name, "张珊")
        event = app.events.get(action="correct")
        self.assertEqual(event.date, D(2025, 3, 10))
        self.assertEqual((event.actor, event.actor_name), (self.clerk, "clerk"))
        self.assertEqual(event.note, "据申请书原件更正")
        self.assertEqual(event.label, "更正登记信息")
        self.assertEqual(
            event.data,
            {"reason": "据申请书原件更正",
             "changes": {"applicant_name": {"old": "张三", "new": "张珊"}}},
        )  # fmt: skip
        self.assertEqual(app.tracking_no, "WCBGS-2025-0001")

    def test_the_audit_entry_has_the_changes_with_numbers_masked(self) -> None:
        self.correct(id_number=OTHER_ID, phone="13900000000", address="南阳市某路2号")
        entry = AuditEntry.objects.get(action=AuditAction.CORRECT)
        self.assertEqual((entry.user_id, entry.username), (self.clerk.pk, "clerk"))
        self.assertEqual(entry.object_repr, "WCBGS-2025-0001")
        self.assertEqual(entry.organisation, "WCBGS")
        self.assertEqual(entry.detail["reason"], "据申请书原件更正")
        self.assertEqual(
            entry.detail["changes"],
            {
                "id_number": {"old": "1101**********002X", "new": "1101**********0038"},
                "phone": {"old": "1380***0000", "new": "1390***0000"},
                "address": {"old": "", "new": "南阳市某路2号"},
            },
        )
        # The timeline entry keeps the full values: it is the record of what was registered.
        event = Event.objects.get(action="correct")
        self.assertEqual(event.data["changes"]["id_number"], {"old": VALID_ID, "new": OTHER_ID})

    def test_values_are_normalised_as_at_registration(self) -> None:
        app = self.correct(
            id_number="１１０１０５ １９４９１２３１ ００３８", applicant_name="\u200b张珊 "
        )
        self.assertEqual((app.id_number, app.applicant_name), (OTHER_ID, "张珊"))

    def test_a_correction_that_changes_nothing_is_refused(self) -> None:
        self.refused(applicant_name="张三")
        self.refused(applicant_name=" 张三 ", id_number="11010519491231002x")
        self.refused()

    def test_a_reason_is_required(self) -> None:
        message = self.refused(field="reason", reason=" \u200b ", applicant_name="张珊")
        self.assertEqual(message, "请填写更正理由")

    def test_the_corrected_application_must_pass_the_registration_checks(self) -> None:
        self.refused(field="applicant.id_number", id_number="110105194912310021")
        self.refused(field="applicant.name", applicant_name="\u200b\u200d")
        self.refused(field="applicant.phone", phone="")  # no other contact is registered
        self.refused(field="content", content="  ")
        self.refused(field="channel", channel="pigeon", actor=self.reviewer)
        self.refused(field="received_on", received_on=D(1990, 1, 1), actor=self.reviewer)
        self.refused(field="received_on", received_on=D(2025, 3, 11), actor=self.reviewer)
        self.refused(field="received_on", received_on="2025-03-01", actor=self.reviewer)
        self.refused(field="purpose", purpose=3)
        self.refused(field="tracking_no", tracking_no="X-1")

    def test_the_clock_and_the_column_need_a_reviewer(self) -> None:
        for field, value in [("received_on", D(2025, 3, 4)), ("channel", "in_person"),
                             ("applicant_type", "biz")]:  # fmt: skip
            message = self.refused(kind="forbidden", **{field: value})
            self.assertIn("须由审核人、管理员办理", message)

    def test_a_new_receipt_date_recomputes_the_deadlines(self) -> None:
        self.assertEqual(self.app.due_on, D(2025, 3, 31))
        app = self.correct(actor=self.reviewer, received_on=D(2025, 3, 5))
        # From 3/5 (Wed): 3/6–3/7 (2), 3/10–3/14 (7), 3/17–3/21 (12), 3/24–3/28 (17), 4/1–4/2 (20).
        self.assertEqual(app.due_on, D(2025, 4, 2))
        # 7 working days: 3/6–3/7 (2), 3/10–3/14 (7).
        self.assertEqual(app.correction_notice_due, D(2025, 3, 14))
        # The registration entry stays as it was written; the correction says what changed.
        self.assertEqual(app.events.get(action="register").date, D(2025, 3, 3))

    def test_the_receipt_cannot_follow_a_step_taken(self) -> None:
        s.application_request_correction(
            actor=self.clerk, application=self.app, on=D(2025, 3, 5), items="请写明文号",
            today=D(2025, 3, 5),
        )  # fmt: skip
        message = self.refused(field="received_on", actor=self.reviewer, received_on=D(2025, 3, 6))
        self.assertIn("2025-03-05", message)
        app = self.correct(actor=self.reviewer, received_on=D(2025, 3, 5))
        self.assertEqual(app.received_on, D(2025, 3, 5))

    def test_an_old_receipt_date_needs_confirming_when_asked(self) -> None:
        with self.assertRaises(s.ServiceError) as caught:
            s.application_correct(
                actor=self.reviewer, application=self.app, changes={"received_on": D(2024, 12, 2)},
                reason="笔误", today=D(2025, 3, 10), confirm_old_received_on=False,
            )  # fmt: skip
        self.assertEqual(caught.exception.code, s.CONFIRM_RECEIVED_ON)
        self.assertIn("98天", caught.exception.message)
        app = s.application_correct(
            actor=self.reviewer, application=self.app, changes={"received_on": D(2024, 12, 2)},
            reason="笔误", today=D(2025, 3, 10), confirm_old_received_on=True,
        )  # fmt: skip
        self.assertEqual((app.received_on, app.year), (D(2024, 12, 2), 2025))

    def test_a_later_step_may_still_be_dated_before_the_correction(self) -> None:
        self.correct(applicant_name="张珊", today=D(2025, 3, 10))
        app = s.application_request_correction(
            actor=self.clerk, application=self.app, on=D(2025, 3, 5), items="请写明文号",
            today=D(2025, 3, 10),
        )  # fmt: skip
        self.assertEqual(app.status, "correction")

    def test_a_concluded_case_is_corrected_by_a_reviewer_only(self) -> None:
        for step, actor, kw in [
            (s.application_propose_reply, self.clerk, {"outcome_key": "r_open"}),
            (s.application_reply, self.reviewer, {}),
        ]:
            step(actor=actor, application=self.app, on=D(2025, 3, 7), today=D(2025, 3, 7), **kw)
        self.refused(kind="forbidden", applicant_name="张珊")
        app = self.correct(actor=self.reviewer, applicant_name="张珊")
        self.assertEqual(app.status, "replied")

    def test_supervisors_and_outsiders_may_not_correct(self) -> None:
        self.refused(kind="forbidden", actor=self.supervisor, applicant_name="张珊")
        self.refused(kind="forbidden", actor=self.outsider, applicant_name="张珊")


class ActorNameTests(BaseTestCase):
    def setUp(self) -> None:
        use_temporary_media(self)

    def test_deleting_a_user_keeps_his_name_on_the_timeline(self) -> None:
        user = User.objects.create_user("wangwu", first_name="王五")
        self.office.memberships.create(user=user, role="clerk")
        app = s.application_register(
            actor=user, organisation=self.office,
            data=s.Registration(
                s.Applicant("natural", "张三", "resident_id", VALID_ID, phone="13800000000"),
                channel="online", received_on=D(2025, 3, 3), content="某文件",
            ),
            today=D(2025, 3, 3),
        )  # fmt: skip
        s.attachment_add(
            actor=user, application=app, name="申请书.txt", content=b"text", kind="application"
        )
        user.delete()
        event = Event.objects.get(application=app, action="register")
        self.assertIsNone(event.actor)
        self.assertEqual(event.actor_label, "王五（wangwu）")
        attachment = app.attachments.get()
        self.assertEqual(
            (attachment.uploaded_by, attachment.uploader_label), (None, "王五（wangwu）")
        )

    def test_the_migration_names_the_actors_of_older_entries(self) -> None:
        import importlib

        from django.apps import apps

        app = self.register()
        Event.objects.filter(application=app).update(actor_name="")
        migration = importlib.import_module(
            "gongkai.cases.migrations.0003_record_changes_and_actor_names"
        )
        migration.fill_names(apps, None)
        self.assertEqual(Event.objects.get(application=app).actor_name, "clerk")
