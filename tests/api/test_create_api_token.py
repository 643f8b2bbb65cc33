"""`gongkai manage create_api_token USERNAME [--name NAME]`."""

from __future__ import annotations

from io import StringIO
from unittest import mock

from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from gongkai.accounts.management.commands.create_api_token import Command
from gongkai.accounts.models import ApiToken
from gongkai.test import BaseTestCase


class CreateApiTokenTests(BaseTestCase):
    def run_command(self, *args: str) -> tuple[str, str]:
        out, err = StringIO(), StringIO()
        call_command("create_api_token", *args, stdout=out, stderr=err)
        return out.getvalue(), err.getvalue()

    def test_it_prints_the_raw_token_once_and_stores_its_digest(self) -> None:
        out, err = self.run_command("clerk", "--name", "省级平台推送")
        raw = out.strip()
        self.assertTrue(raw.startswith("gk_"))
        self.assertEqual(out, raw + "\n")
        token = ApiToken.objects.get()
        self.assertEqual(token.user, self.clerk)
        self.assertEqual(token.name, "省级平台推送")
        self.assertEqual(token.digest, ApiToken.digest_of(raw))
        self.assertEqual(token.prefix, raw[:8])
        self.assertNotIn(raw, err)
        self.assertIn(token.prefix, err)
        self.assertIn("只显示这一次", err)

    def test_the_token_opens_the_api(self) -> None:
        raw = self.run_command("reviewer")[0].strip()
        response = self.client.get(reverse("api:applications"), HTTP_AUTHORIZATION=f"Bearer {raw}")
        self.assertEqual(response.status_code, 200)

    def test_each_run_makes_a_new_token(self) -> None:
        first = self.run_command("clerk")[0]
        second = self.run_command("clerk")[0]
        self.assertNotEqual(first, second)
        self.assertEqual(ApiToken.objects.filter(user=self.clerk).count(), 2)

    def test_an_unknown_user_is_a_chinese_error(self) -> None:
        with self.assertRaisesMessage(CommandError, "用户不存在：nobody"):
            self.run_command("nobody")
        self.assertFalse(ApiToken.objects.exists())

    def test_an_unknown_user_exits_non_zero(self) -> None:
        err = StringIO()
        # run_from_argv is what `gongkai manage` calls; it closes the connections when done,
        # which would end the test's transaction.
        with (
            mock.patch("django.core.management.base.connections"),
            self.assertRaises(SystemExit) as exit_,
        ):
            Command(stderr=err).run_from_argv(["gongkai manage", "create_api_token", "nobody"])
        self.assertEqual(exit_.exception.code, 1)
        self.assertIn("用户不存在：nobody", err.getvalue())

    def test_a_deactivated_user_gets_no_token(self) -> None:
        self.clerk.is_active = False
        self.clerk.save(update_fields=["is_active"])
        with self.assertRaisesMessage(CommandError, "用户已停用"):
            self.run_command("clerk")
        self.assertFalse(ApiToken.objects.exists())

    def test_a_name_too_long_is_refused(self) -> None:
        with self.assertRaisesMessage(CommandError, "令牌用途过长"):
            self.run_command("clerk", "--name", "长" * 101)
