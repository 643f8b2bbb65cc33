"""Changes to the registers the annual report is built from, one function each, each in one
transaction: 主动公开信息, 规章和规范性文件, 执法和收费数据 (typed in, or imported from .xlsx) and
行政复议/行政诉讼.

经办人, 审核人 and 管理员 of the organisation write (R-7); 监督 only reads. The forms check the shape
of the input; these functions check its meaning and refuse with a `ServiceError` (a Chinese
message and the field it concerns), leaving the database as it was.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import models, transaction
from django.http import HttpRequest

from gongkai.accounts.access import roles_in
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import Application
from gongkai.cases.services import ServiceError
from gongkai.reports.models import Appeal, NormativeDocument, ProactiveItem
from gongkai.reports.services import EDITORS  # 经办人, 审核人, 管理员: as for the narrative

# 条例第二十条 (2019 revision): what an administrative organ publishes proactively.
ARTICLE_20_ITEMS: dict[str, str] = {
    "（一）": "行政法规、规章和规范性文件",
    "（二）": "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "（三）": "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    "（四）": "国民经济和社会发展统计信息",
    "（五）": "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "（六）": "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    "（七）": "财政预算、决算信息",
    "（八）": "行政事业性收费项目及其依据、标准",
    "（九）": "政府集中采购项目的目录、标准及实施情况",
    "（十）": "重大建设项目的批准和实施情况",
    "（十一）": "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    "（十二）": "突发公共事件的应急预案、预警信息及应对情况",
    "（十三）": "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    "（十四）": "公务员招考的职位、名额、报考条件等事项以及录用结果",
    "（十五）": "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
}


def require_editor(actor: User, organisation: Organisation) -> None:
    if not roles_in(actor, organisation) & EDITORS:
        raise ServiceError(f"您在{organisation.name}没有编辑登记簿的权限", kind="forbidden")


def lock_organisation(organisation: Organisation) -> None:
    """Writers of one organisation's register queue here, so that two saves cannot both pass
    a uniqueness check (文号, 案号, one figures row per year) and then both write."""
    Organisation.objects.select_for_update().get(pk=organisation.pk)


Record = TypeVar("Record", ProactiveItem, NormativeDocument, Appeal)


def _locked(model: type[Record], organisation: Organisation, pk: int) -> Record:
    record = model._default_manager.select_for_update().filter(organisation=organisation, pk=pk)
    found = record.first()
    if found is None:  # deleted meanwhile, or (a caller's mistake) another organisation's
        raise ServiceError("该记录已被删除或不属于本机构", kind="conflict")
    return found


def _write(
    model: type[Record],
    organisation: Organisation,
    record: Record | None,
    values: dict[str, Any],
    *,
    actor: User,
    request: HttpRequest | None,
) -> Record:
    """Create or correct the record, and record that in the audit trail (新增, or 修改 with each
    changed field's old and new value: registers hold no personal data)."""
    if record is None:
        created = model._default_manager.create(organisation=organisation, **values)
        register_audit(AuditAction.CREATE, created, actor=actor, request=request)
        return created
    locked = _locked(model, organisation, record.pk)
    changed = {
        name: [_shown(getattr(locked, name)), _shown(value)]
        for name, value in values.items()
        if getattr(locked, name) != value
    }
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    if changed:
        register_audit(AuditAction.CHANGE, locked, actor=actor, request=request, changed=changed)
    return locked


def _delete(
    model: type[Record],
    organisation: Organisation,
    record: Record,
    *,
    actor: User,
    request: HttpRequest | None,
) -> None:
    locked = _locked(model, organisation, record.pk)
    pk, text = locked.pk, str(locked)
    locked.delete()
    locked.pk = pk  # the entry names the row that was deleted
    register_audit(AuditAction.DELETE, locked, actor=actor, request=request, text=text)


def register_audit(
    action: AuditAction,
    record: models.Model,
    *,
    actor: User,
    request: HttpRequest | None,
    changed: dict[str, list[Any]] | None = None,
    text: str = "",
) -> None:
    """One audit entry for a change to a register (GB/T 22239-2019 8.1.4.3: who changed the
    figures a report is built from)."""
    detail: dict[str, Any] = {"register": record._meta.model_name}
    if changed:
        detail["changed"] = changed
    audit_record(action, request=request, user=actor, obj=record, object_repr=text, detail=detail)


def _shown(value: Any) -> Any:
    """A field value as the audit log's JSON holds it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)  # dates, decimals, a linked application


def _text(value: str, field: str, label: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise ServiceError(f"请填写{label}", field=field)
    return text


def _not_future(day: dt.date, today: dt.date, field: str, label: str) -> None:
    if day > today:
        raise ServiceError(f"{label}不能晚于今天（{today:%Y-%m-%d}）", field=field)


# The same 文号 or 案号 is written with 〔〕, [], 【】 or （）, and with or without spaces.
_BRACKETS = str.maketrans("[【［(（)）]】］", "〔〔〔〔〔〕〕〕〕〕")


def _same_number(number: str) -> str:
    return "".join(number.split()).translate(_BRACKETS).upper()


# ---------------------------------------------------------------- 主动公开信息


@dataclass(frozen=True)
class ProactiveItemData:
    title: str
    published_on: dt.date
    column: str = ""
    article_item: str = ""
    url: str = ""
    is_interpretation: bool = False
    interpretation_form: str = ""


@transaction.atomic
def proactive_item_save(
    *,
    actor: User,
    organisation: Organisation,
    data: ProactiveItemData,
    today: dt.date,
    item: ProactiveItem | None = None,
    request: HttpRequest | None = None,
) -> ProactiveItem:
    """Add an item published proactively (条例第十九–二十条), or correct `item`.

    Items published in a year and the policy interpretations among them are the figures of
    一、总体情况（一）; an interpretation's form (文字/图片/视频) is what evaluators ask for."""
    require_editor(actor, organisation)
    title = _text(data.title, "title", "标题")
    _not_future(data.published_on, today, "published_on", "发布日期")
    if data.article_item and data.article_item not in ARTICLE_20_ITEMS:
        raise ServiceError("条例第二十条没有这一项", field="article_item")
    forms = ProactiveItem.Form.values
    if data.is_interpretation and data.interpretation_form not in forms:
        raise ServiceError(
            "政策解读须选择解读形式（文字、图片或视频）", field="interpretation_form"
        )
    if not data.is_interpretation and data.interpretation_form:
        raise ServiceError(
            "只有政策解读才有解读形式；请勾选“政策解读”或清空解读形式", field="interpretation_form"
        )
    values = {
        "title": title,
        "column": data.column.strip(),
        "article_item": data.article_item,
        "published_on": data.published_on,
        "url": data.url.strip(),
        "is_interpretation": data.is_interpretation,
        "interpretation_form": data.interpretation_form,
    }
    return _write(ProactiveItem, organisation, item, values, actor=actor, request=request)


@transaction.atomic
def proactive_item_delete(
    *,
    actor: User,
    organisation: Organisation,
    item: ProactiveItem,
    request: HttpRequest | None = None,
) -> None:
    require_editor(actor, organisation)
    _delete(ProactiveItem, organisation, item, actor=actor, request=request)


# ---------------------------------------------------------------- 规章和规范性文件


@dataclass(frozen=True)
class NormativeDocumentData:
    kind: str
    title: str
    issued_on: dt.date
    doc_number: str = ""
    abolished_on: dt.date | None = None


@transaction.atomic
def normative_document_save(
    *,
    actor: User,
    organisation: Organisation,
    data: NormativeDocumentData,
    today: dt.date,
    document: NormativeDocument | None = None,
    request: HttpRequest | None = None,
) -> NormativeDocument:
    """Add a 规章 or 行政规范性文件, or correct `document` (record its 废止 here too).

    Gives 本年制发 / 本年废止 / 现行有效 (at 12-31) of 表二 第二十条第（一）项. A 废止日期 after
    today is allowed: a document with a 有效期 expires on a known future day."""
    require_editor(actor, organisation)
    if data.kind not in NormativeDocument.Kind.values:
        raise ServiceError("请选择类别（规章或行政规范性文件）", field="kind")
    title = _text(data.title, "title", "名称")
    _not_future(data.issued_on, today, "issued_on", "制发日期")
    if data.abolished_on is not None and data.abolished_on < data.issued_on:
        raise ServiceError("废止日期不能早于制发日期", field="abolished_on")
    number = " ".join(data.doc_number.split())
    lock_organisation(organisation)
    if number:
        _check_doc_number_free(organisation, number, document)
    values = {
        "kind": data.kind,
        "title": title,
        "doc_number": number,
        "issued_on": data.issued_on,
        "abolished_on": data.abolished_on,
    }
    return _write(NormativeDocument, organisation, document, values, actor=actor, request=request)


def _check_doc_number_free(
    organisation: Organisation, number: str, document: NormativeDocument | None
) -> None:
    """A 文号 identifies one document of the issuing organ: a second entry would count twice."""
    others = NormativeDocument.objects.filter(organisation=organisation).exclude(doc_number="")
    if document is not None:
        others = others.exclude(pk=document.pk)
    wanted = _same_number(number)
    for other in others.only("title", "doc_number"):
        if _same_number(other.doc_number) == wanted:
            raise ServiceError(
                f"文号“{other.doc_number}”已登记（{other.title}）",
                kind="conflict",
                field="doc_number",
            )


@transaction.atomic
def normative_document_delete(
    *,
    actor: User,
    organisation: Organisation,
    document: NormativeDocument,
    request: HttpRequest | None = None,
) -> None:
    """Remove an entry made by mistake; a document that ceased to apply is abolished instead."""
    require_editor(actor, organisation)
    _delete(NormativeDocument, organisation, document, actor=actor, request=request)


# ---------------------------------------------------------------- 行政复议和行政诉讼


@dataclass(frozen=True)
class AppealData:
    kind: str
    case_number: str
    body: str
    filed_on: dt.date
    tracking_no: str = ""  # the application the case is about, if any
    result: str = ""  # blank: 尚未审结
    decided_on: dt.date | None = None


@transaction.atomic
def appeal_save(
    *,
    actor: User,
    organisation: Organisation,
    data: AppealData,
    today: dt.date,
    appeal: Appeal | None = None,
    request: HttpRequest | None = None,
) -> Appeal:
    """Add a 行政复议 or 行政诉讼 about disclosure in which the organisation is respondent, or
    record its outcome (表四, R-1): a result needs its date and a date its result."""
    require_editor(actor, organisation)
    if data.kind not in Appeal.Kind.values:
        raise ServiceError("请选择类型（行政复议或行政诉讼）", field="kind")
    case_number = _text(data.case_number, "case_number", "案号")
    body = _text(data.body, "body", "复议机关或法院")
    _not_future(data.filed_on, today, "filed_on", "受理或立案日期")
    _check_decision(data, today)
    application = _linked_application(organisation, data)
    lock_organisation(organisation)
    _check_case_number_free(organisation, case_number, appeal)
    values = {
        "kind": data.kind,
        "case_number": case_number,
        "body": body,
        "filed_on": data.filed_on,
        "application": application,
        "result": data.result,
        "decided_on": data.decided_on,
    }
    return _write(Appeal, organisation, appeal, values, actor=actor, request=request)


def _check_decision(data: AppealData, today: dt.date) -> None:
    if data.result and data.result not in Appeal.Result.values:
        raise ServiceError("审理结果只能是维持、纠正或其他", field="result")
    if data.decided_on is None:
        if data.result:
            raise ServiceError("选择了审理结果，请填写审结日期", field="decided_on")
        return
    if not data.result:
        raise ServiceError(
            "填写了审结日期，请选择审理结果（尚未审结的不填审结日期）", field="result"
        )
    if data.decided_on < data.filed_on:
        raise ServiceError("审结日期不能早于受理或立案日期", field="decided_on")
    _not_future(data.decided_on, today, "decided_on", "审结日期")


def _linked_application(organisation: Organisation, data: AppealData) -> Application | None:
    tracking_no = "".join(data.tracking_no.split()).upper()
    if not tracking_no:
        return None
    # Another organisation's application gets the same answer as a number that does not exist.
    application = Application.objects.filter(
        organisation=organisation, tracking_no=tracking_no
    ).first()
    if application is None:
        raise ServiceError(f"本机构没有申请编号为“{tracking_no}”的申请", field="application")
    if data.filed_on < application.received_on:
        raise ServiceError(
            f"受理或立案日期早于申请{tracking_no}的收到日期（{application.received_on:%Y-%m-%d}）",
            field="filed_on",
        )
    return application


def _check_case_number_free(
    organisation: Organisation, case_number: str, appeal: Appeal | None
) -> None:
    """One case is one row of 表四: entering it twice would count it twice."""
    others = Appeal.objects.filter(organisation=organisation)
    if appeal is not None:
        others = others.exclude(pk=appeal.pk)
    wanted = _same_number(case_number)
    for other in others.only("case_number"):
        if _same_number(other.case_number) == wanted:
            raise ServiceError(
                f"案号“{other.case_number}”已登记", kind="conflict", field="case_number"
            )


@transaction.atomic
def appeal_delete(
    *,
    actor: User,
    organisation: Organisation,
    appeal: Appeal,
    request: HttpRequest | None = None,
) -> None:
    """Remove a case entered by mistake or twice: it would otherwise count in 表四. Published
    reports keep their frozen figures; the next version shows the change."""
    require_editor(actor, organisation)
    _delete(Appeal, organisation, appeal, actor=actor, request=request)
