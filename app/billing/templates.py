"""Line descriptions: a template per grouping, or the user's own, filled from the line's entries."""

from __future__ import annotations

from decimal import Decimal

from app.billing.terms import InvoiceOptions
from app.domain.errors import ValidationError
from app.domain.invoices import Grouping, LineKind

FIELDS = ("client", "project", "task", "task_label", "description", "what", "person", "day", "period")

DEFAULT_TEMPLATES: dict[Grouping, str] = {
    Grouping.ENTRY: "{day} · {project} · {what}",
    Grouping.TASK: "{project} · {task_label}",
    Grouping.PROJECT: "{project}",
    Grouping.PERSON: "{person} · {project}",
    Grouping.DAY: "{day} · {project}",
    Grouping.SUMMARY: "{project}: services {period}",
}


def check_template(template: str) -> str:
    """The template if every `{field}` in it is known; otherwise an error listing the fields."""
    try:
        template.format_map(dict.fromkeys(FIELDS, ""))
    except (KeyError, IndexError, ValueError) as exc:
        raise ValidationError(
            f"'{template}' is not a description template: unknown or broken field {exc}. "
            f"Fields: {', '.join('{' + f + '}' for f in FIELDS)}"
        ) from None
    return template


def describe(fields: dict[str, str], kind: LineKind, options: InvoiceOptions, factor: Decimal, reason: str) -> str:
    """The description of one line; multiplied time says which multiplier applied and by how much."""
    values = {**fields, "task_label": fields["task"] or "General"}
    values["what"] = values["description"] or values["task_label"]
    if kind is LineKind.FIXED_FEE:
        return f"Fixed fee: {values['project']}"
    if kind is LineKind.WITHIN_FEE:
        return f"{values['project']}: hours within the fixed fee"
    if kind is LineKind.OVERAGE:
        text = f"Overage: {values['project']}"
    else:
        text = check_template(options.template or DEFAULT_TEMPLATES[options.grouping]).format_map(values)
    return f"{text} ({reason} ×{factor.normalize():f})" if reason else text
