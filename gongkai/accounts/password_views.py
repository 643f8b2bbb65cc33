"""修改密码: every logged-in user changes his own password (old password required, validators of
AUTH_PASSWORD_VALIDATORS); the change is audited and kills his API tokens."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpResponse
from django.urls import reverse_lazy

from gongkai.accounts.middleware import remember_password_due
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("cases:dashboard")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expired"] = self.request.GET.get("expired") == "1"
        return context

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        audit_record(AuditAction.PASSWORD_CHANGE, request=self.request, obj=form.user)
        remember_password_due(self.request)
        messages.success(self.request, "密码已修改。您的 API 令牌已随之失效，如需使用请重新申请。")
        return response
