"""State changes of the public side, one function each, each in one transaction: the 指南's
settings (saved by the organisation's 管理员), its publication as a dated version, and the
entries of 政府信息公开制度. Each clears the organisation's cached pages once committed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import transaction
from django.http import HttpRequest

from gongkai.accounts.access import roles_in
from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import user_display_name
from gongkai.domain.deadline_model import Channel
from gongkai.domain.lifecycle import Role
from gongkai.portal.cache import portal_cache_clear
from gongkai.portal.guide_elements import missing_elements
from gongkai.portal.models import GuideSettings, GuideVersion, PolicyItem

TEXT_FIELDS = ("classification", "proactive_channels", "procedure", "fees", "remedies")
LINE_FIELDS = ("address", "office_hours", "phone", "fax", "email", "postcode", "website")
MAX_TEXT_CHARS = 20_000


def _require_admin(actor: User, organisation: Organisation) -> None:
    """The 指南 and the 制度 speak for the organisation: its 管理员 keeps them."""
    if Role.ADMIN not in roles_in(actor, organisation):
        raise ServiceError(f"您不是{organisation.name}的管理员", kind="forbidden")


def guide_settings_of(organisation: Organisation) -> GuideSettings:
    """The organisation's settings, unsaved and filled from its contact data when it has none."""
    found = GuideSettings.objects.filter(organisation=organisation).first()
    if found is not None:
        return found
    return GuideSettings(
        organisation=organisation,
        address=organisation.address,
        phone=organisation.phone,
        email=organisation.email,
        postcode=organisation.postcode,
    )


@dataclass(frozen=True)
class GuideInput:
    address: str = ""
    office_hours: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    postcode: str = ""
    website: str = ""
    channels: tuple[str, ...] = ()
    classification: str = ""
    proactive_channels: str = ""
    procedure: str = ""
    fees: str = ""
    remedies: str = ""


@transaction.atomic
def guide_save(
    *, actor: User, organisation: Organisation, data: GuideInput, request: HttpRequest | None = None
) -> GuideSettings:
    """Save the 指南's settings (not yet public: `guide_publish` makes them so)."""
    _require_admin(actor, organisation)
    values = _checked(data)
    settings = guide_settings_of(organisation)
    for key, value in values.items():
        setattr(settings, key, value)
    settings.updated_by_name = user_display_name(actor)
    settings.save()
    audit_record(AuditAction.CHANGE, request=request, user=actor, obj=settings, detail={})
    return settings


def _checked(data: GuideInput) -> dict[str, Any]:
    values: dict[str, Any] = {key: getattr(data, key).strip() for key in LINE_FIELDS}
    for key in TEXT_FIELDS:
        values[key] = _text(getattr(data, key), key)
    unknown = [c for c in data.channels if c not in {ch.value for ch in Channel}]
    if unknown:
        raise ServiceError(f"不认识的申请渠道：{'、'.join(unknown)}", field="channels")
    values["channels"] = [ch.value for ch in Channel if ch.value in data.channels]
    _check_format(values)
    return values


def _text(value: str, key: str) -> str:
    text = "\n".join(line.rstrip() for line in value.replace("\r\n", "\n").split("\n")).strip()
    if len(text) > MAX_TEXT_CHARS:
        raise ServiceError(f"内容过长（不超过{MAX_TEXT_CHARS}字）", field=key)
    return text


def _check_format(values: dict[str, Any]) -> None:
    if values["email"]:
        try:
            EmailValidator()(values["email"])
        except ValidationError:
            raise ServiceError("电子邮箱格式不正确", field="email") from None
    if values["website"]:
        try:
            URLValidator(schemes=["http", "https"])(values["website"])
        except ValidationError:
            raise ServiceError("网址须以 http:// 或 https:// 开头", field="website") from None
    if values["postcode"] and not (values["postcode"].isdigit() and len(values["postcode"]) == 6):
        raise ServiceError("邮政编码应为6位数字", field="postcode")


def guide_values(organisation: Organisation, settings: GuideSettings) -> dict[str, Any]:
    """The guide's elements as they would be published now, with the organisation's contact
    data of today (to notice a later change: the 工作台's alert)."""
    values: dict[str, Any] = {"name": organisation.name}
    for key in (*LINE_FIELDS, *TEXT_FIELDS):
        values[key] = getattr(settings, key)
    values["channels"] = list(settings.channels)
    values["organisation_contact"] = organisation_contact(organisation)
    return values


def organisation_contact(organisation: Organisation) -> dict[str, str]:
    return {
        "address": organisation.address,
        "phone": organisation.phone,
        "email": organisation.email,
        "postcode": organisation.postcode,
    }


@transaction.atomic
def guide_publish(
    *, actor: User, organisation: Organisation, today: dt.date, request: HttpRequest | None = None
) -> GuideVersion:
    """Publish the saved settings as a new dated version of the 指南; refused, naming what is
    missing, while a required element (条例第十二条) is blank."""
    _require_admin(actor, organisation)
    Organisation.objects.select_for_update().get(pk=organisation.pk)  # numbers stay 1, 2, 3…
    settings = GuideSettings.objects.filter(organisation=organisation).first()
    if settings is None:
        raise ServiceError("请先填写并保存指南内容，再发布")
    values = guide_values(organisation, settings)
    missing = missing_elements(values)
    if missing:
        raise ServiceError(f"指南缺少以下必备内容，不能发布：{'、'.join(missing)}")
    previous = GuideVersion.objects.filter(organisation=organisation).order_by("-number").first()
    if previous is not None and previous.data == values:
        raise ServiceError(f"内容与第{previous.number}版相同，无需重新发布", kind="conflict")
    version = GuideVersion.objects.create(
        organisation=organisation,
        number=previous.number + 1 if previous else 1,
        published_on=today,
        published_by_name=user_display_name(actor),
        data=values,
    )
    audit_record(
        AuditAction.PUBLISH,
        request=request,
        user=actor,
        obj=version,
        detail={"guide": version.number},
    )
    transaction.on_commit(lambda: portal_cache_clear(organisation))
    return version


@transaction.atomic
def policy_item_add(
    *,
    actor: User,
    organisation: Organisation,
    title: str,
    url: str = "",
    text: str = "",
    today: dt.date,
    request: HttpRequest | None = None,
) -> PolicyItem:
    """Add an entry to 政府信息公开制度: a title with a link, a text, or both."""
    _require_admin(actor, organisation)
    title, url, text = title.strip(), url.strip(), _text(text, "text")
    if not title:
        raise ServiceError("请填写制度的标题", field="title")
    if len(title) > 200:
        raise ServiceError("标题过长（不超过200字）", field="title")
    if not url and not text:
        raise ServiceError("请填写链接或正文（至少一项）", field="url")
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ServiceError("链接须以 http:// 或 https:// 开头", field="url") from None
    item = PolicyItem.objects.create(
        organisation=organisation, title=title, url=url, text=text, published_on=today
    )
    audit_record(AuditAction.CREATE, request=request, user=actor, obj=item, detail={})
    transaction.on_commit(lambda: portal_cache_clear(organisation))
    return item


@transaction.atomic
def policy_item_remove(
    *, actor: User, item: PolicyItem, request: HttpRequest | None = None
) -> None:
    organisation = item.organisation
    _require_admin(actor, organisation)
    audit_record(AuditAction.DELETE, request=request, user=actor, obj=item, detail={})
    item.delete()
    transaction.on_commit(lambda: portal_cache_clear(organisation))
