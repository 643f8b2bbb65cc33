"""D-02 over a batch of many near-copies: clusters, one representative each, a capped number of
exact comparisons per section, the same result whatever the order of the files.

Families are built by hand from texts whose authorship is known: section 一 and 五 of the
Wancheng report (corpus), the market bureau and rewritten-office texts of test_similarity.py,
section 五 of 文登区信访局's report (corpus). Every copy is one family's text with other figures,
another agency's name and, in one copy of three, a sentence left out; so which family each
report belongs to is known before the code runs.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from gongkai.domain.report import similarity
from gongkai.domain.report.model import AnnualReport, Section
from gongkai.domain.report.schema import FormatVersion
from tests.report.test_similarity import (
    MARKET_S1,
    REPORT,
    REWRITTEN_S1,
    REWRITTEN_S5,
    WENDENG_S5,
)

HEADINGS = {1: "一、总体情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}

# Three families of (section 一, section 五), each written by a different hand.
FAMILIES = {
    "wancheng": (REPORT.section_text(1), REPORT.section_text(5)),
    "market": ("\n".join(MARKET_S1.values()), WENDENG_S5),
    "office": ("\n".join(REWRITTEN_S1.values()), REWRITTEN_S5),
}
SIZES = {"wancheng": 80, "market": 70, "office": 50}  # 200 reports


@dataclass(frozen=True)
class Item:
    name: str
    report: AnnualReport | None
    agency: str | None
    year: int | None


def sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；\n])", text) if s.strip()]


def variant(text: str, rng: random.Random, drop: bool) -> str:
    """The text as a copier edits it: other figures, maybe one sentence left out."""
    text = re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), text)
    parts = sentences(text)
    if drop and len(parts) > 4:
        parts.pop(rng.randrange(1, len(parts)))
    return "".join(parts)


def report(agency: str, year: int, s1: str, s5: str) -> AnnualReport:
    texts = {1: s1, 5: s5, 6: "本机关无其他需要报告的事项。"}
    return AnnualReport(
        format=FormatVersion.V2021,
        year=year,
        agency=agency,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        sections=tuple(Section(n, HEADINGS[n], texts[n]) for n in (1, 5, 6)),
    )


def family_batch(seed: int = 13) -> tuple[list[Item], dict[str, str]]:
    """200 reports of 200 agencies in three families, shuffled; and each file's family."""
    rng = random.Random(seed)
    items: list[Item] = []
    family_of: dict[str, str] = {}
    number = 0
    for family, (s1, s5) in FAMILIES.items():
        for _ in range(SIZES[family]):
            number += 1
            agency = f"第{number}街道办事处"
            drop = number % 3 == 0
            name = f"{rng.randrange(10**6):06d}-{number}.txt"  # the name says nothing of family
            built = report(agency, 2024, variant(s1, rng, drop), variant(s5, rng, drop))
            items.append(Item(name, built, agency, 2024))
            family_of[name] = family
    rng.shuffle(items)
    return items, family_of


def named(message: str) -> str:
    """The file a D-02 message names (the first 《…》)."""
    match = re.search(r"《([^》]+)》", message)
    assert match, message
    return match.group(1)


@pytest.fixture(scope="module")
def families() -> tuple[list[Item], dict[str, str], dict[str, list[similarity.Finding]]]:
    items, family_of = family_batch()
    return items, family_of, similarity.batch_similarity(items)


Found = tuple[list[Item], dict[str, str], dict[str, list[similarity.Finding]]]


class TestFamiliesOfCopies:
    def test_every_copied_report_is_reported_once_per_copied_section(self, families: Found) -> None:
        items, _, found = families
        assert set(found) == {i.name for i in items}
        for item in items:
            assert [(f.rule, f.where) for f in found[item.name]] == [("D-02", "s1"), ("D-02", "s5")]

    def test_each_names_a_report_of_its_own_family(self, families: Found) -> None:
        items, family_of, found = families
        for item in items:
            for finding in found[item.name]:
                other = named(finding.message)
                assert other != item.name
                assert family_of[other] == family_of[item.name], finding.message

    def test_a_family_is_named_by_its_representative_and_counted(self, families: Found) -> None:
        items, family_of, found = families
        for family, size in SIZES.items():
            members = sorted(i.name for i in items if family_of[i.name] == family)
            representative = members[0]  # the same year: the first file name
            for name in members:
                for finding in found[name]:
                    assert f"与本批次另{size - 1}份其他单位报告雷同" in finding.message
                    if name == representative:
                        assert "本报告为这组雷同文本的代表" in finding.message
                        assert named(finding.message) in members
                    else:
                        assert f"代表报告《{representative}》" in finding.message
                    # the copied passages are quoted, the share given
                    assert re.search(r"相同内容占本部分的\d+%", finding.message)
                    assert "疑似与其他单位报告雷同：“" in finding.message

    def test_the_order_of_the_files_changes_nothing(self, families: Found) -> None:
        items, _, found = families
        for seed in (1, 2):
            shuffled = list(items)
            random.Random(seed).shuffle(shuffled)
            assert similarity.batch_similarity(shuffled) == found

    def test_the_cost_is_one_comparison_per_copied_section(self) -> None:
        items, _ = family_batch()
        _, stats = similarity.batch_clusters(items)
        # 200 reports × sections 一 and 五 (六 is template wording only, too short).
        assert stats.sections == 400
        assert stats.clusters == 6
        # each copy measured against its representative alone (the families are far apart),
        # or not measured at all when its normalised wording is the representative's
        assert stats.compared + stats.identical == 400 - 6
        assert stats.identical > 100  # the copies that lost no sentence

    def test_identical_wording_is_reported_as_the_measure_would(
        self, families: Found, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        items, _, found = families
        monkeypatch.setattr(similarity._SectionClusters, "identical_copy", lambda *_: False)
        measured, stats = similarity.batch_clusters(items)
        assert stats.identical == 0 and stats.compared == 400 - 6
        assert measured == found


def test_the_earliest_year_is_the_representative_and_its_agency_is_not_its_own_copy() -> None:
    # 甲 copied its own 2023 report in 2024 (D-01's business) and 乙 copied 甲's: 甲 2024 is
    # named with 乙's report, never with 甲's own; 甲 2023 comes first (earliest year).
    rng = random.Random(5)
    s1, s5 = FAMILIES["wancheng"]
    items = [
        Item("b.txt", report("乙局", 2024, variant(s1, rng, False), s5), "乙局", 2024),
        Item("a-2024.txt", report("甲局", 2024, variant(s1, rng, False), s5), "甲局", 2024),
        Item("a-2023.txt", report("甲局", 2023, variant(s1, rng, False), s5), "甲局", 2023),
    ]
    found = similarity.batch_similarity(items)
    assert {name: [named(f.message) for f in fs] for name, fs in found.items()} == {
        "a-2023.txt": ["b.txt", "b.txt"],
        "a-2024.txt": ["b.txt", "b.txt"],
        "b.txt": ["a-2023.txt", "a-2023.txt"],
    }
    # 甲's reports meet one report of another agency: the pair's message, no count; 乙's meets
    # two (甲's two years).
    assert found["a-2024.txt"][0].message.startswith("第一部分与《b.txt》（乙局）第一部分相同内容")
    assert found["b.txt"][0].message.startswith("第一部分与本批次另2份其他单位报告雷同")


def test_copies_of_one_agency_only_are_not_d02() -> None:
    rng = random.Random(6)
    s1, s5 = FAMILIES["office"]
    items = [
        Item(f"{year}.txt", report("甲局", year, variant(s1, rng, False), s5), "甲局", year)
        for year in (2022, 2023, 2024)
    ]
    assert similarity.batch_similarity(items) == {}


# ------------------------------------------------------------------ the cap


def random_text(rng: random.Random, length: int) -> str:
    """Ideographs drawn at random: no two such texts share a 12-character passage."""
    return "".join(chr(rng.randrange(0x4E00, 0x9FA5)) for _ in range(length))


def near_misses(count: int) -> list[Item]:
    """Sections 一 of `count` agencies sharing 70% of their wording (a common part and one of
    their own): each is a candidate of every other (Jaccard ~0.5) but none is a copy (< 80%)."""
    rng = random.Random(3)
    common = random_text(rng, 350)
    return [
        Item(
            f"{n:02d}.txt",
            report(f"第{n}局", 2024, common + random_text(rng, 150), ""),
            f"第{n}局",
            2024,
        )
        for n in range(count)
    ]


def comparisons_per_section(
    monkeypatch: pytest.MonkeyPatch, items: list[Item], cap: int
) -> tuple[list[int], similarity.BatchStats]:
    """How many representatives each section was measured against, with max_candidates = cap."""
    capped = dataclasses.replace(similarity.settings(), max_candidates=cap)
    monkeypatch.setattr(similarity, "settings", lambda: capped)
    counts: dict[int, int] = {}
    measure = similarity._SectionClusters.measure

    def counted(self: similarity._SectionClusters, entry: int, *args: object) -> object:
        counts[entry] = counts.get(entry, 0) + 1
        return measure(self, entry, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(similarity._SectionClusters, "measure", counted)
    found, stats = similarity.batch_clusters(items)
    assert found == {}  # no copies: every section is a representative
    return [counts.get(entry, 0) for entry in range(len(items))], stats


def test_at_most_max_candidates_representatives_are_measured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    items = near_misses(12)
    counts, stats = comparisons_per_section(monkeypatch, items, cap=3)
    assert stats.clusters == 12
    assert stats.candidates > 3 * 12  # the LSH proposed more than the cap allows …
    assert max(counts) == 3  # … and no section was measured against more than 3
    assert counts[:4] == [0, 1, 2, 3]


def test_without_a_tight_cap_every_candidate_is_measured(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same batch with a cap above the candidates: the count above is the cap's doing.
    counts, stats = comparisons_per_section(monkeypatch, near_misses(12), cap=100)
    assert sum(counts) == stats.candidates > 3 * 12


def iter_findings(found: dict[str, list[similarity.Finding]]) -> Iterator[similarity.Finding]:
    for findings in found.values():
        yield from findings
