"""Forms of the 本单位用户 screens: they check the shape of the input; the services its meaning."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from gongkai.accounts.services import ACTING_ROLES
from gongkai.domain.lifecycle import Role

ROLE_CHOICES = [(role.value, role.label) for role in Role if role in ACTING_ROLES]


class UserCreateForm(forms.Form):
    username = forms.CharField(
        label="用户名", max_length=150, help_text="登录时使用；可用字母、数字和 @ . + - _"
    )
    name = forms.CharField(label="姓名", max_length=150)
    password1 = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="再次输入初始密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    roles = forms.MultipleChoiceField(
        label="角色", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "两次输入的密码不一致")
        return data

    def roles_chosen(self) -> list[Role]:
        return [Role(value) for value in self.cleaned_data["roles"]]
