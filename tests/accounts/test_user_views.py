"""本单位用户: the screens of an organisation's 管理员. Another organisation, or a user without a
role in his own, is 404; a page of his organisation for someone who is not its 管理员 is 403; the
menu shows each administration link to those who may use it."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.urls import reverse

from gongkai.accounts.models import Membership
from gongkai.audit.actions import AuditAction
from gongkai.audit.models import AuditEntry
from gongkai.domain.lifecycle import Role
from gongkai.test import WithAdministrators
from tests.web.base import WebTestCase

GOOD_PASSWORD = "Wancheng-2025-mima"


def users_url(code: str = "WCBGS") -> str:
    return reverse("accounts:users", args=[code])


def user_url(user: User, name: str = "user", code: str = "WCBGS") -> str:
    return reverse(f"accounts:{name}", args=[code, user.pk])


class UserScreenTestCase(WithAdministrators, WebTestCase):
    def roles(self, user: User) -> set[tuple[str, str]]:
        return set(Membership.objects.filter(user=user).values_list("organisation__code", "role"))


class ListTests(UserScreenTestCase):
    def test_the_admin_is_taken_to_his_organisations_users(self) -> None:
        self.login("admin")
        response = self.client.get(reverse("accounts:users_home"))
        self.assertRedirects(response, users_url())
        page = self.client.get(users_url()).content.decode()
        for name in ("clerk", "reviewer", "admin"):
            self.assertIn(f">{name}</a>", page)
        self.assertNotIn("outsider", page)
        self.assertNotIn("supervisor", page)  # supervises from above: not a member here

    def test_an_admin_of_two_organisations_chooses_one(self) -> None:
        Membership.objects.create(user=self.admin, organisation=self.other, role=Role.ADMIN)
        self.login("admin")
        page = self.client.get(reverse("accounts:users_home")).content.decode()
        self.assertIn(users_url("WCBGS"), page)
        self.assertIn(users_url("WCCZJ"), page)

    def test_users_who_are_not_admins_get_403(self) -> None:
        for persona in ("clerk", "reviewer", "supervisor", "sysadmin", "secadmin", "auditor"):
            with self.subTest(persona):
                self.login(persona)
                self.assertEqual(self.client.get(reverse("accounts:users_home")).status_code, 403)
        for persona in ("clerk", "supervisor"):  # they read WCBGS, they do not manage it
            with self.subTest(persona):
                self.login(persona)
                self.assertEqual(self.client.get(users_url()).status_code, 403)

    def test_another_organisation_is_404_whatever_is_asked(self) -> None:
        self.login("admin")
        for url in (
            users_url("WCCZJ"),
            users_url("WCQ"),
            users_url("NOPE"),
            reverse("accounts:user_add", args=["WCCZJ"]),
            user_url(self.outsider, code="WCCZJ"),
        ):
            with self.subTest(url):
                self.assertEqual(self.client.get(url).status_code, 404)

    def test_a_user_of_another_organisation_is_404_in_his_own(self) -> None:
        self.login("admin")
        self.assertEqual(self.client.get(user_url(self.outsider)).status_code, 404)
        self.assertEqual(self.client.get(user_url(self.supervisor)).status_code, 404)
        for name in ("role_grant", "role_revoke", "deactivate"):
            with self.subTest(name):
                response = self.client.post(user_url(self.outsider, name), {"role": "clerk"})
                self.assertEqual(response.status_code, 404)
        self.assertEqual(self.roles(self.outsider), {("WCCZJ", "clerk")})
        self.assertTrue(User.objects.get(username="outsider").is_active)

    def test_anonymous_users_are_sent_to_login(self) -> None:
        self.assertRedirectsToLogin(self.client.get(users_url()))


class ChangeTests(UserScreenTestCase):
    def test_the_admin_adds_a_user_with_roles(self) -> None:
        self.login("admin")
        form = {
            "username": "wangwu", "name": "王五", "password1": GOOD_PASSWORD,
            "password2": GOOD_PASSWORD, "roles": ["clerk", "reviewer"],
        }  # fmt: skip
        response = self.client.post(reverse("accounts:user_add", args=["WCBGS"]), form)
        created = User.objects.get(username="wangwu")
        self.assertRedirects(response, user_url(created))
        self.assertEqual(self.roles(created), {("WCBGS", "clerk"), ("WCBGS", "reviewer")})
        self.assertEqual(
            list(
                AuditEntry.objects.filter(object_repr="wangwu")
                .order_by("id")
                .values_list("action", "ip")
            ),
            [(AuditAction.USER_CREATE, "127.0.0.1"), *[(AuditAction.ROLE_GRANT, "127.0.0.1")] * 2],
        )
        self.assertTrue(self.client.login(username="wangwu", password=GOOD_PASSWORD))

    def test_a_weak_or_mistyped_password_or_no_role_is_shown_on_the_form(self) -> None:
        self.login("admin")
        url = reverse("accounts:user_add", args=["WCBGS"])
        base = {"username": "wangwu", "name": "王五", "roles": ["clerk"]}
        for form, text in (
            ({"password1": "abc", "password2": "abc"}, "密码"),
            (
                {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD + "x"},
                "两次输入的密码不一致",
            ),
            (
                {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "roles": []},
                "这个字段是必填项",
            ),
            (
                {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD, "username": "clerk"},
                "已被使用",
            ),
        ):
            with self.subTest(text):
                response = self.client.post(url, base | form)
                self.assertContains(response, text, status_code=400)
        self.assertFalse(User.objects.filter(username="wangwu").exists())

    def test_supervision_cannot_be_granted_from_here(self) -> None:
        self.login("admin")
        for role in ("supervisor", "root"):
            with self.subTest(role):
                response = self.client.post(user_url(self.clerk, "role_grant"), {"role": role})
                self.assertEqual(response.status_code, 403)
        response = self.client.post(
            reverse("accounts:user_add", args=["WCBGS"]),
            {"username": "jiandu", "name": "监", "password1": GOOD_PASSWORD,
             "password2": GOOD_PASSWORD, "roles": ["supervisor"]},
        )  # fmt: skip
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.roles(self.clerk), {("WCBGS", "clerk")})
        self.assertFalse(User.objects.filter(username="jiandu").exists())

    def test_the_admin_grants_revokes_and_stops(self) -> None:
        self.login("admin")
        self.client.post(user_url(self.clerk, "role_grant"), {"role": "reviewer"})
        self.assertEqual(self.roles(self.clerk), {("WCBGS", "clerk"), ("WCBGS", "reviewer")})
        self.client.post(user_url(self.clerk, "role_revoke"), {"role": "clerk"})
        self.assertEqual(self.roles(self.clerk), {("WCBGS", "reviewer")})
        response = self.client.post(user_url(self.clerk, "deactivate"))
        self.assertRedirects(response, user_url(self.clerk))
        self.assertFalse(User.objects.get(pk=self.clerk.pk).is_active)
        self.assertContains(self.client.get(users_url()), "已停用")

    def test_a_refusal_that_is_not_about_rights_is_shown(self) -> None:
        self.login("admin")
        response = self.client.post(
            user_url(self.admin, "role_revoke"), {"role": "admin"}, follow=True
        )
        self.assertEqual(response.status_code, 403)  # his own 管理员 role
        response = self.client.post(
            user_url(self.clerk, "role_grant"), {"role": "clerk"}, follow=True
        )
        self.assertContains(response, "该用户已是宛城区人民政府办公室的经办人")

    def test_the_last_role_revoked_takes_the_user_off_the_list(self) -> None:
        self.login("admin")
        response = self.client.post(user_url(self.clerk, "role_revoke"), {"role": "clerk"})
        self.assertRedirects(response, users_url())
        self.assertEqual(self.client.get(user_url(self.clerk)).status_code, 404)

    def test_a_clerk_posting_to_the_admin_screens_gets_403_and_changes_nothing(self) -> None:
        self.login("clerk")
        for name, data in (("role_grant", {"role": "admin"}), ("deactivate", {})):
            with self.subTest(name):
                response = self.client.post(user_url(self.reviewer, name), data)
                self.assertEqual(response.status_code, 403)
        self.assertEqual(self.roles(self.reviewer), {("WCBGS", "reviewer")})
        self.assertTrue(User.objects.get(pk=self.reviewer.pk).is_active)


class MenuTests(UserScreenTestCase):
    def test_each_administration_link_is_shown_to_those_who_may_use_it(self) -> None:
        links = {"本单位用户": "/accounts/users/", "审计记录": "/audit/", "系统管理": "/admin/"}
        seen = {
            "clerk": set(), "reviewer": set(), "supervisor": set(), "admin": {"本单位用户"},
            "sysadmin": {"系统管理"}, "secadmin": {"系统管理"}, "auditor": {"审计记录", "系统管理"},
        }  # fmt: skip
        for persona, expected in seen.items():
            self.login(persona)
            page = self.client.get(reverse("cases:dashboard")).content.decode()
            for label, url in links.items():
                with self.subTest(persona=persona, link=label):
                    shown = f'<a href="{url}"' in page and f">{label}</a>" in page
                    self.assertEqual(shown, label in expected)
