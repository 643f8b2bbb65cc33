"""适老化 large-text mode: a plain link sets a cookie and comes back (works without JavaScript)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

from gongkai.portal.cache import LARGE_TEXT_COOKIE

ONE_YEAR = 365 * 24 * 3600


@require_GET
def text_size(request: HttpRequest) -> HttpResponse:
    back = request.GET.get("next", "")
    if not back.startswith("/open/") or not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("portal:index")
    response = HttpResponseRedirect(back)
    if request.GET.get("size") == "large":
        response.set_cookie(
            LARGE_TEXT_COOKIE, "large", max_age=ONE_YEAR, samesite="Lax", httponly=True
        )
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response
