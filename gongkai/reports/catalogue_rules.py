"""Checks and derived values of a catalogue entry (公开目录, 条例第十二条) that the register's
services apply: the organisation's 索引号 rule and the next 索引号, the attachment of the body, the
publication lag of 条例第二十六条, and the search column. No writes here."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable

from gongkai.accounts.models import Organisation
from gongkai.cases.calendar import calendar_for
from gongkai.cases.services import ServiceError
from gongkai.domain import catalogue
from gongkai.domain.zipcheck import zip_problem
from gongkai.reports.models import CatalogueSettings, ProactiveItem
from gongkai.reports.services import MAX_PRIOR_BYTES

ATTACHMENT_TYPES = {".pdf": "application/pdf", ".docx": (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
)}  # fmt: skip


def index_rule(organisation: Organisation) -> catalogue.IndexRule:
    """The organisation's 索引号 rule, or the default with its own code."""
    settings = CatalogueSettings.objects.filter(organisation=organisation).first()
    if settings is None:
        return catalogue.IndexRule(org_code=organisation.code)
    return catalogue.IndexRule(org_code=settings.index_org_code, pattern=settings.index_pattern)


def class_code(topic: str) -> str:
    return topic or catalogue.UNCLASSIFIED


def next_index_no(
    organisation: Organisation, rule: catalogue.IndexRule, topic: str, year: int
) -> str:
    """The next free 索引号 of the class and year (the caller holds the organisation lock). The
    sequence is zero-padded between fixed text, so the highest 索引号 sorts last."""
    wanted = class_code(topic)
    marker = rule.format(wanted, year, 0)
    seq_at = rule.pattern.index("{seq}")
    prefix = _filled(rule, rule.pattern[:seq_at], wanted, year)
    suffix = marker[len(prefix) + 5 :]
    candidates = (
        ProactiveItem.objects.filter(
            organisation=organisation, index_no__startswith=prefix, index_no__endswith=suffix
        )
        .order_by("-index_no")
        .values_list("index_no", flat=True)
    )
    for index_no in candidates.iterator():
        parsed = rule.parse(index_no)
        if parsed and parsed[0] == wanted and parsed[1] == year:
            return rule.format(wanted, year, parsed[2] + 1)
    return rule.format(wanted, year, 1)


def _filled(rule: catalogue.IndexRule, part: str, wanted: str, year: int) -> str:
    """`part` of the pattern (before {seq}) with its fields filled in."""
    values = {"{org}": rule.org_code, "{class}": wanted, "{year}": f"{year:04d}"}
    for token, value in values.items():
        part = part.replace(token, value)
    return part


def check_index_no(
    organisation: Organisation,
    rule: catalogue.IndexRule,
    index_no: str,
    item: ProactiveItem | None,
) -> None:
    """A given 索引号: well formed under the rule and not used by another item of the organisation."""
    problem = rule.problem(index_no, catalogue.topics().codes)
    if problem:
        raise ServiceError(problem, field="index_no")
    others = ProactiveItem.objects.filter(organisation=organisation, index_no=index_no)
    if item is not None:
        others = others.exclude(pk=item.pk)
    other = others.only("title").first()
    if other is not None:
        raise ServiceError(
            f"索引号“{index_no}”已被“{other.title}”使用", kind="conflict", field="index_no"
        )


def check_classification(topic: str, genre: str, validity: str) -> None:
    if topic and topic not in catalogue.topics().codes:
        raise ServiceError("主题分类不在分类表中", field="topic")
    if genre and genre not in catalogue.genres().codes:
        raise ServiceError("体裁不在分类表中", field="genre")
    if validity not in catalogue.validity_table().codes:
        raise ServiceError("有效性只能是有效、废止、失效或已修改", field="validity")


def check_attachment(name: str, content: bytes) -> str:
    """The suffix of an acceptable body attachment (PDF or .docx under the upload limits of
    the prior-report upload and the zip checks), or a refusal."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in ATTACHMENT_TYPES:
        raise ServiceError("附件只能是 PDF 或 Word（.docx）文件", field="attachment")
    if not content:
        raise ServiceError("附件是空的", field="attachment")
    if len(content) > MAX_PRIOR_BYTES:
        raise ServiceError("附件超过10MB", field="attachment")
    if suffix == ".pdf":
        if not content.startswith(b"%PDF-"):
            raise ServiceError("这个文件不是 PDF 文件", field="attachment")
        return suffix
    if not content.startswith(b"PK\x03\x04"):
        raise ServiceError("这个文件不是 Word（.docx）文件", field="attachment")
    problem = zip_problem(content)
    if problem:
        raise ServiceError(problem, field="attachment")
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        if "word/document.xml" not in archive.namelist():
            raise ServiceError("这个文件不是 Word（.docx）文件", field="attachment")
    return suffix


def search_text(*parts: str) -> str:
    """The search column: the fields joined and lower-cased (so that LIKE is case-blind on both
    databases, and pg_trgm's index serves it)."""
    return "\n".join(part for part in parts if part).lower()


def publication_lags(
    organisation: Organisation, items: Iterable[ProactiveItem]
) -> list[tuple[ProactiveItem, catalogue.Lag | None]]:
    """Each item with its working days from 成文日期 to 发布日期 on the organisation's calendar
    (条例第二十六条: 20 working days); None without a 成文日期."""
    calendar = calendar_for(organisation)
    return [
        (
            item,
            None
            if item.written_on is None
            else catalogue.Lag(calendar.workdays_between(item.written_on, item.published_on)),
        )
        for item in items
    ]
