"""Start-up time of the `gongkai` command against `python -c pass`, side by side in one run.

Usage:  uv run python bench/cli_startup.py [--runs 20] [--source DIR] [--no-bytecode]

Each command runs `--runs` times as a fresh process, its output thrown away; the commands take
turns (one run of each, then the next round), so that a burst of load from other processes on a
shared machine falls on all of them alike. Wall-clock time per process, mean and minimum; "own"
is that minus `python -c pass` of the same run (the interpreter's own start-up, which no change in
gongkai can save).

The commands: `gongkai --help`; `gongkai check` of a small .txt report (the Wancheng corpus
text), of the same report as .docx (python-docx, tests/report/fixtures.py) and of a printed PDF
(tests/data/pdf/wancheng-ruled.pdf); `gongkai due` as text and as --json.

Bytecode: an installed package has its modules compiled (pip does it on install, `uv sync
--compile-bytecode` too, and Python writes `__pycache__` on the first run wherever it may). The
bench first runs every command once with writing allowed, then measures with the compiled files
in place. `--no-bytecode` measures instead an installation where nothing is compiled and nothing
can be written (an empty PYTHONPYCACHEPREFIX and PYTHONDONTWRITEBYTECODE=1): every imported
module is compiled from source in every run.

`--source DIR` runs the gongkai package found in DIR (e.g. `git archive <commit> gongkai | tar -x
-C DIR`) instead of this checkout: the figures before a change, with the same interpreter and
libraries.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS_TEXT = ROOT.parent / "shared" / "corpus" / "wancheng-office-2024.txt"
PDF = ROOT / "tests" / "data" / "pdf" / "wancheng-ruled.pdf"
BASE = "python -c pass"
DUE = ("due", "--received", "2025-01-20", "--today", "2025-02-01")
# The console script as installed (`gongkai` beside the interpreter; no `uv run` in between).
SCRIPT = Path(sys.executable).with_name("gongkai")
GONGKAI = (sys.executable, str(SCRIPT) if SCRIPT.exists() else "-mgongkai.cli.main")


def make_inputs(folder: Path) -> dict[str, Path]:
    from tests.report.fixtures import wancheng_docx

    text = folder / "small.txt"
    shutil.copyfile(CORPUS_TEXT, text)
    docx = folder / "report.docx"
    docx.write_bytes(wancheng_docx())
    pdf = folder / "report.pdf"
    shutil.copyfile(PDF, pdf)
    return {"txt": text, "docx": docx, "pdf": pdf}


def commands(inputs: dict[str, Path]) -> list[tuple[str, list[str]]]:
    gongkai = list(GONGKAI)
    return [
        (BASE, [sys.executable, "-c", "pass"]),
        ("gongkai --help", [*gongkai, "--help"]),
        ("gongkai check small.txt", [*gongkai, "check", str(inputs["txt"])]),
        ("gongkai check report.docx", [*gongkai, "check", str(inputs["docx"])]),
        ("gongkai check report.pdf", [*gongkai, "check", str(inputs["pdf"])]),
        ("gongkai due …", [*gongkai, *DUE]),
        ("gongkai due … --json", [*gongkai, *DUE, "--json"]),
    ]


def run_once(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):  # 1: a report with findings of error severity
        raise SystemExit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stderr.decode()}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return elapsed, cpu


def environment(source: Path | None, no_bytecode: bool, cache: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["COLUMNS"] = "100"
    if source is not None:
        env["PYTHONPATH"] = str(source)
    if no_bytecode:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPYCACHEPREFIX"] = str(cache)  # empty: no compiled file is ever found
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--source", type=Path, help="run the gongkai package found in DIR")
    parser.add_argument("--no-bytecode", action="store_true", help="nothing compiled, ever")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cache = folder / "pycache"
        cache.mkdir()
        inputs = make_inputs(folder)
        env = environment(args.source, args.no_bytecode, cache)
        work = commands(inputs)
        cwd = folder  # never the repository root, which `python -m` would put on the path
        for _, argv in work:  # warm-up: page cache, and __pycache__ written where allowed
            run_once(argv, env, cwd)
        walls: dict[str, list[float]] = {name: [] for name, _ in work}
        cpus: dict[str, list[float]] = {name: [] for name, _ in work}
        for _ in range(args.runs):
            for name, argv in work:
                wall, cpu = run_once(argv, env, cwd)
                walls[name].append(wall)
                cpus[name].append(cpu)
        report(walls, cpus, args)


def report(
    walls: dict[str, list[float]], cpus: dict[str, list[float]], args: argparse.Namespace
) -> None:
    what = f"gongkai from {args.source}" if args.source else "this checkout"
    mode = "no bytecode (compiled from source each run)" if args.no_bytecode else "bytecode"
    load = os.getloadavg()[0]
    print(f"{what}, {mode}, {args.runs} runs each, load average {load:.1f} at the end")
    print("ms per process; own = minus python -c pass; CPU = user + system of the process")
    print(
        f"{'command':<26} {'mean':>7} {'min':>7} {'own mean':>9} {'own min':>8}"
        f" {'CPU mean':>9} {'CPU min':>8} {'own CPU min':>12}"
    )
    base_mean = statistics.fmean(walls[BASE])
    base, base_cpu = min(walls[BASE]), min(cpus[BASE])
    for name in walls:
        wall, cpu = walls[name], cpus[name]
        mean, low = statistics.fmean(wall), min(wall)
        own = own_cpu = ""
        if name != BASE:
            own = f"{(mean - base_mean) * 1000:>9.0f} {(low - base) * 1000:>8.0f}"
            own_cpu = f"{(min(cpu) - base_cpu) * 1000:>12.0f}"
        print(
            f"{name:<26} {mean * 1000:>7.1f} {low * 1000:>7.1f} {own:>18}"
            f" {statistics.fmean(cpu) * 1000:>9.1f} {min(cpu) * 1000:>8.1f} {own_cpu}"
        )


if __name__ == "__main__":
    main()
