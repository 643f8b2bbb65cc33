"""Internet applications (条例第二十七条、第二十九条): the 查询码 that lets the applicant follow his
application, and the lookup by tracking number and code. The submission and the online 补正 are
services (`application_submit_online`, `application_submit_correction_online` in services.py).

The 查询码 has 80 random bits (16 characters of a 32-letter alphabet, `secrets`), is shown once on
the receipt and stored only as HMAC-SHA256 under a random per-row salt (docs/decisions.md PA-3).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass

from django.utils.crypto import salted_hmac

from gongkai.cases.models import Application, OnlineSubmission
from gongkai.domain.identity import normalize_id
from gongkai.domain.lifecycle import Status

SUBMIT = "submit"

# Crockford's base32: no I, L, O, U, so that a code copied by hand is not misread.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 × 5 = 80 bits (the issue asks for at least 60)
MAX_CORRECTION_TEXT = 5000


@dataclass(frozen=True)
class Submitted:
    """What the receipt shows once: the application and its 查询码 in clear."""

    application: Application
    code: str


def new_lookup_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def lookup_code_for_key(key: str) -> str:
    """The 查询码 of a submission made under `key` (the form's submission key): 80 bits of an
    HMAC under the SECRET_KEY, so that a retry of the same submission shows the same receipt
    while the code is still never stored in clear (decision MS-5)."""
    number = int.from_bytes(salted_hmac("gongkai.online-code", key).digest()[:10], "big")
    raw = "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalize_code(code: str) -> str:
    """The code as hashed: full-width made half-width, separators and spaces dropped, upper-case,
    and the letters people confuse with digits read as Crockford does (O→0, I/L→1)."""
    text = normalize_id(code)  # NFKC, spaces, hyphens and invisible characters removed
    return text.translate(str.maketrans("OIL", "011"))


def normalize_tracking_no(number: str) -> str:
    """A tracking number as stored (WCBGS-2025-0001): full-width made half-width, spaces and
    invisible characters dropped, upper-case; its hyphens stay."""
    text = unicodedata.normalize("NFKC", number)
    kept = "".join(
        c for c in text if not c.isspace() and unicodedata.category(c) not in {"Cf", "Cc"}
    )
    return kept.upper()[:40]


def code_digest(salt: str, code: str) -> str:
    return hmac.new(salt.encode(), normalize_code(code).encode(), hashlib.sha256).hexdigest()


# A salt and digest compared against when the number is unknown, so that an unknown number costs
# the same HMAC and comparison as a wrong code (the same answer in about the same time).
_DUMMY_SALT = secrets.token_hex(16)
_DUMMY_HASH = code_digest(_DUMMY_SALT, "0" * CODE_LENGTH)


def application_for_code(tracking_no: str, code: str) -> Application | None:
    """The application of `tracking_no` when `code` is its 查询码, else None — the same None for
    an unknown number and a wrong code."""
    number = normalize_tracking_no(tracking_no)
    submission = (
        OnlineSubmission.objects.select_related("application__organisation")
        .filter(application__tracking_no=number)
        .first()
    )
    salt, stored = (
        (submission.code_salt, submission.code_hash) if submission else (_DUMMY_SALT, _DUMMY_HASH)
    )
    matches = hmac.compare_digest(code_digest(salt, code), stored)
    if submission is None or not matches:
        return None
    if submission.application.status == Status.VOIDED:
        return None  # entered in error: as if it did not exist
    return submission.application
