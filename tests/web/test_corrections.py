"""更正登记信息 and 作废 on the application page: shown to those allowed, refused otherwise, and the
timeline shows old → new values and the reason."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.urls import reverse

from gongkai.cases.models import Application
from gongkai.test import VALID_ID
from tests.web.base import WebTestCase


def correction(app: Application, **changes: Any) -> dict[str, Any]:
    """The correction form as the page prefills it, with `changes` and a reason."""
    data = {
        name: getattr(app, name)
        for name in ("applicant_type", "applicant_name", "id_type", "address", "postcode",
                     "email", "channel", "content", "purpose", "form", "delivery")
    }  # fmt: skip
    data |= {"received_on": app.received_on.isoformat(), "id_number": "", "phone": ""}
    data |= {"reason": "据申请书原件更正", **changes}
    return {f"correct-{key}": value for key, value in data.items()}


class CorrectionPageTests(WebTestCase):
    def setUp(self) -> None:
        super().setUp()
        self.app = self.new()

    def post(self, view: str, data: dict[str, Any]) -> Any:
        return self.client.post(reverse(f"cases:{view}", args=[self.app.pk]), data)

    def test_a_clerk_may_correct_but_not_the_clock_nor_void(self) -> None:
        self.login("clerk")
        page = self.detail(self.app).content.decode()
        self.assertIn('id="correct"', page)
        self.assertNotIn('id="void"', page)
        form = self.detail(self.app).context["page"].correct_form
        self.assertTrue(form.fields["received_on"].disabled)
        self.assertTrue(form.fields["channel"].disabled)
        self.assertTrue(form.fields["applicant_type"].disabled)
        self.assertFalse(form.fields["applicant_name"].disabled)

    def test_reviewers_see_both_and_supervisors_neither(self) -> None:
        self.login("reviewer")
        page = self.detail(self.app).content.decode()
        self.assertIn('id="correct"', page)
        self.assertIn('id="void"', page)
        self.assertFalse(
            self.detail(self.app).context["page"].correct_form.fields["received_on"].disabled
        )
        self.login("supervisor")
        page = self.detail(self.app).content.decode()
        self.assertNotIn('id="correct"', page)
        self.assertNotIn('id="void"', page)
        self.assertEqual(
            self.post("void", {"void-reason": "x", "void-confirm": "on"}).status_code, 404
        )

    def test_the_form_does_not_put_the_full_id_number_in_the_page(self) -> None:
        self.login("reviewer")
        form = self.detail(self.app).context["page"].correct_form
        self.assertEqual(form["id_number"].value(), "")
        self.assertIn("1101**********002X", str(form["id_number"]))

    def test_a_clerk_corrects_the_name_and_the_timeline_shows_old_and_new(self) -> None:
        self.login("clerk")
        response = self.post("correct", correction(self.app, applicant_name="张珊"))
        self.assertEqual(response.status_code, 302)
        self.app.refresh_from_db()
        self.assertEqual((self.app.applicant_name, self.app.id_number), ("张珊", VALID_ID))
        page = self.detail(self.app).content.decode()
        self.assertIn("更正登记信息", page)
        self.assertIn("<dt>申请人姓名或名称</dt><dd><del>张三</del> → 张珊</dd>", page)
        self.assertIn("理由：据申请书原件更正", page)

    def test_a_clerk_s_new_receipt_date_is_ignored_and_nothing_changes(self) -> None:
        self.login("clerk")
        response = self.post("correct", correction(self.app, received_on="2025-03-04"))
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "没有需要更正的内容", status_code=400)
        self.app.refresh_from_db()
        self.assertEqual(self.app.received_on.isoformat(), "2025-03-03")

    def test_a_reason_is_required(self) -> None:
        self.login("clerk")
        response = self.post("correct", correction(self.app, applicant_name="张珊", reason=""))
        self.assertEqual(response.status_code, 400)
        self.assertIn("reason", response.context["page"].correct_form.errors)

    def test_a_typed_id_number_is_checked_and_a_wrong_one_shown_on_its_field(self) -> None:
        self.login("clerk")
        response = self.post("correct", correction(self.app, id_number="110105194912310021"))
        form = response.context["page"].correct_form
        self.assertIn("校验位错误", form.errors["id_number"][0])
        response = self.post(
            "correct", correction(self.app, id_number="１１０１０５１９４９１２３１００３８")
        )
        self.assertEqual(response.status_code, 302)
        self.app.refresh_from_db()
        self.assertEqual(self.app.id_number, "110105194912310038")
        page = self.detail(self.app).content.decode()
        self.assertIn(
            "<dt>证件号码</dt><dd><del>1101**********002X</del> → 1101**********0038</dd>", page
        )

    def test_an_old_receipt_date_asks_the_reviewer_to_confirm(self) -> None:
        self.login("reviewer")
        self.step(self.app, "propose_reply", actor=self.clerk, outcome_key="r_open")
        data = correction(self.app, received_on="2025-01-02")
        response = self.post("correct", data)
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "距今已77天", status_code=400)
        self.assertContains(response, 'name="correct-confirm_received_on"', status_code=400)
        response = self.post("correct", {**data, "correct-confirm_received_on": "on"})
        self.assertEqual(response.status_code, 302)
        self.app.refresh_from_db()
        self.assertEqual(self.app.received_on.isoformat(), "2025-01-02")

    def test_a_reviewer_voids_with_a_reason_and_a_confirmation(self) -> None:
        self.login("reviewer")
        response = self.post("void", {"void-reason": "重复登记"})
        self.assertEqual(response.status_code, 400)
        self.assertContains(response, "请勾选确认作废", status_code=400)
        response = self.post("void", {"void-reason": "重复登记", "void-confirm": "on"})
        self.assertEqual(response.status_code, 302)
        self.app.refresh_from_db()
        self.assertEqual(self.app.status, "voided")
        page = self.detail(self.app)
        self.assertContains(page, "本申请已作废")
        self.assertContains(page, "已作废，不再计算期限")
        self.assertEqual(page.context["page"].actions, [])
        self.assertIsNone(page.context["page"].correct_form)
        self.assertIsNone(page.context["page"].void_form)
        ledger = self.client.get(reverse("cases:ledger")).content.decode()
        self.assertIn("status-voided", ledger)

    def test_a_clerk_posting_a_void_is_refused(self) -> None:
        self.login("clerk")
        response = self.post("void", {"void-reason": "重复登记", "void-confirm": "on"})
        self.assertEqual(response.status_code, 403)
        self.app.refresh_from_db()
        self.assertEqual(self.app.status, "registered")

    def test_the_timeline_keeps_a_deleted_user_s_name(self) -> None:
        user = User.objects.create_user("wangwu", first_name="王五")
        self.office.memberships.create(user=user, role="reviewer")
        self.step(self.app, "extend", actor=user, reason="需要核实")
        user.delete()
        self.login("clerk")
        self.assertContains(self.detail(self.app), "王五（wangwu）")
