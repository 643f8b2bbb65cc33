"""Password rules of GB/T 22239-2019 8.1.4.1 a) (身份标识具有唯一性，身份鉴别信息具有复杂度要求并
定期更换): complexity, age, and a change forced after an administrator set the password.

`CharacterClassValidator` is one of AUTH_PASSWORD_VALIDATORS; `PasswordChangeRecorder` is one too,
only for its `password_changed` hook, which Django calls from `User.save()` after any
`set_password` — the screen, the admin, a management command or the shell alike.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda ch: not ch.isalnum() and not ch.isspace()),
)


class CharacterClassValidator:
    """At least `min_classes` of: upper-case letters, lower-case letters, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user: Any = None) -> None:
        found = [name for name, test in CLASSES if any(test(ch) for ch in password)]
        if len(found) < self.min_classes:
            raise ValidationError(self._message(), code="password_too_simple")

    def get_help_text(self) -> str:
        return self._message()

    def _message(self) -> str:
        names = "、".join(name for name, _ in CLASSES)
        return f"密码须包含{names}中的至少 {self.min_classes} 类字符。"


class PasswordChangeRecorder:
    """Records when a password was set (every path ends in User.save → password_changed)."""

    def validate(self, password: str, user: Any = None) -> None:
        return None

    def password_changed(self, password: str, user: Any = None) -> None:
        if user is None or user.pk is None:
            return
        from gongkai.accounts.models import PasswordState

        PasswordState.objects.update_or_create(
            user=user, defaults={"changed_at": timezone.now(), "must_change": False}
        )

    def get_help_text(self) -> str:
        return ""


def require_change(user: Any) -> None:
    """An administrator set this password: its owner must choose his own at next login."""
    from gongkai.accounts.models import PasswordState

    PasswordState.objects.update_or_create(
        user=user, defaults={"changed_at": timezone.now(), "must_change": True}
    )


def password_due(user: Any) -> float | None:
    """When (epoch seconds) the user must change his password: 0 for now, None for never."""
    from gongkai.accounts.models import PasswordState

    state = PasswordState.objects.filter(user=user).first()
    if state is None:
        return None  # set before gongkai kept the date: the clock starts at the next change
    if state.must_change:
        return 0.0
    days = settings.GONGKAI_PASSWORD_MAX_AGE_DAYS
    if days <= 0:
        return None
    return (state.changed_at + dt.timedelta(days=days)).timestamp()
