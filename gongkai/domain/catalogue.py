"""The 政府信息公开目录 as pure rules: classification tables (data/catalogue.toml, each with its
source), the 索引号 rule of an organisation, 有效性 on a day, and the publication lag of
条例第二十六条 (20 working days from the document's creation or change)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

# 条例第二十六条: information is published within 20 working days of its creation or change.
PUBLICATION_LIMIT_WORKDAYS = 20

# The default 索引号: organisation code + class code (主题, 2 digits) + year + sequence (5 digits):
# 20 characters for a 9-character 机构代码 (shared/docs/public-and-supervision.md, 目录 metadata).
DEFAULT_INDEX_PATTERN = "{org}{class}{year}{seq}"
UNCLASSIFIED = "00"  # class code of an item without a 主题
_FIELDS = {"org": None, "class": r"\d{2}", "year": r"\d{4}", "seq": r"\d{5}"}
_LITERAL = re.compile(r"[A-Za-z0-9\-_.]*")  # literals stay URL-safe: the 索引号 is in the URL
_TOKEN = re.compile(r"\{(org|class|year|seq)\}")


@dataclass(frozen=True)
class Table:
    source: str
    items: tuple[tuple[str, str], ...]

    def label(self, code: str) -> str:
        return dict(self.items).get(code, "")

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.items)


@dataclass(frozen=True)
class Validity:
    code: str
    label: str
    ended: bool  # out of force from its date (废止, 失效)


@cache
def _data() -> dict[str, dict[str, object]]:
    text = resources.files("gongkai.domain").joinpath("data", "catalogue.toml").read_text("utf-8")
    return tomllib.loads(text)


def _table(name: str) -> Table:
    raw = _data()[name]
    items = raw["items"]
    assert isinstance(items, list)
    return Table(str(raw["source"]), tuple((str(i[0]), str(i[1])) for i in items))


@cache
def topics() -> Table:
    return _table("topics")


@cache
def genres() -> Table:
    return _table("genres")


@cache
def validity_table() -> Table:
    return _table("validity")


@cache
def validities() -> tuple[Validity, ...]:
    items = _data()["validity"]["items"]
    assert isinstance(items, list)
    return tuple(Validity(str(i[0]), str(i[1]), bool(i[2])) for i in items)


def validity(code: str) -> Validity:
    for item in validities():
        if item.code == code:
            return item
    raise KeyError(code)


VALID = "valid"


def validity_on(code: str, changed_on: dt.date | None, day: dt.date) -> Validity:
    """The 有效性 shown on `day`: a 废止 or 失效 dated later (a known 有效期) is still 有效 until then."""
    stated = validity(code)
    if stated.ended and changed_on is not None and changed_on > day:
        return validity(VALID)
    return stated


# ---------------------------------------------------------------- 索引号


class IndexRuleError(ValueError):
    """A 索引号 rule an organisation cannot use (message in Chinese)."""


@dataclass(frozen=True)
class IndexRule:
    """An organisation's 索引号 rule: a pattern of {org}, {class}, {year} and {seq} with URL-safe
    literals between them, and the organisation code it puts in {org}."""

    org_code: str
    pattern: str = DEFAULT_INDEX_PATTERN

    def check(self) -> None:
        if not re.fullmatch(r"[A-Za-z0-9]{1,18}", self.org_code):
            raise IndexRuleError("索引号中的机构代码只能由1至18位字母或数字组成")
        tokens = _TOKEN.findall(self.pattern)
        if sorted(tokens) != sorted(_FIELDS):
            raise IndexRuleError("索引号规则须包含{org}、{class}、{year}、{seq}各一次")
        if not all(_LITERAL.fullmatch(part) for part in _TOKEN.split(self.pattern)[::2]):
            raise IndexRuleError("索引号规则中的分隔符只能是字母、数字、“-”“_”“.”")

    def format(self, class_code: str, year: int, seq: int) -> str:
        values = {
            "org": self.org_code,
            "class": class_code,
            "year": f"{year:04d}",
            "seq": f"{seq:05d}",
        }
        return _TOKEN.sub(lambda m: values[m.group(1)], self.pattern)

    def regex(self) -> re.Pattern[str]:
        parts = _TOKEN.split(self.pattern)
        out = []
        for position, part in enumerate(parts):
            if position % 2 == 0:
                out.append(re.escape(part))
            elif part == "org":
                out.append(f"(?P<org>{re.escape(self.org_code)})")
            else:
                out.append(f"(?P<{part.replace('class', 'cls')}>{_FIELDS[part]})")
        return re.compile("".join(out))

    def parse(self, index_no: str) -> tuple[str, int, int] | None:
        """(class code, year, sequence) of a well-formed 索引号 of this rule, else None."""
        found = self.regex().fullmatch(index_no)
        if found is None:
            return None
        return found["cls"], int(found["year"]), int(found["seq"])

    def problem(self, index_no: str, class_codes: tuple[str, ...]) -> str | None:
        """Why `index_no` is not a 索引号 of this rule (in Chinese), or None."""
        parsed = self.parse(index_no)
        example = self.format(class_codes[0] if class_codes else UNCLASSIFIED, 2024, 1)
        if parsed is None:
            return f"索引号“{index_no}”不符合本机构的索引号规则（例如：{example}）"
        class_code, _, seq = parsed
        if class_code != UNCLASSIFIED and class_code not in class_codes:
            return f"索引号“{index_no}”中的分类代码“{class_code}”不在主题分类表中"
        if seq == 0:
            return f"索引号“{index_no}”的顺序号不能为0"
        return None


# ---------------------------------------------------------------- 条例第二十六条


@dataclass(frozen=True)
class Lag:
    workdays: int
    limit: int = PUBLICATION_LIMIT_WORKDAYS

    @property
    def exceeded(self) -> bool:
        return self.workdays > self.limit
