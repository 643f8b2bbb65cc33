"""Reads that span several models or shape a page: the dashboard's lists, a ledger page, the
application page. Every read starts from `gongkai.cases.access`."""

from gongkai.cases.selectors.application import (
    ActionPanel,
    ApplicationPage,
    TimelineEntry,
    application_page,
    attachment_for_user,
    correction_form,
    registration_organisations,
)
from gongkai.cases.selectors.common import Calendars, CaseRow, Remaining
from gongkai.cases.selectors.dashboard import CaseList, dashboard_lists
from gongkai.cases.selectors.ledger import LedgerPage, filter_applications, ledger_page

__all__ = [
    "ActionPanel",
    "ApplicationPage",
    "Calendars",
    "CaseList",
    "CaseRow",
    "LedgerPage",
    "Remaining",
    "TimelineEntry",
    "application_page",
    "attachment_for_user",
    "correction_form",
    "dashboard_lists",
    "filter_applications",
    "ledger_page",
    "registration_organisations",
]
