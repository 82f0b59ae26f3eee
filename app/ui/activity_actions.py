"""What the Activity page's context menu does with captured spans, on the real services: assign their active time
to a project, create a rule from them, exclude their application from capture. Each returns the sentence to show;
the page runs them on the write worker."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from app.classify.rules import Condition, Field, Group, Matcher, Outcome, Rule
from app.core import Core
from app.domain.models import Project, Span
from app.domain.timefmt import format_duration, utcnow


def active_pieces(spans: Sequence[Span]) -> list[tuple[datetime, datetime]]:
    """The spans' active (not idle) time as ranges, touching spans joined."""
    pieces: list[tuple[float, float]] = []
    for span in sorted((s for s in spans if not s.idle), key=lambda s: s.start):
        if pieces and span.start <= pieces[-1][1]:
            pieces[-1] = (pieces[-1][0], max(span.end, pieces[-1][1]))
        else:
            pieces.append((span.start, span.end))
    return [(datetime.fromtimestamp(a, UTC), datetime.fromtimestamp(b, UTC)) for a, b in pieces]


@dataclass
class ActivityActions:
    core: Core

    def projects(self) -> list[Project]:
        return self.core.projects.projects()

    def assign(self, spans: Sequence[Span], project: Project) -> str:
        pieces = active_pieces(spans)
        self.core.review.assign_pieces(pieces, project.id, now=utcnow())
        seconds = round(sum((b - a).total_seconds() for a, b in pieces))
        return f"Assigned {format_duration(seconds)} to {project.path}; it is in the review as a draft."

    def rule_from(self, span: Span, project: Project) -> str:
        """The rule the classifier suggests for the span's title, or else one for its application."""
        classifier = self.core.classifier
        found = classifier.suggest(datetime.fromtimestamp(span.start, UTC), datetime.fromtimestamp(span.end, UTC),
                                   project.path)
        rule = found[0].rule if found else Rule(
            f"{span.app} → {project.path}", Group("all", (Condition(Field.APP, Matcher.EQUALS, span.app),)),
            Outcome(client=project.client_name, project=project.name))
        classifier.replace_rules([*classifier.rules(), rule])
        return f'Rule "{rule.name}" added last; from now on such time is proposed for {project.path}.'

    def exclude_app(self, app: str) -> str:
        settings = self.core.settings
        pattern = f"^{re.escape(app)}$"
        patterns = list(settings.get("capture.exclude_apps"))
        if pattern not in patterns:
            settings.set("capture.exclude_apps", [*patterns, pattern])
        return (f"{app} is no longer recorded (Preferences → Capture lists it). What was recorded stays until "
                "you delete it.")
