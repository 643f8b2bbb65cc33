"""Reads of the public catalogue (公开目录 and 法定主动公开内容, 条例第十二条, 第二十条): what the 专栏
shows of an organisation's proactive register, its search with filters, and the columns by 主题.

Public means: 发布日期 reached (an item goes public on that day, not before) and not withdrawn.
Search reads one lower-cased column with LIKE, which a pg_trgm GIN index serves on PostgreSQL
(migration 0004) and a scan serves on SQLite; pages are keyset pages of at most `PAGE_SIZE`, so
no query counts or skips the whole result.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Exists, Q, QuerySet

from gongkai.accounts.models import Organisation
from gongkai.domain import catalogue
from gongkai.reports.models import NormativeDocument, ProactiveItem

PAGE_SIZE = 20
MAX_QUERY = 100  # characters of a search: a title or a 文号 is shorter
_CURSOR = re.compile(r"(\d{4}-\d{2}-\d{2})\.(\d{1,18})")


@dataclass(frozen=True)
class CatalogueQuery:
    text: str = ""
    topic: str = ""
    genre: str = ""
    validity: str = ""
    year: int | None = None

    @property
    def is_search(self) -> bool:
        return bool(self.text or self.topic or self.genre or self.validity or self.year)


@dataclass(frozen=True)
class CataloguePage:
    items: list[ProactiveItem]
    next_cursor: str  # blank on the last page


def public_items(organisation: Organisation, today: dt.date) -> QuerySet[ProactiveItem]:
    """The organisation's items on its 专栏 on `today`."""
    return ProactiveItem.objects.filter(
        organisation=organisation, published_on__lte=today, withdrawn_at__isnull=True
    )


def _validity_q(code: str, today: dt.date) -> Q:
    """Items whose 有效性 shown on `today` is `code` (a future 废止/失效 is still 有效)."""
    ended = [v.code for v in catalogue.validities() if v.ended]
    pending = Q(validity__in=ended, validity_changed_on__gt=today)
    if code == catalogue.VALID:
        return Q(validity=code) | pending
    if code in ended:
        return Q(validity=code) & ~pending
    return Q(validity=code)


def search(
    organisation: Organisation,
    query: CatalogueQuery,
    *,
    today: dt.date,
    cursor: str = "",
    size: int = PAGE_SIZE,
) -> CataloguePage:
    """One page of public items matching `query`, newest first, after `cursor`."""
    items = public_items(organisation, today)
    text = " ".join(query.text.split())[:MAX_QUERY].lower()
    for word in text.split(" ") if text else ():
        items = items.filter(search_text__contains=word)  # every word, in any field
    if query.topic:
        items = items.filter(topic=query.topic)
    if query.genre:
        items = items.filter(genre=query.genre)
    if query.validity:
        items = items.filter(_validity_q(query.validity, today))
    if query.year:
        items = items.filter(
            published_on__gte=dt.date(query.year, 1, 1),
            published_on__lte=dt.date(query.year, 12, 31),
        )
    after = _CURSOR.fullmatch(cursor)
    if after:
        day, pk = dt.date.fromisoformat(after[1]), int(after[2])
        items = items.filter(Q(published_on__lt=day) | Q(published_on=day, id__lt=pk))
    rows = list(items.order_by("-published_on", "-id")[: size + 1])
    next_cursor = ""
    if len(rows) > size:
        rows = rows[:size]
        last = rows[-1]
        next_cursor = f"{last.published_on.isoformat()}.{last.pk}"
    return CataloguePage(rows, next_cursor)


@dataclass(frozen=True)
class Column:
    code: str
    label: str
    has_items: bool  # False: the page says 本栏目暂无信息


def topic_columns(organisation: Organisation, today: dt.date) -> list[Column]:
    """Every 主题 column and whether it has public items: one query of one EXISTS per column,
    each an index probe of proactive_public_topic (a count would read every item)."""
    public = public_items(organisation, today)
    probes = {
        f"t{code}": Exists(public.filter(topic=code)) for code in (*catalogue.topics().codes, "")
    }
    found = Organisation.objects.filter(pk=organisation.pk).values(**probes).first() or {}
    columns = [
        Column(code, label, bool(found.get(f"t{code}"))) for code, label in catalogue.topics().items
    ]
    if found.get("t"):
        columns.append(Column("", "未分类", True))
    return columns


def public_item(organisation: Organisation, index_no: str, today: dt.date) -> ProactiveItem | None:
    return (
        public_items(organisation, today)
        .select_related("interprets")
        .filter(index_no=index_no)
        .first()
    )


def public_interpretations(item: ProactiveItem, today: dt.date) -> list[ProactiveItem]:
    """The published 解读 of a policy item (the link seen from the policy's side)."""
    return list(
        public_items(item.organisation, today).filter(interprets=item).order_by("published_on")
    )


def shown_validity(item: ProactiveItem | NormativeDocument, today: dt.date) -> catalogue.Validity:
    if isinstance(item, NormativeDocument):
        return catalogue.validity_on(item.validity, item.abolished_on, today)
    return catalogue.validity_on(item.validity, item.validity_changed_on, today)


def public_documents(organisation: Organisation, today: dt.date) -> list[NormativeDocument]:
    """规章 and 行政规范性文件 issued by `today`, each with its 有效性 (those no longer in force
    stay listed, marked: evaluations fault lists that drop or do not mark them)."""
    return list(
        NormativeDocument.objects.filter(organisation=organisation, issued_on__lte=today).order_by(
            "kind", "-issued_on", "-id"
        )
    )
