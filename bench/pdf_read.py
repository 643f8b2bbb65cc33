"""PDFs per second and peak memory for reading PDF reports, against PDFium's text extraction alone.

Usage:  uv run python bench/pdf_read.py [--count 200] [--repeat 3]

The files are copies of the PDFs in tests/data/pdf (corpus reports printed by Chromium: ruled,
unruled with wrapped labels, table 三 over several pages, Word's look, landscape, 2019 format),
taken in turn, `--count` in all. Each way of reading runs in a fresh process of its own (so its
peak resident memory, `ru_maxrss`, is its own; PDFium allocates outside Python, where tracemalloc
does not see) over all the files, `--repeat` times; the best pass counts (the machine is shared):

- baseline: PDFium alone (pypdfium2), open + the text of every page (`get_text_range()`): the
  least any reader of the text layer does, without a character's position;
- pdfplumber: pdfplumber alone, open + `extract_words()` of every page (no table finding at all;
  the baseline before issue 15);
- previous: the reading before issue 13 (pdfplumber's table finder + text lines, then the
  extractor), kept in gongkai as the fallback `plumber_blocks`;
- parse: `parse_report` (PDFium characters → tables from positioned words → extractor);
- check: `parse_report` + every rule (`check_report`), what `gongkai check` does per file.

PDFs/s is wall-clock; PDFs/CPU-s counts only this process's CPU time, which other processes
on a shared machine disturb far less. The ratio column is PDFs/CPU-s over the baseline's.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data" / "pdf"
WAYS = ("baseline", "pdfplumber", "previous", "parse", "check")


def _work(way: str):  # type: ignore[no-untyped-def]
    import io
    import logging

    if way == "baseline":
        import pypdfium2

        def text_alone(data: bytes) -> object:
            document = pypdfium2.PdfDocument(data)
            try:
                texts = []
                for page in document:
                    textpage = page.get_textpage()
                    texts.append(textpage.get_text_range())
                    textpage.close()
                    page.close()
                return texts
            finally:
                document.close()

        return text_alone
    if way == "pdfplumber":
        import pdfplumber

        logging.getLogger("pdfminer").setLevel(logging.ERROR)

        def plumber_words(data: bytes) -> object:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                return [page.extract_words() for page in pdf.pages]

        return plumber_words
    from gongkai.domain.report.parsers import parse_report

    if way == "previous":
        from gongkai.domain.report.parsers.extract import build_report
        from gongkai.domain.report.parsers.pdf import plumber_blocks

        return lambda data: build_report(plumber_blocks(data), "pdf")
    if way == "parse":
        return lambda data: parse_report(data, "r.pdf")
    from gongkai.domain.report.rules import check_report

    return lambda data: check_report(parse_report(data, "r.pdf").report)


def run_way(way: str, folder: Path, repeat: int) -> None:
    """In the child process: read every file `repeat` times, print the best rate and the peak."""
    work = _work(way)
    datas = [path.read_bytes() for path in sorted(folder.glob("*.pdf"))]
    work(datas[0])  # imports and caches are not the files' cost
    best = best_cpu = 0.0
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        for data in datas:
            work(data)
        best = max(best, len(datas) / (time.perf_counter() - started))
        best_cpu = max(best_cpu, len(datas) / (time.process_time() - cpu))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {"way": way, "files": len(datas), "rate": best, "cpu_rate": best_cpu}
    print(json.dumps(result | {"peak_mb": peak_mb}))


def make_files(folder: Path, count: int) -> list[Path]:
    sources = sorted(DATA.glob("*.pdf"))
    if not sources:
        raise SystemExit(f"no PDFs in {DATA}")
    made = []
    for n in range(count):
        target = folder / f"r{n:05d}.pdf"
        shutil.copyfile(sources[n % len(sources)], target)
        made.append(target)
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3, help="passes per figure; the best counts")
    parser.add_argument("--way", choices=WAYS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.way:
        run_way(args.way, args.folder, args.repeat)
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = make_files(folder, args.count)
        pages = _pages(files[: len(list(DATA.glob("*.pdf")))])
        print(f"{len(files)} PDFs ({pages:.1f} pages each on average), best of {args.repeat}")
        print(
            f"{'reading':<10} {'PDFs/s':>8} {'PDFs/CPU-s':>11} {'CPU ms/PDF':>11} "
            f"{'× baseline':>11} {'peak MB':>8}"
        )
        baseline = None
        for way in WAYS:
            output = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--way",
                    way,
                    "--folder",
                    str(folder),
                    "--repeat",
                    str(args.repeat),
                ],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            result = json.loads(output.strip().splitlines()[-1])
            rate, cpu_rate = result["rate"], result["cpu_rate"]
            baseline = baseline or cpu_rate
            print(
                f"{way:<10} {rate:>8.1f} {cpu_rate:>11.1f} {1000 / cpu_rate:>11.1f} "
                f"{cpu_rate / baseline:>10.2f}× {result['peak_mb']:>8.0f}"
            )


def _pages(paths: list[Path]) -> float:
    import pypdfium2

    counts = []
    for path in paths:
        document = pypdfium2.PdfDocument(path.read_bytes())
        counts.append(len(document))
        document.close()
    return sum(counts) / len(counts)


if __name__ == "__main__":
    main()
