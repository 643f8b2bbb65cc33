"""本单位用户: an organisation's 管理员 manages the accounts and roles of his own organisation.

Another organisation, or a user without a role in this one, is the same 404 as one that does not
exist; a user who reads the organisation without being its 管理员 gets 403. Every change goes
through `gongkai.accounts.services`, which records it in the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts import access
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.forms import ROLE_CHOICES, UserCreateForm
from gongkai.accounts.models import Membership, Organisation
from gongkai.accounts.services import (
    membership_grant,
    membership_revoke,
    user_create,
    user_deactivate,
)
from gongkai.accounts.web import acting_user, show_refusal
from gongkai.domain.lifecycle import Role

SERVICE_FIELDS = {"username": "username", "name": "name", "password": "password1"}


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    organisations = list(access.admin_organisations(request.user))
    if not organisations:
        raise PermissionDenied("只有机构管理员可以管理本单位用户")
    if len(organisations) == 1:
        return redirect("accounts:users", code=organisations[0].code)
    return render(request, "accounts/users_home.html", {"organisations": organisations})


@login_required
@require_GET
def users(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access.get_admin_organisation(request.user, code)
    members = access.organisation_members(organisation).order_by("username")
    roles = Membership.objects.select_related("organisation").order_by("role")
    rows = [
        _row(organisation, member)
        for member in members.prefetch_related(Prefetch("memberships", queryset=roles))
    ]
    return render(request, "accounts/user_list.html", {"organisation": organisation, "rows": rows})


@dataclass(frozen=True)
class MemberRow:
    user: User
    roles: list[Role]  # in this organisation
    elsewhere: bool  # also holds a role in another organisation (not named here)


def _row(organisation: Organisation, member: User) -> MemberRow:
    memberships = list(member.memberships.all())
    here = {Role(m.role) for m in memberships if m.organisation_id == organisation.pk}
    return MemberRow(
        user=member,
        roles=sorted(here, key=list(Role).index),
        elsewhere=any(m.organisation_id != organisation.pk for m in memberships),
    )


@login_required
@require_http_methods(["GET", "POST"])
def user_add(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access.get_admin_organisation(request.user, code)
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = user_create(
                actor=acting_user(request), organisation=organisation, roles=form.roles_chosen(),
                username=data["username"], name=data["name"], password=data["password1"],
                request=request,
            )  # fmt: skip
        except ServiceError as exc:
            if exc.kind == "forbidden":
                raise PermissionDenied(exc.message) from exc
            name = SERVICE_FIELDS.get(exc.field or "")
            form.add_error(name if name in form.fields else None, exc.message)
        else:
            messages.success(request, f"已新增用户{created.username}（{created.first_name}）")
            return redirect("accounts:user", code=code, pk=created.pk)
    context = {"organisation": organisation, "form": form}
    return render(request, "accounts/user_form.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def user_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = access.get_admin_organisation(request.user, code)
    member = access.get_member(organisation, pk)
    row = _row(organisation, member)
    context = {
        "organisation": organisation,
        "member": member,
        "row": row,
        "roles": [(value, label, Role(value) in row.roles) for value, label in ROLE_CHOICES],
        "is_self": member.pk == request.user.pk,
    }
    return render(request, "accounts/user_detail.html", context)


def _role(request: HttpRequest) -> Role:
    try:
        return Role(request.POST.get("role", ""))
    except ValueError:
        raise PermissionDenied("没有这个角色") from None


@login_required
@require_POST
def role_grant(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _change_role(request, code, pk, membership_grant, "已授予{user}{role}角色")


@login_required
@require_POST
def role_revoke(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    return _change_role(request, code, pk, membership_revoke, "已撤销{user}的{role}角色")


def _change_role(request: HttpRequest, code: str, pk: int, service: Any, done: str) -> HttpResponse:
    """Grant or revoke one role of a member of the 管理员's organisation (one service each)."""
    organisation = access.get_admin_organisation(request.user, code)
    member = access.get_member(organisation, pk)
    role = _role(request)
    try:
        service(
            actor=acting_user(request), organisation=organisation, user=member, role=role,
            request=request,
        )  # fmt: skip
    except ServiceError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, done.format(user=member.username, role=role.label))
        if not Membership.objects.filter(user=member, organisation=organisation).exists():
            return redirect("accounts:users", code=code)  # no longer a member: not shown here
    return redirect("accounts:user", code=code, pk=pk)


@login_required
@require_POST
def deactivate(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = access.get_admin_organisation(request.user, code)
    member = access.get_member(organisation, pk)
    try:
        user_deactivate(
            actor=acting_user(request), organisation=organisation, user=member, request=request
        )
    except ServiceError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, f"已停用{member.username}，该用户不能再登录")
    return redirect("accounts:user", code=code, pk=pk)
