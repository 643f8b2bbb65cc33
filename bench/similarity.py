"""雷同 detection over a batch (D-02) and year-on-year (D-01): seconds, peak memory, and precision
and recall on planted copies; beside it, an exact pairwise SequenceMatcher extrapolated to O(n²).

Usage:  uv run python bench/similarity.py [--count 10000] [--planted 300] [--sample 200]

Synthetic reports, deterministic (seeded): the narrative sections 一, 五 and 六 are made of the
corpus's own clauses (shared/corpus), drawn at random, each reworded at random (phrase
substitutions, an agency-specific topic word, new figures) and joined in a shuffled order, so
two reports share wording the way unrelated reports of one region do (phrases, not passages).
Then copies are planted:
- `--planted` pairs of different agencies where one report took a section (or the whole
  narrative) of the other, with its own name and figures, sometimes one sentence dropped or
  added or the sentences reordered: D-02 must find each pair;
- a tenth of the agencies also have last year's report, a copy with other figures: D-02 must
  NOT report these (same agency: D-01's business); D-01 is timed on these pairs.
Reports are built as AnnualReport values (no parsing), so the figures are the measure's alone.
Everything runs in one process (one core).
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import resource
import sys
import time
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.domain.report import similarity
from gongkai.domain.report.model import AnnualReport, Section
from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.schema import FormatVersion
from tests.report.fixtures import CORPUS

SUBSTITUTIONS = [
    ("进一步", "持续"),
    ("加强", "强化"),
    ("提升", "提高"),
    ("完善", "健全"),
    ("政务公开", "信息公开"),
    ("及时", "按时"),
    ("工作", "事项"),
    ("规范", "标准"),
    ("平台", "渠道"),
    ("群众", "公众"),
    ("落实", "执行"),
    ("推进", "推动"),
    ("不够", "仍不"),
    ("部分", "个别"),
    ("确保", "保证"),
    ("深入", "扎实"),
    ("建设", "管理"),
    ("有关", "相关"),
]
TOPICS = [
    "食品安全",
    "社会保障",
    "交通运输",
    "生态环境",
    "教育培训",
    "医疗卫生",
    "住房保障",
    "农业农村",
    "市场监管",
    "应急管理",
    "文化旅游",
    "水利工程",
    "财政预算",
    "自然资源",
    "民政服务",
    "退役军人",
    "乡村振兴",
    "营商环境",
    "城市管理",
    "审计监督",
]
PLACES = "东西南北中安平和兴华昌宁泰康丰乐阳山川河湖林源清新永长"
DEPARTMENTS = [
    "人民政府办公室",
    "财政局",
    "教育局",
    "民政局",
    "司法局",
    "人力资源和社会保障局",
    "自然资源局",
    "生态环境分局",
    "住房和城乡建设局",
    "交通运输局",
    "水利局",
    "农业农村局",
    "商务局",
    "文化和旅游局",
    "卫生健康委员会",
    "应急管理局",
    "审计局",
    "市场监督管理局",
    "统计局",
    "医疗保障局",
]


def corpus_clauses() -> list[str]:
    """Clauses (between commas and stops) of every narrative section of the corpus."""
    clauses: set[str] = set()
    for path in sorted(CORPUS.glob("*.txt")):
        report = parse_report(path.read_bytes(), path.name).report
        for number in (1, 5, 6):
            text = "".join(report.section_text(number).split())
            for piece in re.split(r"[，,。；;：:！？\n]", text):
                if len(piece) >= 8 and not re.search(r"\d{2,}|表格|第二十条", piece):
                    clauses.add(piece)
    return sorted(clauses)


MODIFIERS = [
    "切实",
    "全面",
    "认真",
    "有效",
    "依法",
    "稳步",
    "扎实",
    "统筹",
    "积极",
    "主动",
    "严格",
    "持续",
    "重点",
    "逐步",
    "着力",
    "分类",
    "定期",
    "同步",
    "专项",
    "常态化",
]


def reword(clause: str, rng: random.Random) -> str:
    """The clause as another office would write it: some words substituted, and a modifier or a
    topic put in every 5 to 9 characters (so unrelated reports share phrases, not passages)."""
    for old, new in SUBSTITUTIONS:
        if old in clause and rng.random() < 0.5:
            clause = clause.replace(old, new)
    pieces: list[str] = []
    while clause:
        cut = rng.randint(5, 9)
        pieces.append(clause[:cut])
        clause = clause[cut:]
        if clause and rng.random() < 0.8:
            pieces.append(rng.choice(MODIFIERS) if rng.random() < 0.6 else rng.choice(TOPICS))
    if rng.random() < 0.3:
        pieces.append(f"{rng.randint(2, 99)}项")
    return "".join(pieces)


def sentences(clauses: list[str], rng: random.Random, count: int) -> list[str]:
    return [
        "，".join(reword(rng.choice(clauses), rng) for _ in range(rng.randint(2, 4))) + "。"
        for _ in range(count)
    ]


FEE_SENTENCE = (
    "依申请公开收费标准按照《政府信息公开信息处理费管理办法》执行，未收取任何信息处理费。"
)


def narrative(agency: str, clauses: list[str], rng: random.Random) -> dict[int, list[str]]:
    year_sentence = f"2024年，{agency}认真贯彻《中华人民共和国政府信息公开条例》。"
    return {
        1: [year_sentence, *sentences(clauses, rng, rng.randint(8, 14))],
        5: sentences(clauses, rng, rng.randint(4, 9)),
        6: [FEE_SENTENCE, *sentences(clauses, rng, rng.randint(0, 2))],
    }


def build(agency: str, year: int, parts: dict[int, list[str]]) -> AnnualReport:
    headings = {1: "一、总体情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}
    return AnnualReport(
        format=FormatVersion.V2021,
        year=year,
        agency=agency,
        title=f"{agency}{year}年政府信息公开工作年度报告",
        sections=tuple(Section(n, headings[n], "\n".join(parts[n])) for n in (1, 5, 6)),
    )


def new_figures(sentence: str, rng: random.Random) -> str:
    return re.sub(r"\d+", lambda m: str(int(m.group()) + rng.randint(1, 9)), sentence)


def copied(
    source: dict[int, list[str]],
    own: dict[int, list[str]],
    numbers: tuple[int, ...],
    names: tuple[str, str],
    rng: random.Random,
) -> dict[int, list[str]]:
    """`own` with the sections `numbers` taken from `source`, as a copier edits them."""
    result = {n: list(s) for n, s in own.items()}
    for number in numbers:
        taken = [new_figures(s.replace(names[0], names[1]), rng) for s in source[number]]
        roll = rng.random()
        if roll < 0.25 and len(taken) > 3:
            taken.pop(rng.randrange(1, len(taken)))  # one sentence dropped
        elif roll < 0.5:
            taken.insert(rng.randrange(len(taken) + 1), own[number][-1])  # one of its own added
        elif roll < 0.65:
            rng.shuffle(taken)  # reordered
        result[number] = taken
    return result


class Item:
    __slots__ = ("agency", "name", "report", "year")

    def __init__(self, name: str, report: AnnualReport) -> None:
        self.name, self.report, self.agency, self.year = name, report, report.agency, report.year


def make_batch(
    count: int, planted: int, seed: int = 2025
) -> tuple[list[Item], set[frozenset[str]], list[tuple[AnnualReport, AnnualReport]]]:
    rng = random.Random(seed)
    clauses = corpus_clauses()
    agencies: list[str] = []
    seen: set[str] = set()
    repeats = count // 10
    while len(agencies) < count - repeats:
        name = f"{rng.choice(PLACES)}{rng.choice(PLACES)}县{rng.choice(DEPARTMENTS)}"
        if name not in seen:
            seen.add(name)
            agencies.append(name)
    texts = {agency: narrative(agency, clauses, rng) for agency in agencies}
    truth: set[frozenset[str]] = set()
    order = list(agencies)
    rng.shuffle(order)
    # Last year's reports are for agencies that take no part in a planted copy (else last year's
    # report would share the copied section too, and rightly be reported).
    repeated = order[2 * planted : 2 * planted + repeats]
    for k in range(planted):
        source, target = order[2 * k], order[2 * k + 1]
        numbers = (1, 5, 6) if k % 5 == 0 else (rng.choice((1, 5)),)
        texts[target] = copied(texts[source], texts[target], numbers, (source, target), rng)
        truth.add(frozenset((f"{source}-2024", f"{target}-2024")))
    items = [Item(f"{a}-2024", build(a, 2024, texts[a])) for a in agencies]
    pairs: list[tuple[AnnualReport, AnnualReport]] = []
    index = {agency: position for position, agency in enumerate(agencies)}
    for agency in repeated:
        last = {
            n: [new_figures(s.replace("2024年", "2023年"), rng) for s in part]
            for n, part in texts[agency].items()
        }
        previous = build(agency, 2023, last)
        items.append(Item(f"{agency}-2023", previous))
        pairs.append((items[index[agency]].report, previous))
    return items, truth, pairs


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def found_pairs(result: dict[str, list[object]]) -> set[frozenset[str]]:
    pairs: set[frozenset[str]] = set()
    for name, findings in result.items():
        for finding in findings:
            other = re.search(r"《([^》]+)》", finding.message)  # type: ignore[attr-defined]
            if other:
                pairs.add(frozenset((name, other.group(1))))
    return pairs


def baseline(items: list[Item], sample: int, rng: random.Random) -> float:
    """CPU seconds per pair of difflib's exact SequenceMatcher ratio on two whole narratives."""
    texts = [
        similarity.prepare("\n".join(s.text for s in item.report.sections)).text
        for item in items
        if item.report is not None
    ]
    pairs = [rng.sample(range(len(texts)), 2) for _ in range(sample)]
    start = time.process_time()
    for i, j in pairs:
        SequenceMatcher(None, texts[i], texts[j], autojunk=False).ratio()
    return (time.process_time() - start) / sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--planted", type=int, default=300)
    parser.add_argument("--sample", type=int, default=200)
    args = parser.parse_args()

    start = time.perf_counter()
    items, truth, year_pairs = make_batch(args.count, args.planted)
    made = time.perf_counter() - start
    gc.collect()
    before = peak_mb()
    print(f"{len(items)} reports made in {made:.1f} s ({before:.0f} MB peak RSS so far)")

    start = time.perf_counter()
    import datasketch  # noqa: F401  (timed apart: its import pulls numpy and scipy)

    imported = time.perf_counter() - start
    # batch_similarity(items) is batch_clusters(items)[0]: index, candidates, exact measure and
    # findings in one pass (each section placed in its cluster as it comes).
    start, cpu = time.perf_counter(), time.process_time()
    result, stats = similarity.batch_clusters(items)
    elapsed_d02, cpu_d02 = time.perf_counter() - start, time.process_time() - cpu
    peak = peak_mb()
    found = found_pairs(result)  # type: ignore[arg-type]
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    findings = sum(len(f) for f in result.values())
    print(f"datasketch import (numpy, scipy): {imported:.1f} s")
    print(
        f"D-02 over {len(items)} reports: {stats.sections} sections long enough, "
        f"{stats.clusters} clusters, {stats.candidates} representatives proposed by the LSH, "
        f"{stats.compared} exact comparisons (cap {similarity.settings().max_candidates} a "
        f"section); {elapsed_d02:.1f} s (CPU {cpu_d02:.1f} s, "
        f"{cpu_d02 / len(items) * 1000:.2f} ms a report); "
        f"peak RSS {peak:.0f} MB (+{peak - before:.0f} MB)"
    )
    print(
        f"planted copies: {len(truth)} pairs of agencies; reported {len(found)} pairs "
        f"({findings} findings); precision {precision:.3f}, recall {recall:.3f}"
    )
    missed = sorted(tuple(sorted(p)) for p in truth - found)[:3]
    if missed:
        print(f"  missed, e.g.: {missed}")
    wrong = sorted(tuple(sorted(p)) for p in found - truth)[:3]
    if wrong:
        print(f"  not planted, e.g.: {wrong}")

    start, cpu = time.perf_counter(), time.process_time()
    d01 = sum(bool(similarity.d01_findings(report, previous)) for report, previous in year_pairs)
    elapsed, elapsed_cpu = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"D-01 on {len(year_pairs)} same-agency pairs (last year's copied with new figures): "
        f"{d01} found, {elapsed:.1f} s (CPU {elapsed_cpu:.1f} s, "
        f"{elapsed_cpu / max(len(year_pairs), 1) * 1000:.2f} ms a pair)"
    )

    per_pair = baseline(items, args.sample, random.Random(7))
    n = len(items)
    all_pairs = n * (n - 1) // 2
    print(
        f"baseline: difflib SequenceMatcher.ratio on whole narratives, CPU {per_pair * 1000:.1f} ms "
        f"a pair (sample of {args.sample}) × {all_pairs:,} pairs = {per_pair * all_pairs / 3600:.0f} "
        f"h on one core"
    )


if __name__ == "__main__":
    main()
