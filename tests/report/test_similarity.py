"""雷同 rules D-01 (copied from last year) and D-02 (copied from another agency in a batch).

Material is made by hand from the corpus (shared/corpus): the Wancheng 2024 report's text edited
as a copier would (year and figures changed, a section rewritten, another agency's name put in)
and parsed like any report. What each case must show was checked by reading the texts.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from itertools import permutations
from pathlib import Path

import numpy as np
import pytest

from gongkai.domain.report import similarity
from gongkai.domain.report.model import AnnualReport
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.rules import check_report, get_rule

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
WANCHENG = (CORPUS / "wancheng-office-2024.txt").read_text("utf-8")
TAIPING = (CORPUS / "blank-line-cells-2022.txt").read_text("utf-8")

# Section 五 of the Wancheng report as its office might honestly have written it a year
# earlier: the same topic (problems of disclosure, then measures), in other words.
REWRITTEN_S5 = (
    "（一）存在问题。对照上级考核要求，我办政务公开仍有短板：重点领域信息发布不够系统，"
    "部分栏目更新滞后；征集公众意见后反馈偏少；政策解读多为文字转载，图解和视频较少。\n"
    "（二）改进措施。下一步，我办将制定栏目更新清单并每月通报，对意见征集逐条反馈采纳情况，"
    "组织业务骨干开展政策解读培训，新增图解、短视频等形式，并邀请第三方对网站开展检测。"
)
# Section 一 of the same office a year earlier, rewritten except the （一）主动公开 paragraph.
REWRITTEN_S1 = {
    "2024年，宛城区政府办在区委": "本年度，办公室把政务公开列入年度重点工作，由分管副主任牵头，"
    "每季度召开一次专题会议研究公开事项，并把公开情况纳入科室考核。",
    "[bookmark: _GoBack]严格按照": "申请由综合科统一登记，经办人按法定期限拟写答复，"
    "法律顾问审核后送达，案卷年底前全部归档。",
    "区政府办对政府信息实施动态管理": "对拟公开信息先行保密审查，清理已失效文件并在网站标注。",
    "持续把管好办好区政府网站": "网站改版后开设了政策文件库，政务微信每周推送不少于三次。",
    "区政府办每月向办公室主要领导": "年初印发公开工作考核细则，年底组织群众代表评议，未发生追责情形。",
}


def _bump(match: re.Match[str]) -> str:
    """Last year's figures: a year one less, any other number one more."""
    value = int(match.group())
    return str(value - 1) if 1990 < value < 2100 else str(value + 1)


def last_year(text: str = WANCHENG) -> str:
    return re.sub(r"\d+", _bump, text)


def replace_paragraphs(text: str, replacements: dict[str, str]) -> str:
    """Each line starting with a key replaced by its new text."""
    lines = text.split("\n")
    for index, line in enumerate(lines):
        for start, new in replacements.items():
            if line.startswith(start):
                lines[index] = new
    return "\n".join(lines)


def with_section_5(text: str, new: str) -> str:
    head, rest = text.split("五、存在的主要问题及改进情况\n")
    _, tail = rest.split("六、其他需要报告的事项")
    return f"{head}五、存在的主要问题及改进情况\n{new}\n六、其他需要报告的事项{tail}"


def parse(text: str) -> AnnualReport:
    return parse_report(text.encode("utf-8"), "report.txt").report


REPORT = parse(WANCHENG)


def d01(previous_text: str) -> list[tuple[str, str]]:
    """(where, message) of D-01 as check_report gives it."""
    findings = check_report(REPORT, parse(previous_text))
    return [(f.where, f.message) for f in findings if f.rule == "D-01"]


class TestD01CopiedFromLastYear:
    def test_a_copy_with_new_year_and_figures_is_found_with_its_passages(self) -> None:
        previous = parse(last_year())
        assert previous.year == 2023 and "2023年" in previous.sections[1].text
        found = similarity.d01_findings(REPORT, previous)
        assert [f.where for f in found] == ["s1", "s5"]
        s1, s5 = found
        assert s1.severity is get_rule("D-01").severity
        assert s1.message.startswith("第一部分与上年报告相同内容占100%（不计年份、数字和模板用语）")
        # The quote is this year's printed text, figures included, from its sentence start.
        assert "：“2024年，宛城区政府办在区委、区政府的坚强领导下，坚持以习近平" in s1.message
        assert "“（一）存在问题。2024年区政府办公室在推进政务公开工作方面" in s5.message

    def test_section_5_is_reported_once_by_x04_when_x04_fires(self) -> None:
        findings = check_report(REPORT, parse(last_year()))
        copies = [(f.rule, f.where) for f in findings if f.rule in ("D-01", "X-04", "X-05")]
        assert copies == [("X-05", "report"), ("D-01", "s1"), ("X-04", "s5")]

    def test_a_near_copy_of_section_5_shows_its_passages_under_x04(self) -> None:
        text = last_year().replace("四是进一步加强网络安全建设。", "")
        [x04] = [f for f in check_report(REPORT, parse(text)) if f.rule == "X-04"]
        assert "高度相似（5字片段重合度0.9" in x04.message
        assert "：“（一）存在问题。2024年区政府办公室在推进政务公开工作方面" in x04.message
        assert "；“为政务公开创造良好的“硬环境”" in x04.message

    def test_a_rewritten_section_5_is_not_a_copy(self) -> None:
        previous = with_section_5(last_year(), REWRITTEN_S5)
        assert [where for where, _ in d01(previous)] == ["s1"]
        assert not [f for f in check_report(REPORT, parse(previous)) if f.rule == "X-04"]

    def test_a_partly_copied_section_5_is_found_by_d01(self) -> None:
        # Last year listed other problems after the same opening; the measures are the same:
        # about 85% of this year's text, but not the near-identical whole X-04 looks for.
        old = last_year().split("五、存在的主要问题及改进情况\n")[1].split("\n六、")[0]
        measures = old[old.index("（二）改进措施") :]
        problems = (
            "（一）存在问题。2023年区政府办公室在推进政务公开工作方面做了大量的工作，"
            "但也存在一定的差距，比如栏目更新不够及时，意见征集后反馈偏少，政务新媒体互动不足。"
        )
        previous = with_section_5(last_year(), problems + "\n" + measures)
        assert not [f for f in check_report(REPORT, parse(previous)) if f.rule == "X-04"]
        [message] = [m for w, m in d01(previous) if w == "s5"]
        assert re.search(r"相同内容占(8\d|9\d)%", message)
        assert "“（二）改进措施。一是进一步强化政务公开的思想认识。" in message

    def test_one_copied_subsection_of_section_1_is_named(self) -> None:
        previous = replace_paragraphs(
            last_year(), {last_year(k): v for k, v in REWRITTEN_S1.items()}
        )
        previous = with_section_5(previous, REWRITTEN_S5)
        [(where, message)] = d01(previous)
        assert where == "s1.proactive"
        assert message.startswith("第一部分“（一）主动公开”与上年报告相同内容占100%")
        assert "“2024年度，我办累计在宛城区人民政府网站主动公开政府信息68条" in message

    def test_reports_two_years_apart_are_not_compared(self) -> None:
        previous = dataclasses.replace(parse(last_year()), year=2022)
        assert similarity.d01_findings(REPORT, previous) == []


@dataclass(frozen=True)
class Item:
    """What the batch audit passes: a file's name, its report, agency and year."""

    name: str
    report: AnnualReport | None
    agency: str | None
    year: int | None


def item(name: str, report: AnnualReport) -> Item:
    return Item(name, report, report.agency, report.year)


def corpus_items() -> list[Item]:
    return [
        item(path.name, parse_report(path.read_bytes(), path.name).report)
        for path in sorted(CORPUS.glob("*.txt"))
    ]


# 太平镇's 2022 report with Wancheng's section 一 put in place of its own, names and figures
# changed the way a copier would.
COPIED_S1 = "\n".join(
    line.replace("宛城区政府办", "太平镇政府").replace("区委、区政府", "镇党委、镇政府")
    for line in last_year().split("\n")[5:16]
)
TAIPING_COPY = TAIPING.replace(TAIPING.split("\n")[6], COPIED_S1.replace("[bookmark: _GoBack]", ""))


# Section 一 of a county market regulation bureau, in its own words, for Wancheng's paragraphs.
MARKET_S1 = {
    "2024年，宛城区政府办在区委": "本年度，县市场监管局把食品安全抽检、企业信用信息和行政处罚决定"
    "作为公开重点，局长办公会两次专题研究公开工作。",
    "2024年度，我办累计": "全年在专栏发布抽检结果十二批次，行政处罚决定书均在作出后七日内公示。",
    "[bookmark: _GoBack]严格按照": "申请由法规科登记办理，涉及企业商业秘密的，先书面征求企业意见。",
    "区政府办对政府信息实施动态管理": "建立公开属性源头认定制度，发文稿纸上注明公开方式。",
    "持续把管好办好区政府网站": "依托市场监管政务微博发布消费提示，开通企业信用信息查询入口。",
    "区政府办每月向办公室主要领导": "把公开工作纳入股室年度考核，聘请社会监督员对公开情况进行评议。",
}
WENDENG_S5 = parse((CORPUS / "pdf-page-text-2022.txt").read_text("utf-8")).section_text(5)


PAIR = ("bar-own-line-2023", "pipe-rows-2024")


class TestD02CopiedFromAnotherAgency:
    def test_the_corpus_has_no_copies_among_its_members(self) -> None:
        assert similarity.batch_similarity(corpus_items()) == {}

    def test_the_corpus_has_no_copies_from_one_year_to_the_next_either(self) -> None:
        reports = [i.report for i in corpus_items() if i.report is not None]
        for this, other in permutations(reports, 2):
            previous = dataclasses.replace(other, year=(this.year or 2024) - 1)
            assert similarity.d01_findings(this, previous) == []

    def test_the_template_list_is_what_keeps_two_corpus_reports_apart(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # Two townships' sections 一 (corpus) are mostly the template's legal basis and its list
        # of the six parts, in the same words: 60% shared without the boilerplate list.
        town, pipes = (parse((CORPUS / f"{n}.txt").read_text("utf-8")) for n in PAIR)
        a, b = (similarity.prepare(r.section_text(1)) for r in (town, pipes))
        assert similarity.overlap(a, b).passages == ()
        monkeypatch.setattr(similarity, "_boilerplate", lambda: np.zeros(0, dtype=np.uint64))
        a, b = (similarity.prepare(r.section_text(1)) for r in (town, pipes))
        assert similarity.overlap(a, b).share > 0.5

    def test_sharing_the_template_only_is_not_copying(self) -> None:
        # Another agency's report on the same template: the legal basis, the statistics period,
        # the headings and sub-headings and the section 六 fee sentence are Wancheng's, every
        # paragraph of its own is its own (section 五: 文登区信访局's of the corpus).
        other = replace_paragraphs(WANCHENG, MARKET_S1).replace(
            "宛城区人民政府办公室", "某县市场监督管理局"
        )
        other = with_section_5(other, WENDENG_S5)
        items = [item("wancheng.txt", REPORT), item("market.txt", parse(other))]
        assert items[1].agency == "某县市场监督管理局"
        assert "依申请公开收费标准" in items[1].report.section_text(6)  # type: ignore[union-attr]
        assert similarity.batch_similarity(items) == {}

    def test_a_copied_section_1_is_found_in_both_reports(self) -> None:
        copy = parse(TAIPING_COPY)
        assert copy.agency == "太平镇人民政府"
        items = [item("wancheng.txt", REPORT), item("taiping.txt", copy)]
        found = similarity.batch_similarity(items)
        assert set(found) == {"wancheng.txt", "taiping.txt"}
        [theirs] = found["taiping.txt"]
        assert theirs.rule == "D-02" and theirs.where == "s1"
        assert theirs.severity is get_rule("D-02").severity
        assert "第一部分与《wancheng.txt》（宛城区人民政府办公室）第一部分相同内容占本部分的" in (
            theirs.message
        )
        assert "疑似与其他单位报告雷同：“" in theirs.message
        [ours] = found["wancheng.txt"]
        assert "《taiping.txt》（太平镇人民政府）" in ours.message

    def test_the_same_agency_in_two_years_is_left_to_d01(self) -> None:
        items = [item("2024.txt", REPORT), item("2023.txt", parse(last_year()))]
        assert similarity.batch_similarity(items) == {}

    def test_unreadable_files_are_skipped(self) -> None:
        items = [item("wancheng.txt", REPORT), Item("broken.pdf", None, None, None)]
        assert similarity.batch_similarity(items) == {}


@pytest.mark.parametrize(
    ("agency", "names"),
    [
        ("宛城区人民政府办公室", ("宛城区人民政府办公室", "宛城区")),
        ("太平镇人民政府", ("太平镇人民政府", "太平镇")),
        (None, ()),
    ],
)
def test_the_agency_name_and_its_place_are_left_out(
    agency: str | None, names: tuple[str, ...]
) -> None:
    assert similarity.agency_names(agency) == names


def test_figures_years_and_punctuation_do_not_count() -> None:
    a = similarity.prepare("2024年，我办共收到申请36件，同比增长12.5%。")
    b = similarity.prepare("二〇二三年我办共收到申请41件,同比增长3%")
    assert a.text == b.text == "我办共收到申请件同比增长"


@pytest.mark.parametrize("size", [1, 2, 3, 8, 12, 13])
def test_window_hashes_are_the_polynomial_of_each_window(size: int) -> None:
    text = "本报告根据条例编制，统计期限为一年。ABC"
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    expected = [
        sum(
            ord(c) * pow(1_000_003, size - 1 - j, 1 << 64) for j, c in enumerate(text[i : i + size])
        )
        % (1 << 64)
        for i in range(len(text) - size + 1)
    ]
    assert similarity.kgram_hashes(codes, size).tolist() == expected
