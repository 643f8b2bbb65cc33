"""The API's own pages: the OpenAPI document and its HTML rendering (no token needed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.api import docs as api_docs
from gongkai.api.core import openapi_document


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", api_docs.docs_context())
