"""整改 pages: the supervisor's task list (overdue ones stand out), the new-task form (prefilled
from GET: the scorecard links here), a task with its log and the forms its viewer may use; the
organisation's tasks."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongkai.accounts.errors import ServiceError
from gongkai.accounts.models import Organisation
from gongkai.accounts.web import acting_user, show_refusal
from gongkai.cases.calendar import calendar_for
from gongkai.cases.forms import DateInput
from gongkai.domain.rectification import Party, SourceKind, TaskAction, TaskStatus
from gongkai.supervision.access import get_supervised_root, supervised_organisations
from gongkai.supervision.models import RectificationTask
from gongkai.supervision.rectification import (
    TaskInput,
    actions_for,
    internal_url,
    party_of,
    rectification_answer,
    rectification_close,
    rectification_confirm,
    rectification_open,
    rectification_return,
    rectification_withdraw,
    tasks_of,
    tasks_of_government,
)

DEFAULT_DEADLINE_WORKDAYS = 15  # a suggestion; the supervisor sets the deadline
PREFILL = ("source_kind", "source_ref", "source_url", "organisation", "title", "detail")


@login_required
@require_GET
def task_list(request: HttpRequest, code: str) -> HttpResponse:
    root = get_supervised_root(request.user, code)
    today = timezone.localdate()
    organisations = supervised_organisations(root)
    tasks = tasks_of_government(root)
    status = request.GET.get("status", "")
    if status == "open":
        tasks = tasks.exclude(status__in=[TaskStatus.CLOSED, TaskStatus.WITHDRAWN])
    elif status == "overdue":
        tasks = tasks.filter(
            status__in=[TaskStatus.ASSIGNED, TaskStatus.RETURNED], deadline__lt=today
        )
    elif status in {s.value for s in TaskStatus}:
        tasks = tasks.filter(status=status)
    org = request.GET.get("org", "")
    if org:
        tasks = tasks.filter(organisation__code=org)
    rows = [(t, t.overdue(today)) for t in tasks[:1000]]
    # Overdue first (they must stand out), then by deadline.
    rows.sort(key=lambda r: (not r[1], r[0].deadline is None, r[0].deadline or today, r[0].pk))
    context = {
        "root": root,
        "rows": rows,
        "organisations": organisations,
        "statuses": list(TaskStatus),
        "status": status,
        "org": org,
        "overdue_count": sum(1 for _, late in rows if late),
        "current": "supervision",
    }
    return render(request, "supervision/rectification_list.html", context)


class NewTaskForm(forms.Form):
    organisation = forms.ChoiceField(label="整改单位")
    source_kind = forms.ChoiceField(
        label="问题来源", choices=[(k.value, k.label) for k in SourceKind]
    )
    title = forms.CharField(label="问题", max_length=200)
    detail = forms.CharField(
        label="问题描述及整改要求", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    source_ref = forms.CharField(label="来源标识", max_length=200, required=False)
    source_url = forms.CharField(label="来源链接", max_length=500, required=False)
    deadline = forms.DateField(label="整改期限", required=False, widget=DateInput())
    assign = forms.BooleanField(label="登记后立即交办", required=False, initial=True)

    def __init__(self, *args: object, organisations: list[Organisation], **kwargs: object):
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["organisation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "请选择")] + [(o.code, o.name) for o in organisations]


@login_required
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, code: str) -> HttpResponse:
    root = get_supervised_root(request.user, code)
    organisations = supervised_organisations(root)
    if request.method == "POST":
        form = NewTaskForm(request.POST, organisations=organisations)
        if form.is_valid():
            data = form.cleaned_data
            target = next(o for o in organisations if o.code == data["organisation"])
            try:
                task = rectification_open(
                    by=acting_user(request),
                    government=root,
                    data=TaskInput(
                        organisation=target,
                        source_kind=data["source_kind"],
                        title=data["title"],
                        detail=data["detail"],
                        source_ref=data["source_ref"],
                        source_url=data["source_url"],
                        deadline=data["deadline"],
                    ),
                    assign=data["assign"],
                    request=request,
                )
            except ServiceError as exc:
                if exc.kind == "forbidden":
                    show_refusal(request, exc)
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "已登记整改任务")
                return redirect("supervision:rectification_task", task.pk)
    else:
        initial: dict[str, object] = {k: request.GET[k] for k in PREFILL if k in request.GET}
        initial["assign"] = True
        initial["deadline"] = calendar_for(root).add_workdays(
            timezone.localdate(), DEFAULT_DEADLINE_WORKDAYS
        )
        form = NewTaskForm(initial=initial, organisations=organisations)
    url = str(form["source_url"].value() or "")
    context = {
        "root": root,
        "form": form,
        # Only a link inside gongkai is shown: the form's values may come from anyone's link.
        "source_link": url if internal_url(url) else "",
        "current": "supervision",
    }
    return render(request, "supervision/rectification_new.html", context)


def _visible_task(request: HttpRequest, pk: int) -> tuple[RectificationTask, Party]:
    task = (
        RectificationTask.objects.select_related("organisation", "government").filter(pk=pk).first()
    )
    if task is None:
        raise Http404("没有找到该整改任务")
    party = party_of(acting_user(request), task)
    # Not yet confirmed, a task is the supervising office's draft: the organisation sees it
    # once it is sent (交办).
    if party is None or (party is Party.ORGANISATION and task.status == TaskStatus.FOUND):
        raise Http404("没有找到该整改任务")
    return task, party


@login_required
@require_GET
def task(request: HttpRequest, pk: int) -> HttpResponse:
    found, party = _visible_task(request, pk)
    today = timezone.localdate()
    context = {
        "task": found,
        "party": party.value,
        "overdue": found.overdue(today),
        "source_link": found.source_url if internal_url(found.source_url) else "",
        "steps": found.steps.all(),
        "actions": [a.value for a in actions_for(acting_user(request), found)],
        "current": "supervision" if party is Party.SUPERVISOR else "",
    }
    return render(request, "supervision/rectification_task.html", context)


class ActForm(forms.Form):
    note = forms.CharField(required=False, max_length=5000)
    deadline = forms.DateField(required=False)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    found, _ = _visible_task(request, pk)
    try:
        chosen = TaskAction(action)
    except ValueError:
        raise Http404("没有该操作") from None
    form = ActForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请检查填写的内容（日期格式：年-月-日）")
        return redirect("supervision:rectification_task", found.pk)
    note, deadline = form.cleaned_data["note"], form.cleaned_data["deadline"]
    by = acting_user(request)
    try:
        match chosen:
            case TaskAction.CONFIRM:
                rectification_confirm(
                    by=by, task=found, deadline=deadline, note=note, request=request
                )
            case TaskAction.ANSWER:
                rectification_answer(by=by, task=found, answer=note, request=request)
            case TaskAction.CLOSE:
                rectification_close(by=by, task=found, note=note, request=request)
            case TaskAction.RETURN:
                rectification_return(
                    by=by, task=found, reason=note, deadline=deadline, request=request
                )
            case TaskAction.WITHDRAW:
                rectification_withdraw(by=by, task=found, reason=note, request=request)
            case _:
                raise Http404("没有该操作")
    except ServiceError as exc:
        show_refusal(request, exc)
    else:
        messages.success(request, f"已{chosen.label}")
    return redirect("supervision:rectification_task", found.pk)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    tasks = tasks_of(acting_user(request)).order_by("deadline", "id")[:1000]
    context = {"rows": [(t, t.overdue(today)) for t in tasks]}
    return render(request, "supervision/rectification_mine.html", context)
