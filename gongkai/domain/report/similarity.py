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

import hashlib
import re
import tomllib
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
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
    max_candidates: int
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
        max_candidates=int(data["d02"]["max_candidates"]),
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

    @cached_property
    def windows(self) -> Hashes:
        """Hashes of every window of `passage` characters (kept: a batch's representative is
        compared with each of its copies)."""
        return kgram_hashes(self.codes, settings().passage)

    @cached_property
    def sorted_windows(self) -> Hashes:
        import numpy as np

        return np.sort(self.windows)

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
    starts = _among(a.windows, b.sorted_windows)
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

    def prepared(self) -> Prepared:
        names = agency_names(report_agency(self.report))
        return prepare(_full_text(self.report, self.number), names)


@dataclass(frozen=True)
class _Match:
    """The evidence of one report's finding: its section measured against `target`'s."""

    target: int  # the entry it was measured against
    mine: Overlap  # this section's wording found in the target's
    theirs: float  # the share of the target's wording found in this section
    quotes: str


@dataclass
class _Cluster:
    """Near-copies of one section: every member is a copy of the leader (the representative)."""

    leader: int  # entry index; the first of the cluster in the batch's order
    members: list[int]  # leader first
    deputy: int | None = None  # the first member of another agency than the leader's
    deputy_text: Prepared | None = None
    waiting: list[int] = field(default_factory=list)  # the leader's agency's, before a deputy


@dataclass
class BatchStats:
    """What D-02 did over a batch (bench/similarity.py prints it)."""

    sections: int = 0  # narrative sections long enough to compare
    clusters: int = 0  # representatives: sections that copy none before them
    candidates: int = 0  # representatives the LSH proposed, before the cap
    compared: int = 0  # exact comparisons (each measured both ways)
    identical: int = 0  # copies with the very wording of their representative (not measured)


def np_equal(a: Codes, b: Codes) -> bool:
    import numpy as np

    return bool(np.array_equal(a, b))


def _agency_key(item: BatchItem, report: AnnualReport) -> str:
    agency = item.agency or report_agency(report)
    return "".join(str(agency).split()) if agency else f"\0{item.name}"


def _shingle_values(codes: Codes, size: int) -> list[int]:
    """32-bit values of the distinct shingles of `codes` (the 64-bit hash's halves folded)."""
    import numpy as np

    hashes = np.unique(kgram_hashes(codes, size))
    values: list[int] = ((hashes ^ (hashes >> np.uint64(32))) & np.uint64(0xFFFFFFFF)).tolist()
    return values


def batch_order(items: Sequence[BatchItem]) -> list[int]:
    """The readable items' positions in the order D-02 reads them: earliest year first, then by
    file name (so a batch gives the same clusters and representatives whatever the order its
    files came in); the position breaks the tie of two files of the same name."""
    readable = [i for i, item in enumerate(items) if item.report is not None]
    return sorted(readable, key=lambda i: (items[i].year or 9999, items[i].name, i))


def batch_similarity(items: Sequence[BatchItem]) -> dict[str, list[Finding]]:
    """D-02 findings per item name: narrative sections whose wording is shared with the same
    section of another agency's report in the batch at or above the threshold (share of either),
    naming the other report and quoting the passages. Pairs of the same agency are D-01's.

    Near-copies are clustered (`batch_clusters`): each copied report is reported once per
    section, against its cluster's representative, with the number of other agencies' reports
    in the cluster. `items` have `.name`, `.report` (None when unreadable), `.agency`, `.year`."""
    agencies = {_agency_key(item, item.report) for item in items if item.report is not None}
    if len(agencies) < 2:
        # No pair of different agencies, so no finding; and the index is not built, because
        # datasketch imports scipy (about 0.5 s): `gongkai check one.txt` never pays for it.
        return {}
    return batch_clusters(items)[0]


def batch_clusters(items: Sequence[BatchItem]) -> tuple[dict[str, list[Finding]], BatchStats]:
    """D-02 over the batch, and what it cost.

    Leader clustering, one section number at a time, in `batch_order`: a section's MinHash is
    looked up in an LSH index holding the clusters' representatives only; the candidates, best
    estimated Jaccard first, at most `d02.max_candidates` of them, are measured exactly; the
    section joins the first cluster it is a copy of (preferring another agency's), else it
    becomes the representative of a new cluster. Each section is compared with at most
    max_candidates representatives (plus, for a copy of its own agency's report, the cluster's
    first report of another agency): linear in the batch, whatever the share of copies.

    datasketch (and numpy, scipy under it) is imported here, not at the top: a single report's
    check (D-01) never needs it, and importing it takes seconds."""
    from datasketch import MinHash

    config = settings()
    stats = BatchStats()
    # Permutations drawn once (seeded), shared by every MinHash of the batch; datasketch's
    # affine32 scheme mixes each value (murmur3 finaliser) before permuting.
    template: MinHashLike = MinHash(num_perm=config.num_perm, seed=1, hashfunc=int)
    order = batch_order(items)
    result: dict[str, list[Finding]] = defaultdict(list)
    for number in SECTIONS:  # a copy is of 一 into 一, 五 into 五 (sections differ in content)
        entries = []
        for position in order:
            item = items[position]
            report = item.report
            assert report is not None  # batch_order keeps the readable ones
            entries.append(_Entry(position, number, _agency_key(item, report), report))
        clusters = _SectionClusters(entries, template, stats)
        clusters.run()
        for name, finding in clusters.findings(items):
            result[name].append(finding)
    return {name: sorted(found) for name, found in sorted(result.items())}, stats


class _SectionClusters:
    """Leader clustering of one section number over `entries` (in batch order)."""

    def __init__(self, entries: list[_Entry], template: MinHashLike, stats: BatchStats) -> None:
        from datasketch import MinHashLSH

        config = settings()
        self.config = config
        self.entries = entries
        self.template = template
        self.stats = stats
        self.index = MinHashLSH(threshold=config.lsh_threshold, num_perm=config.num_perm)
        self.clusters: list[_Cluster] = []
        self.signatures: list[Hashes] = []  # the representatives' MinHash values, by cluster
        self.matches: dict[int, _Match] = {}  # entry → the evidence of its finding
        self.identical: dict[bytes, int] = {}  # a representative's normalised text → cluster
        self._texts: dict[int, Prepared] = {}

    # -- the representatives' texts

    def leader_text(self, cluster: int) -> Prepared:
        """Kept for the clusters that were compared last: in a batch of templated reports a few
        representatives are met again and again; unrelated reports are each met rarely."""
        entry = self.clusters[cluster].leader
        text = self._texts.pop(entry, None) or self.entries[entry].prepared()
        self._texts[entry] = text  # most recent last
        if len(self._texts) > 256:
            del self._texts[next(iter(self._texts))]
        return text

    # -- the exact measure

    def measure(
        self, entry: int, text: Prepared, target: int, other: Prepared
    ) -> tuple[_Match, _Match] | None:
        """`entry` against `target` both ways, when either side is reportable: (the evidence
        for entry, the evidence for target)."""
        self.stats.compared += 1
        threshold = self.config.d02_threshold
        mine, theirs = overlap(text, other), overlap(other, text)
        if not (mine.reportable(threshold) or theirs.reportable(threshold)):
            return None
        return (
            _Match(target, mine, theirs.share, _quotes(text, mine)),
            _Match(entry, theirs, mine.share, _quotes(other, theirs)),
        )

    # -- one section after another

    def run(self) -> None:
        for entry, current in enumerate(self.entries):
            text = current.prepared()
            if len(text) >= self.config.min_chars:
                self.place(entry, text)
        self.stats.clusters += len(self.clusters)

    def place(self, entry: int, text: Prepared) -> None:
        import numpy as np

        self.stats.sections += 1
        digest = hashlib.blake2b(text.codes.tobytes(), digest_size=16).digest()
        if self.identical_copy(entry, text, digest):
            return
        minhash = self.template.copy()
        minhash.update_batch(_shingle_values(text.codes, self.config.shingle))
        proposed: list[int] = self.index.query(minhash)
        self.stats.candidates += len(proposed)
        values = minhash.hashvalues
        ranked = sorted(
            proposed, key=lambda c: (-int(np.count_nonzero(self.signatures[c] == values)), c)
        )[: self.config.max_candidates]
        cluster = self.join(entry, text, ranked)
        if cluster is None:
            cluster = len(self.clusters)
            self.clusters.append(_Cluster(entry, [entry]))
            self.signatures.append(values.copy())
            self.index.insert(cluster, minhash, check_duplication=False)
            self.identical.setdefault(digest, cluster)

    def identical_copy(self, entry: int, text: Prepared, digest: bytes) -> bool:
        """A section whose normalised wording is a representative's, character for character
        (a template copied with only names, years and figures changed: the usual case), joins
        its cluster without a MinHash or a measure: every window is shared, one passage each.
        Not for the representative's own agency (`join` sees to that)."""
        cluster = self.identical.get(digest)
        if cluster is None:
            return False
        leader = self.clusters[cluster].leader
        if self.entries[leader].agency == self.entries[entry].agency:
            return False
        other = self.leader_text(cluster)
        if not np_equal(text.codes, other.codes):  # a 128-bit digest collision: measure
            return False
        mine, theirs = Overlap(1.0, ((0, len(text)),)), Overlap(1.0, ((0, len(other)),))
        if not mine.reportable(self.config.d02_threshold):  # under min_shared characters
            return False
        self.stats.identical += 1
        found = (
            _Match(leader, mine, 1.0, _quotes(text, mine)),
            _Match(entry, theirs, 1.0, _quotes(other, theirs)),
        )
        self.add_copy(cluster, entry, text, found)
        return True

    def join(self, entry: int, text: Prepared, ranked: list[int]) -> int | None:
        """The first of the `ranked` clusters whose representative `text` is a copy of, another
        agency's preferred; `entry` joins it. None: it copies none of them."""
        agency = self.entries[entry].agency
        own: int | None = None  # a cluster whose representative is of entry's own agency
        for cluster in ranked:
            leader = self.clusters[cluster].leader
            same = self.entries[leader].agency == agency
            if same and own is not None:
                continue
            found = self.measure(entry, text, leader, self.leader_text(cluster))
            if found is None:
                continue
            if not same:
                self.add_copy(cluster, entry, text, found)
                return cluster
            own = cluster
        if own is not None:
            self.add_own(own, entry, text)
        return own

    def add_copy(
        self, cluster: int, entry: int, text: Prepared, found: tuple[_Match, _Match]
    ) -> None:
        """`entry`, of another agency, copies the representative: the first such one is the
        cluster's deputy, and the representative's own evidence is measured against it."""
        group = self.clusters[cluster]
        group.members.append(entry)
        self.matches[entry] = found[0]
        if group.deputy is not None:
            return
        group.deputy, group.deputy_text = entry, text
        self.matches[group.leader] = found[1]
        for waiting in group.waiting:  # the representative's agency's copies, waiting for it
            self.against_deputy(group, waiting, self.entries[waiting].prepared())
        group.waiting = []

    def add_own(self, cluster: int, entry: int, text: Prepared) -> None:
        """`entry` copies a representative of its own agency (its other year, say): D-02 names
        the cluster's first report of another agency instead, once there is one."""
        group = self.clusters[cluster]
        group.members.append(entry)
        if group.deputy is None:
            group.waiting.append(entry)
        else:
            self.against_deputy(group, entry, text)

    def against_deputy(self, group: _Cluster, entry: int, text: Prepared) -> None:
        assert group.deputy is not None and group.deputy_text is not None
        found = self.measure(entry, text, group.deputy, group.deputy_text)
        if found is not None:
            self.matches[entry] = found[0]

    # -- findings

    def findings(self, items: Sequence[BatchItem]) -> Iterator[tuple[str, Finding]]:
        """One finding for each member with evidence, naming the report it was measured
        against and counting the cluster's reports of other agencies."""
        for group in self.clusters:
            if group.deputy is None:
                continue  # a single report, or copies of one agency only: D-01's
            agencies = Counter(self.entries[m].agency for m in group.members)
            for member in group.members:
                match = self.matches.get(member)
                if match is None:
                    continue
                entry, target = self.entries[member], self.entries[match.target]
                others = len(group.members) - agencies[entry.agency]
                finding = _d02(
                    entry.number,
                    match,
                    items[target.item],
                    representative=member == group.leader,
                    others=others,
                )
                yield items[entry.item].name, finding


class MinHashLike(Protocol):
    """The datasketch MinHash used as a template (its permutations drawn once for a batch)."""

    hashvalues: Hashes

    def copy(self) -> MinHashLike: ...
    def update_batch(self, values: list[int]) -> None: ...


def _label(item: BatchItem) -> str:
    agency = item.agency or (report_agency(item.report) if item.report else None)
    return f"《{item.name}》（{agency}）" if agency else f"《{item.name}》"


def _d02(
    number: int, match: _Match, other: BatchItem, *, representative: bool, others: int
) -> Finding:
    part = f"第{_NUMERALS[number - 1]}部分"
    shares = (
        f"相同内容占本部分的{_percent(match.mine.share)}"
        f"（占对方的{_percent(match.theirs)}，不计年份、数字和模板用语）"
    )
    if others <= 1:
        head = f"{part}与{_label(other)}{part}{shares}"
    elif representative:
        head = f"{part}与本批次另{others}份其他单位报告雷同（本报告为这组雷同文本的代表），如{_label(other)}：{shares}"
    else:
        head = f"{part}与本批次另{others}份其他单位报告雷同，代表报告{_label(other)}：{shares}"
    return Finding("D-02", WARNING, f"s{number}", f"{head}，疑似与其他单位报告雷同：{match.quotes}")
