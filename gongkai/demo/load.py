"""Load the demo: the applications (`gongkai.cases.demo`), then the registers and the published
annual reports built on them (`gongkai.reports.demo`: the finance bureau's and the office's of
2024), then the 专栏's 指南 and 制度 (`gongkai.portal.demo`). Each part skips what is there."""

from __future__ import annotations

from gongkai.cases.demo import load_demo
from gongkai.portal.demo import load_guide_demo
from gongkai.reports.demo import (
    load_register_demo,
    publish_demo_reports,
    publish_office_report_demo,
)
from gongkai.supervision.demo_calendar import load_calendar_demo
from gongkai.supervision.demo_dudan import load_dudan_demo
from gongkai.supervision.demo_score import load_score_demo


def load_all_demo() -> bool:
    """Load every app's demo data; True when the applications were loaded now, False when they
    were there already."""
    loaded = load_demo()
    load_register_demo()
    publish_demo_reports()
    publish_office_report_demo()
    load_guide_demo()
    load_calendar_demo()
    load_dudan_demo()
    load_score_demo()
    return loaded
