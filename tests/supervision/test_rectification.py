"""整改: services (who, transitions, nothing changed on refusal, the log, the audit) and pages
(access per side, overdue tasks standing out, the prefilled new-task form, the 工作台 block)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Membership, Organisation
from gongkai.audit.models import AuditEntry
from gongkai.domain.lifecycle import Role
from gongkai.supervision.models import RectificationStep, RectificationTask
from gongkai.supervision.rectification import (
    TaskInput,
    rectification_answer,
    rectification_close,
    rectification_confirm,
    rectification_open,
    rectification_return,
    rectification_withdraw,
)
from tests.web.base import TODAY, WebTestCase

D = dt.date
DEADLINE = D(2025, 3, 31)


class RectificationTestCase(WebTestCase):
    def open(self, *, assign: bool = True, **kw: Any) -> RectificationTask:
        data = {
            "organisation": self.office,
            "source_kind": "scorecard",
            "title": "2024年逾期答复2件",
            "detail": "请查明原因，完善审批流程",
            "source_ref": "deduction:overdue_reply:2024",
            "source_url": "/supervision/score/WCQ/2024/",
            "deadline": DEADLINE,
        }
        data.update(kw)
        return rectification_open(
            by=self.supervisor,
            government=self.district,
            data=TaskInput(**data),
            assign=assign,
            today=TODAY,
        )

    def snapshot(self, task: RectificationTask) -> tuple[Any, ...]:
        task.refresh_from_db()
        return (task.status, task.deadline, task.steps.count())


class ServiceTests(RectificationTestCase):
    def test_the_whole_loop_with_its_log_and_audit(self) -> None:
        task = self.open(assign=False)
        self.assertEqual(task.status, "found")
        rectification_confirm(by=self.supervisor, task=task, deadline=DEADLINE, today=TODAY)
        rectification_answer(by=self.clerk, task=task, answer="已修订办理流程")
        rectification_return(
            by=self.supervisor,
            task=task,
            reason="未附修订后的流程",
            deadline=D(2025, 4, 10),
            today=TODAY,
        )
        self.assertEqual((task.status, task.deadline), ("returned", D(2025, 4, 10)))
        rectification_answer(by=self.reviewer, task=task, answer="已补充流程文件")
        rectification_close(by=self.supervisor, task=task, note="复核通过")
        self.assertEqual(task.status, "closed")
        steps = list(task.steps.values_list("action", "status_after", "actor__username", "note"))
        self.assertEqual(
            steps,
            [
                ("open", "found", "supervisor", ""),
                ("confirm", "assigned", "supervisor", ""),
                ("answer", "answered", "clerk", "已修订办理流程"),
                ("return", "returned", "supervisor", "未附修订后的流程"),
                ("answer", "answered", "reviewer", "已补充流程文件"),
                ("close", "closed", "supervisor", "复核通过"),
            ],
        )
        self.assertEqual(
            AuditEntry.objects.filter(object_type="supervision.RectificationTask").count(), 6
        )

    def test_open_and_assign_at_once(self) -> None:
        task = self.open()
        self.assertEqual(task.status, "assigned")
        self.assertEqual(list(task.steps.values_list("action", flat=True)), ["open", "confirm"])

    def test_only_a_supervisor_of_the_government_opens(self) -> None:
        for user in (self.clerk, self.outsider):
            with self.assertRaises(ServiceError) as caught:
                rectification_open(
                    by=user,
                    government=self.district,
                    data=TaskInput(organisation=self.office, source_kind="note", title="x"),
                )
            self.assertEqual(caught.exception.kind, "forbidden")
        far = Organisation.objects.create(code="XYQ", name="西峡县人民政府", kind="government")
        with self.assertRaises(ServiceError):
            self.open(organisation=far)
        self.assertFalse(RectificationTask.objects.exists())

    def test_open_checks_its_input(self) -> None:
        for kw, field in (
            ({"title": " "}, "title"),
            ({"source_kind": "rumour"}, "source_kind"),
            ({"source_url": "https://example.com/x"}, "source_url"),
            ({"source_url": "//example.com/x"}, "source_url"),
            ({"source_url": "/\\example.com/x"}, "source_url"),
            ({"source_url": "javascript:alert(1)"}, "source_url"),
            ({"deadline": None}, "deadline"),  # assigning needs a deadline
            ({"deadline": D(2025, 3, 19)}, "deadline"),
        ):
            with self.assertRaises(ServiceError) as caught:
                self.open(**kw)
            self.assertEqual(caught.exception.field, field, kw)
        self.assertFalse(RectificationTask.objects.exists())
        self.assertFalse(RectificationStep.objects.exists())

    def test_the_organisation_answers_the_supervisor_decides(self) -> None:
        task = self.open()
        before = self.snapshot(task)
        for call in (
            lambda: rectification_answer(by=self.supervisor, task=task, answer="代为反馈"),
            lambda: rectification_answer(by=self.outsider, task=task, answer="不是本单位的"),
            lambda: rectification_withdraw(by=self.clerk, task=task, reason="不同意"),
        ):
            with self.assertRaises(ServiceError) as caught:
                call()
            self.assertEqual(caught.exception.kind, "forbidden")
            self.assertEqual(self.snapshot(task), before)
        rectification_answer(by=self.clerk, task=task, answer="已整改")
        before = self.snapshot(task)
        with self.assertRaises(ServiceError) as caught:
            rectification_close(by=self.admin, task=task)
        self.assertEqual(caught.exception.kind, "forbidden")
        self.assertEqual(self.snapshot(task), before)

    def test_illegal_transitions_change_nothing(self) -> None:
        task = self.open()  # assigned
        before = self.snapshot(task)
        for call in (
            lambda: rectification_close(by=self.supervisor, task=task),
            lambda: rectification_return(by=self.supervisor, task=task, reason="未整改"),
            lambda: rectification_confirm(by=self.supervisor, task=task, deadline=DEADLINE),
        ):
            with self.assertRaises(ServiceError) as caught:
                call()
            self.assertEqual(caught.exception.kind, "conflict")
            self.assertEqual(self.snapshot(task), before)
        rectification_answer(by=self.clerk, task=task, answer="已整改")
        rectification_close(by=self.supervisor, task=task)
        before = self.snapshot(task)
        for call in (
            lambda: rectification_answer(by=self.clerk, task=task, answer="补充"),
            lambda: rectification_withdraw(by=self.supervisor, task=task, reason="撤销"),
        ):
            with self.assertRaises(ServiceError):
                call()
            self.assertEqual(self.snapshot(task), before)

    def test_notes_required_for_answer_return_and_withdraw(self) -> None:
        task = self.open()
        with self.assertRaises(ServiceError) as caught:
            rectification_answer(by=self.clerk, task=task, answer="  ")
        self.assertEqual(caught.exception.field, "note")
        rectification_answer(by=self.clerk, task=task, answer="已整改")
        before = self.snapshot(task)
        for call in (
            lambda: rectification_return(by=self.supervisor, task=task, reason=""),
            lambda: rectification_withdraw(by=self.supervisor, task=task, reason=""),
        ):
            with self.assertRaises(ServiceError):
                call()
            self.assertEqual(self.snapshot(task), before)

    def test_overdue(self) -> None:
        task = self.open()
        self.assertFalse(task.overdue(DEADLINE))
        self.assertTrue(task.overdue(DEADLINE + dt.timedelta(days=1)))
        rectification_answer(by=self.clerk, task=task, answer="已整改")
        self.assertFalse(task.overdue(DEADLINE + dt.timedelta(days=1)))


class PageTests(RectificationTestCase):
    def test_the_new_task_form_takes_its_prefill_from_the_query(self) -> None:
        self.login("supervisor")
        url = reverse("supervision:rectification_new", args=["WCQ"])
        page = self.client.get(
            url,
            {
                "source_kind": "scorecard",
                "source_ref": "deduction:overdue_reply:2024",
                "source_url": "/supervision/score/WCQ/2024/",
                "organisation": "WCBGS",
                "title": "逾期答复扣6分",
                "detail": "WCBGS-2024-0003 逾期答复",
            },
        )
        html = page.content.decode()
        self.assertIn('value="deduction:overdue_reply:2024"', html)
        self.assertIn('value="逾期答复扣6分"', html)
        self.assertIn('<option value="WCBGS" selected>', html)
        self.assertIn('<option value="scorecard" selected>', html)
        self.assertIn("WCBGS-2024-0003 逾期答复", html)
        response = self.client.post(
            url,
            {
                "organisation": "WCBGS",
                "source_kind": "scorecard",
                "title": "逾期答复扣6分",
                "detail": "",
                "source_ref": "deduction:overdue_reply:2024",
                "source_url": "/supervision/score/WCQ/2024/",
                "deadline": "2025-03-31",
                "assign": "on",
            },
        )
        task = RectificationTask.objects.get()
        self.assertRedirects(response, reverse("supervision:rectification_task", args=[task.pk]))
        self.assertEqual(
            (task.status, task.organisation, task.deadline), ("assigned", self.office, DEADLINE)
        )

    def test_a_prefilled_link_elsewhere_is_not_shown_as_a_link(self) -> None:
        self.login("supervisor")
        url = reverse("supervision:rectification_new", args=["WCQ"])
        for bad in ("javascript:alert(1)", "//evil.example/x", "https://evil.example/"):
            html = self.client.get(url, {"source_url": bad}).content.decode()
            self.assertNotIn('href="' + bad, html)
            self.assertNotIn("查看来源", html)
        html = self.client.get(url, {"source_url": "/supervision/"}).content.decode()
        self.assertIn('<a href="/supervision/">查看来源</a>', html)

    def test_the_form_refuses_an_organisation_outside_the_government(self) -> None:
        Organisation.objects.create(code="XYQ", name="西峡县人民政府", kind="government")
        self.login("supervisor")
        url = reverse("supervision:rectification_new", args=["WCQ"])
        page = self.client.post(url, {"organisation": "XYQ", "source_kind": "note", "title": "x"})
        self.assertEqual(page.status_code, 200)
        self.assertFalse(RectificationTask.objects.exists())

    def test_the_list_makes_overdue_tasks_stand_out(self) -> None:
        late = self.open(title="逾期未反馈的任务", deadline=TODAY)
        RectificationTask.objects.filter(pk=late.pk).update(deadline=D(2025, 3, 19))
        self.open(title="按期的任务")
        self.login("supervisor")
        url = reverse("supervision:rectification_list", args=["WCQ"])
        html = self.client.get(url).content.decode()
        self.assertIn("1项整改任务已超过整改期限", html)
        self.assertLess(html.index("逾期未反馈的任务"), html.index("按期的任务"))
        self.assertIn('<tr class="overdue">', html)
        only = self.client.get(url, {"status": "overdue"}).content.decode()
        self.assertIn("逾期未反馈的任务", only)
        self.assertNotIn("按期的任务", only)

    def test_access_per_side(self) -> None:
        task = self.open()
        draft = self.open(assign=False, title="尚未交办")
        mine = self.open(organisation=self.other, title="财政局的任务")
        page = lambda pk: self.client.get(reverse("supervision:rectification_task", args=[pk]))  # noqa: E731
        self.login("outsider")
        self.assertEqual(page(task.pk).status_code, 404)
        self.assertEqual(page(mine.pk).status_code, 200)
        listing = self.client.get(reverse("supervision:rectification_mine")).content.decode()
        self.assertIn("财政局的任务", listing)
        self.assertNotIn("2024年逾期答复2件", listing)
        self.assertEqual(
            self.client.get(reverse("supervision:rectification_list", args=["WCQ"])).status_code,
            404,
        )
        self.login("clerk")
        self.assertEqual(page(draft.pk).status_code, 404)  # a draft stays with the office
        html = page(task.pk).content.decode()
        self.assertIn("反馈整改情况", html)
        self.assertNotIn("复核通过，销号", html)
        self.login("supervisor")
        html = page(task.pk).content.decode()
        self.assertNotIn(
            'action="' + reverse("supervision:rectification_act", args=[task.pk, "answer"]), html
        )
        self.assertIn("撤销", html)

    def test_a_plain_supervisor_of_a_department_is_no_party(self) -> None:
        task = self.open()
        Membership.objects.create(
            user=self.outsider, organisation=self.office, role=Role.SUPERVISOR
        )
        self.login("outsider")
        self.assertEqual(
            self.client.get(reverse("supervision:rectification_task", args=[task.pk])).status_code,
            404,
        )

    def test_the_organisation_answers_and_the_supervisor_closes_through_the_pages(self) -> None:
        task = self.open()
        act = lambda action: reverse("supervision:rectification_act", args=[task.pk, action])  # noqa: E731
        self.login("clerk")
        self.assertContains(self.client.get(reverse("cases:dashboard")), "2024年逾期答复2件")
        self.client.post(act("close"), {"note": "自己销号"})  # forbidden
        task.refresh_from_db()
        self.assertEqual(task.status, "assigned")
        self.client.post(act("answer"), {"note": "已建立超期预警"})
        task.refresh_from_db()
        self.assertEqual(task.status, "answered")
        self.assertNotContains(self.client.get(reverse("cases:dashboard")), "2024年逾期答复2件")
        self.login("supervisor")
        self.client.post(act("return"), {"note": "请附制度文件", "deadline": "2025-04-15"})
        task.refresh_from_db()
        self.assertEqual((task.status, task.deadline), ("returned", D(2025, 4, 15)))
        self.login("clerk")
        self.assertContains(self.client.get(reverse("cases:dashboard")), "2024年逾期答复2件")
        self.client.post(act("answer"), {"note": "已附制度文件"})
        self.login("supervisor")
        self.client.post(act("close"), {"note": "复核通过"})
        task.refresh_from_db()
        self.assertEqual(task.status, "closed")
        html = self.client.get(
            reverse("supervision:rectification_task", args=[task.pk])
        ).content.decode()
        for text in ("已建立超期预警", "请附制度文件", "已附制度文件", "复核通过", "已销号"):
            self.assertIn(text, html)

    def test_the_home_card_counts_open_overdue_and_answered_tasks(self) -> None:
        late = self.open(title="逾期的")
        RectificationTask.objects.filter(pk=late.pk).update(deadline=D(2025, 3, 19))
        answered = self.open(title="已反馈的")
        rectification_answer(by=self.clerk, task=answered, answer="已整改")
        closed = self.open(title="已销号的")
        rectification_answer(by=self.clerk, task=closed, answer="已整改")
        rectification_close(by=self.supervisor, task=closed)
        self.login("supervisor")
        html = self.client.get(reverse("supervision:home")).content.decode()
        self.assertIn("2项，1项待复核", html)
        self.assertIn('<span class="sub due overdue">1项</span>', html)

    def test_an_unknown_action_is_404(self) -> None:
        task = self.open()
        self.login("supervisor")
        url = reverse("supervision:rectification_act", args=[task.pk, "delete"])
        self.assertEqual(self.client.post(url).status_code, 404)
