"""Forms of the register screens. They check the shape of the input and hand the services a
data object; the services decide whether it makes sense (a `ServiceError` naming a field is put
back on that field by `gongkai.cases.forms.add_service_error`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from gongkai.cases.forms import DateInput
from gongkai.domain import catalogue
from gongkai.reports.models import Appeal, EnforcementFigures, NormativeDocument, ProactiveItem
from gongkai.reports.register_figures import (
    FEES_PLACES,
    MAX_XLSX_BYTES,
    FiguresData,
)
from gongkai.reports.register_services import (
    ARTICLE_20_ITEMS,
    AppealData,
    NormativeDocumentData,
    ProactiveItemData,
)

NONE = ("", "—")


class RecordForm(forms.Form):
    """A form of one register entry: its fields from a record, its data for the service."""

    @staticmethod
    def initial_of(record: Any) -> dict[str, Any]:
        raise NotImplementedError

    def to_data(self) -> Any:
        raise NotImplementedError


class ProactiveItemForm(RecordForm):
    title = forms.CharField(label="标题", max_length=300)
    published_on = forms.DateField(label="发布日期", widget=DateInput())
    column = forms.CharField(label="栏目", max_length=100, required=False)
    article_item = forms.ChoiceField(
        label="条例第二十条项目",
        required=False,
        choices=[NONE, *((key, f"{key}{label}") for key, label in ARTICLE_20_ITEMS.items())],
    )
    url = forms.URLField(
        label="网址",
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url"}),  # styled as the other text inputs
    )
    is_interpretation = forms.BooleanField(label="是政策解读", required=False)
    interpretation_form = forms.ChoiceField(
        label="解读形式",
        required=False,
        choices=[NONE, *ProactiveItem.Form.choices],
        help_text="仅政策解读填写：文字、图片（图解）或视频（音视频）",
    )

    # The catalogue entry of the 专栏 (公开目录, 条例第十二条).
    index_no = forms.CharField(
        label="索引号", max_length=40, required=False, help_text="不填则按本机构索引号规则自动生成"
    )
    publisher = forms.CharField(
        label="发布机构", max_length=100, required=False, help_text="不填即本机构"
    )
    written_on = forms.DateField(
        label="成文日期",
        required=False,
        widget=DateInput(),
        help_text="用于计算公开时限（20个工作日）",
    )
    doc_number = forms.CharField(label="文号", max_length=100, required=False)
    topic = forms.ChoiceField(label="主题分类", required=False, choices=[NONE])
    genre = forms.ChoiceField(label="体裁", required=False, choices=[NONE])
    validity = forms.ChoiceField(
        label="有效性", required=False, choices=[], initial=catalogue.VALID
    )
    validity_changed_on = forms.DateField(
        label="有效性变更日期",
        required=False,
        widget=DateInput(),
        help_text="废止、失效或修改的日期",
    )
    replacement = forms.CharField(
        label="替代或修改文件", max_length=300, required=False, help_text="名称及文号"
    )
    summary = forms.CharField(
        label="内容概述", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(label="正文", required=False, widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(
        label="正文附件", required=False, help_text="PDF 或 Word（.docx），不超过10MB"
    )
    remove_attachment = forms.BooleanField(label="删除已有附件", required=False)
    interprets_index_no = forms.CharField(
        label="所解读文件的索引号", max_length=40, required=False, help_text="仅政策解读填写"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["topic"].choices = [NONE, *catalogue.topics().items]  # type: ignore[attr-defined]
        fields["genre"].choices = [NONE, *catalogue.genres().items]  # type: ignore[attr-defined]
        fields["validity"].choices = list(catalogue.validity_table().items)  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(item: ProactiveItem) -> dict[str, Any]:
        names = [n for n in ProactiveItemForm.base_fields if hasattr(item, n) and n != "attachment"]
        initial = forms.model_to_dict(item, fields=names)
        initial["interprets_index_no"] = item.interprets.index_no if item.interprets else ""
        return initial

    def to_data(self) -> ProactiveItemData:
        data = dict(self.cleaned_data)
        data["validity"] = data["validity"] or catalogue.VALID
        upload = data.pop("attachment", None)
        if upload:
            data["attachment_name"] = upload.name or ""
            data["attachment_content"] = upload.read()
        return ProactiveItemData(**data)


class NormativeDocumentForm(RecordForm):
    kind = forms.ChoiceField(label="类别", choices=NormativeDocument.Kind.choices)
    title = forms.CharField(label="名称", max_length=300)
    doc_number = forms.CharField(
        label="文号", max_length=100, required=False, help_text="例如：宛政办〔2024〕1号"
    )
    issued_on = forms.DateField(label="制发日期", widget=DateInput())
    abolished_on = forms.DateField(
        label="废止日期", required=False, widget=DateInput(), help_text="现行有效的不填"
    )
    validity = forms.ChoiceField(
        label="有效性", required=False, choices=[], help_text="不选：有废止日期的为废止，否则有效"
    )
    amended_on = forms.DateField(
        label="修改日期", required=False, widget=DateInput(), help_text="仅“已修改”填写"
    )
    replacement = forms.CharField(
        label="替代或修改文件", max_length=300, required=False, help_text="名称及文号"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [NONE, *catalogue.validity_table().items]
        self.fields["validity"].choices = choices  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(document: NormativeDocument) -> dict[str, Any]:
        return forms.model_to_dict(document, fields=list(NormativeDocumentForm.base_fields))

    def to_data(self) -> NormativeDocumentData:
        return NormativeDocumentData(**self.cleaned_data)


class AppealForm(RecordForm):
    kind = forms.ChoiceField(label="类型", choices=Appeal.Kind.choices)
    case_number = forms.CharField(label="案号", max_length=100)
    body = forms.CharField(label="复议机关或法院", max_length=100)
    filed_on = forms.DateField(label="受理或立案日期", widget=DateInput())
    application = forms.CharField(
        label="关联申请编号",
        max_length=40,
        required=False,
        help_text="因本机关答复的申请引起的，填写申请编号，例如 WCBGS-2024-0001",
    )
    result = forms.ChoiceField(
        label="审理结果",
        required=False,
        choices=[("", "尚未审结"), *Appeal.Result.choices],
    )
    decided_on = forms.DateField(
        label="审结日期", required=False, widget=DateInput(), help_text="尚未审结的不填"
    )

    @staticmethod
    def initial_of(appeal: Appeal) -> dict[str, Any]:
        initial = forms.model_to_dict(appeal, fields=list(AppealForm.base_fields))
        initial["application"] = appeal.application.tracking_no if appeal.application else ""
        return initial

    def to_data(self) -> AppealData:
        data = dict(self.cleaned_data)
        data["tracking_no"] = data.pop("application")
        return AppealData(**data)


class FiguresForm(forms.Form):
    """One year's figures; the year is the page's, sent along hidden."""

    year = forms.IntegerField(widget=forms.HiddenInput())
    licensing = forms.IntegerField(label="行政许可处理决定数量", min_value=0)
    penalty = forms.IntegerField(label="行政处罚处理决定数量", min_value=0)
    coercion = forms.IntegerField(label="行政强制处理决定数量", min_value=0)
    fees = forms.DecimalField(
        label="行政事业性收费金额（万元）",
        min_value=0,
        max_digits=14,
        decimal_places=FEES_PLACES,
        help_text="单位万元，最多4位小数；没有收费的填0",
    )

    @staticmethod
    def initial_of(figures: EnforcementFigures | None, year: int) -> dict[str, Any]:
        if figures is None:
            return {"year": year}
        return forms.model_to_dict(figures, fields=list(FiguresForm.base_fields))

    def to_data(self) -> FiguresData:
        return FiguresData(**self.cleaned_data)


class FiguresUploadForm(forms.Form):
    file = forms.FileField(label="Excel 工作簿（.xlsx）")

    def clean_file(self) -> UploadedFile[bytes]:
        # Refused before it is read into memory; the service applies the same limit.
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_XLSX_BYTES:
            raise forms.ValidationError("文件过大（上限5MB）")
        return upload
