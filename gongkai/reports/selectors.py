"""Read-only views of the reports for a user: which reports are due, for the 工作台."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import TextChoices

from gongkai.accounts.access import readable_organisation_ids
from gongkai.accounts.models import Organisation
from gongkai.domain.report.publication import days_left
from gongkai.reports.checks import deadline_of
from gongkai.reports.models import ReportDraft, ReportVersion

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
