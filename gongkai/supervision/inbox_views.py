"""The inbox of reminders: unread first; open one (marks it read), or mark all read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from gongkai.accounts.web import acting_user
from gongkai.supervision.inbox import inbox_for, notification_read, notifications_read_all
from gongkai.supervision.models import Notification

PAGE = 200


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    notes = list(inbox_for(user)[:PAGE])
    unread = sum(1 for note in notes if note.read_at is None)
    return render(request, "supervision/inbox_list.html", {"notes": notes, "unread": unread})


@login_required
@require_POST
def read(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(Notification, pk=pk, user=acting_user(request))
    notification_read(note=note)
    if (
        request.POST.get("open")
        and note.link
        and url_has_allowed_host_and_scheme(note.link, allowed_hosts={request.get_host()})
    ):
        return redirect(note.link)
    return redirect("supervision:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    notifications_read_all(user=acting_user(request))
    return redirect("supervision:inbox")
