"""系统管理: every change made there is an audit entry; accounts are stopped, never deleted; each
administrator does only what his role allows; the audit log cannot be changed by anyone."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import Group, User
from django.urls import reverse

from gongkai.accounts.models import Membership, Organisation
from gongkai.accounts.system_roles import SystemRole, system_role_of
from gongkai.audit.actions import AuditAction
from gongkai.audit.admin import AuditedAdminMixin
from gongkai.audit.models import AuditEntry
from gongkai.audit.services import audit_record
from gongkai.cases.models import WorkdayOverride
from gongkai.test import PASSWORD, BaseTestCase, WithAdministrators

GOOD_PASSWORD = "Wancheng-2025-mima"


class AdminTestCase(WithAdministrators, BaseTestCase):
    def setUp(self) -> None:
        self.mark = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def entries(self) -> list[AuditEntry]:
        return list(
            AuditEntry.objects.filter(id__gt=self.mark).exclude(action="login").order_by("id")
        )

    def login(self, persona: str) -> None:
        self.client.force_login(getattr(self, persona))

    def action(self, name: str, *users: User) -> Any:
        return self.client.post(
            reverse("admin:auth_user_changelist"),
            {"action": name, "_selected_action": [user.pk for user in users]},
            follow=True,
        )


class EveryAdminTests(BaseTestCase):
    def test_every_model_in_the_admin_records_its_changes(self) -> None:
        for model, model_admin in admin.site._registry.items():
            with self.subTest(model._meta.label):
                self.assertIsInstance(model_admin, AuditedAdminMixin)


class ChangeRecordTests(AdminTestCase):
    def test_adding_changing_and_deleting_are_recorded_with_the_admins_message(self) -> None:
        self.login("sysadmin")
        add = reverse("admin:cases_workdayoverride_add")
        form = {"date": "2025-10-11", "kind": "workday", "name": "调休上班", "source": "宛政〔2025〕1号",
                "organisation": self.office.pk}  # fmt: skip
        self.assertEqual(self.client.post(add, form).status_code, 302)
        override = WorkdayOverride.objects.get()
        change = reverse("admin:cases_workdayoverride_change", args=[override.pk])
        self.client.post(change, form | {"name": "国庆调休上班"})
        self.client.post(change, form | {"name": "国庆调休上班"})  # nothing changed: no entry
        delete = reverse("admin:cases_workdayoverride_delete", args=[override.pk])
        self.client.post(delete, {"post": "yes"})
        entries = self.entries()
        self.assertEqual(
            [(e.action, e.username, e.object_type, e.object_id, e.ip) for e in entries],
            [
                (AuditAction.CREATE, "sysadmin", "cases.WorkdayOverride", str(override.pk), "127.0.0.1"),
                (AuditAction.CHANGE, "sysadmin", "cases.WorkdayOverride", str(override.pk), "127.0.0.1"),
                (AuditAction.DELETE, "sysadmin", "cases.WorkdayOverride", str(override.pk), "127.0.0.1"),
            ],
        )  # fmt: skip
        self.assertEqual(entries[1].organisation, "WCBGS")
        self.assertEqual(entries[1].detail["via"], "admin")
        self.assertIn("changed", entries[1].detail["message"][0])

    def test_an_organisation_changed_in_the_admin_is_recorded(self) -> None:
        self.login("sysadmin")
        url = reverse("admin:accounts_organisation_change", args=[self.other.pk])
        form = {"code": "WCCZJ", "name": "宛城区财政局（改）", "kind": "department",
                "parent": self.district.pk, "report_due_month": 1, "report_due_day": 31}  # fmt: skip
        self.assertEqual(self.client.post(url, form).status_code, 302)
        [entry] = self.entries()
        self.assertEqual((entry.action, entry.object_repr, entry.organisation),
                         (AuditAction.CHANGE, "宛城区财政局（改）", "WCCZJ"))  # fmt: skip


class AccountAdminTests(AdminTestCase):
    def test_the_system_administrator_creates_an_account_recorded_once(self) -> None:
        self.login("sysadmin")
        form = {"username": "zhaoliu", "first_name": "赵六", "password1": GOOD_PASSWORD,
                "password2": GOOD_PASSWORD}  # fmt: skip
        response = self.client.post(reverse("admin:auth_user_add"), form)
        user = User.objects.get(username="zhaoliu")
        self.assertEqual(response.status_code, 302)
        self.assertTrue(user.check_password(GOOD_PASSWORD))
        self.assertEqual(
            [(e.action, e.username, e.object_repr) for e in self.entries()],
            [(AuditAction.USER_CREATE, "sysadmin", "zhaoliu")],
        )

    def test_accounts_are_never_deleted_in_the_admin(self) -> None:
        root = User.objects.create_superuser("root", password=PASSWORD)
        for user in (self.sysadmin, root):
            with self.subTest(user.username):
                self.client.force_login(user)
                url = reverse("admin:auth_user_delete", args=[self.clerk.pk])
                self.assertEqual(self.client.post(url, {"post": "yes"}).status_code, 403)
                response = self.action("delete_selected", self.clerk)
                self.assertContains(response, "未选择动作")
        self.assertTrue(User.objects.filter(pk=self.clerk.pk).exists())

    def test_stopping_and_restarting_an_account_are_actions_recorded_one_each(self) -> None:
        self.login("sysadmin")
        self.action("deactivate_users", self.clerk, self.auditor)
        self.assertFalse(User.objects.get(pk=self.clerk.pk).is_active)
        self.assertTrue(User.objects.get(pk=self.auditor.pk).is_active)  # an administrator
        self.action("activate_users", self.clerk)
        self.assertTrue(User.objects.get(pk=self.clerk.pk).is_active)
        self.assertEqual(
            [(e.action, e.object_repr) for e in self.entries()],
            [(AuditAction.USER_DISABLE, "clerk"), (AuditAction.USER_CHANGE, "clerk")],
        )

    def test_only_the_security_administrator_resets_a_password(self) -> None:
        url = reverse("admin:auth_user_password_change", args=[self.clerk.pk])
        form = {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}
        for persona in ("sysadmin", "auditor"):
            with self.subTest(persona):
                self.login(persona)
                self.assertEqual(self.client.post(url, form).status_code, 403)
        self.login("secadmin")
        self.assertEqual(self.client.post(url, form).status_code, 302)
        self.assertTrue(User.objects.get(pk=self.clerk.pk).check_password(GOOD_PASSWORD))
        self.assertEqual(
            [(e.action, e.username, e.object_repr) for e in self.entries()],
            [(AuditAction.PASSWORD_RESET, "secadmin", "clerk")],
        )

    def test_the_security_administrator_changes_no_account_field(self) -> None:
        self.login("secadmin")
        url = reverse("admin:auth_user_change", args=[self.clerk.pk])
        self.client.post(url, {"first_name": "改名", "email": "x@example.com"})
        clerk = User.objects.get(pk=self.clerk.pk)
        self.assertEqual((clerk.first_name, clerk.email), ("", ""))
        self.assertEqual(self.entries(), [])

    def test_administrators_are_appointed_by_action_one_role_each(self) -> None:
        newcomer = User.objects.create_user("newcomer", password=PASSWORD)
        self.login("secadmin")
        self.action("appoint_audit", newcomer)
        response = self.action("appoint_system", newcomer, self.sysadmin)
        self.assertContains(response, "须由不同人员担任")
        self.assertEqual(system_role_of(newcomer), SystemRole.AUDIT)
        self.assertEqual(system_role_of(self.sysadmin), SystemRole.SYSTEM)
        self.assertEqual(
            [(e.action, e.object_repr, e.detail) for e in self.entries()],
            [(AuditAction.ROLE_GRANT, "newcomer", {"system_role": "audit"})],
        )
        self.login("sysadmin")  # the actions are not his
        self.action("revoke_system_role", newcomer)
        self.assertEqual(system_role_of(newcomer), SystemRole.AUDIT)

    def test_the_groups_are_shown_and_changed_nowhere(self) -> None:
        group = Group.objects.get(name="审计管理员")
        root = User.objects.create_superuser("root", password=PASSWORD)
        for user in (self.secadmin, root):
            with self.subTest(user.username):
                self.client.force_login(user)
                url = reverse("admin:auth_group_change", args=[group.pk])
                self.assertContains(self.client.get(url), "Can view 审计记录")
                self.client.post(url, {"name": "x", "permissions": []})
                self.assertEqual(self.client.get(reverse("admin:auth_group_add")).status_code, 403)
        self.assertEqual(Group.objects.get(pk=group.pk).permissions.count(), 1)


class MembershipAdminTests(AdminTestCase):
    def test_the_security_administrator_grants_and_revokes_roles_recorded_as_such(self) -> None:
        self.login("secadmin")
        add = reverse("admin:accounts_membership_add")
        response = self.client.post(
            add, {"user": self.outsider.pk, "organisation": self.district.pk, "role": "supervisor"}
        )
        self.assertEqual(response.status_code, 302)
        membership = Membership.objects.get(user=self.outsider, role="supervisor")
        url = reverse("admin:accounts_membership_delete", args=[membership.pk])
        self.client.post(url, {"post": "yes"})
        self.assertFalse(Membership.objects.filter(pk=membership.pk).exists())
        self.assertEqual(
            [(e.action, e.object_repr, e.organisation, e.detail) for e in self.entries()],
            [
                (AuditAction.ROLE_GRANT, "outsider", "WCQ", {"organisation": "WCQ", "role": "supervisor"}),
                (AuditAction.ROLE_REVOKE, "outsider", "WCQ", {"organisation": "WCQ", "role": "supervisor"}),
            ],
        )  # fmt: skip

    def test_an_administrator_gets_no_organisation_role(self) -> None:
        self.login("secadmin")
        response = self.client.post(
            reverse("admin:accounts_membership_add"),
            {"user": self.auditor.pk, "organisation": self.office.pk, "role": "clerk"},
        )
        self.assertContains(response, "专门账户")
        self.assertFalse(Membership.objects.filter(user=self.auditor).exists())

    def test_the_system_administrator_grants_no_role(self) -> None:
        self.login("sysadmin")
        self.assertEqual(self.client.get(reverse("admin:accounts_membership_add")).status_code, 403)


class ReadOnlyTests(AdminTestCase):
    def test_the_auditor_changes_nothing_in_the_admin(self) -> None:
        self.login("auditor")
        for name in (
            "auth_user_add", "accounts_organisation_add", "accounts_membership_add",
            "cases_workdayoverride_add", "disclosure_lettertemplate_add", "auth_group_add",
        ):  # fmt: skip
            with self.subTest(name):
                self.assertEqual(self.client.post(reverse(f"admin:{name}"), {}).status_code, 403)
        url = reverse("admin:accounts_organisation_change", args=[self.office.pk])
        self.assertEqual(self.client.post(url, {"name": "x"}).status_code, 403)
        self.assertEqual(self.action("deactivate_users", self.clerk).status_code, 403)
        self.assertEqual(Organisation.objects.get(pk=self.office.pk).name, "宛城区人民政府办公室")
        self.assertTrue(User.objects.get(pk=self.clerk.pk).is_active)
        self.assertEqual(self.entries(), [])

    def test_nobody_adds_changes_or_deletes_an_audit_entry_in_the_admin(self) -> None:
        entry = audit_record(AuditAction.EXPORT, user=self.clerk, object_repr="台账")
        root = User.objects.create_superuser("root", password=PASSWORD)
        change = reverse("admin:audit_auditentry_change", args=[entry.pk])
        delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
        for user in (self.auditor, self.secadmin, self.sysadmin, self.admin, root):
            with self.subTest(user.username):
                self.client.force_login(user)
                add = self.client.post(reverse("admin:audit_auditentry_add"), {})
                self.assertIn(add.status_code, (302, 403))  # 302: office users to the login
                self.assertIn(
                    self.client.post(change, {"object_repr": "改"}).status_code, (302, 403)
                )
                self.assertIn(self.client.post(delete, {"post": "yes"}).status_code, (302, 403))
                bulk = self.client.post(
                    reverse("admin:audit_auditentry_changelist"),
                    {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
                )
                self.assertIn(bulk.status_code, (200, 302, 403))
        entry.refresh_from_db()
        self.assertEqual(entry.object_repr, "台账")
        self.assertEqual(AuditEntry.objects.filter(pk=entry.pk).count(), 1)
        self.client.force_login(self.auditor)
        self.assertContains(self.client.get(change), "台账")  # he reads it
