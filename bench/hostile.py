"""Hostile inputs: time and peak memory of `parse_report` on each file of the hostile corpus
(tests/report/hostile.py), one fresh interpreter per file, with a 60 s cap.

    uv run python bench/hostile.py [--repo PATH]

--repo reads with another checkout's parsers (e.g. an older commit, for a before/after table).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.report.hostile import HOSTILE  # noqa: E402
from tests.report.test_hostile import _CHILD  # noqa: E402


def measure(repo: Path, path: Path) -> str:
    try:
        result = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=repo,
            env={"PYTHONPATH": str(repo), "PATH": "/usr/bin:/bin"},
        )
    except subprocess.TimeoutExpired:
        return "| > 60 s | — | killed at the 60 s cap |"
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        tail = (result.stderr.strip().splitlines() or ["?"])[-1][:60]
        return f"| — | — | crashed: {tail} |"
    row = json.loads(lines[-1])
    what = row["outcome"] if row["outcome"] != "ReportParseError" else "ReportParseError"
    return f"| {row['seconds']:.2f} s | {row['mb']:.0f} MB | {what}: {row['message'][:40]} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repo", type=Path, default=ROOT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        print("| file | size | time | peak memory | outcome |")
        print("|---|---|---|---|---|")
        for name, make in HOSTILE.items():
            path = make(Path(folder) / name)
            size = path.stat().st_size
            print(f"| {name} | {size / 1024:,.0f} KB " + measure(args.repo.resolve(), path))


if __name__ == "__main__":
    main()
