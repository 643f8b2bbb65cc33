"""Parse time of reports whose table rows lost their blank cells (placement.py, issue 13).

Usage:  uv run python bench/collapsed_rows.py [--repeat 200]

Three sets, each parsed `--repeat` times (best of three passes, median per file): the corpus
texts (no collapsed row: the cost of the checks alone); the five files of tests/data/collapsed;
and random consistent 2021 reports whose every zero is printed blank and dropped, so that every
non-empty row of table 三 is collapsed — the worst case of the column search.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from gongkai.domain.report.parsers import parse_report
from gongkai.domain.report.schema import FormatVersion, layout
from tests.report.fixtures import CORPUS

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "collapsed"


def random_report(rng: random.Random) -> bytes:
    """A consistent 2021 table 三 with a few applicants in a few columns, zeros dropped."""
    lay = layout(FormatVersion.V2021)
    leaves = [row.key for row in lay.t3_leaves]
    values: dict[str, list[int]] = {row.key: [0] * 7 for row in lay.t3_rows}
    for column in rng.sample(range(6), rng.randint(1, 3)):
        for key in rng.sample(leaves, rng.randint(1, 5)):
            values[key][column] = rng.randint(1, 40)
        values["carry_out"][column] = rng.randint(0, 3)
        values["carry_in"][column] = rng.randint(0, 3)
    for key in values:
        values[key][6] = sum(values[key][:6])
    for column in range(7):
        values["r_total"][column] = sum(values[key][column] for key in leaves)
        values["new"][column] = (
            values["r_total"][column] + values["carry_out"][column] - values["carry_in"][column]
        )
    if any(v < 0 for v in values["new"]):
        return random_report(rng)
    lines = [
        "某局2024年政府信息公开工作年度报告",
        "一、总体情况",
        "收到申请。",
        "三、收到和处理政府信息公开申请情况",
    ]
    for row in lay.t3_rows:
        lines.append(" ".join([row.label, *(str(v) for v in values[row.key] if v)]))
    lines += [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 行政诉讼",
        "五、存在的主要问题及改进情况",
        "无。",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def measure(files: list[tuple[str, bytes]], repeat: int) -> tuple[float, float]:
    """Median and worst milliseconds per parse, best of three passes."""
    best: list[float] | None = None
    for _ in range(3):
        times = []
        for _ in range(repeat):
            for name, data in files:
                start = time.perf_counter()
                parse_report(data, name)
                times.append((time.perf_counter() - start) * 1000)
        if best is None or statistics.median(times) < statistics.median(best):
            best = times
    assert best is not None
    return statistics.median(best), max(best)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(13)
    sets = {
        "corpus (7 texts)": [(p.name, p.read_bytes()) for p in sorted(CORPUS.glob("*.txt"))],
        "tests/data/collapsed (5)": [
            (p.name, p.read_bytes())
            for p in sorted(DATA.iterdir())
            if p.suffix in (".txt", ".html")
        ],
        "random, every row collapsed (50)": [(f"r{n}.txt", random_report(rng)) for n in range(50)],
    }
    print(f"{'set':36} {'median ms':>10} {'max ms':>8}")
    for name, files in sets.items():
        median, worst = measure(files, max(1, args.repeat // len(files)))
        print(f"{name:36} {median:10.2f} {worst:8.2f}")


if __name__ == "__main__":
    main()
