"""Shared set-up of the web tests: the personas of gongkai.test, "today" frozen for the views and
the services, and the steps that put an application in a given state."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

from django.contrib.auth.models import User
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from gongkai.cases.models import Application
from gongkai.cases.services import ACTION_SERVICES
from gongkai.domain.lifecycle import Action
from gongkai.test import BaseTestCase

# A Thursday in an ordinary week of March 2025 (no holiday within three weeks either side).
TODAY = dt.date(2025, 3, 20)


def freeze_today(today: dt.date) -> Any:
    """`timezone.localdate()` returns `today` (for the views and the services, in any thread);
    `localdate(value)` still converts `value`."""
    real = timezone.localdate

    def localdate(value: dt.datetime | None = None, timezone: Any = None) -> dt.date:
        return today if value is None else real(value, timezone)

    return mock.patch("django.utils.timezone.localdate", side_effect=localdate)


class WebTestCase(BaseTestCase):
    def setUp(self) -> None:
        super().setUp()
        patcher = freeze_today(TODAY)
        patcher.start()
        self.addCleanup(patcher.stop)

    def login(self, persona: str) -> User:
        user: User = getattr(self, persona)
        self.client.force_login(user)
        return user

    def new(self, *, received_on: dt.date = dt.date(2025, 3, 3), **kwargs: Any) -> Application:
        return self.register(received_on=received_on, today=TODAY, **kwargs)

    def step(self, application: Application, action: str, **kwargs: Any) -> Application:
        """Take a step through the service (set-up, not the thing under test)."""
        service = ACTION_SERVICES[Action(action)]
        actor = kwargs.pop("actor", self.reviewer)  # type: ignore[attr-defined]
        result: Application = service(  # type: ignore[operator]
            actor=actor, application=application, on=kwargs.pop("on", TODAY), today=TODAY, **kwargs
        )
        return result

    def detail(self, application: Application) -> HttpResponse:
        return self.client.get(reverse("cases:detail", args=[application.pk]))

    def assertRedirectsToLogin(self, response: HttpResponse) -> None:
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith(reverse("accounts:login")))
