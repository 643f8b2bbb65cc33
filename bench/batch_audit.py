"""A region's batch audit: `gongkai check FOLDER --jobs 2 --summary FILE` over 10,000 reports.

Usage:  uv run python bench/batch_audit.py [--count 10000] [--jobs 2] [--summary xlsx] [--without-d02]

The reports are made from the corpus with a fixed seed: nine in ten are the Wancheng report for
another agency (4,500 made-up agencies, each for 2023 and 2024, so every one is paired with its
previous year), half of them as text and half as HTML, with their figures moved consistently
(本年新收, 予以公开 and 总计 by the same amount; one in ten with a deliberate T3 error); one in
ten are the six partial corpus texts. Two phases run in fresh processes, one after the other:

- baseline: `parse_report` alone over the same files, in one process;
- batch: the command, parse + every rule + pairing + 雷同 across agencies (D-02) + risk + the
  summary file, in `--jobs` processes; the seconds spent in D-02 are timed apart;
- with `--without-d02`, first the same command without D-02 (the checks over the whole batch
  left out), the side-by-side baseline of D-02's cost. Nine in ten reports are then near-copies
  of one text: the worst case for 雷同 detection, and what a region of templated township
  reports looks like.

Each prints its wall time, reports per second and memory: the peak RSS of the command's own
process (getrusage RUSAGE_SELF), and the peak of the summed RSS of it and its workers, sampled
from /proc every 0.1 s (the workers are children of multiprocessing's fork server, which outlives
the batch, so RUSAGE_CHILDREN never sees them).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.report.fixtures import CORPUS, WANCHENG, wancheng_html  # noqa: E402

AGENCY = "宛城区人民政府办公室"
_PLACE = "东西南北中安平兴和宁新华阳城山河湖海林泉清丰"
_BODIES = [
    "人民政府办公室",
    "财政局",
    "教育局",
    "公安局",
    "民政局",
    "司法局",
    "自然资源局",
    "生态环境局",
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
    "信访局",
    "人力资源和社会保障局",
    "退役军人事务局",
    "林业局",
]
_CELL = re.compile(r"(?:</td><td[^>]*>|\n\t)([^<\n]*)")


def _agencies(count: int, rng: random.Random) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        place = "".join(rng.sample(_PLACE, 2)) + rng.choice("区县市")
        names.add(place + rng.choice(_BODIES))
    return sorted(names)


def _shift(text: str, label: str, delta: int, columns: tuple[int, ...] = (0, 6)) -> str:
    """Add `delta` to the given cells (0 = 自然人, 6 = 总计) of the row after `label`, in the
    text export (a TAB line per cell) and in the HTML table alike."""
    start = text.index(label) + len(label)
    pieces, last = [], start
    for index, match in enumerate(_CELL.finditer(text, start)):
        if index > 6:
            break
        if index in columns:
            pieces += [text[last : match.start(1)], str(int(match[1]) + delta)]
            last = match.end(1)
    return text[:start] + "".join(pieces) + text[last:]


def _variant(template: str, agency: str, year: int, delta: int, broken: bool) -> str:
    text = template.replace(AGENCY, agency).replace("2024", str(year))
    text = _shift(text, "一、本年新收政府信息公开申请数量", delta)
    text = _shift(text, "（一）予以公开", delta)
    text = _shift(text, "（七）总计", delta, (0,) if broken else (0, 6))
    return text.replace("申请36件", f"申请{36 + delta}件")


def make_files(folder: Path, count: int) -> None:
    rng = random.Random(2025)
    plain, page = WANCHENG.read_text("utf-8"), wancheng_html()
    partial = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.txt")) if p != WANCHENG]
    paired = count * 9 // 10 // 2
    agencies = _agencies(paired, rng)
    n = 0
    for number, agency in enumerate(agencies):
        html = number % 2 == 1
        for year in (2023, 2024):
            text = _variant(
                page if html else plain, agency, year, rng.randint(0, 40), rng.random() < 0.1
            )
            name = f"{agency}{year}年政府信息公开工作年度报告.{'html' if html else 'txt'}"
            (folder / f"{n // 1000:02d}").mkdir(exist_ok=True)
            (folder / f"{n // 1000:02d}" / name).write_text(text, "utf-8")
            n += 1
    while n < count:
        (folder / f"{n // 1000:02d}").mkdir(exist_ok=True)
        (folder / f"{n // 1000:02d}" / f"partial-{n}.txt").write_text(
            partial[n % len(partial)], "utf-8"
        )
        n += 1


class TreeMemory:
    """Peak of the summed RSS of this process and every descendant, sampled from /proc."""

    def __init__(self, interval: float = 0.1) -> None:
        self.peak = 0
        self.cpu: dict[int, float] = {}  # last seen user+system seconds of each descendant
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._hz = os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.peak = max(self.peak, self._sample())

    def _children(self, pid: int) -> list[int]:
        found: list[int] = []
        with contextlib.suppress(OSError):
            for task in os.listdir(f"/proc/{pid}/task"):
                with contextlib.suppress(OSError):
                    text = Path(f"/proc/{pid}/task/{task}/children").read_text()
                    found.extend(int(child) for child in text.split())
        return found

    def _sample(self) -> int:
        """Walk the tree through /proc/PID/task/TID/children (cheap: no scan of all of /proc,
        which on a busy machine cost a tenth of a core at this rate)."""
        tree, todo = [], [os.getpid()]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo.extend(self._children(pid))
        total = 0
        for pid in tree:
            with contextlib.suppress(OSError, IndexError, ValueError):
                total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * self._page
                if pid != os.getpid():
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    seconds = (int(fields[11]) + int(fields[12])) / self._hz
                    self.cpu[pid] = max(self.cpu.get(pid, 0.0), seconds)
        return total


def phase_baseline(folder: Path) -> dict[str, float]:
    from gongkai.domain.report.parsers import parse_report

    files = sorted(p for p in folder.rglob("*") if p.is_file())
    with TreeMemory() as memory:
        started = time.perf_counter()
        for path in files:
            parse_report(path.read_bytes(), path.name)
        seconds = time.perf_counter() - started
    return _figures(len(files), seconds, memory)


def phase_batch(folder: Path, jobs: int, summary: Path, d02: bool) -> dict[str, float]:
    from gongkai.cli import check
    from gongkai.cli.main import main

    extra = {"seconds": 0.0, "cpu": 0.0, "findings": 0.0}

    def timed(items: list[Any], inner: Any) -> dict[str, list[Any]]:
        started, cpu = time.perf_counter(), time.process_time()
        found: dict[str, list[Any]] = inner(items)
        extra["seconds"] += time.perf_counter() - started
        extra["cpu"] += time.process_time() - cpu
        extra["findings"] += sum(len(f) for f in found.values())
        return found

    checks = check.EXTRA_CHECKS if d02 else ()
    check.EXTRA_CHECKS = tuple(partial(timed, inner=c) for c in checks)  # type: ignore[misc]
    count = sum(1 for p in folder.rglob("*") if p.is_file())
    with TreeMemory() as memory, contextlib.redirect_stdout(io.StringIO()):
        started = time.perf_counter()
        status = main(["check", str(folder), "--jobs", str(jobs), "--summary", str(summary)])
        seconds = time.perf_counter() - started
    figures = _figures(count, seconds, memory)
    figures["status"] = status
    figures["summary_kb"] = summary.stat().st_size / 1024
    figures["d02_seconds"] = extra["seconds"]
    figures["d02_cpu"] = extra["cpu"]
    figures["d02_findings"] = extra["findings"]
    return figures


def _figures(count: int, seconds: float, memory: TreeMemory) -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "files": count,
        "seconds": seconds,
        "per_second": count / seconds,
        "cpu_self": own.ru_utime + own.ru_stime,
        "cpu_workers": sum(memory.cpu.values()),
        "rss_self_mb": own.ru_maxrss / 1024,
        "rss_children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        "rss_tree_peak_mb": memory.peak / 1024 / 1024,
    }


def _run_phase(*args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", *args], capture_output=True, text=True, check=True
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--summary", default="xlsx", choices=["xlsx", "csv", "html", "json"])
    parser.add_argument(
        "--without-d02",
        action="store_true",
        help="also run the command without D-02 first (the side-by-side baseline of its cost)",
    )
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        kind, folder, *rest = args.phase
        if kind == "baseline":
            print(json.dumps(phase_baseline(Path(folder))))
        else:
            d02 = kind == "batch"
            print(json.dumps(phase_batch(Path(folder), int(rest[0]), Path(rest[1]), d02)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "region"
        folder.mkdir()
        started = time.perf_counter()
        make_files(folder, args.count)
        made = time.perf_counter() - started
        size = sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1024 / 1024
        print(f"{args.count} files made in {made:.1f} s ({size:.0f} MB)")
        summary = Path(tmp) / f"summary.{args.summary}"
        load = os.getloadavg()[0]
        baseline = _run_phase("baseline", str(folder))
        runs = [("parse_report alone, 1 process", baseline)]
        command = f"gongkai check --jobs {args.jobs} --summary .{args.summary}"
        if args.without_d02:
            plain = _run_phase("batch-without-d02", str(folder), str(args.jobs), str(summary))
            runs.append((f"{command}, no D-02", plain))
        batch = _run_phase("batch", str(folder), str(args.jobs), str(summary))
        runs.append((command, batch))
    print(
        f"load average before: {load:.1f}, after: {os.getloadavg()[0]:.1f} "
        "(2 cores; other work slows the wall time)"
    )
    print(
        f"{'run':<50} {'files':>6} {'seconds':>8} {'files/s':>8} {'CPU s main':>10} "
        f"{'CPU s workers':>13} {'RSS main MB':>11} {'RSS peak all MB':>15}"
    )
    for label, figures in runs:
        print(
            f"{label:<50} {figures['files']:>6.0f} {figures['seconds']:>8.1f} "
            f"{figures['per_second']:>8.0f} {figures['cpu_self']:>10.1f} "
            f"{figures['cpu_workers']:>13.1f} {figures['rss_self_mb']:>11.0f} "
            f"{figures['rss_tree_peak_mb']:>15.0f}"
        )
    print(f"exit status {batch['status']:.0f}; summary {batch['summary_kb']:.0f} KB")
    print(
        f"D-02 in the batch: {batch['d02_seconds']:.1f} s (CPU {batch['d02_cpu']:.1f} s, "
        f"main process), {batch['d02_findings']:.0f} findings"
    )


if __name__ == "__main__":
    main()
