import datetime as dt
from typing import Any

from django.http import HttpResponse
from django.urls import reverse

from gongkai.cases.models import Application
from gongkai.domain.lifecycle import Status
from tests.web.base import TODAY, WebTestCase


class ActTests(WebTestCase):
    application: Application

    def setUp(self) -> None:
        super().setUp()
        self.application = self.new()

    def act(
        self, action: str, application: Application | None = None, **fields: Any
    ) -> HttpResponse:
        """Submit one action's form as the page does (fields prefixed with the action)."""
        application = application or self.application
        data = {f"{action}-{name}": value for name, value in {"date": TODAY, **fields}.items()}
        return self.client.post(reverse("cases:act", args=[application.pk, action]), data)

    def status(self, application: Application | None = None) -> Status:
        (application or self.application).refresh_from_db()
        return (application or self.application).status_enum

    def assertStep(self, response: HttpResponse, label: str, status: Status) -> None:
        self.assertRedirects(
            response,
            reverse("cases:detail", args=[self.application.pk]),
            fetch_redirect_response=False,
        )
        self.assertContains(self.detail(self.application), f"已办理“{label}”")
        self.assertEqual(self.status(), status)

    def assertRefused(self, response: HttpResponse, message: str) -> None:
        follow = self.client.get(response["Location"]) if response.status_code == 302 else response
        self.assertContains(follow, message, status_code=follow.status_code)

    # ------------------------------------------------------------ every action through the UI

    def test_the_whole_procedure_through_the_forms(self) -> None:
        self.login("clerk")
        self.assertStep(
            self.act("request_correction", items="请写明文件名称", period="15个工作日内"),
            "发出补正通知",
            Status.CORRECTION,
        )
        self.assertStep(self.act("receive_correction"), "收到补正材料", Status.PROCESSING)
        self.assertStep(
            self.act("start_consultation", party="third_party", consulted="某公司"),
            "征求第三方或其他机关意见",
            Status.CONSULTING,
        )
        self.assertStep(
            self.act("end_consultation", opinion="不同意公开"),
            "收到意见（征求结束）",
            Status.PROCESSING,
        )
        self.assertStep(
            self.act("notify_fee", amount=100, method="by_pages"),
            "发出收费通知",
            Status.AWAITING_FEE,
        )
        self.assertStep(self.act("receive_fee"), "已缴费", Status.PROCESSING)
        self.assertStep(
            self.act("propose_reply", outcome="r_partial", legal_basis="", reasons="涉及个人信息"),
            "拟定答复，提交审核",
            Status.REVIEW,
        )
        self.login("reviewer")
        self.assertStep(self.act("extend", reason="需要协调"), "批准延期答复", Status.REVIEW)
        self.assertStep(self.act("return_reply", note="请补充理由"), "退回修改", Status.PROCESSING)
        self.login("clerk")
        self.act("propose_reply", outcome="r_partial", legal_basis="", reasons="涉及个人信息")
        self.login("reviewer")
        self.assertStep(
            self.act("reply", outcome="r_partial", legal_basis=""), "审核通过并答复", Status.REPLIED
        )
        self.login("clerk")
        self.assertStep(
            self.act("deliver", method="mail", tracking_number="EMS123"), "送达", Status.DELIVERED
        )
        self.assertStep(self.act("archive"), "归档", Status.ARCHIVED)
        self.application.refresh_from_db()
        self.assertEqual(self.application.outcome, "r_partial")
        self.assertTrue(self.application.extended)
        self.assertEqual(self.application.archived_on, TODAY)
        self.assertEqual(self.application.events.count(), 14)

    def test_the_closing_actions_through_the_forms(self) -> None:
        self.login("clerk")
        self.act("request_correction", items="请写明文件名称")
        self.assertStep(
            self.act("close_no_correction", note="逾期未补正"),
            "逾期未补正，终止办理",
            Status.CLOSED,
        )
        unpaid = self.step(self.new(), "notify_fee", amount=10, method="by_count")
        self.act("close_no_fee", unpaid)
        self.assertEqual(self.status(unpaid), Status.CLOSED)
        withdrawn = self.new()
        self.act("withdraw", withdrawn, note="申请人来电撤回")
        self.assertEqual(self.status(withdrawn), Status.CLOSED)
        withdrawn.refresh_from_db()
        self.assertEqual(withdrawn.outcome, "r_other_other")

    # ------------------------------------------------------------ refusals change nothing

    def test_an_illegal_step_is_refused_with_a_message_and_changes_nothing(self) -> None:
        self.login("clerk")
        before = self.application.events.count()
        response = self.act("archive")
        self.assertRefused(response, "未能归档：当前状态为“已登记”，不能执行“归档”")
        self.assertEqual(self.status(), Status.REGISTERED)
        self.assertEqual(self.application.events.count(), before)

    def test_a_step_for_another_role_is_refused(self) -> None:
        self.login("clerk")
        response = self.act("reply", outcome="r_open")
        self.assertRefused(response, "“审核通过并答复”须由")
        self.assertEqual(self.status(), Status.REGISTERED)
        self.assertEqual(self.application.outcome, "")

    def test_a_refusal_of_the_service_is_shown(self) -> None:
        self.login("clerk")
        response = self.act("request_correction", items="x", date="2025-03-21")
        self.assertRefused(response, "办理日期不能晚于今天")
        self.step(self.application, "reply", outcome_key="r_open")
        response = self.act("deliver", method="mail", tracking_number="")
        self.assertRefused(response, "邮寄送达请填写邮件单号")
        self.assertEqual(self.status(), Status.REPLIED)

    def test_a_malformed_form_comes_back_with_the_error_on_its_field(self) -> None:
        self.login("clerk")
        response = self.act("request_correction", items="", date="not a date")
        self.assertEqual(response.status_code, 400)
        form = response.context["page"].actions[0].form
        self.assertEqual(set(form.errors), {"items", "date"})
        self.assertContains(
            response,
            '<details class="action" id="action-request_correction" open>',
            status_code=400,
        )
        self.assertEqual(self.status(), Status.REGISTERED)

    def test_the_date_defaults_to_today_and_may_be_earlier(self) -> None:
        self.login("clerk")
        self.act("request_correction", items="请写明文件名称", date="2025-03-05")
        self.assertEqual(self.application.events.last().date, dt.date(2025, 3, 5))  # type: ignore[union-attr]

    # ------------------------------------------------------------ access

    def test_anonymous_users_are_sent_to_the_login_page(self) -> None:
        self.assertRedirectsToLogin(self.act("request_correction", items="x"))

    def test_another_organisation_and_the_supervisor_get_a_404(self) -> None:
        for persona in ("outsider", "supervisor"):
            with self.subTest(persona):
                self.login(persona)
                self.assertEqual(self.act("request_correction", items="x").status_code, 404)
        self.assertEqual(self.status(), Status.REGISTERED)

    def test_an_unknown_action_is_a_404_and_get_is_not_allowed(self) -> None:
        self.login("clerk")
        self.assertEqual(self.act("nonsense").status_code, 404)
        url = reverse("cases:act", args=[self.application.pk, "archive"])
        self.assertEqual(self.client.get(url).status_code, 405)
