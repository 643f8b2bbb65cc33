"""Reading the narrative sections for the rules: full section texts, sentences, years, similarity.

Texts are NFKC-normalised before matching, so the patterns of the rules use half-width
punctuation and digits ("，" → ",", "；" → ";", "％" → "%", "（" → "(").
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from gongkai.domain.report.model import AnnualReport, Section


def section_text(section: Section) -> str:
    """A section's text including sub-section texts the parser kept only in `subsections`."""
    parts = [section.text]
    for sub in section.subsections:
        if sub.text and sub.text not in section.text:
            parts.append(f"{sub.heading}\n{sub.text}")
    return "\n".join(part for part in parts if part)


def occurrences(report: AnnualReport, number: int) -> list[Section]:
    return [section for section in report.sections if section.number == number]


def full_text(report: AnnualReport, number: int) -> str:
    """All text under every occurrence of official section `number` (a heading may repeat, S-09)."""
    return "\n".join(section_text(section) for section in occurrences(report, number))


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# Wrapped PDF lines are long and stop mid-sentence; headings and table cells are short.
_WRAPPED_LINE_MIN = 15
_SENTENCE_END = "。;!?:"
_SPLIT_AT = "。;!?\n"
_SPLIT_RE = re.compile("[" + re.escape(_SPLIT_AT) + "]")


@dataclass(frozen=True)
class Sentence:
    """A sentence as matched (NFKC `text`) and as printed (`original`, for quoting)."""

    text: str
    original: str
    positions: tuple[int, ...]  # positions[i]: index in `original` of the source of text[i]

    def quote(self, fragment: str) -> str:
        """The printed form of a fragment of `text` ("，" stays "，"; a wrapped line is joined)."""
        start = self.text.find(fragment)
        if start < 0 or not fragment:
            return fragment
        end = start + len(fragment) - 1
        printed = self.original[self.positions[start] : self.positions[end] + 1]
        return "".join(printed.split("\n"))


@cache
def _nfkc_char(char: str) -> str:
    return unicodedata.normalize("NFKC", char)


def _normalized_with_positions(text: str) -> tuple[str, list[int]]:
    """NFKC per character, remembering which original character each output character is from."""
    changed = {ord(c): _nfkc_char(c) for c in set(text) if _nfkc_char(c) != c}
    if all(len(out) == 1 for out in changed.values()):
        # One character in, one out (full-width punctuation and digits): positions are the same.
        return text.translate(changed), list(range(len(text)))
    chars: list[str] = []
    positions: list[int] = []
    for index, char in enumerate(text):
        for out in _nfkc_char(char):
            chars.append(out)
            positions.append(index)
    return "".join(chars), positions


def _wrapped_breaks(text: str) -> set[int]:
    """Indexes of line breaks inside a wrapped sentence (to be dropped)."""
    breaks: set[int] = set()
    start = 0
    for index, char in enumerate(text):
        if char != "\n":
            continue
        line = text[start:index].strip()
        if len(line) >= _WRAPPED_LINE_MIN and line[-1] not in _SENTENCE_END:
            breaks.add(index)
        start = index + 1
    return breaks


@lru_cache(maxsize=256)
def sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences split at 。;!? and line breaks, except breaks that look like PDF wrapping.

    Cached: every narrative rule asks for the sentences of the same few section texts."""
    normal, positions = _normalized_with_positions(text)
    dropped = _wrapped_breaks(normal)
    found: list[Sentence] = []
    start = 0
    for match in _SPLIT_RE.finditer(normal + "\n"):
        end = match.start()
        if end in dropped:
            continue  # a wrapped line: the sentence goes on
        kept = [k for k in range(start, end) if k not in dropped] if dropped else range(start, end)
        chars = "".join(normal[k] for k in kept) if dropped else normal[start:end]
        found.extend(_sentence(text, chars, [positions[k] for k in kept]))
        start = end + 1
    return tuple(found)


def _sentence(original: str, text: str, where: list[int]) -> list[Sentence]:
    """The piece as a Sentence without surrounding spaces; nothing for a blank piece."""
    lead = len(text) - len(text.lstrip())
    stripped = text.strip()
    if not stripped:
        return []
    kept = where[lead : lead + len(stripped)]
    printed = original[kept[0] : kept[-1] + 1]
    base = kept[0]
    return [Sentence(stripped, printed, tuple(p - base for p in kept))]


def section_sentences(
    report: AnnualReport, numbers: Iterable[int]
) -> Iterator[tuple[int, Sentence]]:
    """(section number, sentence) for the given official sections, in document order."""
    wanted = set(numbers)
    for section in report.sections:
        if section.number in wanted:
            for sentence in sentences(section_text(section)):
                yield section.number, sentence


# Years inside document numbers (〔2021〕30号) and titles of cited documents (《…2019年…》) are
# citations, not statements about the reporting year.
_CITATIONS = re.compile(r"〔\d{4}〕|\[\d{4}\]|\(\d{4}\)|《[^》]*》")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def years_mentioned(text: str) -> Counter[int]:
    """How often each year is written as "YYYY年", citations left out."""
    plain = _CITATIONS.sub("", normalize(text))
    return Counter(int(match) for match in _YEAR.findall(plain))


def first_year(text: str) -> int | None:
    found = _YEAR.search(_CITATIONS.sub("", normalize(text)))
    return int(found.group(1)) if found else None


_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_CHINESE_YEAR = re.compile(r"[〇零一二三四五六七八九]{4}年")


def comparable(text: str) -> str:
    """Text for copy detection: numbers and years replaced by #, whitespace removed (X-04/X-05)."""
    plain = _CHINESE_YEAR.sub("#年", normalize(text))
    return "".join(_DIGITS.sub("#", plain).split())


def shingles(text: str, size: int) -> set[str]:
    return {text[i : i + size] for i in range(len(text) - size + 1)}


def jaccard(a: str, b: str, size: int) -> float:
    """Character n-gram Jaccard similarity of two comparable texts (1.0 = same n-grams)."""
    left, right = shingles(a, size), shingles(b, size)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)
