"""Mirror pages in traditional characters, with pinyin glosses, read as the report they copy.

Some sites republish reports through a converter that writes traditional characters and, on some,
a pinyin gloss after every character that has one: "經(jīng)濟(jì)". The labels of the national
template are matched in simplified characters, so such a page gave no cells at all (issue 13).
Before the tables are read, every block's text loses its glosses and, when the document is in
traditional characters, is converted to simplified with OpenCC (`t2s`, the project's phrase-aware
converter, not a character table of our own).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from gongkai.domain.report.parsers.blocks import Block, Paragraph, TableRow

# A gloss: ASCII or full-width parentheses holding pinyin syllables with at least one tone mark
# (“(jīng)”, “（jì）”, “(zhèng fǔ)”), right after a Chinese character. "(2021)", "（一）" and
# "(pdf)" are not glosses: no tone mark.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_GLOSS = re.compile(
    rf"(?<=[\u4e00-\u9fff\u3400-\u4dbf])[(（]\s*(?=[a-zü{_TONED} ]*[{_TONED}])[a-zü{_TONED} ]+\s*[)）]"
)
# The document is traditional when this share of its Chinese characters changes under t2s: a
# simplified report has a few characters OpenCC also maps (variants), a traditional one most.
_TRADITIONAL_SHARE = 0.05
_SAMPLE = 20_000  # characters looked at to decide
# A gate before OpenCC is asked: a report in traditional characters writes some of these
# (公開, 報告, 機關, 處理, 數量, 經濟…); a simplified one none, and pays no conversion.
_TELLTALES = frozenset("開報關處數經會國與為區機號")


def strip_glosses(text: str) -> str:
    return _GLOSS.sub("", text)


@cache
def _converter() -> object:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    return _converter().convert(text)  # type: ignore[attr-defined, no-any-return]


def is_traditional(texts: Iterable[str]) -> bool:
    sample = "".join(ch for text in texts for ch in text if "\u4e00" <= ch <= "\u9fff")[:_SAMPLE]
    if not sample or _TELLTALES.isdisjoint(sample):
        return False
    changed = sum(a != b for a, b in zip(sample, to_simplified(sample), strict=False))
    return changed / len(sample) >= _TRADITIONAL_SHARE


def _texts(blocks: list[Block]) -> Iterable[str]:
    for block in blocks:
        if isinstance(block, Paragraph):
            yield block.text
        else:
            yield from (cell.text for cell in block.cells)


def simplified_blocks(blocks: list[Block]) -> list[Block]:
    """The blocks with glosses removed and, for a traditional document, in simplified characters;
    the same list when there is nothing to change."""
    glossed = any(_GLOSS.search(text) for text in _texts(blocks))
    traditional = is_traditional(_texts(blocks))
    if not glossed and not traditional:
        return blocks

    def fix(text: str) -> str:
        text = strip_glosses(text) if glossed else text
        return to_simplified(text) if traditional else text

    fixed: list[Block] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            fixed.append(Paragraph(fix(block.text), block.source))
        else:
            cells = tuple(cell._replace(text=fix(cell.text)) for cell in block.cells)
            fixed.append(TableRow(cells, block.source))
    return fixed
