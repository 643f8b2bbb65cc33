"""Reply-deadline computations per second: the ordinal engine against a day-by-day loop.

Usage:  uv run python bench/deadlines.py [--count 1000000] [--naive-count 20000]
                                          [--full-count 20000]

- engine: `reply_due(calendar, received)` (receipt roll-forward + 20 working days: two list
  lookups), `--count` times over receipt dates cycling through 2019-01-01…2026-11-30;
- naive: step day by day from the receipt with `chinese_calendar.is_workday` until 20 working
  days are counted (spec.md §7's algorithm), timed on `--naive-count` receipts and extrapolated
  to `--count` (a full million takes minutes);
- full: `compute_deadlines` with its trail, on `--full-count` receipts, extrapolated likewise.

Both methods are checked to agree on every receipt of the naive sample before timing. One
process, so the figures are for one core.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import chinese_calendar

from gongkai.domain.deadlines import REPLY_DAYS, Receipt, compute_deadlines, reply_due
from gongkai.domain.workdays import WorkdayCalendar, default_calendar


def receipts(count: int) -> list[dt.date]:
    first = dt.date(2019, 1, 1)
    # Up to 2026-11-30, so that the naive loop never reaches 2027, where chinesecalendar raises.
    span = (dt.date(2026, 11, 30) - first).days + 1
    return [first + dt.timedelta(i % span) for i in range(count)]


def naive_reply_due(received: dt.date) -> dt.date:
    """spec.md §7: receipt on a rest day counts from the next working day; then step day by day."""
    day = received
    while not chinese_calendar.is_workday(day):
        day += dt.timedelta(1)
    counted = 0
    while counted < REPLY_DAYS:
        day += dt.timedelta(1)
        if chinese_calendar.is_workday(day):
            counted += 1
    return day


def timed(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def engine_loop(calendar: WorkdayCalendar, dates: list[dt.date]) -> None:
    for received in dates:
        reply_due(calendar, received)


def naive_loop(dates: list[dt.date]) -> None:
    for received in dates:
        naive_reply_due(received)


def full_loop(calendar: WorkdayCalendar, dates: list[dt.date]) -> None:
    for received in dates:
        compute_deadlines([Receipt(received)], calendar)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--naive-count", type=int, default=20_000)
    parser.add_argument("--full-count", type=int, default=20_000)
    args = parser.parse_args()

    build = timed(lambda: default_calendar())
    calendar = default_calendar()
    sample = receipts(args.naive_count)
    wrong = [d for d in sample if reply_due(calendar, d) != naive_reply_due(d)]
    if wrong:
        sys.exit(f"engine and naive loop disagree on {len(wrong)} receipts, e.g. {wrong[0]}")

    dates = receipts(args.count)
    engine = timed(lambda: engine_loop(calendar, dates))
    naive = timed(lambda: naive_loop(sample)) * args.count / args.naive_count
    full = timed(lambda: full_loop(calendar, receipts(args.full_count)))
    full_per_count = full * args.count / args.full_count

    print(f"calendar build (chinesecalendar + calendar_data/): {build * 1000:.1f} ms")
    print(f"agreement check: {len(sample):,} receipts, engine == naive loop")
    print(f"engine  reply_due × {args.count:,}: {engine:.3f} s ({args.count / engine:,.0f}/s)")
    print(
        f"naive   day-by-day × {args.count:,}: {naive:.1f} s "
        f"(measured on {args.naive_count:,}, extrapolated)"
    )
    print(f"ratio   naive / engine: {naive / engine:,.0f}×")
    each = full / args.full_count * 1e6
    print(
        f"full    compute_deadlines with trail × {args.count:,}: {full_per_count:.1f} s "
        f"(measured on {args.full_count:,}, extrapolated; {each:.0f} µs each)"
    )


if __name__ == "__main__":
    main()
