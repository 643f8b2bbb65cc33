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
from typing import TYPE_CHECKING, Protocol

from gongkai.domain.report.findings import Finding, Severity
from gongkai.domain.report.model import AnnualReport, Section, Subsection

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Codes = npt.NDArray[np.uint32]
    Hashes = npt.NDArray[np.uint64]
    Indexes = npt.NDArray[np.intp]
    Flags = npt.NDArray[np.bool_]

SECTIONS = (1, 5, 6)  # the narrative sections (spec.md §1.2)
_NUMERALS = "一二三四五六"
_SENTENCE_ENDS = "。；;！!？?\n"


@dataclass(frozen=True)
class Settings:
    """similarity.toml: the measure's parameters, the thresholds and the boilerplate phrases."""

    shingle: int
    passage: int
    min_chars: int
    min_shared: int
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
        min_shared=int(measure["min_shared"]),
        num_perm=int(measure["num_perm"]),
        lsh_threshold=float(measure["lsh_threshold"]),
        quotes=int(measure["quotes"]),
        quote_chars=int(measure["quote_chars"]),
        d01_threshold=float(data["d01"]["threshold"]),
        d02_threshold=float(data["d02"]["threshold"]),
        boilerplate=tuple(data["boilerplate"]["phrases"]),
    )


# ---------------------------------------------------------------- normalisation

# Years with their 年 ("2024年", "二〇二四年"): a copy with a new year is a copy.
_YEARS = re.compile(r"(?:19|20)\d{2}\s*年度?|[〇零一二三四五六七八九]{4}年度?")
# The place part of an agency's name (宛城区 of 宛城区人民政府办公室), removed with the full name.
_PLACE = re.compile(
    r"^(?:.{1,8}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗|镇|乡|街道))+"
)
_TITLE_AGENCY = re.compile(r"^(?P<agency>.+?)(?:关于)?(?:19|20)\d{2}年")


# NFKC forms of the characters met so far that normalise to one other character (full-width
# digits, letters and punctuation, compatibility ideographs); grown as texts come.
_NFKC: dict[str, str] = {}
_SEEN: set[str] = set()


def _same_length_nfkc(text: str) -> str:
    """NFKC character by character, keeping positions (full-width digits and punctuation)."""
    present = set(text)
    for char in present - _SEEN:
        _SEEN.add(char)
        out = unicodedata.normalize("NFKC", char)
        if len(out) == 1 and out != char:
            _NFKC[char] = out
    # A few distinct characters change in a text: replacing each is faster than str.translate,
    # which looks up every character.
    for char in present & _NFKC.keys():
        text = text.replace(char, _NFKC[char])
    return text


def _blank(match: re.Match[str]) -> str:
    return "\0" * len(match.group())


def _plain(text: str, names: Iterable[str]) -> str:
    """`text` after NFKC with years and `names` blanked out (same length). Other figures go
    with punctuation: only wording characters are kept (`_wording`)."""
    plain = _same_length_nfkc(text)
    for name in names:
        plain = plain.replace(name, "\0" * len(name))
    return _YEARS.sub(_blank, plain)


def _among(values: Hashes, table: Hashes) -> Flags:
    """values[i] in `table` (sorted) for each i: a binary search of all values at once."""
    import numpy as np

    if not len(table):
        return np.zeros(len(values), dtype=bool)
    where = np.minimum(np.searchsorted(table, values), len(table) - 1)
    found: Flags = table[where] == values
    return found


def _codes(text: str) -> Codes:
    import numpy as np  # imported when first needed: a check without comparisons never is

    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)


@cache
def _wording_table() -> Flags:
    """For each code point of the Basic Multilingual Plane: is it a CJK ideograph or a Latin
    letter (a character that carries wording)? The last entry stands for any code point above."""
    import numpy as np

    table = np.zeros(0x10001, dtype=bool)
    table[0x4E00:0xA000] = table[0x3400:0x4DC0] = True
    table[0x41:0x5B] = table[0x61:0x7B] = True
    return table


def _wording(codes: Codes) -> Indexes:
    """Indexes of the characters that carry wording (CJK ideographs and Latin letters)."""
    import numpy as np

    return np.nonzero(_wording_table()[np.minimum(codes, 0x10000)])[0]


_BASE = 1_000_003


def kgram_hashes(codes: Codes, size: int) -> Hashes:
    """The polynomial hash sum(c[i+j] · B^(size−1−j)) mod 2⁶⁴ of every window of `size`
    characters, all windows at once: hashes of windows of 1, 2, 4 … characters are doubled and
    the ones of `size`'s binary digits joined (3 to 4 array passes instead of `size`)."""
    import numpy as np

    count = len(codes) - size + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    block, length = codes.astype(np.uint64), 1  # hashes of windows of `length` characters
    result: Hashes | None = None
    covered = 0  # window length `result` hashes
    remaining = size
    with np.errstate(over="ignore"):
        while True:
            if remaining & 1:
                if result is None:
                    result, covered = block, length
                else:
                    shift = np.uint64(pow(_BASE, length, 1 << 64))
                    keep = len(codes) - covered - length + 1
                    result = result[:keep] * shift + block[covered : covered + keep]
                    covered += length
            remaining >>= 1
            if not remaining:
                break
            shift = np.uint64(pow(_BASE, length, 1 << 64))
            block = block[:-length] * shift + block[length:]
            length *= 2
    assert result is not None  # size ≥ 1 has a binary digit
    return result


def _covered(starts: Flags, size: int) -> Flags:
    """Positions covered by a window of `size` starting at each True of `starts`: position p is
    covered when a window starts in [p − size + 1, p] (a difference of running counts)."""
    import numpy as np

    count = len(starts)
    running = np.concatenate(([0], np.cumsum(starts)))
    position = np.arange(count + size - 1)
    last = np.minimum(position, count - 1) + 1
    first = np.maximum(position - size + 1, 0)
    covered: Flags = running[last] - running[first] > 0
    return covered


@cache
def _boilerplate() -> Hashes:
    import numpy as np

    config = settings()
    hashes = [
        kgram_hashes(codes[_wording(codes)], config.shingle)
        for codes in (_codes(_plain(phrase, ())) for phrase in config.boilerplate)
    ]
    return np.unique(np.concatenate(hashes))


@dataclass(frozen=True)
class Prepared:
    """A text as compared: its normalised wording (`codes`, code points), and `origin[i]`, the
    index in `original` of the character codes[i] came from."""

    original: str
    codes: Codes
    origin: Indexes

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def text(self) -> str:
        return self.codes.tobytes().decode("utf-32-le")

    def quote(self, start: int, end: int, limit: int) -> str:
        """The printed text of codes[start:end] (figures included), spaces dropped, cut to
        `limit` characters."""
        first = int(self.origin[start])
        # Figures and names just before the passage were left out of the comparison, not out of
        # the copy: quote them from the start of their sentence ("2024年，宛城区政府办在…").
        gap_start = int(self.origin[start - 1]) + 1 if start > 0 else 0
        gap = self.original[gap_start:first]
        ends = [i for i, char in enumerate(gap) if char in _SENTENCE_ENDS]
        if ends:
            first = gap_start + ends[-1] + 1
        elif start == 0:
            first = 0
        printed = self.original[first : int(self.origin[end - 1]) + 1]
        printed = "".join(printed.split()).lstrip(_SENTENCE_ENDS)
        return printed if len(printed) <= limit else printed[:limit] + "……"


def prepare(text: str, names: Iterable[str] = ()) -> Prepared:
    """Normalise `text` for comparison: NFKC; years, numbers, the agency `names`, punctuation
    and spaces out; then every window of `shingle` characters of the template's wording out."""
    size = settings().shingle
    codes = _codes(_plain(text, names))
    origin = _wording(codes)
    codes = codes[origin]
    starts = _among(kgram_hashes(codes, size), _boilerplate())
    if starts.any():
        keep = ~_covered(starts, size)
        codes, origin = codes[keep], origin[keep]
    return Prepared(text, codes, origin)


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
    passages: tuple[tuple[int, int], ...]  # (start, end) in a.text, longest first

    @property
    def shared(self) -> int:
        """Characters of `a` in shared passages."""
        return sum(end - start for start, end in self.passages)

    def reportable(self, threshold: float) -> bool:
        return self.share >= threshold and self.shared >= settings().min_shared


def overlap(a: Prepared, b: Prepared) -> Overlap:
    """Every run of at least `passage` characters of `a` that also occurs in `b`.

    Order-free (shuffled sentences still count) and exact up to 64-bit hash collisions: a
    passage is a union of windows of `passage` characters each found verbatim in `b`."""
    import numpy as np

    size = settings().passage
    if len(a) < size or len(b) < size:
        return Overlap(0.0, ())
    starts = _among(kgram_hashes(a.codes, size), np.sort(kgram_hashes(b.codes, size)))
    if not starts.any():
        return Overlap(0.0, ())
    covered = _covered(starts, size)
    edges = np.diff(np.concatenate(([0], covered.astype(np.int8), [0])))
    runs = zip(np.nonzero(edges == 1)[0].tolist(), np.nonzero(edges == -1)[0].tolist(), strict=True)
    passages = sorted(runs, key=lambda p: (p[0] - p[1], p[0]))
    return Overlap(float(covered.sum()) / len(a), tuple(passages))


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
    return (a, found) if found.reportable(threshold) else None


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


class BatchItem(Protocol):
    """A file of a batch as the batch audit holds it (batch.AuditedReport has these)."""

    @property
    def name(self) -> str: ...
    @property
    def report(self) -> AnnualReport | None: ...  # None: the file could not be read
    @property
    def agency(self) -> str | None: ...  # as the batch identified it
    @property
    def year(self) -> int | None: ...


@dataclass(frozen=True)
class _Entry:
    item: int  # index in the batch
    number: int  # section number
    agency: str  # who published it (the item's name when unknown: never the same as another)
    report: AnnualReport


def _agency_key(item: BatchItem, report: AnnualReport) -> str:
    agency = item.agency or report_agency(report)
    return "".join(str(agency).split()) if agency else f"\0{item.name}"


def _shingle_values(codes: Codes, size: int) -> list[int]:
    """32-bit values of the distinct shingles of `codes` (the 64-bit hash's halves folded)."""
    import numpy as np

    hashes = np.unique(kgram_hashes(codes, size))
    values: list[int] = ((hashes ^ (hashes >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).tolist()
    return values


def _index(items: Sequence[BatchItem]) -> tuple[list[_Entry], list[tuple[int, int]]]:
    """Every long enough narrative section as an entry, and the LSH's candidate pairs of
    entries of different agencies.

    datasketch (and numpy, scipy under it) is imported here, not at the top: a single report's
    check (D-01) never needs it, and importing it takes seconds."""
    from datasketch import MinHash, MinHashLSH

    config = settings()
    # Permutations drawn once (seeded), shared by every MinHash of the batch.
    template = MinHash(num_perm=config.num_perm, seed=1, hashfunc=int)
    # One index per section: a copy is of 一 into 一, 五 into 五 (sections differ in content).
    indexes = {
        number: MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
        for number in SECTIONS
    }
    entries: list[_Entry] = []
    pairs: set[tuple[int, int]] = set()
    for position, item in enumerate(items):
        report = item.report
        if report is None:
            continue
        agency = _agency_key(item, report)
        names = agency_names(report_agency(report))
        for number in SECTIONS:
            codes = prepare(_full_text(report, number), names).codes
            if len(codes) < config.min_chars:
                continue
            # datasketch's affine32 scheme mixes each value (murmur3 finaliser) before permuting.
            minhash = MinHash(
                seed=1, hashfunc=int, permutations=template.permutations, scheme=template.scheme
            )
            minhash.update_batch(_shingle_values(codes, config.shingle))
            # Each section meets the sections indexed before it: every pair once, and no MinHash
            # is kept once it is in the index.
            here = len(entries)
            entries.append(_Entry(position, number, agency, report))
            index = indexes[number]
            pairs.update((j, here) for j in index.query(minhash) if entries[j].agency != agency)
            index.insert(here, minhash, check_duplication=False)
    return entries, sorted(pairs)


def _label(item: BatchItem) -> str:
    agency = item.agency or (report_agency(item.report) if item.report else None)
    return f"《{item.name}》（{agency}）" if agency else f"《{item.name}》"


def batch_similarity(items: Sequence[BatchItem]) -> dict[str, list[Finding]]:
    """D-02 findings per item name: narrative sections whose wording is shared with the same
    section of another agency's report in the batch at or above the threshold (share of either),
    naming the other report and quoting the passages. Pairs of the same agency are D-01's.

    `items` have `.name`, `.report` (None when unreadable), `.agency` and `.year`."""
    agencies = {_agency_key(item, item.report) for item in items if item.report is not None}
    if len(agencies) < 2:
        # No pair of different agencies, so no finding; and the index is not built, because
        # datasketch imports scipy (about 0.5 s): `gongkai check one.txt` never pays for it.
        return {}
    return _measure(items, *_index(items))


def _measure(
    items: Sequence[BatchItem], entries: list[_Entry], pairs: list[tuple[int, int]]
) -> dict[str, list[Finding]]:
    """The exact measure on the candidate pairs of sections, and their findings."""
    config = settings()
    prepared: dict[int, Prepared] = {}

    def text_of(entry: int) -> Prepared:
        if entry not in prepared:
            e = entries[entry]
            names = agency_names(report_agency(e.report))
            prepared[entry] = prepare(_full_text(e.report, e.number), names)
        return prepared[entry]

    result: dict[str, list[Finding]] = defaultdict(list)
    for i, j in pairs:
        a, b = text_of(i), text_of(j)
        a_in_b, b_in_a = overlap(a, b), overlap(b, a)
        threshold = config.d02_threshold
        if not (a_in_b.reportable(threshold) or b_in_a.reportable(threshold)):
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
    number: int, text: Prepared, found: Overlap, other: BatchItem, other_number: int, theirs: float
) -> Finding:
    mine = f"第{_NUMERALS[number - 1]}部分"
    their_part = f"第{_NUMERALS[other_number - 1]}部分"
    message = (
        f"{mine}与{_label(other)}{their_part}相同内容占本部分的{_percent(found.share)}"
        f"（占对方的{_percent(theirs)}，不计年份、数字和模板用语），疑似与其他单位报告雷同："
        f"{_quotes(text, found)}"
    )
    return Finding("D-02", WARNING, f"s{number}", message)
