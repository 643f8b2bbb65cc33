"""Identity documents of applicants (条例第二十九条第二款（一）: name, 身份证明, contact).

居民身份证 numbers are checked with the GB 11643-1999 check digit (ISO 7064 MOD 11-2) and their
date of birth; 统一社会信用代码 with the GB 32100-2015 check character (MOD 31). Passports and
other documents are free-form. Numbers and phones are shown masked in lists and exports.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import unicodedata


class IdType(enum.StrEnum):
    RESIDENT_ID = "resident_id"  # 居民身份证
    CREDIT_CODE = "credit_code"  # 统一社会信用代码
    PASSPORT = "passport"  # 护照
    OTHER = "other"  # 其他证件

    @property
    def label(self) -> str:
        return {
            "resident_id": "居民身份证",
            "credit_code": "统一社会信用代码",
            "passport": "护照",
            "other": "其他证件",
        }[self.value]


_ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
_ID_CHECK = "10X98765432"
_ID_PATTERN = re.compile(r"^\d{17}[\dX]$")

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
_USCC_PATTERN = re.compile(rf"^[{_USCC_CHARS}]{{18}}$")


def resident_id_check_digit(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def credit_code_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


# Hyphens and dashes people type between the groups of a number (地区码-出生日期-顺序码), after
# NFKC has turned the full-width ones (－, ﹣) into "-".
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212")


def normalize_id(number: str) -> str:
    """The number as stored and checked: full-width digits and letters made half-width (NFKC),
    spaces, zero-width characters and hyphens removed, letters upper-case (x → X).

    GB 11643-1999 and GB 32100-2015 numbers are digits and capital letters only, so none of what
    is removed can belong to one; a passport or other document number has no spaces or hyphens
    either (护照 E12345678). Typed as "１１０１０５ １９４９１２３１ ００２ｘ", it is the same person."""
    if number.isascii() and number.isalnum():
        return number.upper()  # what every stored number is: nothing to normalise (the exports)
    text = unicodedata.normalize("NFKC", number)
    kept = (
        char
        for char in text
        if not char.isspace()
        and char not in _DASHES
        and unicodedata.category(char) not in {"Cf", "Cc"}
    )
    return "".join(kept).upper()


def validate_id(id_type: IdType, number: str) -> str | None:
    """None when the number is valid for its type, else a Chinese message saying what is wrong."""
    value = normalize_id(number)
    if not value:
        return "请填写证件号码"
    if id_type is IdType.RESIDENT_ID:
        return _validate_resident_id(value)
    if id_type is IdType.CREDIT_CODE:
        return _validate_credit_code(value)
    if len(value) > 40:
        return "证件号码过长（最多40个字符）"
    return None


def _validate_resident_id(value: str) -> str | None:
    if not _ID_PATTERN.match(value):
        return "居民身份证号码应为18位，前17位为数字，最后一位为数字或X"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return f"居民身份证号码中的出生日期{value[6:14]}不是有效日期"
    expected = resident_id_check_digit(value[:17])
    if value[17] != expected:
        return f"居民身份证号码校验位错误（最后一位应为{expected}），请核对"
    return None


def _validate_credit_code(value: str) -> str | None:
    if not _USCC_PATTERN.match(value):
        return "统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）"
    expected = credit_code_check_char(value[:17])
    if value[17] != expected:
        return f"统一社会信用代码校验位错误（最后一位应为{expected}），请核对"
    return None


def mask_id(number: str) -> str:
    """Keep the first 4 and last 4 characters: 4113**********1234."""
    value = normalize_id(number)
    if len(value) <= 8:
        return value[:1] + "*" * max(len(value) - 1, 0)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


# A country code the masked number keeps: +86 or 0086 (then the number itself).
_COUNTRY = re.compile(r"^\s*(?:\+|00)86(?=\D*\d)")
# 区号 of a fixed line: 010 and 020–029 have three digits, every other one four.
_AREA = re.compile(r"^\D*0(?:[12]\d|[3-9]\d{2})(?=\D)")
_MOBILE = re.compile(r"^1\d{10}$")


def mask_phone(number: str) -> str:
    """A phone number as lists, exports and supervisors see it: 138****0000, 0377-****5678.

    A mobile keeps its first 3 and last 4 digits; a fixed line keeps its area code (written
    apart from the number) and the last 4; anything else keeps at most its last 4 digits. At least
    4 digits are always hidden, and separators stay as written. 个人信息保护法第五十一条（三）
    (去标识化) and GB/T 35273-2020's display restriction (个人信息展示限制): enough to tell two
    applicants apart on a screen, not enough to call them.
    """
    text = number.strip()
    if _MOBILE.match(text):  # the common case, as the general rule below masks it
        return text[:3] + "****" + text[7:]
    if "*" in text:  # masked already (a ledger import of an export): masking again would hide
        return text  # the digits it kept, and no one could tell the two apart
    country = _COUNTRY.match(text)
    start = country.end() if country else 0
    rest = text[start:]
    digits = "".join(c for c in rest if c.isdigit())
    head = 0
    if _MOBILE.match(digits):
        head = 3
    elif area := _AREA.match(rest):
        head = sum(c.isdigit() for c in area.group())
    tail = min(4, max(len(digits) - head - 4, 0))
    return text[:start] + _mask_digits(rest, head, len(digits) - tail)


def _mask_digits(text: str, keep_before: int, keep_from: int) -> str:
    """`text` with the digits numbered from `keep_before` up to `keep_from` replaced by *."""
    out = []
    seen = 0
    for char in text:
        if char.isdigit():
            out.append(char if seen < keep_before or seen >= keep_from else "*")
            seen += 1
        else:
            out.append(char)
    return "".join(out)
