"""Batch audit (gongkai/domain/report/batch.py) and risk scores (risk.py), on corpus reports.

Truth checked by hand against /work/shared/corpus/wancheng-office-2024.txt: its table 三 row
"二、上年结转" is 0 in all seven columns (lines 97–103), "一、本年新收" is 33 2 0 0 0 1 36 (lines
88–94), "四、结转下年度继续办理" is 0 in all seven (lines 345–351); it has two warnings, S-09 and
S-05 (tests/cli/test_check.py). The 2023 report made from it below carries 3 applications of
natural persons forward and received 3 more of them, so its own table adds up (T3-01: 36 + 0 =
33 + 3 in 自然人, 39 + 0 = 36 + 3 in 总计) and only the pair is wrong: 2024's 上年结转 (0) ≠
2023's 结转下年度 (3): X-01 on 总计, X-02 on 自然人.
"""

from __future__ import annotations

import io
import math
import zipfile
from pathlib import Path

import pytest

from gongkai.domain.report.batch import (
    ArchiveLimits,
    AuditedReport,
    archive_sources,
    audit_batch,
    identity_from_filename,
    merge_findings,
    normalise_agency,
    pair_previous,
    read_one,
)
from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.parsers import ReportParseError
from gongkai.domain.report.risk import (
    agency_risks,
    default_weights,
    load_weights,
    report_points,
    report_risk,
)
from tests.report.fixtures import CORPUS, WANCHENG

NEW_2024 = "\t一、本年新收政府信息公开申请数量\n\t33\n\t2\n\t0\n\t0\n\t0\n\t1\n\t36\n"
CARRY_OUT_ZERO = "\t四、结转下年度继续办理\n" + "\t0\n" * 7


def wancheng_2023_carrying_three() -> str:
    """The Wancheng report as a consistent 2023 report that carried 3 applications forward."""
    text = WANCHENG.read_text("utf-8").replace("2024", "2023")
    assert NEW_2024 in text and CARRY_OUT_ZERO in text
    new_2023 = "\t一、本年新收政府信息公开申请数量\n\t36\n\t2\n\t0\n\t0\n\t0\n\t1\n\t39\n"
    text = text.replace(NEW_2024, new_2023, 1)
    return text.replace(
        CARRY_OUT_ZERO, "\t四、结转下年度继续办理\n\t3\n" + "\t0\n" * 5 + "\t3\n", 1
    )


def rules(item: AuditedReport) -> list[str]:
    return [f.rule for f in item.findings]


# ------------------------------------------------------------------ agency and year


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("宛城区人民政府办公室", "宛城区人民政府办公室"),
        ("宛城区政府办公室", "宛城区人民政府办公室"),
        ("宛城区政府办", "宛城区人民政府办公室"),
        ("宛城区人民政府办", "宛城区人民政府办公室"),
        ("宛城区 人民政府 办公室", "宛城区人民政府办公室"),
        ("宛城区政府", "宛城区人民政府"),
        ("宛城区人民政府", "宛城区人民政府"),  # the government, not its office
        ("宛城区财政局（本级）", "宛城区财政局(本级)"),
        ("南阳市宛城区财政局", "南阳市宛城区财政局"),  # no place name dropped
        ("", None),
        (None, None),
    ],
)
def test_agency_names_are_normalised_conservatively(name: str | None, key: str | None) -> None:
    assert normalise_agency(name) == key


@pytest.mark.parametrize(
    ("file", "identity"),
    [
        ("宛城区财政局2023年政府信息公开工作年度报告.pdf", ("宛城区财政局", 2023)),
        ("a.zip/县/宛城区政府办2022年度政府信息公开年报.docx", ("宛城区人民政府办公室", 2022)),
        ("2023年太平镇人民政府政府信息公开工作年度报告.txt", ("太平镇人民政府", 2023)),
        ("report-2021.html", (None, 2021)),
        ("年度报告.txt", (None, None)),
    ],
)
def test_agency_and_year_from_the_file_name(
    file: str, identity: tuple[str | None, int | None]
) -> None:
    assert identity_from_filename(file) == identity


# ------------------------------------------------------------------ one report


def test_read_one_gives_the_report_its_findings_identity_and_risk() -> None:
    item = read_one("wancheng.txt", WANCHENG.read_bytes())
    assert item.kind == "text" and item.error is None and item.report is not None
    assert (item.agency, item.year, item.previous) == ("宛城区人民政府办公室", 2024, None)
    assert rules(item) == ["S-09", "S-05"]
    # S-09 weighs 0.5, S-05 0.25, a warning 1 point: 0.75 points → 100·(1 − e^(−0.75/20)).
    assert item.risk == round(100 * (1 - math.exp(-0.75 / 20)), 1) == 3.7


def test_an_unreadable_file_is_an_item_with_its_reason_never_an_exception() -> None:
    item = read_one("x.zip/宛城区财政局2023年报告.docx", b"PK\x03\x04 not really a zip")
    assert item.report is None and item.kind is None and item.findings == ()
    assert item.error is not None and "Word" in item.error
    assert (item.agency, item.year) == ("宛城区财政局", 2023)  # from the name
    assert item.risk == default_weights().unreadable == 50.0
    assert read_one("empty.txt", b"").error == "文件为空"


# ------------------------------------------------------------------ pairs


def test_consecutive_years_of_one_agency_are_paired_for_the_cross_year_rules() -> None:
    last = read_one("2023.txt", wancheng_2023_carrying_three().encode("utf-8"))
    this = read_one("2024.txt", WANCHENG.read_bytes())
    assert last.year == 2023 and last.agency == this.agency
    # The 2023 report on its own adds up: no arithmetic error.
    assert not [f for f in last.findings if f.rule.startswith("T3")]
    paired = pair_previous([this, last])
    assert paired[0].previous == "2023.txt" and paired[1].previous is None
    x = [(f.rule, f.severity, f.where) for f in paired[0].findings if f.rule.startswith("X")]
    # too: the 2023 text is the 2024 text with the years changed (内容雷同).
    assert sorted(x) == [
        ("X-01", Severity.ERROR, "t3.carry_in.total"),
        ("X-02", Severity.WARNING, "t3.carry_in.natural"),
        ("X-04", Severity.WARNING, "s5"),
        ("X-05", Severity.WARNING, "report"),
    ]
    x01 = next(f for f in paired[0].findings if f.rule == "X-01")
    assert "上年结转(0)" in x01.message and "(3)" in x01.message
    assert paired[0].risk > this.risk
    # Pairing again changes nothing (the cross-year findings are not added twice).
    assert pair_previous(paired) == paired


def test_two_reports_for_the_same_previous_year_are_not_guessed_between() -> None:
    last = read_one("2023.txt", wancheng_2023_carrying_three().encode("utf-8"))
    copy = read_one("2023-copy.html", wancheng_2023_carrying_three().encode("utf-8"))
    this = read_one("2024.txt", WANCHENG.read_bytes())
    paired = pair_previous([this, last, copy])
    assert paired[0].previous is None and "X-01" not in rules(paired[0])


def test_extra_checks_are_merged_and_rescored() -> None:
    item = read_one("a.txt", WANCHENG.read_bytes())
    d02 = Finding("D-02", Severity.WARNING, "report", "与其他机关报告雷同")
    [merged] = merge_findings([item], {"a.txt": [d02]})
    assert "D-02" in rules(merged)
    # + 6 points (a warning × the D family's 6): 6.75 points in all.
    assert merged.risk == round(100 * (1 - math.exp(-6.75 / 20)), 1)


# ------------------------------------------------------------------ the batch


def test_the_batch_in_two_processes_equals_one_process_in_order(tmp_path: Path) -> None:
    corpus = sorted(CORPUS.glob("*.txt"))
    previous = wancheng_2023_carrying_three().encode("utf-8")
    sources = [(p.name, p.read_bytes) for p in corpus]
    sources += [("2023.txt", lambda: previous), ("missing.txt", _missing)]
    seen: list[tuple[int, int]] = []
    one = audit_batch(sources, jobs=1)
    two = audit_batch(sources, jobs=2, progress=lambda done, total: seen.append((done, total)))
    assert [i.name for i in two] == [name for name, _ in sources]
    assert one == two
    assert seen[-1] == (len(sources), len(sources))
    wancheng = next(i for i in two if i.name == WANCHENG.name)
    assert wancheng.previous == "2023.txt" and "X-01" in rules(wancheng)
    assert two[-1].error == "找不到文件"
    assert not any(
        f.rule[:3] in ("T3-", "T4-") and f.severity is Severity.ERROR
        for item in two
        for f in item.findings
    )


def _missing() -> bytes:
    raise ReportParseError("找不到文件")


def test_the_batch_runs_extra_checks_before_scoring() -> None:
    calls: list[int] = []

    def check(items: list[AuditedReport]) -> dict[str, list[Finding]]:
        calls.append(len(items))
        return {"a.txt": [Finding("D-02", Severity.WARNING, "report", "雷同")]}

    [item] = audit_batch([("a.txt", WANCHENG.read_bytes)], jobs=1, extra_checks=[check])
    assert calls == [1] and "D-02" in rules(item) and item.risk > 20


# ------------------------------------------------------------------ .zip archives


def _zip(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, data)
    return out.getvalue()


def test_zip_members_are_named_safely_and_read_lazily() -> None:
    report = WANCHENG.read_bytes()
    # Windows' archivers write names in GBK without the UTF-8 flag: patched in after writing.
    gbk = "宛城区/财政局2024年报.txt".encode("gbk")
    placeholder = "P" * len(gbk)
    inner = _zip([("b.html", b"<html><body><p>x</p></body></html>")])
    data = _zip(
        [
            ("dir/a.txt", report),
            (placeholder, report),
            ("../../etc/evil.txt", b"x"),
            ("__MACOSX/dir/._a.txt", b"junk"),
            ("photo.gif", b"GIF89a"),
            ("nested.zip", inner),
        ]
    )
    sources = archive_sources("batch.zip", data.replace(placeholder.encode(), gbk))
    names = [name for name, _ in sources]
    assert names == [
        "batch.zip/dir/a.txt",
        "batch.zip/宛城区/财政局2024年报.txt",
        "batch.zip/etc/evil.txt",
        "batch.zip/nested.zip/b.html",
    ]
    assert sources[0][1]() == report and sources[1][1]() == report


def test_a_zip_bomb_member_and_a_damaged_archive_are_unreadable_not_fatal() -> None:
    bomb = _zip([("a.txt", WANCHENG.read_bytes()), ("bomb.txt", b"0" * (2 * 1024 * 1024))])
    (_, good), (_, bad) = archive_sources("r.zip", bomb)
    assert good() == WANCHENG.read_bytes()
    with pytest.raises(ReportParseError, match="压缩比异常"):
        bad()
    [(name, broken)] = archive_sources("d.zip", bomb[: len(bomb) // 2])
    with pytest.raises(ReportParseError, match="损坏"):
        broken()
    assert name == "d.zip"
    small = ArchiveLimits(max_members=1)
    [(_, refused)] = archive_sources("r.zip", bomb, small)
    with pytest.raises(ReportParseError, match="文件过多"):
        refused()
    items = audit_batch(archive_sources("r.zip", bomb), jobs=1)
    assert [i.error is None for i in items] == [True, False]


# ------------------------------------------------------------------ risk


def finding(rule: str, severity: Severity = Severity.ERROR) -> Finding:
    return Finding(rule, severity, "t3.new.total", "…")


def test_risk_weighs_arithmetic_above_blanks_and_copying_high() -> None:
    t3 = report_points([finding("T3-01")])
    blanks = report_points([finding("S-05", Severity.WARNING)] * 30)
    copied = report_points([finding("D-02", Severity.WARNING)])
    assert t3 == 8.0  # an error (4) × T3 (2)
    assert blanks == 0.25 * (1 + 0.25 * 8)  # repeats count a quarter, at most 8 of them
    assert copied == 6.0
    assert t3 > copied > blanks
    assert report_risk([finding("T3-01")]) == round(100 * (1 - math.exp(-0.4)), 1) == 33.0
    assert report_risk([]) == 0.0
    assert report_risk([], unreadable=True) == 50.0
    assert report_risk([finding("N-07", Severity.INFO)]) == 0.0


def test_the_weights_are_data() -> None:
    weights = load_weights(
        "scale = 10.0\nrepeat = 0\nmax_repeats = 0\nunreadable = 99\n[severity]\nerror = 1\n"
        'warning = 0\ninfo = 0\n[family]\nT3 = 5\n[rule]\n"T3-02" = 1\n'
    )
    assert report_points([finding("T3-01"), finding("T3-02")], weights) == 6.0
    assert report_risk([], unreadable=True, weights=weights) == 99


def test_an_agency_scores_its_worst_report() -> None:
    ranked = agency_risks(
        [("甲局", "a.txt", 10.0), ("甲局", "b.txt", 40.0), ("乙局", "c.txt", 30.0), (None, "d", 5)]
    )
    assert [(a.agency, a.score, a.reports, a.worst) for a in ranked] == [
        ("甲局", 40.0, 2, "b.txt"),
        ("乙局", 30.0, 1, "c.txt"),
        ("（未识别机关）d", 5, 1, "d"),
    ]
