"""Checks a request against Xero's own OpenAPI document (vendored unchanged in `specs/xero/`).

Bodies are validated with jsonschema + referencing against the operation's request schema (the spec's circular
`$ref`s resolve lazily). The spec sets no `additionalProperties`, so a misspelt field would pass plain validation;
`unknown_fields` reports every property the schema does not define, and query parameters are checked against the
operation's declared parameters.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SPEC_DIR = Path(__file__).with_name("specs") / "xero"
_URI = "urn:xero:accounting"


@functools.cache
def spec() -> dict[str, Any]:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with (SPEC_DIR / "xero_accounting.yaml").open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=loader)


@functools.cache
def _registry() -> Registry:
    return Registry().with_resource(_URI, Resource.from_contents(spec(), default_specification=DRAFT7))


@functools.cache
def _validator(pointer: str) -> Draft7Validator:
    return Draft7Validator({"$ref": f"{_URI}#{pointer}"}, registry=_registry())


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        node: Any = spec()
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def _operation(method: str, path: str) -> tuple[str, dict[str, Any]]:
    for template, item in spec()["paths"].items():
        pattern = "^" + re.sub(r"\{[^/]+\}", "[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in item:
            return template, item[method.lower()]
    raise KeyError(f"{method} {path} is not in the Xero Accounting API")


def request_problems(method: str, path: str, query: dict[str, str], body: Any) -> list[str]:
    """Everything about this request the spec does not allow; empty when it conforms."""
    try:
        template, operation = _operation(method, path)
    except KeyError as exc:
        return [str(exc)]
    allowed = {_resolve(p)["name"] for p in operation.get("parameters", []) if _resolve(p)["in"] == "query"}
    problems = [f"query parameter '{name}' is not defined for {method} {template}" for name in query
                if name not in allowed]
    request_body = operation.get("requestBody")
    if request_body is None:
        return problems + (["this operation takes no body"] if body is not None else [])
    if body is None:
        return [*problems, "the body is missing"]
    if "application/octet-stream" in request_body["content"]:
        return problems + ([] if isinstance(body, bytes) and body else ["the body must be the file's bytes"])
    if isinstance(body, bytes):
        return [*problems, f"{method} {template} takes JSON, not raw bytes"]
    ref = request_body["content"]["application/json"]["schema"]["$ref"]
    pointer = ref.lstrip("#")
    problems += [f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}"
                 for e in _validator(pointer).iter_errors(body)]
    problems += unknown_fields(body, {"$ref": ref})
    return problems


def unknown_fields(value: Any, schema: dict[str, Any], where: str = "") -> list[str]:
    schema = _resolve(schema)
    found: list[str] = []
    if isinstance(value, dict) and "properties" in schema:
        for key, item in value.items():
            if key not in schema["properties"]:
                found.append(f"{where or '(body)'}: '{key}' is not a field of this object in the spec")
            else:
                found += unknown_fields(item, schema["properties"][key], f"{where}/{key}")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += unknown_fields(item, schema["items"], f"{where}/{index}")
    return found
