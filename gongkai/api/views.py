"""The API's own pages: the OpenAPI document and its HTML rendering (no token needed)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from gongkai.api import docs as api_docs
from gongkai.api.schema import openapi_document
from gongkai.cases.api import json_response


@require_GET
def openapi(request: HttpRequest) -> HttpResponse:
    return json_response(openapi_document())


@require_GET
def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html", api_docs.docs_context())
