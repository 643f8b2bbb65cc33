"""Which letters a case needs, what each letter says, and storing one on the case."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth.models import User
from django.test import SimpleTestCase

from gongkai.cases import services as cases
from gongkai.cases.models import Application, Attachment, Event
from gongkai.cases.services import ServiceError
from gongkai.disclosure.context import cn_date, rmb_upper
from gongkai.disclosure.kinds import FORM_KINDS
from gongkai.disclosure.services import (
    LETTER,
    letter_generate,
    letter_kinds_for,
    letter_render,
)
from gongkai.domain.lifecycle import outcome, outcomes
from gongkai.test import BaseTestCase
from tests.letters.reading import containing, opened, text_of

D = dt.date
RECEIVED = D(2025, 3, 3)
NOTICE = D(2025, 3, 5)

# A phrase of each outcome's decision, from its template.
DECISIONS = {
    "r_open": "本机关决定予以公开",
    "r_partial": "本机关决定部分公开",
    "r_deny_secret": "属于依法确定为国家秘密的政府信息",
    "r_deny_law": "属于法律、行政法规禁止公开的政府信息",
    "r_deny_3s1s": "可能危及国家安全、公共安全、经济安全、社会稳定",
    "r_deny_3rd": "公开会对第三方合法权益造成损害",
    "r_deny_internal": "属于本机关的内部事务信息",
    "r_deny_process": "请示报告等过程性信息",
    "r_deny_enforce": "属于行政执法案卷信息",
    "r_deny_query": "请您依照有关法律、行政法规的规定办理",
    "r_na_notheld": "现告知您，该政府信息不存在",
    "r_na_create": "需要本机关对现有政府信息进行加工、分析后才能形成",
    "r_na_unclear": "您补正后的申请内容仍不明确",
    "r_np_petition": "属于信访、投诉、举报等活动",
    "r_np_repeat": "本机关不予重复处理",
    "r_np_publication": "政府公报、报刊、书籍等公开出版物",
    "r_np_excessive": "您说明的理由不合理",
    "r_np_confirm": "要求本机关确认或者重新出具您已经获取的信息",
    "r_other_nocorrect": "您无正当理由逾期未补正",
    "r_other_nofee": "您未在规定期限内缴纳信息处理费",
    "r_other_other": "您已于2025年3月10日撤回该政府信息公开申请",
}
TITLES = {
    "r_open": "政府信息予以公开告知书",
    "r_partial": "政府信息部分公开告知书",
    "r_deny_secret": "政府信息不予公开告知书",
    "r_deny_query": "政府信息公开申请答复告知书",
    "r_na_notheld": "政府信息公开申请答复告知书",
    "r_np_repeat": "政府信息公开申请不予处理告知书",
    "r_other_nocorrect": "政府信息公开申请终止办理告知书",
    "r_other_nofee": "政府信息公开申请终止办理告知书",
    "r_other_other": "政府信息公开申请终止办理告知书",
}
REVIEW_FIRST = "对行政复议决定不服的，可以依法向人民法院提起行政诉讼"
REVIEW_OR_COURT = "也可以自收到本告知书之日起6个月内依法向人民法院提起行政诉讼"


class Cases(BaseTestCase):
    """Cases taken through the procedure with the case services, dated in March 2025."""

    # The personas of gongkai.test, declared for the type checker.
    clerk: User
    reviewer: User
    supervisor: User

    @classmethod
    def correction(cls, app: Application, on: D = NOTICE) -> Application:
        return cases.application_request_correction(
            actor=cls.clerk, application=app, on=on, today=on,
            items="请写明文件名称或文号；\n请写明文件的形成年份。", workdays=10,
        )  # fmt: skip

    @classmethod
    def fee(cls, app: Application, on: D = NOTICE) -> Application:
        return cases.application_notify_fee(
            actor=cls.clerk, application=app, on=on, today=on, amount=4700, method="by_pages",
            basis="共250页",
        )  # fmt: skip

    @classmethod
    def concluded(cls, key: str, *, name: str = "张三") -> Application:
        app = cls.register(received_on=RECEIVED, name=name)
        if key == "r_other_nocorrect":
            app = cls.correction(app)
            return cases.application_close_no_correction(
                actor=cls.clerk, application=app, on=D(2025, 3, 31), today=D(2025, 3, 31)
            )
        if key == "r_other_nofee":
            app = cls.fee(app)
            return cases.application_close_no_fee(
                actor=cls.clerk, application=app, on=D(2025, 4, 10), today=D(2025, 4, 10)
            )
        if key == "r_other_other":
            return cases.application_withdraw(
                actor=cls.clerk, application=app, on=D(2025, 3, 10), today=D(2025, 3, 10)
            )
        return cases.application_reply(
            actor=cls.reviewer, application=app, on=D(2025, 3, 10), outcome_key=key,
            note="", today=D(2025, 3, 10),
        )  # fmt: skip


def letters_only(app: Application) -> list[tuple[str, str]]:
    """The letters offered, without the two forms every received case has (登记回执, 送达回证)."""
    return [(kind, label) for kind, label in letter_kinds_for(app) if kind not in FORM_KINDS]


class LetterKindsForTests(Cases):
    def kinds(self, app: Application) -> list[str]:
        return [kind for kind, _ in letters_only(app)]

    def test_a_new_application_needs_no_letter_only_its_receipt(self) -> None:
        self.assertEqual(letter_kinds_for(self.register()), [("receipt", "登记回执")])

    def test_a_concluded_case_offers_the_proof_of_delivery(self) -> None:
        app = self.concluded("r_open")
        self.assertEqual(
            [kind for kind, _ in letter_kinds_for(app)], ["receipt", "r_open", "service_proof"]
        )

    def test_a_correction_notice_awaiting_its_answer_needs_the_correction_letter(self) -> None:
        app = self.correction(self.register())
        self.assertEqual(letters_only(app), [("correction", "补正告知书")])

    def test_a_received_correction_needs_it_no_more(self) -> None:
        app = self.correction(self.register())
        app = cases.application_receive_correction(
            actor=self.clerk, application=app, on=D(2025, 3, 7), today=D(2025, 3, 7)
        )
        self.assertEqual(self.kinds(app), [])

    def test_a_third_party_consultation_needs_the_consultation_letter(self) -> None:
        app = cases.application_start_consultation(
            actor=self.clerk, application=self.register(), on=D(2025, 3, 5), today=D(2025, 3, 5),
            party="third_party", consulted="某某有限公司",
        )  # fmt: skip
        self.assertEqual(self.kinds(app), ["consultation"])

    def test_a_fee_notice_awaiting_payment_needs_the_fee_letter(self) -> None:
        app = self.fee(self.register())
        self.assertEqual(self.kinds(app), ["fee"])
        app = cases.application_receive_fee(
            actor=self.clerk, application=app, on=D(2025, 3, 7), today=D(2025, 3, 7)
        )
        self.assertEqual(self.kinds(app), [])

    def test_an_extension_needs_the_extension_letter_while_the_case_is_open(self) -> None:
        app = cases.application_extend(
            actor=self.reviewer, application=self.register(), on=D(2025, 3, 28),
            today=D(2025, 3, 28), reason="申请公开的信息数量较多",
        )  # fmt: skip
        self.assertEqual(self.kinds(app), ["extension"])
        app = cases.application_reply(
            actor=self.reviewer, application=app, on=D(2025, 4, 3), outcome_key="r_open",
            today=D(2025, 4, 3),
        )  # fmt: skip
        self.assertEqual(self.kinds(app), ["r_open"])

    def test_a_proposed_reply_needs_its_outcome_letter(self) -> None:
        app = cases.application_propose_reply(
            actor=self.clerk, application=self.register(), on=D(2025, 3, 10),
            outcome_key="r_deny_process", reasons="系讨论记录", today=D(2025, 3, 10),
        )  # fmt: skip
        self.assertEqual(
            letters_only(app),
            [("r_deny_process", "答复告知书（不予公开：属于四类过程性信息）")],
        )

    def test_a_closure_needs_its_letter(self) -> None:
        app = self.concluded("r_other_nocorrect")
        self.assertEqual(self.kinds(app), ["r_other_nocorrect"])


class OutcomeLetterTests(Cases):
    apps: dict[str, Application]

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.apps = {item.key: cls.concluded(item.key) for item in outcomes()}

    def test_there_is_a_letter_for_each_of_the_21_outcomes(self) -> None:
        self.assertEqual(len(self.apps), 21)
        self.assertEqual(set(DECISIONS), set(self.apps))

    def test_each_names_agency_case_applicant_request_decision_and_basis(self) -> None:
        for key, app in self.apps.items():
            with self.subTest(key):
                text = text_of(letter_render(application=app, kind=key))
                self.assertIn("宛城区人民政府办公室", text)
                self.assertIn(app.tracking_no, text)
                self.assertIn("张三：", text)
                self.assertIn("本机关于2025年3月3日收到您提出的政府信息公开申请", text)
                self.assertIn("“请公开2024年某项目的批复文件”", text)
                self.assertIn(DECISIONS[key], text)
                issued = app.events.filter(data__has_key="letter_no").last()  # the concluding step
                assert issued is not None
                self.assertIn(f"\n〔2025〕{issued.data['letter_no']}号\n", text)
                if key != "r_other_other":  # a withdrawal cites no article
                    self.assertIn(f"根据{outcome(key).basis}的规定", text)

    def test_each_has_its_title(self) -> None:
        for key, title in TITLES.items():
            with self.subTest(key):
                doc = opened(letter_render(application=self.apps[key], kind=key))
                self.assertEqual(doc.paragraphs[0].text, title)

    def test_refusals_send_the_applicant_to_review_before_court(self) -> None:
        for key in [k for k in self.apps if k.startswith("r_deny_")] + ["r_partial"]:
            with self.subTest(key):
                text = text_of(letter_render(application=self.apps[key], kind=key))
                self.assertIn("自收到本告知书之日起60日内向宛城区人民政府申请行政复议", text)
                self.assertIn(REVIEW_FIRST, text)
                self.assertNotIn("6个月", text)

    def test_other_replies_offer_review_in_60_days_or_court_in_6_months(self) -> None:
        others = [k for k in self.apps if k[:7] in ("r_open", "r_na_", "r_np_", "r_other")]
        for key in [k for k in others if k != "r_other_other"]:
            with self.subTest(key):
                text = text_of(letter_render(application=self.apps[key], kind=key))
                self.assertIn("自收到本告知书之日起60日内向宛城区人民政府申请行政复议", text)
                self.assertIn(REVIEW_OR_COURT, text)

    def test_a_withdrawal_has_no_remedy_but_another_closure_does(self) -> None:
        text = text_of(letter_render(application=self.apps["r_other_other"], kind="r_other_other"))
        self.assertNotIn("行政复议", text)
        app = cases.application_reply(
            actor=self.reviewer, application=self.register(), on=D(2025, 3, 10),
            outcome_key="r_other_other", note="所申请的信息不属于政府信息。", today=D(2025, 3, 10),
        )  # fmt: skip
        text = text_of(letter_render(application=app, kind="r_other_other"))
        self.assertIn("本机关对该申请作如下处理：所申请的信息不属于政府信息。", text)
        self.assertIn(REVIEW_OR_COURT, text)

    def test_the_letter_is_dated_on_the_reply(self) -> None:
        text = text_of(letter_render(application=self.apps["r_open"], kind="r_open"))
        self.assertIn("2025年3月10日", text)
        text = text_of(
            letter_render(application=self.apps["r_open"], kind="r_open", on=D(2025, 3, 12))
        )
        self.assertIn("2025年3月12日", text)

    def test_a_closure_recalls_the_notice_it_follows(self) -> None:
        text = text_of(
            letter_render(application=self.apps["r_other_nocorrect"], kind="r_other_nocorrect")
        )
        self.assertIn("本机关已于2025年3月5日一次性告知您作出补正", text)
        text = text_of(letter_render(application=self.apps["r_other_nofee"], kind="r_other_nofee"))
        self.assertIn("本机关已于2025年3月5日向您发出收费通知", text)

    def test_the_clerks_note_and_basis_are_used(self) -> None:
        app = cases.application_reply(
            actor=self.reviewer, application=self.register(), on=D(2025, 3, 10),
            outcome_key="r_na_notheld", today=D(2025, 3, 10),
            legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（五）项",
            note="该信息由宛城区财政局负责公开，\n联系电话：0377-11111111。",
        )  # fmt: skip
        doc = opened(letter_render(application=app, kind="r_na_notheld"))
        self.assertIn("不属于本机关负责公开的政府信息", containing(doc, "经审查").text)
        self.assertIn("第三十六条第（五）项的规定", containing(doc, "经审查").text)
        self.assertTrue(containing(doc, "该信息由宛城区财政局负责公开"))
        self.assertTrue(containing(doc, "联系电话：0377-11111111。"))

    def test_an_organisation_is_addressed_as_your_unit(self) -> None:
        app = self.register(applicant_type="biz", name="某某有限公司")
        text = text_of(letter_render(application=app, kind="r_open"))
        self.assertIn("某某有限公司：", text)
        self.assertIn("收到你单位提出的政府信息公开申请", text)

    def test_a_draft_of_a_proposed_reply_uses_the_proposal(self) -> None:
        app = cases.application_propose_reply(
            actor=self.clerk, application=self.register(), on=D(2025, 3, 10),
            outcome_key="r_deny_internal", legal_basis="《中华人民共和国政府信息公开条例》第十六条第一款",
            reasons="所申请的是本机关人事管理信息。", today=D(2025, 3, 10),
        )  # fmt: skip
        text = text_of(letter_render(application=app, kind="r_deny_internal", on=D(2025, 3, 11)))
        self.assertIn("根据《中华人民共和国政府信息公开条例》第十六条第一款的规定", text)
        self.assertIn("所申请的是本机关人事管理信息。", text)

    def test_typed_values_never_become_markup(self) -> None:
        app = self.register(name="> 伪造落款")
        doc = opened(letter_render(application=app, kind="r_open"))
        self.assertEqual(doc.paragraphs[2].text, "＞ 伪造落款：")


class LetterNumberTests(Cases):
    """Each letter its own 文号: 机关代字〔year〕n号, sequential per office and year (GB/T 9704-2012
    §7.2.4); a reply waiting for approval is a draft without one."""

    def number_line(self, app: Application, kind: str) -> str:
        return text_of(letter_render(application=app, kind=kind)).split("\n")[1]

    def test_the_letters_of_one_case_have_their_own_sequential_numbers(self) -> None:
        self.office.letter_code = "宛政办公开"
        self.office.save()
        app = self.correction(self.register(received_on=RECEIVED))
        app = cases.application_receive_correction(
            actor=self.clerk, application=app, on=D(2025, 3, 7), today=D(2025, 3, 7)
        )
        app = cases.application_reply(
            actor=self.reviewer, application=app, on=D(2025, 3, 12), outcome_key="r_open",
            today=D(2025, 3, 12),
        )  # fmt: skip
        self.assertEqual(self.number_line(app, "correction"), "宛政办公开〔2025〕1号")
        self.assertEqual(self.number_line(app, "r_open"), "宛政办公开〔2025〕2号")

    def test_numbers_run_on_across_cases_and_start_again_each_year(self) -> None:
        first = self.concluded("r_open")
        second = self.concluded("r_partial")
        self.assertEqual(self.number_line(first, "r_open"), "〔2025〕1号")
        self.assertEqual(self.number_line(second, "r_partial"), "〔2025〕2号")
        late = self.register(received_on=D(2025, 12, 22))
        late = cases.application_reply(
            actor=self.reviewer, application=late, on=D(2026, 1, 5), outcome_key="r_open",
            today=D(2026, 1, 5),
        )  # fmt: skip
        self.assertEqual(self.number_line(late, "r_open"), "〔2026〕1号")

    def test_a_proposed_reply_is_a_draft_without_a_number(self) -> None:
        app = cases.application_propose_reply(
            actor=self.clerk, application=self.register(), on=D(2025, 3, 10),
            outcome_key="r_open", today=D(2025, 3, 10),
        )  # fmt: skip
        self.assertEqual(self.number_line(app, "r_open"), "（草稿，签发后编号）")

    def test_the_timeline_shows_the_number(self) -> None:
        from gongkai.cases.selectors.application import _event_details

        app = self.concluded("r_open")
        [reply] = [e for e in app.events.all() if e.action == "reply"]
        self.assertIn(("文号", "〔2025〕1号"), _event_details(reply))


class FormTests(Cases):
    def test_the_receipt_gives_the_date_number_and_reply_deadline(self) -> None:
        app = self.register(received_on=RECEIVED)
        text = text_of(letter_render(application=app, kind="receipt"))
        self.assertTrue(text.startswith("政府信息公开申请登记回执\n张三："))
        self.assertIn(app.tracking_no, text)
        self.assertIn("本机关已于2025年3月3日登记您的申请", text)
        # 2025-03-03 + 20 working days (no holiday in March 2025): 2025-03-31.
        self.assertIn("（即2025年3月31日前）", text)
        self.assertIn("\n2025年3月3日", text)  # dated the day of receipt

    def test_the_proof_of_delivery_names_the_reply_and_its_number(self) -> None:
        self.office.letter_code = "宛政办公开"
        self.office.save()
        app = self.concluded("r_open")
        app = cases.application_deliver(
            actor=self.clerk, application=app, on=D(2025, 3, 11), method="mail",
            tracking_number="1100000000000", today=D(2025, 3, 11),
        )  # fmt: skip
        text = text_of(letter_render(application=app, kind="service_proof"))
        self.assertIn("送达文书：答复告知书（予以公开）（宛政办公开〔2025〕1号）", text)
        self.assertIn("送达方式：邮寄送达", text)
        self.assertIn("送达日期：2025年3月11日", text)
        self.assertIn("受送达人：张三", text)


class ProceduralLetterTests(Cases):
    def test_the_correction_letter_lists_the_items_and_the_period(self) -> None:
        app = self.correction(self.register())
        doc = opened(letter_render(application=app, kind="correction"))
        text = "\n".join(p.text for p in doc.paragraphs)
        self.assertEqual(doc.paragraphs[0].text, "政府信息公开申请补正告知书")
        self.assertIn(
            "根据《中华人民共和国政府信息公开条例》第三十条的规定，现一次性告知您作出补正", text
        )
        self.assertTrue(containing(doc, "请写明文件名称或文号；"))
        self.assertTrue(containing(doc, "请写明文件的形成年份。"))
        # 2025-03-05 + 10 working days (no holiday in March 2025): 6, 7, 10…14, 17, 18, 19.
        self.assertIn("请您于2025年3月19日前（本告知书作出之日起10个工作日内）补正。", text)
        self.assertIn("视为放弃申请", text)
        self.assertIn("2025年3月5日", text)
        self.assertNotIn("行政复议", text)

    def test_the_extension_letter_gives_the_new_deadline(self) -> None:
        app = cases.application_extend(
            actor=self.reviewer, application=self.register(), on=D(2025, 3, 28),
            today=D(2025, 3, 28), reason="申请公开的信息数量较多，需要检索、核对。",
        )  # fmt: skip
        text = text_of(letter_render(application=app, kind="extension"))
        self.assertIn(
            "因申请公开的信息数量较多，需要检索、核对，本机关不能在规定期限内作出答复", text
        )
        self.assertIn("第三十三条第二款", text)
        # 20 + 20 working days from 3 March 2025: 清明 on 4 April, 27 April (a Sunday) worked.
        self.assertIn("答复期限延长20个工作日，延长至2025年4月28日。", text)

    def test_the_consultation_letter_goes_to_the_third_party_without_the_applicants_name(
        self,
    ) -> None:
        app = cases.application_start_consultation(
            actor=self.clerk, application=self.register(name="李四"), on=D(2025, 3, 5),
            today=D(2025, 3, 5), party="third_party", consulted="某某有限公司",
        )  # fmt: skip
        doc = opened(letter_render(application=app, kind="consultation"))
        text = "\n".join(p.text for p in doc.paragraphs)
        self.assertEqual(doc.paragraphs[0].text, "政府信息公开征求第三方意见书")
        self.assertEqual(doc.paragraphs[2].text, "某某有限公司：")
        self.assertIn("“请公开2024年某项目的批复文件”", text)
        self.assertIn("第三十二条", text)
        self.assertIn("自收到本征求意见书之日起15个工作日内", text)
        self.assertNotIn("李四", text)

    def test_the_fee_letter_gives_amount_method_and_payment_period(self) -> None:
        app = self.fee(self.register())
        text = text_of(letter_render(application=app, kind="fee"))
        self.assertIn("应缴纳信息处理费4700元（大写：人民币肆仟柒佰元整）", text)
        self.assertIn("本申请按量计收", text)
        self.assertIn("计费说明：共250页。", text)
        self.assertIn("自收到本通知书之次日起20个工作日内", text)
        self.assertIn("《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）", text)
        self.assertIn("第四十二条", text)

    def test_per_application_charging_is_described_when_chosen(self) -> None:
        app = cases.application_notify_fee(
            actor=self.clerk, application=self.register(), on=D(2025, 3, 5), today=D(2025, 3, 5),
            amount=100, method="by_count",
        )  # fmt: skip
        text = text_of(letter_render(application=app, kind="fee"))
        self.assertIn("本申请按件计收", text)
        self.assertNotIn("计费说明", text)

    def test_rendering_writes_nothing(self) -> None:
        app = self.correction(self.register())
        before = (Event.objects.count(), Attachment.objects.count())
        letter_render(application=app, kind="correction")
        self.assertEqual((Event.objects.count(), Attachment.objects.count()), before)

    def test_an_unknown_kind_is_refused(self) -> None:
        with self.assertRaises(ServiceError):
            letter_render(application=self.register(), kind="nonsense")


class LetterGenerateTests(Cases):
    def test_it_stores_the_letter_and_notes_it_on_the_timeline(self) -> None:
        app = self.correction(self.register())
        attachment = letter_generate(actor=self.clerk, application=app, kind="correction")
        self.assertEqual(attachment.kind, Attachment.Kind.LETTER)
        self.assertEqual(attachment.name, f"政府信息公开申请补正告知书（{app.tracking_no}）.docx")
        with attachment.file.open("rb") as stored:
            content = stored.read()
        self.assertEqual(attachment.sha256, hashlib.sha256(content).hexdigest())
        self.assertIn("请写明文件名称或文号；", text_of(content))
        event = Event.objects.get(application=app, action=LETTER)
        self.assertEqual((event.date, event.actor), (D(2025, 3, 5), self.clerk))
        self.assertEqual(event.data["kind"], "correction")
        self.assertEqual(attachment.event, event)

    def test_it_refuses_a_letter_the_case_does_not_need(self) -> None:
        app = self.register()
        with self.assertRaises(ServiceError) as caught:
            letter_generate(actor=self.clerk, application=app, kind="fee")
        self.assertEqual(caught.exception.kind, "conflict")
        self.assertFalse(Event.objects.filter(action=LETTER).exists())

    def test_it_refuses_someone_who_cannot_act_and_leaves_nothing_behind(self) -> None:
        app = self.correction(self.register())
        with self.assertRaises(ServiceError) as caught:
            letter_generate(actor=self.supervisor, application=app, kind="correction")
        self.assertEqual(caught.exception.kind, "forbidden")
        self.assertFalse(Event.objects.filter(action=LETTER).exists())
        self.assertFalse(Attachment.objects.exists())

    def test_a_later_step_may_still_be_dated_on_the_letters_day(self) -> None:
        app = self.correction(self.register())
        letter_generate(actor=self.clerk, application=app, kind="correction")
        app = cases.application_receive_correction(
            actor=self.clerk, application=app, on=D(2025, 3, 5), today=D(2025, 3, 5)
        )
        self.assertEqual(app.status, "processing")


class FormattingTests(SimpleTestCase):
    def test_dates_are_written_in_full_without_leading_zeros(self) -> None:
        self.assertEqual(cn_date(D(2025, 3, 3)), "2025年3月3日")
        self.assertEqual(cn_date(D(2025, 10, 31)), "2025年10月31日")
        self.assertEqual(cn_date(None), "")

    def test_amounts_are_written_in_capital_numerals(self) -> None:
        cases_ = {
            10: "壹拾元整",
            100: "壹佰元整",
            200: "贰佰元整",
            1005: "壹仟零伍元整",
            4700: "肆仟柒佰元整",
            10010: "壹万零壹拾元整",
            10000: "壹万元整",
            200000: "贰拾万元整",
            100010000: "壹亿零壹万元整",
            123456789: "壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元整",
        }
        for amount, text in cases_.items():
            with self.subTest(amount):
                self.assertEqual(rmb_upper(amount), text)


class ReasonsInTheLetterTests(Cases):
    """The clerk's specific reasons (条例第三十六条) reach the issued letter through approval."""

    def approved(self, key: str, reasons: str) -> Application:
        app = cases.application_propose_reply(
            actor=self.clerk, application=self.register(received_on=RECEIVED), on=D(2025, 3, 10),
            outcome_key=key, reasons=reasons, today=D(2025, 3, 10),
        )  # fmt: skip
        # The reviewer approves with an opinion of their own: it must not replace the reasons.
        return cases.application_reply(
            actor=self.reviewer, application=app, on=D(2025, 3, 11), note="同意",
            today=D(2025, 3, 11),
        )  # fmt: skip

    def test_each_reasoned_outcome_group_prints_the_reasons_and_the_remedy(self) -> None:
        for key in ("r_partial", "r_deny_3rd", "r_na_notheld", "r_np_repeat"):
            reason = f"理由甲：{key}所涉内容含第三方个人信息"
            with self.subTest(key):
                app = self.approved(key, reason)
                attachment = letter_generate(actor=self.reviewer, application=app, kind=key)
                with attachment.file.open("rb") as stored:
                    text = text_of(stored.read())
                self.assertIn(reason, text)
                self.assertIn("行政复议", text)

    def test_the_reasons_are_kept_on_the_approval(self) -> None:
        app = self.approved("r_partial", "涉及个人信息部分不予公开")
        reply = Event.objects.get(application=app, action="reply")
        self.assertEqual(reply.data["reasons"], "涉及个人信息部分不予公开")
        self.assertEqual(reply.note, "同意")

    def test_a_reasoned_outcome_without_reasons_is_refused_and_nothing_changes(self) -> None:
        for key in ("r_partial", "r_deny_secret", "r_na_create", "r_np_petition"):
            with self.subTest(key):
                app = self.register(received_on=RECEIVED)
                before = (app.status, app.events.count())
                with self.assertRaises(ServiceError) as caught:
                    cases.application_propose_reply(
                        actor=self.clerk, application=app, on=D(2025, 3, 10), outcome_key=key,
                        reasons="  ", today=D(2025, 3, 10),
                    )  # fmt: skip
                self.assertEqual(caught.exception.field, "reasons")
                self.assertIn("理由", str(caught.exception))
                app.refresh_from_db()
                self.assertEqual((app.status, app.events.count()), before)

    def test_an_open_reply_needs_no_reasons(self) -> None:
        app = cases.application_propose_reply(
            actor=self.clerk, application=self.register(), on=D(2025, 3, 10),
            outcome_key="r_open", today=D(2025, 3, 10),
        )  # fmt: skip
        self.assertEqual(app.status, "review")
