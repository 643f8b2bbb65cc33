"""Forms of the office's screens for the public side: shape only; meaning is the services'."""

from __future__ import annotations

from django import forms

from gongkai.domain.deadline_model import Channel

CHANNEL_CHOICES = [(c.value, c.label) for c in Channel]


class GuideForm(forms.Form):
    address = forms.CharField(label="办公地址", max_length=200, required=False)
    office_hours = forms.CharField(
        label="办公时间",
        max_length=200,
        required=False,
        help_text="如：工作日上午8:30—12:00，下午14:30—17:30",
    )
    phone = forms.CharField(label="联系电话", max_length=40, required=False)
    fax = forms.CharField(label="传真号码", max_length=40, required=False)
    email = forms.CharField(label="电子邮箱", max_length=254, required=False)
    postcode = forms.CharField(label="邮政编码", max_length=10, required=False)
    website = forms.CharField(label="网址", max_length=200, required=False)
    channels = forms.MultipleChoiceField(
        label="接受申请的渠道",
        choices=CHANNEL_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    classification = forms.CharField(
        label="政府信息的分类和编排体系", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    proactive_channels = forms.CharField(
        label="主动公开的方式和途径", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    procedure = forms.CharField(
        label="依申请公开的办理程序和时限",
        widget=forms.Textarea(attrs={"rows": 10}),
        required=False,
    )
    fees = forms.CharField(label="收费", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    remedies = forms.CharField(
        label="监督和救济（写明行政复议60日、行政诉讼6个月的期限）",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class PolicyItemForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    url = forms.CharField(label="链接（可选）", max_length=200, required=False)
    text = forms.CharField(
        label="正文（可选）", widget=forms.Textarea(attrs={"rows": 6}), required=False
    )
