"""Capture-group substitution: a regex's groups fill `$1`-style references in a rule's task and description."""

from __future__ import annotations

import re

from app.classify.rules.conditions import Captures

_REF = re.compile(r"\$(?:(\d)|\{(\d+)\}|(\$))")


def template_refs(template: str) -> list[int]:
    return [int(m.group(1) or m.group(2)) for m in _REF.finditer(template) if not m.group(3)]


def expand(template: str, captures: Captures) -> str:
    """`$1`…`$9`, `${12}` become capture groups (empty when absent); `$$` is a dollar sign."""
    if "$" not in template:
        return template

    def sub(m: re.Match[str]) -> str:
        if m.group(3):
            return "$"
        n = int(m.group(1) or m.group(2))
        return captures[n - 1] if 0 < n <= len(captures) else ""

    return " ".join(_REF.sub(sub, template).split())
