"""系统管理 (the Django admin): accounts, organisations, roles and API tokens, for the three
installation-wide administrators only, each seeing what his role allows (gongkai/accounts/
system_roles.py, decision U-1). An organisation's own users are managed by its 管理员 in the app
(本单位用户), not here.

Every change is an audit entry (`AuditedAdminMixin`). Accounts are never deleted, only stopped,
so that the timelines and the audit trail keep their names; roles are granted and revoked
through `gongkai.accounts.services`, which refuse a second system role and record the change.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessLog
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserCreationForm
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import ApiToken, Membership, Organisation
from gongkai.accounts.passwords import require_change
from gongkai.accounts.services import (
    CHANGE_USER,
    GRANT_SYSTEM_ROLE,
    membership_check,
    membership_grant,
    membership_revoke,
    system_role_grant,
    system_role_revoke,
    user_activate,
    user_create,
    user_deactivate,
)
from gongkai.accounts.system_roles import ROLE_BY_GROUP, SystemRole
from gongkai.accounts.tokens import api_token_revoke, token_state
from gongkai.accounts.web import acting_user
from gongkai.audit.actions import AuditAction
from gongkai.audit.admin import AuditedAdminMixin, AuditedModelAdmin, ViewOnlyAdmin
from gongkai.domain.lifecycle import Role

RESET_PASSWORD = "auth.reset_user_password"

admin.site.site_header = "政府信息公开工作平台 · 系统管理"
admin.site.site_title = "政府信息公开工作平台 · 系统管理"
admin.site.index_title = "系统管理"


def _is_password_reset(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and match.url_name == "auth_user_password_change"


# ---------------------------------------------------------------- organisations


class MembershipInline(admin.TabularInline):  # type: ignore[type-arg]
    """Who holds which role here, for reading: roles are granted under 角色 (安全管理员)."""

    model = Membership
    fields = readonly_fields = ("user", "role")
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


# ---------------------------------------------------------------- roles in organisations


class MembershipForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = Membership
        fields = ["user", "organisation", "role"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user, organisation, role = data.get("user"), data.get("organisation"), data.get("role")
        if user and organisation and role:
            try:
                membership_check(user=user, organisation=organisation, role=Role(role))
            except ServiceError as exc:
                raise forms.ValidationError(exc.message) from exc
        return data


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin):
    """The security administrator grants and revokes roles (监督 included) in any organisation.
    A role is not edited: it is revoked and another granted, each an audit entry."""

    form = MembershipForm
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "organisation__name", "organisation__code"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]
    audited_by_service = frozenset({"add", "delete"})

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        saved = membership_grant(
            actor=acting_user(request), organisation=obj.organisation, user=obj.user,
            role=Role(obj.role), request=request,
        )  # fmt: skip
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        self._revoke(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Membership]) -> None:
        for membership in queryset.select_related("user", "organisation"):
            self._revoke(request, membership)

    def _revoke(self, request: HttpRequest, membership: Membership) -> None:
        try:
            membership_revoke(
                actor=acting_user(request), organisation=membership.organisation,
                user=membership.user, role=Role(membership.role), request=request,
            )  # fmt: skip
        except ServiceError as exc:
            self.message_user(request, f"{membership}：{exc.message}", messages.ERROR)


# ---------------------------------------------------------------- API tokens


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedModelAdmin):
    """Tokens are only shown, never edited: only their SHA-256 is stored."""

    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "expires_at", "state"]
    search_fields = ["user__username", "name", "prefix"]
    list_select_related = ["user"]
    fields = readonly_fields = (
        "prefix",
        "user",
        "name",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    )
    actions = ["revoke"]

    @admin.display(description="状态")
    def state(self, token: ApiToken) -> str:
        return token_state(token)

    @admin.action(description="吊销所选令牌", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        count = sum(
            api_token_revoke(token=token, actor=acting_user(request), reason="管理后台吊销")
            for token in queryset.select_related("user")
        )
        self.message_user(request, f"已吊销 {count} 个令牌")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # "change" only opens the revoke action: every field stays read-only.
        return bool(request.user.has_perm("accounts.change_apitoken"))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# ---------------------------------------------------------------- accounts


class AccountCreationForm(UserCreationForm):  # type: ignore[type-arg]
    """A new account: name and an initial password checked by the validators. Its roles are
    granted afterwards, by the security administrator or the organisation's 管理员."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "first_name")
        labels = {"first_name": "姓名"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True


class AccountForm(forms.ModelForm):  # type: ignore[type-arg]
    class Meta:
        model = User
        fields = ["first_name", "email"]
        labels = {"first_name": "姓名"}


class UserAdmin(AuditedAdminMixin, BaseUserAdmin):  # type: ignore[type-arg]
    """Accounts. 系统管理员: creates them, edits their name and e-mail, stops and restarts them.
    安全管理员: appoints and removes administrators, resets passwords. Nobody deletes one."""

    add_form = AccountCreationForm
    form = AccountForm
    add_fieldsets = ((None, {"fields": ("username", "first_name", "password1", "password2")}),)
    list_display = ["username", "first_name", "system_role", "is_active", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["username", "first_name", "email"]
    ordering = ["username"]
    filter_horizontal = ()
    audited_by_service = frozenset({"add"})
    actions = [
        "deactivate_users",
        "activate_users",
        "appoint_system",
        "appoint_security",
        "appoint_audit",
        "revoke_system_role",
    ]

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return self.add_fieldsets
        account = ["username", "first_name", "email", "is_active", "last_login", "date_joined"]
        sets: list[tuple[str, dict[str, Any]]] = [
            ("账户", {"fields": account}),
            ("角色", {"fields": ["system_role", "roles"]}),
        ]
        if request.user.has_perm(RESET_PASSWORD):
            sets.append(("密码", {"fields": ["password_reset"]}))
        return sets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        shown = ["username", "is_active", "last_login", "date_joined", "system_role", "roles"]
        shown.append("password_reset")
        if not request.user.has_perm(CHANGE_USER):
            shown += ["first_name", "email"]
        return shown

    # Deleting an account would blank the actor of timelines: accounts are stopped instead.
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return any(
            request.user.has_perm(permission)
            for permission in (CHANGE_USER, RESET_PASSWORD, GRANT_SYSTEM_ROLE)
        )

    def has_manage_accounts_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(CHANGE_USER)

    def has_grant_system_role_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(GRANT_SYSTEM_ROLE)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="系统管理角色")
    def system_role(self, obj: User) -> str:
        names = [group.name for group in obj.groups.all() if group.name in ROLE_BY_GROUP]
        return "、".join(names) or "—"

    @admin.display(description="机构中的角色")
    def roles(self, obj: User) -> str:
        memberships = obj.memberships.select_related("organisation").order_by("organisation__code")
        rows = [(m.organisation.name, Role(m.role).label) for m in memberships]
        return format_html_join("", "<div>{} · {}</div>", rows) or "—"

    @admin.display(description="密码")
    def password_reset(self, obj: User) -> str:
        url = reverse("admin:auth_user_password_change", args=[obj.pk])
        return format_html('<a href="{}">重置密码</a>', url)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        created = user_create(
            actor=acting_user(request), username=obj.username, name=obj.first_name,
            password=form.cleaned_data["password1"], request=request,
        )  # fmt: skip
        obj.pk = created.pk

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Resetting a password is a security decision (安全管理员), not an account's upkeep.
        if not request.user.has_perm(RESET_PASSWORD):
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def audit_action(self, request: HttpRequest, obj: Any, change: str) -> AuditAction:
        if _is_password_reset(request):
            return AuditAction.PASSWORD_RESET
        return AuditAction.USER_CHANGE

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        entry = super().log_change(request, obj, message)
        if _is_password_reset(request):
            require_change(obj)  # the owner replaces a reset password at next login
        return entry

    # ---- actions: each one a service, each refusal shown

    def each(self, request: HttpRequest, queryset: QuerySet[User], service: Any, done: str) -> None:
        for user in queryset:
            try:
                service(user)
            except ServiceError as exc:
                self.message_user(request, f"{user.username}：{exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{user.username}：{done}", messages.SUCCESS)

    @admin.action(description="停用所选用户", permissions=["manage_accounts"])
    def deactivate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self.each(
            request, queryset,
            lambda user: user_deactivate(actor=acting_user(request), user=user, request=request),
            "已停用",
        )  # fmt: skip

    @admin.action(description="启用所选用户", permissions=["manage_accounts"])
    def activate_users(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self.each(
            request, queryset,
            lambda user: user_activate(actor=acting_user(request), user=user, request=request),
            "已启用",
        )  # fmt: skip

    @admin.action(description="任命所选用户为系统管理员", permissions=["grant_system_role"])
    def appoint_system(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._appoint(request, queryset, SystemRole.SYSTEM)

    @admin.action(description="任命所选用户为安全管理员", permissions=["grant_system_role"])
    def appoint_security(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._appoint(request, queryset, SystemRole.SECURITY)

    @admin.action(description="任命所选用户为审计管理员", permissions=["grant_system_role"])
    def appoint_audit(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._appoint(request, queryset, SystemRole.AUDIT)

    def _appoint(self, request: HttpRequest, queryset: QuerySet[User], role: SystemRole) -> None:
        self.each(
            request, queryset,
            lambda user: system_role_grant(
                actor=acting_user(request), user=user, role=role, request=request
            ),
            f"已任命为{role.label}",
        )  # fmt: skip

    @admin.action(description="撤销所选用户的系统管理角色", permissions=["grant_system_role"])
    def revoke_system_role(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self.each(
            request, queryset,
            lambda user: system_role_revoke(actor=acting_user(request), user=user, request=request),
            "已撤销系统管理角色",
        )  # fmt: skip


class GroupAdmin(AuditedAdminMixin, BaseGroupAdmin):
    """The system roles are groups defined in code (system_roles.py) and reset after every
    migrate: shown here, changed nowhere."""

    fields = readonly_fields = ("name", "permission_list")

    @admin.display(description="权限")
    def permission_list(self, obj: Group) -> str:
        names = obj.permissions.order_by("content_type__app_label", "codename")
        return format_html_join("", "<div>{}</div>", ((p.name,) for p in names)) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


admin.site.unregister(User)
admin.site.unregister(Group)
admin.site.register(User, UserAdmin)
admin.site.register(Group, GroupAdmin)


# ---------------------------------------------------------------- lockouts (django-axes)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(ViewOnlyAdmin):
    """Failed logins that count towards a lockout; the security administrator deletes them to
    unlock an account (recorded as 解除锁定)."""

    list_display = ["attempt_time", "username", "ip_address", "failures_since_start"]
    search_fields = ["username", "ip_address"]
    date_hierarchy = "attempt_time"
    fields = readonly_fields = (
        "attempt_time",
        "username",
        "ip_address",
        "user_agent",
        "path_info",
        "failures_since_start",
    )

    def audit_action(self, request: HttpRequest, obj: Any, change: str) -> AuditAction:
        return (
            AuditAction.UNLOCK if change == "delete" else super().audit_action(request, obj, change)
        )


@admin.register(AccessLog)
class AccessLogAdmin(ViewOnlyAdmin):
    list_display = ["attempt_time", "logout_time", "username", "ip_address"]
    search_fields = ["username", "ip_address"]
    fields = readonly_fields = ("attempt_time", "logout_time", "username", "ip_address")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# ---------------------------------------------------------------- second factor (django-otp)

admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class TOTPDeviceAdmin(ViewOnlyAdmin):
    """The administrators' authenticators: only listed, and deleted by the security administrator
    when a phone is lost (its owner binds a new one at next login). The key is never shown."""

    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    fields = readonly_fields = ("user", "name", "confirmed", "created_at", "last_used_at")
