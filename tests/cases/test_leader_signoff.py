"""The optional third step of the sign-off chain (issue 14 §1, decision RV-3): where an
organisation requires it, the 审核人 approves (待签批) and the 分管领导 signs and issues the reply
or sends it back; nobody skips the step, and elsewhere the step is not offered."""

from __future__ import annotations

import io

import docx
from django.contrib.auth import get_user_model
from django.urls import reverse

from gongkai.accounts.models import Membership
from gongkai.cases.models import Application
from gongkai.cases.selectors import CaseList
from gongkai.cases.services import ServiceError
from gongkai.domain.lifecycle import Action, Role, Status, sign_off_allows
from gongkai.test import PASSWORD
from tests.web.base import TODAY, WebTestCase

REASONS = "涉及第三方个人信息的部分不予公开。"


class SignOffRuleTests(WebTestCase):
    def test_the_rule_as_data(self) -> None:
        self.assertFalse(sign_off_allows(Action.APPROVE, Status.REVIEW, leader_required=False))
        self.assertTrue(sign_off_allows(Action.APPROVE, Status.REVIEW, leader_required=True))
        self.assertFalse(sign_off_allows(Action.REPLY, Status.REVIEW, leader_required=True))
        self.assertTrue(sign_off_allows(Action.REPLY, Status.SIGNOFF, leader_required=True))
        self.assertTrue(sign_off_allows(Action.REPLY, Status.REVIEW, leader_required=False))


class LeaderSignOffTests(WebTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.office.leader_signoff = True
        self.office.save()
        self.leader = get_user_model().objects.create_user(
            "leader", password=PASSWORD, first_name="赵领导"
        )
        Membership.objects.create(user=self.leader, organisation=self.office, role=Role.LEADER)

    def proposed(self) -> Application:
        return self.step(
            self.new(), "propose_reply", actor=self.clerk, outcome_key="r_partial", reasons=REASONS
        )

    def test_the_reviewer_cannot_issue_and_approves_instead(self) -> None:
        case = self.proposed()
        with self.assertRaises(ServiceError) as refused:
            self.step(case, "reply")
        self.assertIn("须经分管领导签批", refused.exception.message)
        case.refresh_from_db()
        self.assertEqual(case.status, Status.REVIEW)
        case = self.step(case, "approve", note="同意，呈领导签批")
        self.assertEqual(case.status, Status.SIGNOFF)
        with self.assertRaises(ServiceError):
            self.step(case, "reply")  # still not the reviewer's: 须由分管领导、管理员办理
        case = self.step(case, "reply", actor=self.leader)
        self.assertEqual(case.status, Status.REPLIED)
        self.assertEqual(case.outcome, "r_partial")

    def test_the_leader_may_send_it_back(self) -> None:
        case = self.step(self.proposed(), "approve")
        case = self.step(case, "return_reply", actor=self.leader, note="请补充法律依据")
        self.assertEqual(case.status, Status.PROCESSING)

    def test_the_leaders_list_and_the_case_page_offer_only_the_chains_steps(self) -> None:
        case = self.proposed()
        self.login("reviewer")
        page = self.detail(case).content.decode()
        self.assertIn(f"确认{Action.APPROVE.label}", page)
        self.assertNotIn(f"确认{Action.REPLY.label}", page)
        case = self.step(case, "approve")
        self.client.force_login(self.leader)
        lists: list[CaseList] = self.client.get(reverse("cases:dashboard")).context["lists"]
        keyed = {item.key: [row.application.pk for row in item.rows] for item in lists}
        self.assertEqual(keyed["signoff"], [case.pk])
        self.assertNotIn("review", keyed)
        self.assertIn(f"确认{Action.REPLY.label}", self.detail(case).content.decode())

    def test_the_sheet_names_the_leaders_sign_off(self) -> None:
        case = self.step(self.proposed(), "approve", note="同意")
        case = self.step(case, "reply", actor=self.leader, note="同意签发")
        self.login("reviewer")
        content = b"".join(self.client.get(reverse("letters:approval_sheet", args=[case.pk])))
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
        headings = [line for line in text.split("\n") if "意见" in line[:8]]
        self.assertEqual(
            headings,
            ["拟办意见", "审核意见（同意，呈分管领导签批）", "分管领导签批意见（同意，签发）"],
        )
        self.assertIn("赵领导", text)
        self.assertIn(f"{TODAY.year}年{TODAY.month}月{TODAY.day}日", text)


class WithoutLeaderTests(WebTestCase):
    def test_approve_is_neither_offered_nor_accepted(self) -> None:
        case = self.step(self.new(), "propose_reply", actor=self.clerk, outcome_key="r_open")
        self.login("reviewer")
        self.assertNotIn(f"确认{Action.APPROVE.label}", self.detail(case).content.decode())
        with self.assertRaises(ServiceError) as refused:
            self.step(case, "approve")
        self.assertIn("无需分管领导签批", refused.exception.message)
        self.assertEqual(self.step(case, "reply").status, Status.REPLIED)
