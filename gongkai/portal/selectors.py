"""Reads for the public pages and the 工作台's alert: the current 指南, the published reports,
the government's year list. Only published records and aggregates: no applicant data."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch

from gongkai.accounts.access import admin_organisations
from gongkai.accounts.models import Organisation
from gongkai.portal.models import GuideSettings, GuideVersion
from gongkai.reports.models import ReportVersion, ReportVersionFile

DOWNLOAD_FORMATS = ("docx", "pdf")


def current_guide(organisation: Organisation) -> GuideVersion | None:
    return GuideVersion.objects.filter(organisation=organisation).order_by("-number").first()


def guide_versions(organisation: Organisation) -> list[GuideVersion]:
    return list(GuideVersion.objects.filter(organisation=organisation).order_by("-number"))


# ---------------------------------------------------------------- the 工作台's alert

CONTACT_LABELS = {
    "address": "办公地址",
    "office_hours": "办公时间",
    "phone": "联系电话",
    "fax": "传真号码",
    "email": "电子邮箱",
    "postcode": "邮政编码",
    "website": "网址",
}
ORGANISATION_LABELS = {
    "address": "机构通讯地址",
    "phone": "机构联系电话",
    "email": "机构电子邮箱",
    "postcode": "机构邮政编码",
}


@dataclass(frozen=True)
class GuideAlert:
    organisation: Organisation
    guide: GuideVersion | None  # None: never published
    changed: tuple[str, ...] = field(default=())


def guide_alerts(user: User | AnonymousUser) -> list[GuideAlert]:
    """For each organisation `user` is 管理员 of: a 指南 never published, or contact data changed
    after the 指南's date (条例第十二条: the guide is kept up to date)."""
    alerts = []
    for organisation in admin_organisations(user):
        alert = guide_alert(organisation)
        if alert is not None:
            alerts.append(alert)
    return alerts


def guide_alert(organisation: Organisation) -> GuideAlert | None:
    guide = current_guide(organisation)
    if guide is None:
        return GuideAlert(organisation, None)
    changed = contact_changes(organisation, guide)
    return GuideAlert(organisation, guide, changed) if changed else None


def contact_changes(organisation: Organisation, guide: GuideVersion) -> tuple[str, ...]:
    """What differs now from what the guide published: the organisation's own contact data
    (Organisation.address/phone/email/postcode) and the guide's contact fields."""
    changed: list[str] = []
    published_org = guide.value("organisation_contact") or {}
    for key, label in ORGANISATION_LABELS.items():
        if getattr(organisation, key) != published_org.get(key, ""):
            changed.append(label)
    settings = GuideSettings.objects.filter(organisation=organisation).first()
    if settings is not None:
        for key, label in CONTACT_LABELS.items():
            if getattr(settings, key) != guide.value(key):
                changed.append(label)
    return tuple(changed)


# ---------------------------------------------------------------- 年报


@dataclass(frozen=True)
class PublishedYear:
    year: int
    versions: list[ReportVersion]  # newest first

    @property
    def current(self) -> ReportVersion:
        return self.versions[0]

    @property
    def corrections(self) -> list[ReportVersion]:
        return [v for v in reversed(self.versions) if v.number > 1]


def _with_files() -> Prefetch:  # type: ignore[type-arg]
    return Prefetch(
        "files",
        queryset=ReportVersionFile.objects.filter(format__in=DOWNLOAD_FORMATS).order_by("format"),
    )


def published_years(organisation: Organisation) -> list[PublishedYear]:
    """Every published version of the organisation's reports, by year (newest first)."""
    versions = (
        ReportVersion.objects.filter(organisation=organisation)
        .order_by("-year", "-number")
        .prefetch_related(_with_files())
    )
    years: dict[int, list[ReportVersion]] = {}
    for version in versions:
        years.setdefault(version.year, []).append(version)
    return [PublishedYear(year, items) for year, items in years.items()]


def published_version(organisation: Organisation, year: int, number: int) -> ReportVersion | None:
    return (
        ReportVersion.objects.filter(organisation=organisation, year=year, number=number)
        .prefetch_related(_with_files())
        .first()
    )


def public_version_file(
    organisation: Organisation, year: int, number: int, fmt: str
) -> ReportVersionFile | None:
    """A stored .docx or .pdf of a published version; the other formats are the office's."""
    if fmt not in DOWNLOAD_FORMATS:
        return None
    return ReportVersionFile.objects.filter(
        version__organisation=organisation, version__year=year, version__number=number, format=fmt
    ).first()


ARTICLE = re.compile(r"<article\b.*</article>", re.DOTALL)
# The stored page sets its column widths in style attributes, which the portal's CSP refuses.
STYLE_ATTRIBUTE = re.compile(r'\sstyle="[^"]*"')


def version_article(version: ReportVersion) -> str:
    """The report's `<article>` from the stored HTML file of the version, exactly as published
    (its inline widths left out); empty when the version has no HTML file."""
    stored = ReportVersionFile.objects.filter(version=version, format="html").first()
    if stored is None:
        return ""
    with stored.file.open("rb") as handle:
        page = handle.read().decode("utf-8")
    found = ARTICLE.search(page)
    return STYLE_ATTRIBUTE.sub("", found.group(0)) if found else ""


@dataclass(frozen=True)
class ChildReport:
    organisation: Organisation
    version: ReportVersion | None  # the latest version of the year, None: not published


def children_reports(government: Organisation, year: int) -> list[ChildReport]:
    """A government's organisations (children) and their report of `year`, with its dates."""
    children = list(Organisation.objects.filter(parent=government).order_by("code"))
    latest: dict[int, ReportVersion] = {}
    for version in ReportVersion.objects.filter(organisation__in=children, year=year).order_by(
        "number"
    ):
        latest[version.organisation_id] = version
    return [ChildReport(child, latest.get(child.id)) for child in children]


def report_years(organisations: Iterable[Organisation]) -> list[int]:
    return sorted(
        set(
            ReportVersion.objects.filter(organisation__in=list(organisations)).values_list(
                "year", flat=True
            )
        ),
        reverse=True,
    )
