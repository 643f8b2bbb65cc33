"""The OpenAPI 3.1 document of the JSON API, composed from the parts each app documents:
the applications (`gongkai.cases.api_schema`) and the annual report (`gongkai.reports.api_schema`),
plus the document and its HTML page themselves. tests/api/test_openapi.py checks it against the
routes of `gongkai.api.urls` and against real responses.
"""

from __future__ import annotations

import copy
from functools import cache

from gongkai.cases.api_schema import UNAUTHORIZED, application_paths, application_schemas
from gongkai.cases.api_schema_base import Schema, json_content
from gongkai.reports.api_schema import REPORT_SCHEMAS, report_paths

_API_PATHS: Schema = {
    "/api/openapi.json": {
        "get": {
            "operationId": "openapi",
            "summary": "OpenAPI 文档",
            "description": "本文档（OpenAPI 3.1，JSON）。无需令牌。",
            "security": [],
            "responses": {
                "200": {"description": "OpenAPI 文档", **json_content({"type": "object"})}
            },
        },
    },
    "/api/docs": {
        "get": {
            "operationId": "docs",
            "summary": "API 说明页",
            "description": "本文档的网页版。无需令牌。",
            "security": [],
            "responses": {
                "200": {
                    "description": "HTML 页面",
                    "content": {"text/html": {"schema": {"type": "string"}}},
                }
            },
        },
    },
}


@cache
def _document() -> Schema:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "gongkai 依申请公开办理 API",
            "version": "1.1.0",
            "description": "政府信息公开工作平台的 JSON 接口：登记申请、查询台账和详情、办理各步骤，"
            "查询年度报告及其已发布的文件。"
            "认证方式：请求头 Authorization: Bearer <令牌>，令牌由管理员用 "
            "`gongkai manage create_api_token 用户名` 生成。错误响应均为 "
            '{"error": "中文说明", "field": "字段名或 null"}。日期均为 YYYY-MM-DD。',
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": {
            **application_paths(),
            **report_paths(UNAUTHORIZED),
            **_API_PATHS,
        },
        "components": {
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "gongkai manage create_api_token 生成的令牌",
                },
            },
            "schemas": {
                **application_schemas(),
                **REPORT_SCHEMAS,
            },
        },
    }


def openapi_document() -> Schema:
    """A fresh copy, so that no caller can change the cached document."""
    return copy.deepcopy(_document())
