"""pydantic's validation errors as the API's refusals: one message in Chinese naming one field.

The client gets the first problem of the request, unknown members first (as a form would refuse
them before reading the rest), then in the order the schema declares its members; the field is
the member's dotted path in the body (`applicant.id_number`) or the query parameter's name.
"""

from __future__ import annotations

import json
import types
from dataclasses import dataclass
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo


@dataclass(frozen=True)
class Refusal:
    message: str
    field: str | None
    status: int = 422


@dataclass(frozen=True)
class Problem:
    """One pydantic error with where it is: `path` are member names from the top of the body
    (or the query parameter), `parent` the schema holding the last member."""

    source: str  # "body", "query" or "path"
    path: tuple[str, ...]
    kind: str
    message: str
    value: Any
    context: dict[str, Any]
    parent: type[BaseModel] | None
    discriminator: str | None = None


def refusal(problems: list[Problem]) -> Refusal:
    first = min(problems, key=lambda p: 0 if p.kind in _FIRST else 1)
    return _refusal(first)


_FIRST = {"extra_forbidden", "union_tag_invalid", "union_tag_not_found"}


def _refusal(p: Problem) -> Refusal:
    name = ".".join(p.path)
    if p.source == "body" and not p.path and p.kind == "missing":
        return Refusal("请求体不是有效的 JSON（请求体为空）", None, 400)
    if p.kind == "union_tag_not_found":
        key = p.discriminator or "action"
        return Refusal(f"缺少必填字段：{key}（操作）", key)
    if p.kind == "union_tag_invalid":
        key = p.discriminator or "action"
        tags = "、".join(t.strip(" '") for t in str(p.context.get("expected_tags", "")).split(","))
        shown = _shown(p.value.get(key) if isinstance(p.value, dict) else p.value)
        return Refusal(f"未知的操作：{shown}（可选：{tags}）", key)
    if p.kind == "missing" or (p.value is None and p.kind not in ("extra_forbidden",)):
        description = _description(p)
        return Refusal(
            f"缺少必填字段：{name}" + (f"（{description}）" if description else ""), name
        )
    if p.kind == "extra_forbidden":
        shown_name = ".".join((*p.path[:-1], _cut(p.path[-1])))
        allowed = "、".join(p.parent.model_fields) if p.parent else ""
        suffix = f"（可用字段：{allowed}）" if allowed else ""
        return Refusal(f"未知字段：{shown_name}{suffix}", name[:100])
    return Refusal(f"{name} {_what_is_wrong(p)}", name)


def _what_is_wrong(p: Problem) -> str:
    shown = _shown(p.value)
    if p.kind == "string_type":
        return f"应为字符串，实际为 {shown}"
    if p.kind in ("int_type", "int_from_float", "int_parsing"):
        return f"应为整数，实际为 {shown}"
    if p.kind in ("bool_type", "bool_parsing"):
        return f"应为 true 或 false，实际为 {shown}"
    if p.kind in ("model_type", "model_attributes_type", "dict_type"):
        return "应为 JSON 对象"
    if p.kind in ("list_type",):
        return "应为数组"
    if p.kind == "iso_date" or p.kind.startswith("date_"):
        return f"应为 YYYY-MM-DD 格式的有效日期，实际为 {shown}"
    if p.kind == "string_too_long":
        return f"过长（最多{p.context.get('max_length')}个字符）"
    if p.kind == "greater_than_equal":
        return f"应不小于 {p.context.get('ge')}，实际为 {shown}"
    if p.kind == "less_than_equal":
        return f"应不大于 {p.context.get('le')}，实际为 {shown}"
    if p.kind == "literal_error":
        expected = str(p.context.get("expected", "")).replace(" or ", ", ").split(",")
        choices = "、".join(e.strip(" '") for e in expected)
        return f"无效：{shown}（可选：{choices}）"
    # Our own checks (gongkai.cases.api_types) already say it in Chinese.
    return p.message


def _description(p: Problem) -> str:
    if p.parent is None or not p.path:
        return ""
    member: FieldInfo | None = p.parent.model_fields.get(p.path[-1])
    return (member.description or "") if member else ""


def _shown(value: Any) -> str:
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = str(value)
    return _cut(text)


def _cut(text: str) -> str:
    return text if len(text) <= 40 else text[:40] + "…"


# ---------------------------------------------------------------- walking the schemas


def models_of(annotation: Any) -> list[type[BaseModel]]:
    """The schemas an annotation stands for: one, the variants of a union, or none."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return models_of(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [m for arg in get_args(annotation) for m in models_of(arg)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def discriminator_of(info: FieldInfo) -> str | None:
    found = info.discriminator
    if isinstance(found, str):
        return found
    for meta in info.metadata:
        if isinstance(getattr(meta, "discriminator", None), str):
            return str(meta.discriminator)
    return None


def locate(
    model: type[BaseModel], loc: tuple[Any, ...]
) -> tuple[tuple[str, ...], type[BaseModel] | None, str | None]:
    """The member path of a pydantic `loc` under a ninja parameter model, without the parameter's
    own name, the union tag and list indexes; the schema holding the last member; and the
    discriminator when the body is a union."""
    names = [part for part in loc if isinstance(part, str)]
    if not names or names[0] not in model.model_fields:
        return tuple(names), model, None
    info = model.model_fields[names[0]]
    candidates = models_of(info.annotation)
    if not candidates:
        # A flat parameter (query or path): its own name is the field.
        return tuple(names), model, None
    rest = names[1:]
    discriminator = discriminator_of(info) if len(candidates) > 1 else None
    current: type[BaseModel] | None = candidates[0]
    if discriminator is not None:
        current = None
        if rest:
            tag, rest = rest[0], rest[1:]
            current = _variant(candidates, discriminator, tag)
    path: list[str] = []
    parent = current
    for name in rest:
        parent = current
        path.append(name)
        member = current.model_fields.get(name) if current is not None else None
        inner = models_of(member.annotation) if member is not None else []
        current = inner[0] if inner else None
    return tuple(path), parent, discriminator


def _variant(
    candidates: list[type[BaseModel]], discriminator: str, tag: str
) -> type[BaseModel] | None:
    for candidate in candidates:
        member = candidate.model_fields.get(discriminator)
        if member is not None and tag in get_args(member.annotation):
            return candidate
    return None
