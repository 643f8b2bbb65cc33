"""Password rules: length, common and numeric passwords, three character classes, similarity to
the user name; the age and the forced change after an administrator set it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import TestCase, override_settings
from django.utils import timezone

from gongkai.accounts.models import PasswordState
from gongkai.accounts.passwords import CharacterClassValidator, password_due, require_change

GOOD = "Wancheng-2025-mima"


@pytest.mark.parametrize(
    "password",
    ["12345678", "password", "Ab1-xyz", "1234567890123", "wanchengwancheng", "WANCHENG12345"],
)
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_good_password_passes() -> None:
    validate_password(GOOD)


def test_the_messages_are_in_chinese() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_password("password")
    text = " ".join(caught.value.messages)
    assert "常见" in text


def test_character_classes_are_counted() -> None:
    validator = CharacterClassValidator(min_classes=3)
    validator.validate("abcDEF123")
    validator.validate("abc-def-123")
    with pytest.raises(ValidationError, match="至少 3 类"):
        validator.validate("abcdefghij123")


@pytest.mark.django_db
def test_a_password_like_the_user_name_is_refused() -> None:
    user = get_user_model()(username="zhangsanfeng")
    with pytest.raises(ValidationError):
        validate_password("Zhangsanfeng1", user)


class PasswordAgeTests(TestCase):
    def setUp(self) -> None:
        self.user = get_user_model().objects.create_user("li", password=GOOD)

    def test_every_set_password_records_the_date(self) -> None:
        state = PasswordState.objects.get(user=self.user)
        assert timezone.now() - state.changed_at < dt.timedelta(minutes=1)
        assert not state.must_change

    @override_settings(GONGKAI_PASSWORD_MAX_AGE_DAYS=90)
    def test_the_password_falls_due_after_the_max_age(self) -> None:
        due = password_due(self.user)
        assert due is not None
        expected = PasswordState.objects.get(user=self.user).changed_at + dt.timedelta(days=90)
        assert due == expected.timestamp()

    @override_settings(GONGKAI_PASSWORD_MAX_AGE_DAYS=0)
    def test_zero_days_means_never(self) -> None:
        assert password_due(self.user) is None

    def test_a_password_set_by_an_administrator_must_be_changed_now(self) -> None:
        require_change(self.user)
        assert password_due(self.user) == 0.0
        self.user.set_password("Another-2025-mima")
        self.user.save()
        assert not PasswordState.objects.get(user=self.user).must_change
