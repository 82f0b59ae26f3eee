"""Checks QuickBooks JSON against Intuit's XSDs (vendored unchanged in specs/quickbooks/).

Intuit's JSON uses the XSD element names (PascalCase) as keys and the attributes (`sparse`, `domain`, `status`) as
keys too; an element of simple content with attributes (a `ReferenceType`) is `{"value": ..., "name": ...}`; an
element that may repeat is a list. Every key must be an element or attribute of the type, every list must be
allowed to repeat, and every value must be valid for its simple type (enumerations, dates, decimals, booleans).
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema
from xmlschema.validators import XsdComplexType, XsdElement, XsdType

SPEC = Path(__file__).parent / "specs" / "quickbooks" / "IntuitRestServiceDef.xsd"


@cache
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SPEC))


@cache
def _children(xsd_type: XsdComplexType) -> dict[str, XsdElement]:
    return {e.local_name: e for e in xsd_type.content.iter_elements()}


def entity_names() -> set[str]:
    """The elements that may stand for `IntuitObject` (a batch item's entity)."""
    return {name for name, e in schema().elements.items()
            if e.substitution_group and e.substitution_group.endswith("IntuitObject")}


def problems(element: str, value: Any) -> list[str]:
    """What is wrong with `value` as the JSON of the global element `element`; empty when it is valid."""
    decl = schema().elements.get(element)
    if decl is None:
        return [f"{element}: no such element in Intuit's schema"]
    return _check(decl.type, value, element)


def type_problems(type_name: str, value: Any) -> list[str]:
    """The same for a value of the named complex type (a batch item's envelope)."""
    return _check(schema().types[type_name], value, type_name)


def _check(xsd_type: XsdType, value: Any, where: str) -> list[str]:
    if xsd_type.is_simple():
        return _simple(xsd_type, value, where)
    assert isinstance(xsd_type, XsdComplexType)
    if not isinstance(value, dict):
        return [f"{where}: expected an object, got {type(value).__name__}"]
    attributes = xsd_type.attributes
    if xsd_type.has_simple_content():
        found = [f"{where}.{k}: not an attribute of {xsd_type.local_name}" for k in value
                 if k != "value" and k not in attributes]
        if "value" not in value:
            return [*found, f"{where}: a reference needs 'value'"]
        return found + _simple(xsd_type.content, value["value"], f"{where}.value")
    children = _children(xsd_type)
    found: list[str] = []
    for key, item in value.items():
        if key in attributes:
            found += _simple(attributes[key].type, item, f"{where}.{key}")
        elif key in children:
            found += _element(children[key], item, f"{where}.{key}")
        else:
            found.append(f"{where}.{key}: not an element of {xsd_type.local_name or where}")
    return found


def _element(decl: XsdElement, value: Any, where: str) -> list[str]:
    repeats = decl.max_occurs is None or decl.max_occurs > 1
    if isinstance(value, list):
        if not repeats:
            return [f"{where}: occurs at most once, got a list"]
        return [p for i, v in enumerate(value) for p in _check(decl.type, v, f"{where}[{i}]")]
    if repeats and not decl.type.is_simple():
        return [f"{where}: may repeat, so it must be a list"]
    return _check(decl.type, value, where)


def _simple(xsd_type: XsdType, value: Any, where: str) -> list[str]:
    if isinstance(value, dict | list) or value is None:
        return [f"{where}: expected a plain value of type {xsd_type.local_name}"]
    text = ("true" if value else "false") if isinstance(value, bool) else str(value)
    if isinstance(value, float | int | Decimal) and not isinstance(value, bool):
        base = _primitive(xsd_type)
        if base in ("boolean", "date", "dateTime"):
            return [f"{where}: {value!r} is not a {base}"]
    if not xsd_type.is_valid(text):
        enumeration = getattr(xsd_type, "enumeration", None)
        allowed = f" (one of {', '.join(map(str, enumeration))})" if enumeration else ""
        return [f"{where}: {text!r} is not a valid {xsd_type.local_name or 'value'}{allowed}"]
    return []


def _primitive(xsd_type: XsdType) -> str:
    primitive = getattr(xsd_type, "primitive_type", None)
    return str(getattr(primitive, "local_name", "") or "")
