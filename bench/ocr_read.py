"""Reading scanned reports by OCR: pages per second and peak memory.

Usage:  uv run python bench/ocr_read.py [--repeat 1]

Reads the test material of tests/data/scan/ through `parse_report` — the image-only PDF of
three table pages (wancheng-office-2024-tables.pdf) and one page image (pipe-rows-2024-p2.png)
— `--repeat` times, after one warm-up read of the PNG that loads the models (its time is printed
apart). Prints per file: pages, seconds, pages/s, cells read and unreadable; then the process's
peak resident memory (ru_maxrss, which includes the ONNX models and the rendered pages).
ONNX Runtime uses every core it sees; the machine's other work slows it down (load average
printed).
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

from gongkai.domain.report.model import CellState
from gongkai.domain.report.parsers import parse_report

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "scan"
FILES = (("wancheng-office-2024-tables.pdf", 3), ("pipe-rows-2024-p2.png", 1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    print(f"cores: {os.cpu_count()}, load average before: {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    parse_report((DATA / "pipe-rows-2024-p2.png").read_bytes(), "warm.png")
    print(f"warm-up (model load + 1 page): {time.perf_counter() - started:.1f} s")
    print(f"{'file':<36}{'pages':>6}{'seconds':>9}{'pages/s':>9}{'cells':>7}{'unreadable':>11}")
    total_pages = 0
    total_seconds = 0.0
    for name, pages in FILES:
        data = (DATA / name).read_bytes()
        for _ in range(args.repeat):
            started = time.perf_counter()
            report = parse_report(data, name).report
            seconds = time.perf_counter() - started
            cells = [
                cell
                for table in (report.t2, report.t3, report.t4)
                for row in table.values()
                for cell in row
            ]
            unreadable = sum(cell.state is CellState.UNREADABLE for cell in cells)
            total_pages += pages
            total_seconds += seconds
            print(
                f"{name:<36}{pages:>6}{seconds:>9.1f}{pages / seconds:>9.3f}"
                f"{len(cells):>7}{unreadable:>11}"
            )
    print(
        f"overall: {total_pages / total_seconds:.3f} pages/s ({total_seconds / total_pages:.1f} s a page)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory: {peak:.0f} MB; load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
