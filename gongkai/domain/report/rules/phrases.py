"""Numbers the narrative states, each with the keyword it belongs to (for the N- rules).

Conservative by design: a pattern matches only a sentence that clearly says one thing
("全年共收到政府信息公开申请36件"); anything with a qualifier that could make the number a
subset (自然人、网上、其中 …) is left alone. No claim means no finding. Texts arrive NFKC
normalised (see text.sentences), so punctuation in the patterns is half-width.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

_UNIT = r"(?:件|个|份)"
# A count of at most 9 digits standing alone. The look-behind makes a search start only where a
# run of digits starts (without it, a pattern that opens with a number retries from every digit
# of a long run: quadratic); the bound keeps int() far from its 4,300-digit limit. A longer
# "number" is no claim at all (issue 9: hostile input).
_N = r"(?<!\d)(?P<n>\d{1,9})(?!\d)"
_FILLER = r"(?:共|合计|总计|累计)?(?:为|达)?"


@dataclass(frozen=True)
class Claim:
    """A number stated in the text: what it counts, the number, and the words that say so."""

    kind: str
    value: int
    quote: str
    includes_carry: bool = False  # N-01: the count includes applications carried over
    verb: str = ""


# N-01/N-02 ------------------------------------------------------------------------------------

_RECEIVED = (
    re.compile(
        rf"(?P<verb>收到|新收|受理|接收)(?P<gap>[^,;:]{{0,20}}?)申请"
        rf"(?:总数|数量|总量)?{_FILLER}{_N}{_UNIT}"
    ),
    re.compile(
        rf"(?P<verb>收到|新收|受理|接收)了?(?:各类)?{_N}{_UNIT}(?P<gap>[^,;:]{{0,12}}?)申请"
    ),
)
# A qualifier between verb and 申请 makes the number a subset (自然人申请, 网上申请 …).
_SUBSET = re.compile(
    r"自然人|法人|企业|组织|网上|网络|在线|当面|现场|信函|邮寄|传真|邮件|电子|来信|涉及|有关|关于"
    r"|复议|诉讼|举报|投诉|其中|同比|较上年|比上年|补正"
)
_INCLUDES_CARRY = re.compile(r"(?:含|包括|包含|连同|其中)[^;]{0,8}结转")
_NO_APPLICATIONS = re.compile(
    r"(?:(?<!尚)未|没有)(?:收到|接到|受理|接收)过?(?:任何)?(?:一件)?"
    r"(?:公民、法人(?:或者?|和)其他组织(?:提出)?的?)?"
    r"(?:政府信息公开|信息公开|依申请公开)?的?申请(?!人|书|表|材料|费)"
    r"|依申请公开(?:政府信息)?(?:申请)?(?:数量)?为?(?:0|零)" + _UNIT
)


def received_claims(sentence: str) -> list[Claim]:
    """ "收到/新收/受理 … 申请 N 件" (N-01, N-02); only the first clear match of a sentence."""
    if sentence.startswith("其中"):
        return []
    for pattern in _RECEIVED:
        match = pattern.search(sentence)
        if match and not _SUBSET.search(match.group("gap")):
            includes_carry = bool(_INCLUDES_CARRY.search(sentence))
            value, quote = int(match.group("n")), match.group(0)
            return [Claim("received", value, quote, includes_carry, match.group("verb"))]
    return []


def says_no_applications(sentence: str) -> str | None:
    """The words saying no application was received, if the sentence says so."""
    match = _NO_APPLICATIONS.search(sentence)
    return match.group(0) if match else None


# N-03 -----------------------------------------------------------------------------------------

_CARRY_IN = re.compile(
    rf"(?:上一?年度?|去年)结转(?:而来)?的?(?:政府信息公开)?(?:申请)?{_FILLER}{_N}{_UNIT}"
)
_CARRY_OUT = (
    re.compile(
        rf"结转(?:至|到|入)?下一?年度?(?:继续)?(?:办理)?的?(?:政府信息公开)?(?:申请)?"
        rf"{_FILLER}{_N}{_UNIT}"
    ),
    re.compile(rf"{_N}{_UNIT}(?:申请)?(?:需|将)?结转(?:至|到|入)?下一?年"),
)


def carry_claims(sentence: str) -> list[Claim]:
    """ "上年结转 N 件" → carry_in, "结转下年度 N 件" → carry_out (N-03)."""
    claims: list[Claim] = []
    match = _CARRY_IN.search(sentence)
    if match:
        claims.append(Claim("carry_in", int(match.group("n")), match.group(0)))
    for pattern in _CARRY_OUT:
        match = pattern.search(sentence)
        if match:
            claims.append(Claim("carry_out", int(match.group("n")), match.group(0)))
            break
    return claims


# N-04/N-05 ------------------------------------------------------------------------------------

_APPEAL_UNIT = r"(?:件|起|宗|个|次)"
_APPEAL_COUNTS = {
    # "行政复议和行政诉讼各1件" is skipped: the lookbehind refuses a keyword right after the other.
    "review": re.compile(rf"(?<!诉讼[和、及与])行政复议(?:案件|申请)?{_FILLER}{_N}{_APPEAL_UNIT}"),
    "suit": re.compile(rf"(?<!复议[和、及与])行政诉讼(?:案件)?{_FILLER}{_N}{_APPEAL_UNIT}"),
}
_APPEAL_NEGATION = re.compile(r"(?<!尚)未(?!经)|没有|无(?!论|法|需|须|正当)")
# A negated outcome ("未发生行政复议被纠错") says nothing about the number of cases.
_APPEAL_OUTCOME = re.compile(r"纠正|纠错|败诉|撤销|确认违法|维持|变更|审结|结案|办结|但|却|除")
_APPEAL_ALL_ZERO = re.compile(
    r"行政复议[和、及与]行政诉讼(?:案件)?(?:数量)?[均都各]?为?(?:0|零)" + _APPEAL_UNIT
)
_APPEAL_WORDS = {"review": "行政复议", "suit": "行政诉讼"}
# How far after the negation the keyword may stand ("未发生因政府信息公开工作被申请行政复议").
_NEGATION_REACH = 30


def is_about_disclosure(sentence: str) -> bool:
    """Appeals in a sentence about 政府信息公开 — not the agency's other review cases."""
    return "公开" in sentence or "被" in sentence


def appeal_claims(sentence: str) -> list[Claim]:
    """ "行政复议 N 件/起/宗" → review, "行政诉讼 N 件" → suit (N-04, N-05)."""
    claims: list[Claim] = []
    for kind, pattern in _APPEAL_COUNTS.items():
        match = pattern.search(sentence)
        if match:
            claims.append(Claim(kind, int(match.group("n")), match.group(0)))
    return claims


def appeals_denied(sentence: str) -> dict[str, str]:
    """Kinds of appeal ("review", "suit") the sentence says did not happen, with the words."""
    denied: dict[str, str] = {}
    zero = _APPEAL_ALL_ZERO.search(sentence)
    if zero:
        return {"review": zero.group(0), "suit": zero.group(0)}
    for clause in sentence.split(","):
        negation = _APPEAL_NEGATION.search(clause)
        if negation is None or _APPEAL_OUTCOME.search(clause):
            continue
        reach = clause[negation.start() : negation.end() + _NEGATION_REACH]
        for kind, word in _APPEAL_WORDS.items():
            if word in reach:
                denied[kind] = clause[negation.start() :]
    return denied


# N-06 -----------------------------------------------------------------------------------------

_DOC = r"(?:行政)?规范性文件"
# (row, column role, pattern); the role is mapped to the version's column in narrative.py.
SECTION2_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "normative_documents",
        "issued",
        re.compile(rf"(?:制发|印发|出台|制定)了?{_DOC}共?{_N}{_UNIT}"),
    ),
    (
        "normative_documents",
        "issued",
        re.compile(rf"(?:制发|印发|出台|制定)了?{_N}{_UNIT}{_DOC}"),
    ),
    ("normative_documents", "abolished", re.compile(rf"废止了?{_DOC}共?{_N}{_UNIT}")),
    ("normative_documents", "in_force", re.compile(rf"现行有效的?{_DOC}共?{_N}{_UNIT}")),
    (
        "licensing",
        "decisions",
        re.compile(rf"(?:作出|做出|办理|办结)了?行政许可(?:决定)?共?{_N}(?:件|个)"),
    ),
    (
        "penalty",
        "decisions",
        re.compile(rf"(?:作出|做出|实施|办理|查处)了?行政处罚(?:决定|案件)?共?{_N}(?:件|起|个)"),
    ),
    (
        "coercion",
        "decisions",
        re.compile(rf"(?:作出|做出|实施|采取)了?行政强制(?:措施|决定)?共?{_N}(?:件|起|个)"),
    ),
)


def section2_claims(sentence: str) -> list[tuple[str, str, Claim]]:
    """(row, column role, claim) for counts of table 二 quoted in the text (N-06)."""
    found: list[tuple[str, str, Claim]] = []
    for row, role, pattern in SECTION2_PATTERNS:
        match = pattern.search(sentence)
        if match and all((row, role) != (r, c) for r, c, _ in found):
            found.append((row, role, Claim(row, int(match.group("n")), match.group(0))))
    return found


# N-07 -----------------------------------------------------------------------------------------

_FEE_TOPIC = re.compile(r"信息处理费|收费|收取|费用")
_FEE_AMOUNT = re.compile(
    r"(?:收取|收缴|征收|计收)了?(?:政府信息公开)?信息处理费(?:共|合计)?(?P<amount>\d{1,12}(?:\.\d{1,6})?)(?![\d.])(?P<unit>万元|元)"
)


def mentions_fees(text: str) -> bool:
    return bool(_FEE_TOPIC.search(text))


def fee_amount(sentence: str) -> tuple[Decimal, str, str] | None:
    """(amount, unit, quote) of "收取信息处理费 X 元"."""
    match = _FEE_AMOUNT.search(sentence)
    if match is None:
        return None
    return Decimal(match.group("amount")), match.group("unit"), match.group(0)


# N-08 -----------------------------------------------------------------------------------------

_SIX_PARTS = re.compile(r"[六6]个?大?(?:部分|方面)")
# Words that name the six sections in a preamble's list ("由总体情况、主动公开…组成").
_SECTION_WORDS = (
    "总体情况",
    "主动公开",
    "收到和处理",
    "行政复议",
    "存在的主要问题|存在问题|主要问题",
    "其他需要报告",
)
_LISTS_ALL = 5


def promises_six_parts(sentence: str) -> bool:
    """The sentence announces the report's six parts (by count or by listing them)."""
    named = sum(1 for words in _SECTION_WORDS if re.search(words, sentence))
    if named >= _LISTS_ALL:
        return True
    return bool(_SIX_PARTS.search(sentence)) and (
        "报告" in sentence or "年报" in sentence or named >= 2
    )


# N-09 -----------------------------------------------------------------------------------------

PERCENT_KEYWORDS = (
    "予以公开",
    "部分公开",
    "不予公开",
    "无法提供",
    "不予处理",
    "其他处理",
    "自然人",
    "法人或其他组织",
    "法人或者其他组织",
    "法人和其他组织",
)
_PERCENT = re.compile(
    rf"(?P<kw>{'|'.join(PERCENT_KEYWORDS)})(?:的|类)?(?:申请)?共?有?{_N}{_UNIT}?[,、]?约?"
    r"占(?:比)?(?:总数|申请总数|全部申请|总量|办结总数|答复总数|总件数|全部)?的?约?为?"
    r"(?<!\d)(?P<p>\d{1,3}(?:\.\d{1,6})?)%"
)
_JOINED = re.compile(rf"(?:{'|'.join(PERCENT_KEYWORDS)})[和及与、]$")


@dataclass(frozen=True)
class PercentClaim:
    keyword: str
    count: int
    percent: Decimal
    quote: str


def percent_claims(sentence: str) -> list[PercentClaim]:
    """ "予以公开22件，占61.1%"; skipped when the keyword is joined to another
    ("予以公开和部分公开")."""
    claims: list[PercentClaim] = []
    for match in _PERCENT.finditer(sentence):
        if _JOINED.search(sentence[: match.start()]):
            continue
        percent = Decimal(match.group("p"))
        claims.append(PercentClaim(match["kw"], int(match["n"]), percent, match.group(0)))
    return claims
