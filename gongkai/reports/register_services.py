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
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from gongkai.accounts.access import roles_in
from gongkai.accounts.models import Organisation
from gongkai.audit.actions import AuditAction
from gongkai.audit.services import audit_record
from gongkai.cases.models import Application
from gongkai.cases.services import ServiceError
from gongkai.domain import catalogue
from gongkai.reports import catalogue_rules
from gongkai.reports.models import Appeal, NormativeDocument, ProactiveItem
from gongkai.reports.services import EDITORS  # 经办人, 审核人, 管理员: as for the narrative
from gongkai.reports.signals import register_changed

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
        if getattr(locked, name) != value and name not in _DERIVED
    }
    for name, value in values.items():
        setattr(locked, name, value)
    locked.save(update_fields=list(values))
    if changed:
        register_audit(AuditAction.CHANGE, locked, actor=actor, request=request, changed=changed)
    return locked


_DERIVED = frozenset({"search_text"})  # copied from the audited fields: not logged twice


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
    organisation = getattr(record, "organisation", None)
    if organisation is not None:
        # The 专栏 shows the catalogue and the documents: its cached pages go once this commits.
        transaction.on_commit(
            lambda: register_changed.send(sender=type(record), organisation=organisation)
        )


def _shown(value: Any) -> Any:
    """A field value as the audit log's JSON holds it."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, models.Model):
        return str(value.pk)
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
    # The catalogue entry (公开目录, 条例第十二条); all optional, so the register's old shape holds.
    index_no: str = ""  # blank: the next one of the organisation's rule is given
    publisher: str = ""  # blank: the organisation
    written_on: dt.date | None = None
    doc_number: str = ""
    topic: str = ""
    genre: str = ""
    validity: str = catalogue.VALID
    validity_changed_on: dt.date | None = None
    replacement: str = ""
    summary: str = ""
    body: str = ""
    interprets_index_no: str = ""  # the 索引号 of the policy document an interpretation explains
    attachment_name: str = ""
    attachment_content: bytes | None = None  # None: keep the attachment as it is
    remove_attachment: bool = False


# An item may be entered ahead of its 发布日期: it goes public on that day (catalogue selectors),
# so a release can be prepared. A year ahead is the most any office schedules.
MAX_SCHEDULE_DAYS = 366


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
    一、总体情况（一）; an interpretation's form (文字/图片/视频) is what evaluators ask for. The
    item is also the catalogue entry of the 专栏: it is public from its 发布日期 on."""
    require_editor(actor, organisation)
    title = _text(data.title, "title", "标题")
    if data.published_on > today + dt.timedelta(days=MAX_SCHEDULE_DAYS):
        raise ServiceError("发布日期最多只能提前一年安排", field="published_on")
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
    _check_catalogue_dates(data)
    catalogue_rules.check_classification(data.topic, data.genre, data.validity)
    suffix = ""
    if data.attachment_content is not None:
        suffix = catalogue_rules.check_attachment(data.attachment_name, data.attachment_content)
    lock_organisation(organisation)
    rule = catalogue_rules.index_rule(organisation)
    index_no = "".join(data.index_no.split()).upper()
    if index_no:
        catalogue_rules.check_index_no(organisation, rule, index_no, item)
    elif item is not None and item.index_no:
        index_no = item.index_no  # a 索引号 once given stays: bookmarks and the URL depend on it
    else:
        year = (data.written_on or data.published_on).year
        index_no = catalogue_rules.next_index_no(organisation, rule, data.topic, year)
    number = " ".join(data.doc_number.split())
    values: dict[str, Any] = {
        "title": title,
        "column": data.column.strip(),
        "article_item": data.article_item,
        "published_on": data.published_on,
        "url": data.url.strip(),
        "is_interpretation": data.is_interpretation,
        "interpretation_form": data.interpretation_form,
        "index_no": index_no,
        "publisher": " ".join(data.publisher.split()) or organisation.name,
        "written_on": data.written_on,
        "doc_number": number,
        "topic": data.topic,
        "genre": data.genre,
        "validity": data.validity,
        "validity_changed_on": data.validity_changed_on,
        "replacement": " ".join(data.replacement.split()),
        "summary": data.summary.strip(),
        "body": data.body.strip(),
        "interprets": _interpreted(organisation, data, item),
        "search_text": catalogue_rules.search_text(
            title, number, index_no, data.summary, data.body
        ),
    }
    saved = _write(ProactiveItem, organisation, item, values, actor=actor, request=request)
    _store_attachment(saved, data, suffix)
    return saved


def _check_catalogue_dates(data: ProactiveItemData) -> None:
    if data.written_on is not None and data.written_on > data.published_on:
        raise ServiceError("成文日期不能晚于发布日期", field="written_on")
    ended = catalogue.validity(data.validity).ended if data.validity in _VALIDITIES else False
    if data.validity != catalogue.VALID and data.validity_changed_on is None and ended:
        raise ServiceError("废止或失效的文件须填写有效性变更日期", field="validity_changed_on")
    if data.validity == catalogue.VALID and (data.validity_changed_on or data.replacement):
        raise ServiceError(
            "有效的文件不填变更日期和替代文件；已废止、失效或修改的请选择相应有效性",
            field="validity",
        )
    if data.validity_changed_on and data.written_on and data.validity_changed_on < data.written_on:
        raise ServiceError("有效性变更日期不能早于成文日期", field="validity_changed_on")


_VALIDITIES = frozenset(catalogue.validity_table().codes)


def _interpreted(
    organisation: Organisation, data: ProactiveItemData, item: ProactiveItem | None
) -> ProactiveItem | None:
    """The policy item an interpretation explains, by its 索引号 (条例第二十条: 解读 with the policy)."""
    wanted = "".join(data.interprets_index_no.split()).upper()
    if not wanted:
        return None
    if not data.is_interpretation:
        raise ServiceError("只有政策解读才能关联所解读的文件", field="interprets_index_no")
    policy = ProactiveItem.objects.filter(organisation=organisation, index_no=wanted).first()
    if policy is None:
        raise ServiceError(f"本机构没有索引号为“{wanted}”的信息", field="interprets_index_no")
    if item is not None and policy.pk == item.pk:
        raise ServiceError("解读不能关联它自己", field="interprets_index_no")
    if policy.is_interpretation:
        raise ServiceError("所解读的应是政策文件，不是另一篇解读", field="interprets_index_no")
    return policy


def _store_attachment(item: ProactiveItem, data: ProactiveItemData, suffix: str) -> None:
    if data.attachment_content is not None:
        if item.attachment:
            item.attachment.delete(save=False)
        name = data.attachment_name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
        item.attachment.save(f"{item.index_no}{suffix}", ContentFile(data.attachment_content),
                             save=False)  # fmt: skip
        item.attachment_name = name
        item.save(update_fields=["attachment", "attachment_name"])
    elif data.remove_attachment and item.attachment:
        item.attachment.delete(save=False)
        item.attachment_name = ""
        item.save(update_fields=["attachment", "attachment_name"])


@transaction.atomic
def proactive_item_withdraw(
    *,
    actor: User,
    organisation: Organisation,
    item: ProactiveItem,
    reason: str,
    request: HttpRequest | None = None,
) -> ProactiveItem:
    """Take an item off the public catalogue, keeping who, when and why (the entry stays in the
    register: it was published, and the annual report counts it)."""
    require_editor(actor, organisation)
    why = _text(reason, "reason", "撤回原因")
    locked = _locked(ProactiveItem, organisation, item.pk)
    if locked.withdrawn_at is not None:
        raise ServiceError("这条信息已经撤回", kind="conflict")
    locked.withdrawn_at = timezone.now()
    locked.withdrawn_by = actor
    locked.withdrawn_reason = why
    locked.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawn_reason"])
    register_audit(
        AuditAction.CHANGE,
        locked,
        actor=actor,
        request=request,
        changed={"withdrawn_reason": ["", why]},
    )
    return locked


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
    validity: str = ""  # blank: 废止 when there is an 废止日期, else 有效
    amended_on: dt.date | None = None
    replacement: str = ""


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
    validity = _document_validity(data)
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
        "validity": validity,
        "amended_on": data.amended_on if validity == "amended" else None,
        "replacement": " ".join(data.replacement.split()),
    }
    return _write(NormativeDocument, organisation, document, values, actor=actor, request=request)


def _document_validity(data: NormativeDocumentData) -> str:
    """有效性 consistent with the 废止日期 the report counts: 废止 and 失效 are dated by it, 有效 and
    已修改 have none (a future 废止日期 is a 有效期: shown 有效 until that day)."""
    validity = data.validity or ("repealed" if data.abolished_on else catalogue.VALID)
    if validity not in _VALIDITIES:
        raise ServiceError("有效性只能是有效、废止、失效或已修改", field="validity")
    ended = catalogue.validity(validity).ended
    if ended and data.abolished_on is None:
        raise ServiceError("废止或失效的文件须填写废止日期", field="abolished_on")
    if not ended and data.abolished_on is not None:
        raise ServiceError("填写了废止日期，有效性应为废止或失效", field="validity")
    if validity == "amended" and data.amended_on is None:
        raise ServiceError("已修改的文件须填写修改日期", field="amended_on")
    if data.amended_on is not None and data.amended_on < data.issued_on:
        raise ServiceError("修改日期不能早于制发日期", field="amended_on")
    return validity


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
