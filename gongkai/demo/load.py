"""Load the demo: the applications (`gongkai.cases.demo`), then the registers and the published
annual reports built on them (`gongkai.reports.demo`: the finance bureau's and the office's of
2024), then the 专栏's 指南 and 制度 (`gongkai.portal.demo`), the supervision demos, and last
year's reports once their deadlines have passed. Each part skips what is there. Dates are relative
to the day of loading, except the history of 2024."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gongkai.cases.demo import load_demo
from gongkai.portal.demo import load_guide_demo
from gongkai.reports.demo import (
    load_register_demo,
    publish_demo_reports,
    publish_office_report_demo,
    publish_recent_reports,
)
from gongkai.supervision.demo_calendar import load_calendar_demo
from gongkai.supervision.demo_dudan import load_dudan_demo
from gongkai.supervision.demo_score import load_score_demo


def load_all_demo(today: dt.date | None = None) -> bool:
    """Load every app's demo data as of `today` (default: today); True when the applications
    were loaded now, False when they were there already."""
    today = today or timezone.localdate()
    loaded = load_demo(today)
    load_register_demo(today)
    publish_demo_reports()
    publish_office_report_demo()
    load_guide_demo()
    load_calendar_demo(today)
    load_dudan_demo(today)
    load_score_demo(today)
    publish_recent_reports(today)  # after the scorecard's records: the bureau's 复议 is in table 四
    return loaded
