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
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendar_for
from gongkai.cases.models import Application, Event, TrackingCounter
from gongkai.demo.synthetic import Generator, Synthetic
from gongkai.reports.models import Appeal

BATCH = 2000
# COPY on PostgreSQL; bench/generate_data.py turns it off to time `bulk_create` beside it.
COPY_ON_POSTGRESQL = True
_M = TypeVar("_M", bound=Model)
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
    numbers = CaseNumbers(organisation)
    for item in generator.applications(year, count):
        batch.append(item)
        if len(batch) == BATCH:
            written = _write(organisation, year, batch, generator, numbers)
            done, events, appeals = done + len(batch), events + written[0], appeals + written[1]
            batch = []
            if progress:
                progress(done, count, time.perf_counter() - started)
    if batch:
        written = _write(organisation, year, batch, generator, numbers)
        done, events, appeals = done + len(batch), events + written[0], appeals + written[1]
        if progress:
            progress(done, count, time.perf_counter() - started)
    return Generated(done, events, appeals, time.perf_counter() - started)


def _write(
    organisation: Organisation,
    year: int,
    batch: list[Synthetic],
    generator: Generator,
    numbers: CaseNumbers,
) -> tuple[int, int]:
    with transaction.atomic():
        first = _reserve(organisation, year, len(batch))
        applications = _insert(
            Application,
            [_application(organisation, year, first + i, item) for i, item in enumerate(batch)],
            with_ids=True,
        )
        events = _insert(Event, _events(applications, batch))
        appeals = _insert(Appeal, _appeals(organisation, applications, generator, numbers))
    return len(events), len(appeals)


def _insert(model: type[_M], objects: list[_M], *, with_ids: bool = False) -> list[_M]:
    """`bulk_create`, or on PostgreSQL COPY, the fastest way it takes rows (about twice the
    generator's speed at a million rows, docs/performance.md "Scale data"); with `with_ids` the
    objects get their ids first, from the table's own sequence, as `bulk_create` gives them."""
    if connection.vendor != "postgresql" or not COPY_ON_POSTGRESQL or not objects:
        return model._default_manager.bulk_create(objects, batch_size=5000)
    meta = model._meta
    if with_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [meta.db_table, len(objects)],
            )
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = pk
    fields = [f for f in meta.concrete_fields if with_ids or not f.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)
    with connection.cursor() as cursor:
        copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:  # the psycopg cursor under Django's
            for obj in objects:
                # pre_save: the auto_now dates, as bulk_create sets them.
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
    return objects


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


class CaseNumbers:
    """案号 unique in the organisation's register, as `appeal_save` requires (one case is one
    row of 表四): per prefix and year, the next number not taken."""

    def __init__(self, organisation: Organisation) -> None:
        rows = Appeal.objects.filter(organisation=organisation).values_list(
            "case_number", flat=True
        )
        self.taken = set(rows)
        self.next: dict[tuple[str, int], int] = {}

    def take(self, prefix: str, year: int) -> str:
        n = self.next.get((prefix, year), 1)
        while (number := f"{prefix}〔{year}〕{n}号") in self.taken:
            n += 1
        self.taken.add(number)
        self.next[(prefix, year)] = n + 1
        return number


def _appeals(
    organisation: Organisation,
    applications: list[Application],
    generator: Generator,
    numbers: CaseNumbers,
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
        prefix = "复决字" if kind == Appeal.Kind.REVIEW else "行初"
        appeals.append(
            Appeal(
                organisation=organisation,
                kind=kind,
                case_number=numbers.take(prefix, filed.year),
                body="区人民政府" if kind == Appeal.Kind.REVIEW else "区人民法院",
                filed_on=filed,
                application=application,
                result=result if decided <= today else "",
                decided_on=decided if decided <= today else None,
            )
        )
    return appeals
