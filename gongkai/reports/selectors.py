"""Read-only views of the reports: which reports are due (for the 工作台), and which corrections
and voidings changed the records behind a published version (for the report page)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import TextChoices

from gongkai.accounts.access import readable_organisation_ids
from gongkai.accounts.models import Organisation
from gongkai.cases.models import Application, Event
from gongkai.domain.lifecycle import ApplicantType, RecordChange
from gongkai.domain.report.publication import days_left
from gongkai.reports.checks import deadline_of
from gongkai.reports.models import ReportDraft, ReportVersion, ReportVersionFile

SOON_DAYS = 30  # a month's notice: the report needs the whole office's input


class ReportState(TextChoices):
    NOT_STARTED = "not_started", "未开始"
    EDITING = "editing", "编辑中"
    PUBLISHED = "published", "已发布"
    CORRECTED = "corrected", "已更正"  # published, then corrected at least once


def state_of(versions: int, drafted: bool) -> ReportState:
    """From the number of published versions and whether a narrative was saved."""
    if versions:
        return ReportState.CORRECTED if versions > 1 else ReportState.PUBLISHED
    return ReportState.EDITING if drafted else ReportState.NOT_STARTED


def report_state(organisation: Organisation, year: int) -> ReportState:
    versions = ReportVersion.objects.filter(organisation=organisation, year=year).count()
    drafted = versions == 0 and (
        ReportDraft.objects.filter(organisation=organisation, year=year).exists()
    )
    return state_of(versions, drafted)


@dataclass(frozen=True)
class DueReport:
    organisation: Organisation
    year: int
    due: dt.date
    days_left: int

    @property
    def level(self) -> str:
        if self.days_left < 0:
            return "overdue"
        return "soon" if self.days_left <= SOON_DAYS else "open"

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def unpublished_reports(user: User | AnonymousUser, today: dt.date) -> list[DueReport]:
    """Last year's reports not yet published in the user's organisations, nearest deadline
    first (条例第四十九条: 1月31日 departments, 3月31日 governments, local dates for townships)."""
    year = today.year - 1
    ids = readable_organisation_ids(user)
    published = set(
        ReportVersion.objects.filter(organisation_id__in=ids, year=year).values_list(
            "organisation_id", flat=True
        )
    )
    rows = []
    for organisation in Organisation.objects.filter(id__in=ids - published):
        due = deadline_of(organisation, year)
        rows.append(DueReport(organisation, year, due.due, days_left(due, today)))
    return sorted(rows, key=lambda row: (row.due, row.organisation.code))


# ---------------------------------------------------------------- changes after publication

# The facts of an application that table 三 reads (domain CaseRecord) and that a correction can
# change; the others (outcome, conclusion date) change only through the procedure's steps.
COUNTED_FIELDS = ("received_on", "applicant_type")


@dataclass(frozen=True)
class RecordChangeRow:
    """A correction or voiding, made after a version was published, of an application that
    version counted: a cause of "the records no longer match the published version"."""

    event: Event
    change: RecordChange
    changes: tuple[tuple[str, str, str], ...]  # (field label, old, new) of the counted fields

    @property
    def application(self) -> Application:
        return self.event.application


def changes_since(version: ReportVersion) -> list[RecordChangeRow]:
    """Voidings, and corrections of a counted field (COUNTED_FIELDS), made after `version` was
    published, of applications active in its year (docs/decisions.md R-1: received by 31
    December and not concluded before 1 January), before or after the correction."""
    events = (
        Event.objects.filter(
            application__organisation_id=version.organisation_id,
            action__in=[change.value for change in RecordChange],
            created_at__gt=version.published_at,
        )
        .select_related("application", "actor")
        .order_by("created_at", "id")
    )
    rows = []
    for event in events:
        changes = _counted_changes(event)
        if event.action == RecordChange.CORRECT and not changes:
            continue
        if _counted_in(event, version.year):
            rows.append(RecordChangeRow(event, RecordChange(event.action), changes))
    return rows


def _counted_changes(event: Event) -> tuple[tuple[str, str, str], ...]:
    changed: dict[str, dict[str, str]] = (event.data or {}).get("changes", {})
    labels = {"received_on": "收到申请日期", "applicant_type": "申请人类型"}
    types = {t.value: t.label for t in ApplicantType}
    rows = []
    for name in COUNTED_FIELDS:
        if name in changed:
            old, new = str(changed[name].get("old", "")), str(changed[name].get("new", ""))
            rows.append((labels[name], types.get(old, old), types.get(new, new)))
    return tuple(rows)


def _counted_in(event: Event, year: int) -> bool:
    application = event.application
    receipts = {application.received_on}
    old = ((event.data or {}).get("changes", {}).get("received_on") or {}).get("old")
    if old:
        receipts.add(dt.date.fromisoformat(old))
    concluded = application.concluded_on
    if concluded is not None and concluded < dt.date(year, 1, 1):
        return False
    return any(received <= dt.date(year, 12, 31) for received in receipts)


def stored_version_file(
    organisation: Organisation, year: int, number: int, fmt: str
) -> ReportVersionFile | None:
    """One stored file of a published version (the page's download and the API's)."""
    return (
        ReportVersionFile.objects.select_related("version__organisation")
        .filter(
            version__organisation=organisation,
            version__year=year,
            version__number=number,
            format=fmt,
        )
        .first()
    )
