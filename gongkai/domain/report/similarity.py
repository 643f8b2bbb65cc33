"""雷同 detection: rules D-01 (a narrative copied from the same agency's previous-year report) and
D-02 (copied from another agency's report in a batch).

The measure (docs/similarity.md, decisions AU-SIM-1…): each narrative section is normalised
(NFKC; years, numbers, punctuation, spaces and the agency's own name removed; the template's
fixed wording of data/similarity.toml removed by its 8-character shingles), then the *shared
passages* of two sections are every run of at least 12 normalised characters found in both. A
section's copied share is the part of its normalised text covered by shared passages. Passages
are quoted from the printed text, years and numbers included.

A batch is not compared pair by pair: each section gets a MinHash of its shingles (datasketch)
and an LSH index proposes the candidate pairs; only those are measured exactly.

Pure: imports no Django, and nothing of the rules package (which imports this module to
register D-01 and D-02). D-01 needs only the standard library; datasketch is imported by the
batch step alone.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, Section, Subsection

SECTIONS = (1, 5, 6)  # the narrative sections (spec.md §1.2)
_NUMERALS = "一二三四五六"
_SENTENCE_ENDS = "。；;！!？?\n"


@dataclass(frozen=True)
class Settings:
    """similarity.toml: the measure's parameters, the thresholds and the boilerplate phrases."""

    shingle: int
    passage: int
    min_chars: int
    num_perm: int
    lsh_threshold: float
    quotes: int
    quote_chars: int
    d01_threshold: float
    d02_threshold: float
    boilerplate: tuple[str, ...]


@cache
def settings() -> Settings:
    text = resources.files("gongkai.domain").joinpath("data", "similarity.toml").read_text("utf-8")
    data = tomllib.loads(text)
    measure = data["measure"]
    return Settings(
        shingle=int(measure["shingle"]),
        passage=int(measure["passage"]),
        min_chars=int(measure["min_chars"]),
        num_perm=int(measure["num_perm"]),
        lsh_threshold=float(measure["lsh_threshold"]),
        quotes=int(measure["quotes"]),
        quote_chars=int(measure["quote_chars"]),
        d01_threshold=float(data["d01"]["threshold"]),
        d02_threshold=float(data["d02"]["threshold"]),
        boilerplate=tuple(data["boilerplate"]["phrases"]),
    )


# ---------------------------------------------------------------- normalisation

# Years first ("2024年", "二〇二四年"), then any other figure: a copy with new figures is a copy.
_YEARS = re.compile(r"(?:19|20)\d{2}\s*年度?|[〇零一二三四五六七八九]{4}年度?")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
# What is compared: runs of CJK ideographs and Latin letters (punctuation and spaces are not).
_WORDING = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fffA-Za-z]+")
# The place part of an agency's name (宛城区 of 宛城区人民政府办公室), removed with the full name.
_PLACE = re.compile(
    r"^(?:.{1,8}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗|镇|乡|街道))+"
)
_TITLE_AGENCY = re.compile(r"^(?P<agency>.+?)(?:关于)?(?:19|20)\d{2}年")


@cache
def _nfkc(char: str) -> str:
    out = unicodedata.normalize("NFKC", char)
    return out if len(out) == 1 else char


def _same_length_nfkc(text: str) -> str:
    """NFKC character by character, keeping positions (full-width digits and punctuation)."""
    table = {ord(c): _nfkc(c) for c in set(text) if _nfkc(c) != c}
    return text.translate(table) if table else text


def _blank(match: re.Match[str]) -> str:
    return "\0" * len(match.group())


def _strip(text: str, names: Iterable[str]) -> tuple[str, list[int]]:
    """The wording of `text` after NFKC, years, numbers and `names` removed, with the index in
    `text` of each character kept."""
    plain = _same_length_nfkc(text)
    for name in names:
        plain = plain.replace(name, "\0" * len(name))
    plain = _DIGITS.sub(_blank, _YEARS.sub(_blank, plain))
    chars: list[str] = []
    origin: list[int] = []
    for run in _WORDING.finditer(plain):
        chars.append(run.group())
        origin.extend(range(run.start(), run.end()))
    return "".join(chars), origin


def kgrams(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(len(text) - size + 1)]


@cache
def _boilerplate() -> frozenset[str]:
    config = settings()
    return frozenset(
        gram
        for phrase in config.boilerplate
        for gram in kgrams(_strip(phrase, ())[0], config.shingle)
    )


def _covered(starts: Iterable[int], size: int, length: int) -> list[bool]:
    """Positions 0…length−1 covered by a window of `size` starting at one of `starts`."""
    covered = [False] * length
    reach = -1
    for start in starts:
        for position in range(max(start, reach), start + size):
            covered[position] = True
        reach = start + size
    return covered


@dataclass(frozen=True)
class Prepared:
    """A text as compared: its normalised wording `text`, and `origin[i]`, the index in
    `original` of the character text[i] came from."""

    original: str
    text: str
    origin: Sequence[int]

    def __len__(self) -> int:
        return len(self.text)

    def quote(self, start: int, end: int, limit: int) -> str:
        """The printed text of text[start:end] (figures included), spaces dropped, cut to
        `limit` characters."""
        first = self.origin[start]
        # Figures and names just before the passage were left out of the comparison, not out of
        # the copy: quote them from the start of their sentence ("2024年，宛城区政府办在…").
        gap_start = self.origin[start - 1] + 1 if start > 0 else 0
        gap = self.original[gap_start:first]
        ends = [i for i, char in enumerate(gap) if char in _SENTENCE_ENDS]
        if ends:
            first = gap_start + ends[-1] + 1
        elif start == 0:
            first = 0
        printed = self.original[first : self.origin[end - 1] + 1]
        printed = "".join(printed.split()).lstrip(_SENTENCE_ENDS)
        return printed if len(printed) <= limit else printed[:limit] + "……"


def prepare(text: str, names: Iterable[str] = ()) -> Prepared:
    """Normalise `text` for comparison, the agency `names` and the template's wording removed."""
    size = settings().shingle
    wording, origin = _strip(text, names)
    boilerplate = _boilerplate()
    starts = [i for i, gram in enumerate(kgrams(wording, size)) if gram in boilerplate]
    if not starts:
        return Prepared(text, wording, origin)
    covered = _covered(starts, size, len(wording))
    keep = [i for i, gone in enumerate(covered) if not gone]
    return Prepared(text, "".join(wording[i] for i in keep), [origin[i] for i in keep])


def agency_names(agency: str | None) -> tuple[str, ...]:
    """The strings removed as the agency's own name: the full name and its place part."""
    if not agency:
        return ()
    name = _same_length_nfkc("".join(agency.split()))
    place = _PLACE.match(name)
    names = [name]
    if place and 2 <= len(place.group()) < len(name):
        names.append(place.group())
    return tuple(names)


def report_agency(report: AnnualReport) -> str | None:
    """The agency as parsed, else the title's part before the year."""
    if report.agency:
        return report.agency
    match = _TITLE_AGENCY.match("".join((report.title or "").split()))
    return match.group("agency") if match else None


# ---------------------------------------------------------------- the exact measure


@dataclass(frozen=True)
class Overlap:
    """How much of text `a` is found in text `b`: its share and the shared passages of `a`."""

    share: float
    passages: tuple[tuple[int, int], ...]  # (start, end) in a.codes, longest first


def overlap(a: Prepared, b: Prepared) -> Overlap:
    """Every run of at least `passage` characters of `a` that also occurs in `b`.

    Order-free (shuffled sentences still count) and exact: a passage is a union of windows of
    `passage` characters each found verbatim in `b`."""
    size = settings().passage
    if len(a) < size or len(b) < size:
        return Overlap(0.0, ())
    theirs = set(kgrams(b.text, size))
    starts = [i for i, gram in enumerate(kgrams(a.text, size)) if gram in theirs]
    if not starts:
        return Overlap(0.0, ())
    covered = _covered(starts, size, len(a))
    runs: list[tuple[int, int]] = []
    for position, inside in enumerate(covered):
        if inside and (not runs or runs[-1][1] != position):
            runs.append((position, position + 1))
        elif inside:
            runs[-1] = (runs[-1][0], position + 1)
    passages = sorted(runs, key=lambda p: (p[0] - p[1], p[0]))
    return Overlap(sum(covered) / len(a), tuple(passages))


def _quotes(text: Prepared, found: Overlap) -> str:
    config = settings()
    quoted = [text.quote(s, e, config.quote_chars) for s, e in found.passages[: config.quotes]]
    return "；".join(f"“{q}”" for q in quoted)


def shared_passages(this: str, last: str, agency: str | None = None) -> str:
    """The longest passages of `this` also found in `last`, quoted ("" when none): the evidence
    X-04 prints with its verdict."""
    names = agency_names(agency)
    a = prepare(this, names)
    found = overlap(a, prepare(last, names))
    return _quotes(a, found) if found.passages else ""


def _percent(share: float) -> str:
    return f"{int(share * 100)}%"


# ---------------------------------------------------------------- D-01

WARNING = Severity.WARNING  # the registry's severity of D-01 and D-02 (tests keep them equal)


def _section_text(section: Section) -> str:
    parts = [section.text]
    parts += [f"{s.heading}\n{s.text}" for s in section.subsections if s.text not in section.text]
    return "\n".join(part for part in parts if part)


def _full_text(report: AnnualReport, number: int) -> str:
    return "\n".join(_section_text(s) for s in report.sections if s.number == number)


def _subsections(report: AnnualReport) -> dict[str, Subsection]:
    """Section 一's sub-sections by key (by heading when the key is unknown), first one kept."""
    found: dict[str, Subsection] = {}
    for section in report.sections:
        if section.number == 1:
            for sub in section.subsections:
                found.setdefault(sub.key or "".join(sub.heading.split()), sub)
    return found


def _copied(
    this: str, last: str, names: tuple[str, ...], threshold: float
) -> tuple[Prepared, Overlap] | None:
    config = settings()
    a, b = prepare(this, names), prepare(last, names)
    if min(len(a), len(b)) < config.min_chars:
        return None
    found = overlap(a, b)
    return (a, found) if found.share >= threshold else None


def _d01(where: str, subject: str, text: Prepared, found: Overlap) -> Finding:
    message = (
        f"{subject}与上年报告相同内容占{_percent(found.share)}（不计年份、数字和模板用语），"
        f"疑似照抄上年报告：{_quotes(text, found)}"
    )
    return Finding("D-01", WARNING, where, message)


def d01_findings(
    report: AnnualReport, previous: AnnualReport, *, skip: Collection[str] = ()
) -> list[Finding]:
    """D-01: each narrative section (一, 五, 六) whose own wording is at least the threshold
    share found in the same agency's previous-year report, with the longest shared passages.
    When section 一 as a whole is below it, its sub-sections are compared one by one. `skip`:
    places (s1, s5, s6) another rule already reports. Source: 国办公开办函〔2021〕30号 第二部分
    （四）“内容雷同”."""
    if report.year is not None and previous.year is not None and previous.year != report.year - 1:
        return []
    threshold = settings().d01_threshold
    names = agency_names(report_agency(report)) + agency_names(report_agency(previous))
    findings: list[Finding] = []
    for number in SECTIONS:
        where = f"s{number}"
        if where in skip:
            continue
        subject = f"第{_NUMERALS[number - 1]}部分"
        copied = _copied(_full_text(report, number), _full_text(previous, number), names, threshold)
        if copied is not None:
            findings.append(_d01(where, subject, *copied))
        elif number == 1:
            findings.extend(_d01_subsections(report, previous, names, threshold))
    return findings


def _d01_subsections(
    report: AnnualReport, previous: AnnualReport, names: tuple[str, ...], threshold: float
) -> list[Finding]:
    last = _subsections(previous)
    findings: list[Finding] = []
    for index, (key, sub) in enumerate(_subsections(report).items(), start=1):
        before = last.get(key)
        if before is None:
            continue
        copied = _copied(sub.text, before.text, names, threshold)
        if copied is not None:
            place = sub.key or str(index)
            subject = f"第一部分“{''.join(sub.heading.split())}”"
            findings.append(_d01(f"s1.{place}", subject, *copied))
    return findings


# ---------------------------------------------------------------- D-02 over a batch


@dataclass(frozen=True)
class _Entry:
    item: int  # index in the batch
    number: int  # section number
    agency: str  # who published it (the item's name when unknown: never the same as another)


def _agency_key(item: Any) -> str:
    agency = getattr(item, "agency", None) or report_agency(item.report)
    return "".join(str(agency).split()) if agency else f"\0{item.name}"


def _shingle_values(text: str, size: int) -> list[int]:
    """32-bit values of the distinct `size`-character shingles of `text`: a polynomial hash of
    the code points computed over all windows at once (numpy), the two halves folded."""
    import numpy as np  # only a batch needs numpy

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = len(codes) - size + 1
    hashes = np.zeros(max(count, 0), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for offset in range(size):
            hashes = hashes * np.uint64(1_000_003) + codes[offset : offset + count]
    folded = (hashes ^ (hashes >> np.uint64(32))) & np.uint64(0xFFFFFFFF)
    return [int(value) for value in np.unique(folded).tolist()]


def _index(items: Sequence[Any]) -> tuple[list[_Entry], list[tuple[int, int]]]:
    """Every long enough narrative section as an entry, and the LSH's candidate pairs of
    entries of different agencies.

    datasketch (and numpy, scipy under it) is imported here, not at the top: a single report's
    check (D-01) never needs it, and importing it takes seconds."""
    from datasketch import MinHash, MinHashLSH

    config = settings()
    lsh = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
    entries: list[_Entry] = []
    hashes: list[Any] = []
    for position, item in enumerate(items):
        report = item.report
        if report is None:
            continue
        agency = _agency_key(item)
        names = agency_names(report_agency(report))
        for number in SECTIONS:
            text = prepare(_full_text(report, number), names).text
            if len(text) < config.min_chars:
                continue
            # datasketch's affine32 scheme mixes each value (murmur3 finaliser) before permuting.
            minhash = MinHash(num_perm=config.num_perm, seed=1, hashfunc=int)
            minhash.update_batch(_shingle_values(text, config.shingle))
            lsh.insert(len(entries), minhash, check_duplication=False)
            entries.append(_Entry(position, number, agency))
            hashes.append(minhash)
    pairs = {
        (min(i, j), max(i, j))
        for i, minhash in enumerate(hashes)
        for j in lsh.query(minhash)
        if entries[i].agency != entries[j].agency
    }
    return entries, sorted(pairs)


def _label(item: Any) -> str:
    agency = getattr(item, "agency", None) or report_agency(item.report)
    return f"《{item.name}》（{agency}）" if agency else f"《{item.name}》"


def batch_similarity(items: Sequence[Any]) -> dict[str, list[Finding]]:
    """D-02 findings per item name: narrative sections whose wording is shared with another
    agency's report in the batch at or above the threshold (share of the shorter section),
    naming the other report and quoting the passages. Pairs of the same agency are D-01's.

    `items` have `.name`, `.report` (None when unreadable), `.agency` and `.year`."""
    config = settings()
    entries, pairs = _index(items)
    prepared: dict[int, Prepared] = {}

    def text_of(entry: int) -> Prepared:
        if entry not in prepared:
            e = entries[entry]
            report = items[e.item].report
            names = agency_names(report_agency(report))
            prepared[entry] = prepare(_full_text(report, e.number), names)
        return prepared[entry]

    result: dict[str, list[Finding]] = defaultdict(list)
    for i, j in pairs:
        a, b = text_of(i), text_of(j)
        a_in_b, b_in_a = overlap(a, b), overlap(b, a)
        if max(a_in_b.share, b_in_a.share) < config.d02_threshold:
            continue
        left, right = entries[i], entries[j]
        result[items[left.item].name].append(
            _d02(left.number, a, a_in_b, items[right.item], right.number, b_in_a.share)
        )
        result[items[right.item].name].append(
            _d02(right.number, b, b_in_a, items[left.item], left.number, a_in_b.share)
        )
    return {name: sorted(found) for name, found in sorted(result.items())}


def _d02(
    number: int, text: Prepared, found: Overlap, other: Any, other_number: int, theirs: float
) -> Finding:
    mine = f"第{_NUMERALS[number - 1]}部分"
    their_part = f"第{_NUMERALS[other_number - 1]}部分"
    message = (
        f"{mine}与{_label(other)}{their_part}相同内容占本部分的{_percent(found.share)}"
        f"（占对方的{_percent(theirs)}，不计年份、数字和模板用语），疑似与其他单位报告雷同："
        f"{_quotes(text, found)}"
    )
    return Finding("D-02", WARNING, f"s{number}", message)
