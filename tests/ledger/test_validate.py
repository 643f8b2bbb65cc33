"""Row-by-row checks of an office's ledger, each problem naming its column."""

from __future__ import annotations

import datetime as dt
from typing import Any

from gongkai.cases.ledger import RowReport, guess_mapping, read_ledger, validate_rows
from gongkai.domain.ledger import ID_NOT_RECORDED
from gongkai.test import BaseTestCase
from tests.ledger.workbooks import HEADERS, TODAY, row, xlsx


class ValidateTests(BaseTestCase):
    def check(self, *rows: list[Any], headers: list[str] = HEADERS) -> list[RowReport]:
        sheet = read_ledger(xlsx(rows, headers=headers))
        return validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)

    def problems(self, **cells: Any) -> tuple[str, ...]:
        (report,) = self.check(row(**cells))
        return report.problems

    def test_a_good_row_is_ready_to_register(self) -> None:
        (report,) = self.check(row(replied="2025年3月20日", outcome="部分公开"))
        assert report.ok and report.number == 2
        assert report.applicant == "李四" and report.received == "2025-03-03"
        assert report.row is not None
        assert report.row.applicant_type == "natural"
        assert report.row.channel == "online"
        assert report.row.id_type == "resident_id"
        assert report.row.received_on == dt.date(2025, 3, 3)
        assert report.row.concluded_on == dt.date(2025, 3, 20)
        assert report.row.outcome == "r_partial"

    def test_a_bad_date_names_its_column(self) -> None:
        assert self.problems(received="2025-13-01") == (
            "G列「受理日期」：“2025-13-01”不是有效日期",
        )

    def test_unknown_labels_are_named(self) -> None:
        problems = self.problems(
            kind="法人", channel="飞鸽传书", replied=dt.date(2025, 3, 20), outcome="已办"
        )
        assert problems[0].startswith("C列「申请人类别」：“法人”不能确定")
        assert problems[1].startswith("F列「申请渠道」：不能识别的申请方式“飞鸽传书”")
        assert problems[2].startswith("J列「处理结果」：不能识别的答复类型“已办”")

    def test_a_wrong_check_digit_is_refused(self) -> None:
        assert self.problems(id_number="110105194912310021") == (
            "D列「身份证号」：居民身份证号码校验位错误（最后一位应为X），请核对",
        )

    def test_a_company_number_is_read_as_a_credit_code(self) -> None:
        (report,) = self.check(
            row(kind="企业", name="某某有限公司", id_number="91350100M000100Y43")
        )
        assert report.ok and report.row and report.row.id_type == "credit_code"

    def test_a_masked_or_missing_number_is_kept_with_a_warning(self) -> None:
        masked, missing = self.check(
            row(1, id_number="1101**********002X"), row(2, name="赵六", id_number=None)
        )
        assert masked.ok and masked.row and masked.row.id_number == "1101**********002X"
        assert masked.row.id_type == "other"
        assert "已脱敏" in masked.warnings[0]
        assert missing.ok and missing.row and missing.row.id_number == ID_NOT_RECORDED
        assert "未载证件号码" in missing.warnings[0]

    def test_a_masked_phone_is_kept_with_a_warning(self) -> None:
        (report,) = self.check(row(1, phone="138****0000"))
        assert report.ok and report.row and report.row.phone == "138****0000"
        assert any("联系电话已脱敏" in w for w in report.warnings)

    def test_missing_content_and_contact_are_refused(self) -> None:
        assert self.problems(content=None, phone=None) == (
            "H列「申请公开内容」：不能为空",
            "缺少联系方式：联系电话、通讯地址、电子邮箱至少填一项（条例第二十九条第二款）",
        )

    def test_a_reply_date_and_an_outcome_come_together(self) -> None:
        assert self.problems(replied=dt.date(2025, 3, 20)) == (
            "J列「处理结果」：有答复日期但没有答复类型",
        )
        assert self.problems(outcome="予以公开") == ("I列「办结日期」：有答复类型但没有答复日期",)

    def test_dates_must_be_in_order_and_not_in_the_future(self) -> None:
        assert self.problems(replied=dt.date(2025, 3, 1), outcome="予以公开") == (
            "I列「办结日期」：2025-03-01 早于收到日期 2025-03-03",
        )
        assert self.problems(received=dt.date(2025, 7, 1)) == (
            "G列「受理日期」：2025-07-01 晚于今天",
        )
        assert self.problems(received=dt.date(2007, 1, 1)) == (
            "G列「受理日期」：2007-01-01 早于条例施行之日（2008年5月1日）",
        )

    def test_an_unmapped_required_field_fails_every_row(self) -> None:
        headers = [h if h != "申请人类别" else "备注" for h in HEADERS]
        reports = self.check(row(1), row(2, name="王五"), headers=headers)
        assert all(r.problems == ("请指定“申请人类型”在哪一列",) for r in reports)

    def test_a_repeated_row_is_refused(self) -> None:
        first, second = self.check(row(1), row(2))
        assert first.ok
        assert second.problems == ("与第2行重复（申请人、收到日期、申请内容相同）",)

    def test_a_row_already_registered_is_refused(self) -> None:
        app = self.register(received_on=dt.date(2025, 3, 3), name="李四")
        (report,) = self.check(row(content="请公开2024年某项目的批复文件"))
        assert report.problems == (
            f"与已登记的申请 {app.tracking_no} 重复（申请人、收到日期、申请内容相同），可能已经导入过",
        )

    def test_the_same_row_in_another_organisation_is_not_a_duplicate(self) -> None:
        self.register(received_on=dt.date(2025, 3, 3), name="李四")
        sheet = read_ledger(xlsx([row(content="请公开2024年某项目的批复文件")]))
        (report,) = validate_rows(sheet, guess_mapping(sheet.headers), self.other, today=TODAY)
        assert report.ok


class PlausibilityTests(BaseTestCase):
    """The ledger import applies the registration's plausibility rules (decision I-3); a receipt
    long past is normal in a ledger and is not flagged: the import's review screen is its check."""

    def check(self, *rows: list[Any]) -> list[RowReport]:
        sheet = read_ledger(xlsx(rows))
        return validate_rows(sheet, guess_mapping(sheet.headers), self.office, today=TODAY)

    def test_a_1990_receipt_is_refused(self) -> None:
        (report,) = self.check(row(received=dt.date(1990, 1, 1)))
        assert report.problems == ("G列「受理日期」：1990-01-01 早于条例施行之日（2008年5月1日）",)

    def test_a_name_of_zero_width_characters_is_refused(self) -> None:
        (report,) = self.check(row(name="\u200b\u200c\u2060"))
        assert report.problems == ("B列「申请人姓名」：只有空白或不可见字符，等于没有填写",)

    def test_a_full_width_id_number_is_read_half_width(self) -> None:
        (report,) = self.check(row(id_number="１１０１０５－１９４９１２３１－００２ｘ"))
        assert report.ok and report.row is not None
        assert report.row.id_number == "11010519491231002X"
        assert report.row.id_type == "resident_id"

    def test_a_receipt_years_ago_is_not_flagged(self) -> None:
        (report,) = self.check(row(received=dt.date(2019, 3, 4)))
        assert report.ok and report.warnings == ()
