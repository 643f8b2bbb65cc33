"""督办: the overview without personal data, 督办通知 (send, answer once, the 工作台 block), the
stalling patterns page. Dates counted by hand (no holiday in Feb–Mar 2025 after 春节):

- received Mon 2025-02-17: 2/18..21 = 4, 2/24..28 = 9, 3/3..7 = 14, 3/10..14 = 19, 3/17 = 20 →
  due 2025-03-17; on TODAY (Thu 3/20) overdue by 3 working days (3/18, 3/19, 3/20);
- received Mon 2025-02-24: due 2025-03-24; on 3/20, 2 working days left (3/21, 3/24);
- received Mon 2025-03-03: due 2025-03-31; 7 working days left: neither list.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Membership, Organisation
from gongkai.audit.models import AuditEntry
from gongkai.cases.services import Applicant, Registration, application_register
from gongkai.domain.lifecycle import Role
from gongkai.supervision.dudan import dudan_overview, stalling_findings
from gongkai.supervision.models import SupervisionNotice
from gongkai.supervision.notices import notice_answer, notice_send
from gongkai.test import VALID_ID
from tests.web.base import TODAY, WebTestCase

D = dt.date
NAME = "欧阳某某"
PHONE = "13912345678"
CONTENT = "请公开某某小区拆迁补偿方案"


class DudanTestCase(WebTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.overdue = self.case(D(2025, 2, 17))
        self.soon = self.case(D(2025, 2, 24))
        self.later = self.case(D(2025, 3, 3))
        self.finance = self.case(D(2025, 2, 17), organisation=self.other, actor=self.outsider)

    def case(self, received: dt.date, organisation: Organisation | None = None, actor=None):  # type: ignore[no-untyped-def]
        return application_register(
            actor=actor or self.clerk,
            organisation=organisation or self.office,
            data=Registration(
                applicant=Applicant("natural", NAME, "resident_id", VALID_ID, phone=PHONE),
                channel="in_person",
                received_on=received,
                content=CONTENT,
            ),
            today=TODAY,
        )

    def send(self, **kw: object) -> SupervisionNotice:
        values: dict[str, object] = {
            "by": self.supervisor,
            "government": self.district,
            "organisation": self.office,
            "subject": "关于加快办理的督办通知",
            "body": "请于期限前办结",
            "reply_by": D(2025, 3, 25),
            "applications": [self.overdue],
            "today": TODAY,
        }
        values.update(kw)
        return notice_send(**values)  # type: ignore[arg-type]

    def assert_no_personal_data(self, html: str) -> None:
        for secret in (NAME, VALID_ID, PHONE, CONTENT, VALID_ID[-6:]):
            self.assertNotIn(secret, html)


class OverviewTests(DudanTestCase):
    def test_the_due_dates_are_as_counted_by_hand(self) -> None:
        self.assertEqual(self.overdue.due_on, D(2025, 3, 17))
        self.assertEqual(self.soon.due_on, D(2025, 3, 24))

    def test_counts_per_organisation_and_rows_nearest_deadline_first(self) -> None:
        data = dudan_overview(user=self.supervisor, root=self.district, today=TODAY)
        counts = {c.organisation.code: (c.overdue, c.soon) for c in data.counts}
        self.assertEqual(counts, {"WCBGS": (1, 1), "WCCZJ": (1, 0)})
        numbers = [r.tracking_no for r in data.rows]
        self.assertEqual(
            numbers[2:], [self.soon.tracking_no]
        )  # the two overdue ones (same due date) first
        self.assertCountEqual(numbers[:2], [self.overdue.tracking_no, self.finance.tracking_no])
        first = next(r for r in data.rows if r.application_id == self.overdue.pk)
        self.assertEqual((first.remaining.overdue, first.remaining.days), (True, 3))
        second = next(r for r in data.rows if r.application_id == self.soon.pk)
        self.assertEqual((second.remaining.overdue, second.remaining.days), (False, 2))

    def test_the_window_widens_with_days(self) -> None:
        data = dudan_overview(user=self.supervisor, root=self.district, today=TODAY, days=7)
        self.assertIn(self.later.pk, [r.application_id for r in data.rows])
        data = dudan_overview(user=self.supervisor, root=self.district, today=TODAY, days=1)
        self.assertNotIn(self.soon.pk, [r.application_id for r in data.rows])

    def test_the_query_count_does_not_grow_with_organisations_or_cases(self) -> None:
        def queries() -> int:
            with CaptureQueriesContext(connection) as captured:
                dudan_overview(user=self.supervisor, root=self.district, today=TODAY)
            return len(captured)

        before = queries()
        for i in range(4):
            org = Organisation.objects.create(
                code=f"WCX{i}", name=f"宛城区某局{i}", kind="department", parent=self.district
            )
            Membership.objects.create(user=self.outsider, organisation=org, role=Role.CLERK)
            for day in (17, 18, 24):
                self.case(D(2025, 2, day), organisation=org, actor=self.outsider)
        self.assertEqual(queries(), before)

    def test_the_rows_load_no_personal_column(self) -> None:
        with CaptureQueriesContext(connection) as captured:
            dudan_overview(user=self.supervisor, root=self.district, today=TODAY)
        sql = " ".join(
            q["sql"] for q in captured.captured_queries if '"cases_application"' in q["sql"]
        )
        self.assertIn('"cases_application"."tracking_no"', sql)
        for column in ("applicant_name", "id_number", "phone", "address", "content", "email"):
            self.assertNotIn(f'"cases_application"."{column}"', sql)

    def test_the_page_shows_no_personal_data(self) -> None:
        self.login("supervisor")
        response = self.client.get(reverse("supervision:dudan", args=["WCQ"]))
        html = response.content.decode()
        self.assertContains(response, self.overdue.tracking_no)
        self.assertContains(response, "宛城区财政局")
        self.assertContains(response, "已逾期3个工作日")
        self.assert_no_personal_data(html)
        # The supervisor reads the case pages already (read-only), so the numbers are links.
        self.assertIn(reverse("cases:detail", args=[self.overdue.pk]), html)

    def test_one_organisation_with_the_send_form(self) -> None:
        self.login("supervisor")
        url = reverse("supervision:dudan", args=["WCQ"])
        html = self.client.get(url, {"org": "WCBGS"}).content.decode()
        self.assertIn(self.soon.tracking_no, html)
        self.assertNotIn(self.finance.tracking_no, html)
        self.assertIn('name="app"', html)

    def test_a_clerk_an_outsider_and_another_government_get_404(self) -> None:
        url = reverse("supervision:dudan", args=["WCQ"])
        for persona in ("clerk", "outsider"):
            self.login(persona)
            self.assertEqual(self.client.get(url).status_code, 404)
        Organisation.objects.create(code="XYQ", name="西峡县人民政府", kind="government")
        self.login("supervisor")
        self.assertEqual(self.client.get(url, {"org": "XYQ"}).status_code, 404)
        self.assertEqual(
            self.client.get(reverse("supervision:dudan", args=["XYQ"])).status_code, 404
        )

    def test_anonymous_users_go_to_the_login_page(self) -> None:
        response = self.client.get(reverse("supervision:dudan", args=["WCQ"]))
        self.assertEqual(response.status_code, 302)


class NoticeServiceTests(DudanTestCase):
    def test_a_supervisor_sends_a_notice_audited(self) -> None:
        notice = self.send()
        self.assertEqual(notice.organisation, self.office)
        self.assertEqual(list(notice.applications.all()), [self.overdue])
        self.assertEqual(notice.sent_by, self.supervisor)
        self.assertEqual(notice.state(TODAY), SupervisionNotice.State.WAITING)
        self.assertEqual(notice.state(D(2025, 3, 26)), SupervisionNotice.State.LATE)
        entry = AuditEntry.objects.get(object_type="supervision.SupervisionNotice")
        self.assertEqual((entry.username, entry.organisation), ("supervisor", "WCBGS"))

    def test_only_a_supervisor_of_a_government_above_may_send(self) -> None:
        for kw in (
            {"by": self.clerk},
            {"by": self.outsider, "organisation": self.other, "applications": []},
        ):
            with self.assertRaises(ServiceError) as caught:
                self.send(**kw)
            self.assertEqual(caught.exception.kind, "forbidden")
        far = Organisation.objects.create(code="XYQ", name="西峡县人民政府", kind="government")
        with self.assertRaises(ServiceError):
            self.send(organisation=far, applications=[])
        self.assertFalse(SupervisionNotice.objects.exists())

    def test_the_applications_must_be_the_organisations(self) -> None:
        with self.assertRaisesMessage(ServiceError, self.finance.tracking_no):
            self.send(applications=[self.overdue, self.finance])
        self.assertFalse(SupervisionNotice.objects.exists())

    def test_subject_body_and_reply_date_are_checked(self) -> None:
        for kw, field in (
            ({"subject": " "}, "subject"),
            ({"body": ""}, "body"),
            ({"reply_by": D(2025, 3, 19)}, "reply_by"),
        ):
            with self.assertRaises(ServiceError) as caught:
                self.send(**kw)
            self.assertEqual(caught.exception.field, field)
        self.assertFalse(SupervisionNotice.objects.exists())

    def test_an_acting_user_of_the_organisation_answers_once(self) -> None:
        notice = self.send()
        notice_answer(by=self.clerk, notice=notice, answer="已于3月20日答复申请人")
        self.assertEqual(notice.state(TODAY), SupervisionNotice.State.ANSWERED)
        self.assertEqual(notice.answered_by, self.clerk)
        with self.assertRaises(ServiceError) as caught:
            notice_answer(by=self.reviewer, notice=notice, answer="再次回复")
        self.assertEqual(caught.exception.kind, "conflict")
        notice.refresh_from_db()
        self.assertEqual((notice.answer, notice.answered_by), ("已于3月20日答复申请人", self.clerk))
        self.assertEqual(
            AuditEntry.objects.filter(object_type="supervision.SupervisionNotice").count(), 2
        )

    def test_the_supervisor_and_outsiders_do_not_answer_and_empty_answers_are_refused(self) -> None:
        notice = self.send()
        for user in (self.supervisor, self.outsider):
            with self.assertRaises(ServiceError) as caught:
                notice_answer(by=user, notice=notice, answer="好")
            self.assertEqual(caught.exception.kind, "forbidden")
        with self.assertRaises(ServiceError) as caught:
            notice_answer(by=self.clerk, notice=notice, answer="   ")
        self.assertEqual(caught.exception.field, "answer")
        notice.refresh_from_db()
        self.assertIsNone(notice.answered_at)


class NoticePageTests(DudanTestCase):
    def test_the_send_form_is_prefilled_and_sends(self) -> None:
        self.login("supervisor")
        url = reverse("supervision:dudan_send", args=["WCQ"])
        page = self.client.get(url, {"org": "WCBGS", "app": [self.overdue.pk]})
        self.assertContains(page, self.overdue.tracking_no)
        self.assertContains(page, "2025-03-25")  # 3 working days after 3/20: 3/21, 3/24, 3/25
        self.assert_no_personal_data(page.content.decode())
        response = self.client.post(
            url,
            {
                "org": "WCBGS",
                "app": [self.overdue.pk, self.soon.pk],
                "subject": "督办",
                "body": "请抓紧办理",
                "reply_by": "2025-03-25",
            },
        )
        notice = SupervisionNotice.objects.get()
        self.assertRedirects(response, reverse("supervision:dudan_notice", args=[notice.pk]))
        self.assertCountEqual(notice.applications.all(), [self.overdue, self.soon])

    def test_a_clerk_cannot_send(self) -> None:
        self.login("clerk")
        url = reverse("supervision:dudan_send", args=["WCQ"])
        self.assertEqual(self.client.get(url, {"org": "WCBGS"}).status_code, 404)

    def test_the_notice_page_per_viewer(self) -> None:
        notice = self.send()
        url = reverse("supervision:dudan_notice", args=[notice.pk])
        self.login("outsider")
        self.assertEqual(self.client.get(url).status_code, 404)
        self.login("supervisor")
        page = self.client.get(url)
        self.assertContains(page, "请于期限前办结")
        self.assertNotContains(page, 'name="answer"')
        self.assert_no_personal_data(page.content.decode())
        self.login("clerk")
        self.assertContains(self.client.get(url), 'name="answer"')
        response = self.client.post(url, {"answer": "已办结"})
        self.assertRedirects(response, url)
        self.assertContains(self.client.get(url), "已办结")
        self.assertNotContains(self.client.get(url), 'name="answer"')

    def test_an_organisation_sees_only_its_own_notices(self) -> None:
        self.send(subject="给办公室的督办通知")
        self.send(
            subject="给财政局的督办通知", organisation=self.other, applications=[self.finance]
        )
        self.login("outsider")
        page = self.client.get(reverse("supervision:dudan_mine")).content.decode()
        self.assertIn("给财政局的督办通知", page)
        self.assertNotIn("给办公室的督办通知", page)

    def test_the_sent_list_shows_each_state(self) -> None:
        answered = self.send(subject="已回复的")
        notice_answer(by=self.clerk, notice=answered, answer="已办")
        self.send(subject="等待回复的")
        late = self.send(subject="逾期的", reply_by=TODAY)
        SupervisionNotice.objects.filter(pk=late.pk).update(reply_by=D(2025, 3, 19))
        self.login("supervisor")
        page = self.client.get(reverse("supervision:dudan_sent", args=["WCQ"])).content.decode()
        for text in ("已回复", "待回复", "逾期未回复"):
            self.assertIn(text, page)


class DashboardBlockTests(DudanTestCase):
    def test_the_notice_stands_on_the_dashboard_until_answered(self) -> None:
        notice = self.send(subject="请加快办理逾期申请")
        self.login("clerk")
        dashboard = reverse("cases:dashboard")
        self.assertContains(self.client.get(dashboard), "请加快办理逾期申请")
        self.login("outsider")
        self.assertNotContains(self.client.get(dashboard), "请加快办理逾期申请")
        notice_answer(by=self.reviewer, notice=notice, answer="已答复")
        self.login("clerk")
        self.assertNotContains(self.client.get(dashboard), "请加快办理逾期申请")


class StallingTests(DudanTestCase):
    def test_a_late_reply_and_an_extension_without_reason_are_found(self) -> None:
        # The overdue case (due 3/17) is replied on 3/20: late. An unexplained extension is
        # written straight into the timeline (the service asks for a reason; imports may not).
        self.step(self.overdue, "reply", outcome_key="r_open")
        self.soon.events.create(action="extend", date=D(2025, 3, 10), note="", data={})
        found = stalling_findings(self.office, 2025)
        got = [(f.tracking_no, f.pattern, f.date, f.due) for f in found]
        self.assertEqual(
            got,
            [
                (self.soon.tracking_no, "extension_without_reason", D(2025, 3, 10), None),
                (self.overdue.tracking_no, "late_reply", D(2025, 3, 20), D(2025, 3, 17)),
            ],
        )
        self.assertEqual(stalling_findings(self.office, 2024), [])
        self.login("supervisor")
        page = self.client.get(reverse("supervision:dudan_stalling", args=["WCQ"]), {"year": 2025})
        self.assertContains(page, "逾期答复")
        self.assertContains(page, "延期未载明理由")
        self.assert_no_personal_data(page.content.decode())
        url = reverse("supervision:dudan_stalling", args=["WCQ"])
        other = self.client.get(url, {"year": 2025, "org": "WCCZJ"})
        self.assertNotContains(other, self.overdue.tracking_no)
        self.assertContains(other, "宛城区财政局2025年没有发现拖延迹象")

    def test_late_and_last_minute_steps_through_the_services(self) -> None:
        # later: received 3/3, 补正 due 3/12; a notice on 3/13 is late.
        self.step(self.later, "request_correction", on=D(2025, 3, 13), items="请写明文件名称")
        # soon: due 3/24; an extension on 3/19 leaves 3/20, 3/21, 3/24 = 3 working days.
        self.step(self.soon, "extend", on=D(2025, 3, 19), reason="需协调多个科室")
        # overdue: due 3/17; replied 3/17, on the day: in time, not even a candidate.
        self.step(self.overdue, "reply", on=D(2025, 3, 17), outcome_key="r_open")
        got = [
            (f.tracking_no, f.pattern, f.date, f.due) for f in stalling_findings(self.office, 2025)
        ]
        self.assertEqual(
            got,
            [
                (self.later.tracking_no, "late_correction", D(2025, 3, 13), D(2025, 3, 12)),
                (self.soon.tracking_no, "last_minute_extension", D(2025, 3, 19), D(2025, 3, 24)),
            ],
        )

    def test_the_stalling_page_is_the_supervisors(self) -> None:
        self.login("clerk")
        url = reverse("supervision:dudan_stalling", args=["WCQ"])
        self.assertEqual(self.client.get(url).status_code, 404)
