"""政府信息公开指南 (条例第十二条): the public page of the current version and of earlier ones,
and the 管理员's screen that edits and publishes it; 政府信息公开制度, public and managed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts import access
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.web import acting_user, show_refusal
from gongkai.domain.deadline_model import Channel
from gongkai.portal.cache import cached_page
from gongkai.portal.forms import GuideForm, PolicyItemForm
from gongkai.portal.guide_elements import GUIDE_ELEMENTS, missing_elements
from gongkai.portal.models import GuideVersion, PolicyItem
from gongkai.portal.selectors import current_guide, guide_versions
from gongkai.portal.services import (
    GuideInput,
    guide_publish,
    guide_save,
    guide_settings_of,
    guide_values,
    policy_item_add,
    policy_item_remove,
)
from gongkai.portal.views import public_organisation

CHANNEL_LABELS = {c.value: c.label for c in Channel}


def _guide_context(version: GuideVersion) -> dict[str, object]:
    channels = [CHANNEL_LABELS.get(c, c) for c in version.value("channels") or []]
    return {"guide": version, "g": version.data, "channels": channels}


@require_GET
@cached_page
def guide(request: HttpRequest, code: str) -> HttpResponse:
    organisation = public_organisation(code)
    version = current_guide(organisation)
    context: dict[str, object] = {
        "organisation": organisation,
        "versions": guide_versions(organisation),
        "current": True,
    }
    if version is not None:
        context |= _guide_context(version)
    return render(request, "portal/guide.html", context)


@require_GET
@cached_page
def guide_version(request: HttpRequest, code: str, number: int) -> HttpResponse:
    organisation = public_organisation(code)
    version = GuideVersion.objects.filter(organisation=organisation, number=number).first()
    if version is None:
        raise Http404("没有这一版指南")
    latest = current_guide(organisation)
    context = {
        "organisation": organisation,
        "versions": guide_versions(organisation),
        "current": latest is not None and latest.number == number,
        **_guide_context(version),
    }
    return render(request, "portal/guide.html", context)


@require_GET
@cached_page
def policies(request: HttpRequest, code: str) -> HttpResponse:
    organisation = public_organisation(code)
    items = PolicyItem.objects.filter(organisation=organisation)
    return render(request, "portal/policies.html", {"organisation": organisation, "items": items})


# ---------------------------------------------------------------- the 管理员's screens


@login_required
@require_GET
def manage_home(request: HttpRequest) -> HttpResponse:
    organisations = list(access.admin_organisations(request.user))
    if not organisations:
        raise PermissionDenied("只有机构管理员可以维护政府信息公开指南")
    if len(organisations) == 1:
        return redirect("portal_manage:guide", code=organisations[0].code)
    return render(request, "portal/manage_home.html", {"organisations": organisations})


@login_required
@require_http_methods(["GET", "POST"])
def manage_guide(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access.get_admin_organisation(request.user, code)
    settings = guide_settings_of(organisation)
    if request.method == "POST":
        form = GuideForm(request.POST)
        if form.is_valid():
            data = GuideInput(
                **{k: v for k, v in form.cleaned_data.items() if k != "channels"},
                channels=tuple(form.cleaned_data["channels"]),
            )
            try:
                guide_save(
                    actor=acting_user(request),
                    organisation=organisation,
                    data=data,
                    request=request,
                )
            except ServiceError as exc:
                show_refusal(request, exc)
            else:
                messages.success(request, "指南内容已保存（尚未发布）")
                return redirect("portal_manage:guide", code=code)
    else:
        initial = {key: getattr(settings, key) for key in GuideForm.base_fields}
        form = GuideForm(initial=initial)
    values = guide_values(organisation, settings)
    current = current_guide(organisation)
    context = {
        "organisation": organisation,
        "form": form,
        "missing": missing_elements(values),
        "unpublished": current is None or current.data != values,
        "saved": settings.pk is not None,
        "elements": GUIDE_ELEMENTS,
        "versions": guide_versions(organisation),
        "current": current,
    }
    return render(request, "portal/guide_manage.html", context)


@login_required
@require_POST
def manage_guide_publish(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access.get_admin_organisation(request.user, code)
    try:
        version = guide_publish(
            actor=acting_user(request),
            organisation=organisation,
            today=timezone.localdate(),
            request=request,
        )
    except ServiceError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, f"已发布指南第{version.number}版")
    return redirect("portal_manage:guide", code=code)


@login_required
@require_http_methods(["GET", "POST"])
def manage_policies(request: HttpRequest, code: str) -> HttpResponse:
    organisation = access.get_admin_organisation(request.user, code)
    form = PolicyItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            policy_item_add(
                actor=acting_user(request),
                organisation=organisation,
                today=timezone.localdate(),
                request=request,
                **form.cleaned_data,
            )
        except ServiceError as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, "已添加")
            return redirect("portal_manage:policies", code=code)
    items = PolicyItem.objects.filter(organisation=organisation)
    context = {"organisation": organisation, "form": form, "items": items}
    return render(request, "portal/policy_manage.html", context)


@login_required
@require_POST
def manage_policy_remove(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    organisation = access.get_admin_organisation(request.user, code)
    item = PolicyItem.objects.filter(organisation=organisation, pk=pk).first()
    if item is None:
        raise Http404("没有这一条")
    try:
        policy_item_remove(actor=acting_user(request), item=item, request=request)
    except ServiceError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, "已删除")
    return redirect("portal_manage:policies", code=code)
