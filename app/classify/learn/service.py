"""Learning's door for the classifier, the CLI and the GUI: the model kept in the local database, rebuilt from
the entries of the last `HORIZON_DAYS` whenever they changed, and the learned verdicts for unclassified spans."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from app.classify.engine import Verdict
from app.classify.learn.history import Piece, examples, lessons, reaches
from app.classify.learn.model import REJECTED, Key, Label, Model
from app.classify.learn.repository import LearnedRepository
from app.classify.learn.rule import LearnedRule, smallest_rule
from app.classify.options import LEARNING
from app.classify.rules import Outcome
from app.domain.errors import ValidationError
from app.domain.instants import Instant, instant, moment
from app.domain.models import Span, split_project_path
from app.domain.timefmt import utcnow
from app.settings import Settings
from app.store.repositories import EntryRepository

log = logging.getLogger(__name__)
HORIZON_DAYS = 90
_UNSEEN = Verdict(-1, "", Outcome(), "")
"""Marks a window not looked up yet (None means looked up, nothing learned)."""
Classify = Callable[[Sequence[Span]], list[Verdict | None]]


class SpanSource(Protocol):
    def between(self, start: float, end: float) -> list[Span]: ...


@dataclass(frozen=True, slots=True)
class LearningStatus:
    enabled: bool
    built_at: str | None
    windows: int
    projects: int
    assigned_seconds: float
    forgotten_before: float

    @property
    def sentence(self) -> str:
        """What `timetally learn status` and the rules editor say."""
        if not self.enabled:
            return "Learning from your assignments is off (classify.learning in Preferences → Classification)."
        if not self.windows:
            return "Nothing learned yet: entries you make over captured activity teach learned proposals."
        minutes = round(self.assigned_seconds / 60)
        return (f"Learned on this computer from {minutes // 60} h {minutes % 60:02d} min you assigned, over "
                f"{self.windows} windows, on {self.projects} project{'s' if self.projects != 1 else ''}.")


def label_of(project_path: str, task: str = "") -> Label:
    client, project = split_project_path(project_path)
    return client, project, task


class LearningService:
    def __init__(self, repo: LearnedRepository, spans: SpanSource, entries: EntryRepository, settings: Settings,
                 rules: Callable[[], tuple[Classify, str]]) -> None:
        self._repo = repo
        self._spans = spans
        self._entries = entries
        self._settings = settings
        self._rules = rules
        self._model: Model | None = None
        self._fingerprint = ""
        self._verdicts: dict[tuple[str, ...], Verdict | None] = {}
        self._outcomes: dict[Label, Outcome] = {}
        self._unsaved: tuple[str, Model, datetime] | None = None
        """A model built on a read, kept until a writer stores it (fingerprint, model, built at)."""
        self._taught: tuple[str, dict[Piece, dict[Key, float]]] = ("", {})
        """What each entry taught, for the rules and day it was read with: after an entry changes, only its own
        spans are read again (a review reloads after every accept)."""

    @property
    def enabled(self) -> bool:
        return self._settings.snapshot().get(LEARNING)

    def model(self, now: Instant | None = None) -> Model | None:
        """The model for the current entries (None with learning off): from memory, from the database, or built."""
        if not self.enabled:
            return None
        now = instant(utcnow()) if now is None else now
        classify, rules = self._rules()
        day = moment(now).date()
        fingerprint = f"{self._repo.fingerprint()}|{rules}|{day}"
        if self._model is not None and fingerprint == self._fingerprint:
            return self._model
        stored = self._repo.load()
        model = Model.loads(stored[1]) if stored and stored[0] == fingerprint else None
        if model is None:
            model = Model.build(self._lessons(now, classify, f"{rules}|{day}"))
            self._unsaved = (fingerprint, model, utcnow())  # reads never write: `save_pending` stores it
            log.info("learned from %d windows on %d projects", len(model.windows), len(model.labels) - 1)
        self._model, self._fingerprint, self._verdicts = model, fingerprint, {}
        return model

    def _lessons(self, now: Instant, classify: Classify, generation: str) -> list[tuple[Key, Label, float, int]]:
        start = max(now - HORIZON_DAYS * 86_400, self._repo.forgotten_before())
        pieces: list[Piece] = [
            (max(instant(e.start), start), instant(e.end), label_of(e.project_path, e.task_name), e.id)
            for e in self._entries.between(moment(start), moment(now)) if e.end is not None and e.project_path]
        pieces += [(s, e, REJECTED, -ident) for s, e, _, ident in self._repo.rejections(start, now)]
        known = self._taught[1] if self._taught[0] == generation else {}
        taught = {p: known[p] for p in pieces if p in known}
        missing = sorted(p for p in pieces if p not in taught)
        for a, b in reaches(missing):
            spans = self._spans.between(a, b)
            taught.update(lessons(spans, classify(spans), [p for p in missing if a <= p[0] < b]))
        self._taught = (generation, taught)
        return examples(taught)

    def fill(self, spans: Sequence[Span], verdicts: Sequence[Verdict | None], start: float, end: float,
             now: Instant | None = None) -> list[Verdict | None]:
        """The rule verdicts with learned ones for the unclassified spans the model is sure enough about; rules
        always win, and a range the user rejected for a project is not proposed to it again. Hot: a busy week
        is 600,000 spans, so a span's window is read as one slice and runs of one window share one lookup."""
        out = list(verdicts)
        model = self.model(now)
        if model is None or not model.table:
            return out
        rejected = self._repo.rejections(start, end)
        get = self._verdicts.get
        seen: tuple[str, ...] = ()
        learned: Verdict | None = None
        for n, span in enumerate(spans):
            if out[n] is not None or span[5]:  # a rule's verdict, or idle
                continue
            window = span[2:5]  # app, title, exe
            if window != seen:
                seen = window
                learned = get(window, _UNSEEN)
                if learned is _UNSEEN:
                    learned = self._verdict(model, window)
            if learned is not None and not (rejected and _rejected(span, learned, rejected)):
                out[n] = learned
        return out

    def _verdict(self, model: Model, window: tuple[str, ...]) -> Verdict | None:
        app, title, exe = window
        guess = model.guess(app, exe, title)
        verdict = None
        if guess is not None:
            client, project, task = guess.label
            outcome = self._outcomes.setdefault(guess.label, Outcome(client=client, project=project, task=task))
            verdict = Verdict(-1, "", outcome, guess.why, guess.confidence)
        self._verdicts[window] = verdict
        return verdict

    def reject(self, start: Instant, end: Instant, label: Label) -> None:
        self._repo.reject(start, end, label)

    def forget(self, now: datetime | None = None) -> None:
        """Clear the model and rejections; only what the user assigns from now on teaches again."""
        self._repo.forget(instant(now or utcnow()))
        self._model, self._fingerprint, self._verdicts, self._unsaved = None, "", {}, None

    def save_pending(self) -> None:
        """Store the model a read built, so the next start (or another process) need not build it again."""
        unsaved, self._unsaved = self._unsaved, None
        if unsaved is not None:
            self._repo.save(unsaved[0], unsaved[1].dumps(), unsaved[2])

    def status(self) -> LearningStatus:
        model = self.model()
        unsaved = self._unsaved
        built_at = unsaved[2].isoformat() if unsaved else self._repo.built_at()
        return LearningStatus(self.enabled, built_at if model else None,
                              len(model.windows) if model else 0,
                              len(model.labels) - 1 if model else 0,
                              model.assigned_seconds if model else 0.0, self._repo.forgotten_before())

    def rule_for(self, label: Label, seen: Sequence[str] = ()) -> LearnedRule:
        """The smallest rule covering what the user put on `label` (and the titles `seen` in a proposal)."""
        model = self.model()
        if model is None:
            raise ValidationError("Learning is off, so there is nothing to make a rule from "
                                  "(turn on classify.learning).")
        mine, others = model.assignments(label)
        mine += [(("", "", title), 1.0) for title in seen if title]
        name = " / ".join(p for p in label if p) + " (learned)"
        found = smallest_rule(label, mine, others, name)
        if found is None:
            raise ValidationError(f"Nothing you put on {name.removesuffix(' (learned)')} sets it apart from time "
                                  "you put elsewhere, so no rule can cover it without claiming other work.")
        return found


def _rejected(span: Span, verdict: Verdict, rejected: Sequence[tuple[float, float, Label, int]]) -> bool:
    o = verdict.outcome
    return any(lo < span.end and span.start < hi and label == (o.client, o.project, o.task)
               for lo, hi, label, _ in rejected)
