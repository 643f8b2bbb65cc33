"""Repeat requests: the same applicant asking again for (nearly) the same information.

Two things an office must see at registration (issue 14 part 4): the same submission entered twice
(two clerks, or the letter and the e-mail of one request), and an applicant asking again for what
he was answered before — 条例第三十六条第（六）项 lets the office decline a repeated request
(“重复申请”, table 三 （五）2), but only on evidence: the earlier request and its reply. So requests
are compared by their text: character bigrams after NFKC, without spaces and punctuation, Jaccard
similarity; at `SIMILAR` or above they count as the same request (docs/decisions.md DU-1)."""

from __future__ import annotations

import unicodedata

from gongkai.domain.report.rules.text import jaccard

SIMILAR = 0.6  # bigram Jaccard at which two requests read as one (docs/decisions.md DU-1)
LOOKBACK_DAYS = 365  # how far back the registration screen looks for the same applicant


def comparable(text: str) -> str:
    """NFKC, letters and digits only: punctuation, spaces and line breaks do not count."""
    normal = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in normal if ch.isalnum())


def request_similarity(a: str, b: str) -> float:
    """Bigram Jaccard similarity of two requests' texts (1.0: the same characters in order)."""
    left, right = comparable(a), comparable(b)
    if left == right:
        return 1.0 if left else 0.0
    return jaccard(left, right, 2)


def is_repeat(a: str, b: str, threshold: float = SIMILAR) -> bool:
    return request_similarity(a, b) >= threshold
