"""动态口令: the system administrators' second factor (TOTP, django-otp).

The first visit binds an authenticator app (a QR code and the key to type in, confirmed by one
code); later visits ask for the current code once per session. Codes are checked by django-otp,
which also slows down repeated wrong codes. Binding, success and failure are audited.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record


class CodeForm(forms.Form):
    code = forms.RegexField(
        label="动态口令",
        regex=r"^\d{6}$",
        error_messages={"invalid": "请输入验证器上显示的6位数字"},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def second_factor(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.is_staff:
        raise PermissionDenied("动态口令只用于系统管理员、安全管理员和审计管理员")
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if device is None:
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, confirmed=False, defaults={"name": "验证器"}
        )
    form = CodeForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        allowed, _ = device.verify_is_allowed()
        if not allowed:
            error = "错误次数过多，请稍候再试"
        elif device.verify_token(form.cleaned_data["code"]):
            return _verified(request, device, enrolling)
        else:
            error = "动态口令不正确或已过期，请输入验证器上当前显示的数字"
            audit_record(AuditAction.OTP_FAILED, request=request, obj=device, success=False)
    return render(
        request,
        "accounts/second_factor.html",
        {
            "form": form,
            "error": error,
            "enrolling": enrolling,
            "qr": _qr_svg(device.config_url) if enrolling else "",
            "secret": _grouped_secret(device) if enrolling else "",
            "next": _next(request),
        },
    )


def _verified(request: HttpRequest, device: TOTPDevice, enrolling: bool) -> HttpResponse:
    if enrolling:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    otp_login(request, device)
    action = AuditAction.OTP_ENROL if enrolling else AuditAction.OTP_VERIFY
    audit_record(action, request=request, obj=device)
    return HttpResponseRedirect(_next(request))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/admin/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return "/admin/"


def _qr_svg(url: str) -> str:
    import segno

    # Inline SVG markup (no style attribute, no data: URL): it passes the Content-Security-Policy.
    svg: str = segno.make(url, error="m").svg_inline(scale=4, title="动态口令绑定二维码")
    return svg


def _grouped_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
