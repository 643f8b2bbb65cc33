"""Write synthetic applications (`gongkai.demo.synthetic`) into the database, in bulk.

Used by `gongkai manage generate_applications` and the benches at 10k, 100k and 1M rows. Rows are
inserted with `bulk_create` in batches, each batch in its own transaction, under tracking numbers
taken from the organisation's counter exactly as registrations one by one would take them; a run
appends to what is there. A few concluded refusals get a 行政复议 or 行政诉讼 in the appeals
register. No audit-log entries and no letters (文号) are written: the records are test data.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendar_for
from gongkai.cases.models import Application, Event, TrackingCounter
from gongkai.demo.synthetic import Generator, Synthetic
from gongkai.reports.models import Appeal

BATCH = 2000
ACTOR_NAME = "生成数据"
# A 行政复议 or 行政诉讼 follows about one in thirty answers other than 予以公开: about 2% of all
# applications, as in the corpus's district reports.
APPEAL_RATE = 0.03
_APPEALABLE = ("r_partial", "r_deny_", "r_na_", "r_np_")


@dataclass(frozen=True)
class Generated:
    applications: int
    events: int
    appeals: int
    seconds: float


def generate_applications(
    organisation: Organisation,
    *,
    year: int,
    count: int,
    seed: int = 1,
    today: dt.date | None = None,
    progress: Callable[[int, int, float], None] | None = None,
) -> Generated:
    """`count` applications of `organisation` received in `year` (up to `today`)."""
    today = today or timezone.localdate()
    generator = Generator(calendar_for(organisation), seed=seed * 1_000_003 + year, today=today)
    started, done, events, appeals = time.perf_counter(), 0, 0, 0
    batch: list[Synthetic] = []
    for item in generator.applications(year, count):
        batch.append(item)
        if len(batch) == BATCH:
            written = _write(organisation, year, batch, generator)
            done, events, appeals = done + len(batch), events + written[0], appeals + written[1]
            batch = []
            if progress:
                progress(done, count, time.perf_counter() - started)
    if batch:
        written = _write(organisation, year, batch, generator)
        done, events, appeals = done + len(batch), events + written[0], appeals + written[1]
        if progress:
            progress(done, count, time.perf_counter() - started)
    return Generated(done, events, appeals, time.perf_counter() - started)


def _write(
    organisation: Organisation, year: int, batch: list[Synthetic], generator: Generator
) -> tuple[int, int]:
    with transaction.atomic():
        first = _reserve(organisation, year, len(batch))
        applications = Application.objects.bulk_create(
            [_application(organisation, year, first + i, item) for i, item in enumerate(batch)]
        )
        events = Event.objects.bulk_create(_events(applications, batch), batch_size=5000)
        appeals = Appeal.objects.bulk_create(_appeals(organisation, applications, generator))
    return len(events), len(appeals)


def _reserve(organisation: Organisation, year: int, count: int) -> int:
    """The first of `count` consecutive tracking numbers of the year, under the counter's lock."""
    counter, _ = TrackingCounter.objects.select_for_update().get_or_create(
        organisation=organisation, year=year
    )
    counter.last += count
    counter.save(update_fields=["last"])
    return int(counter.last) - count + 1


def _application(
    organisation: Organisation, year: int, sequence: int, item: Synthetic
) -> Application:
    deadlines = item.deadlines
    assert deadlines is not None
    return Application(
        organisation=organisation,
        year=year,
        sequence=sequence,
        tracking_no=f"{organisation.code}-{year}-{sequence:04d}",
        status=item.status,
        applicant_type=item.applicant_type,
        applicant_name=item.applicant_name,
        id_type=item.id_type,
        id_number=item.id_number,
        phone=item.phone,
        channel=item.channel,
        received_on=item.received_on,
        content=item.content,
        outcome=item.outcome,
        legal_basis=item.legal_basis,
        concluded_on=item.concluded_on,
        archived_on=item.archived_on,
        extended=item.extended,
        # The same fields `refresh_deadlines` sets from the engine's result.
        correction_notice_due=deadlines.correction_notice_due,
        due_on=deadlines.extended_reply_due or deadlines.reply_due,
        fee_due=deadlines.fee_payment_due,
        deadline_provisional=deadlines.provisional,
    )


def _events(applications: Iterable[Application], batch: list[Synthetic]) -> list[Event]:
    return [
        Event(
            application=application,
            action=str(step.action),
            date=step.date,
            actor_name=ACTOR_NAME,
            data=step.data,
        )
        for application, item in zip(applications, batch, strict=True)
        for step in item.steps
    ]


def _appeals(
    organisation: Organisation, applications: list[Application], generator: Generator
) -> list[Appeal]:
    rng, today, appeals = generator.rng, generator.today, []
    for application in applications:
        if not application.concluded_on or not application.outcome.startswith(_APPEALABLE):
            continue
        if rng.random() >= APPEAL_RATE:
            continue
        filed = application.concluded_on + dt.timedelta(days=rng.randint(10, 55))
        if filed > today:
            continue
        kind = rng.choice((Appeal.Kind.REVIEW, Appeal.Kind.REVIEW, Appeal.Kind.SUIT_DIRECT))
        decided = filed + dt.timedelta(days=rng.randint(40, 120))
        result = rng.choice((Appeal.Result.UPHELD,) * 8 + (Appeal.Result.CORRECTED,) * 2)
        number = f"〔{filed.year}〕{rng.randint(1, 999)}号"
        appeals.append(
            Appeal(
                organisation=organisation,
                kind=kind,
                case_number=("复决字" if kind == Appeal.Kind.REVIEW else "行初") + number,
                body="区人民政府" if kind == Appeal.Kind.REVIEW else "区人民法院",
                filed_on=filed,
                application=application,
                result=result if decided <= today else "",
                decided_on=decided if decided <= today else None,
            )
        )
    return appeals
