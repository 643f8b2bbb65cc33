"""Plausibility of what is typed in: receipt dates, names and amounts (数据完整性).

Pure rules shared by the registration form, the services, the ledger import and the JSON API, so
that each has one home and one message. Each returns None when the value is plausible, else a
Chinese message; none raises.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

# 《中华人民共和国政府信息公开条例》（国务院令第492号）第三十八条: in force from 2008-05-01. No
# application under the 条例 can have been received before (the 2019 revision kept the system).
REGULATIONS_IN_FORCE = dt.date(2008, 5, 1)

# A receipt older than this many days is unusual at registration (the reply is due within 20
# working days, 条例第三十三条): the form asks to confirm it, the API wants it confirmed
# (`confirm_old_received_on`). The deployment's value is GONGKAI_RECEIPT_CONFIRM_DAYS.
OLD_RECEIPT_DAYS = 60

# 信息处理费 (国办函〔2020〕109号) is charged per application: 按件 100 元 from the 11th application
# of a month, 100 元 more per band of 10 beyond the 30th (第四条); 按量 at most 40 元 a page from
# the 201st (第五条). One fee notice of 1,000,000 元 would mean some 25,000 pages in one
# application, or the 100,000th application of one person in one month: no office sees that; a
# larger number is a typing error (an amount in 分, extra zeros) and is refused.
MAX_FEE_YUAN = 1_000_000

# Characters that show nothing by themselves: format (zero-width space, joiners, BOM,
# direction marks), control, the separators, and combining marks with no base. Unassigned code
# points (Cn) are not among them: rare characters of personal names added in recent Unicode
# versions (CJK Extension H, Unicode 15) are unassigned to this Python's database. Private-use
# characters (Co) are not either: older systems put rare name characters there.
INVISIBLE_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp", "Mn"})


def receipt_date_problem(received_on: dt.date, today: dt.date) -> str | None:
    """A receipt date before the 条例 took effect or in the future cannot be true."""
    if received_on > today:
        return "收到申请日期不能晚于今天"
    if received_on < REGULATIONS_IN_FORCE:
        return (
            f"收到申请日期{received_on.isoformat()}早于《政府信息公开条例》施行之日"
            "（2008年5月1日），请核对"
        )
    return None


def old_receipt_warning(received_on: dt.date, today: dt.date, days: int) -> str | None:
    """A warning when the receipt is more than `days` days before `today` (to be confirmed)."""
    age = (today - received_on).days
    if age <= days:
        return None
    return f"收到申请日期{received_on.isoformat()}距今已{age}天（超过{days}天），请核对是否输入有误"


def has_visible_text(text: str) -> bool:
    """Whether `text` has a character that shows: not only spaces, zero-width or control
    characters, or combining marks without a base."""
    return any(unicodedata.category(char) not in INVISIBLE_CATEGORIES for char in text)


def fee_problem(amount: int) -> str | None:
    """A 信息处理费 amount in whole yuan (D-11) that cannot be right."""
    if amount <= 0:
        return "收费金额应为大于0的整数（元）"
    if amount > MAX_FEE_YUAN:
        return f"收费金额{amount}元不合常理（上限{MAX_FEE_YUAN}元，国办函〔2020〕109号），请核对"
    return None


# Trimmed from both ends of a text: whitespace and zero-width characters. Not combining marks
# (Mn): at the end of a text one belongs to the letter before it.
_TRIMMED = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})


def trim(text: str) -> str:
    """`text` without the invisible characters around it (a pasted name's zero-width space)."""
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start]) in _TRIMMED:
        start += 1
    while end > start and unicodedata.category(text[end - 1]) in _TRIMMED:
        end -= 1
    return text[start:end]
