"""The classifier's one door for the CLI and GUI: rules in the store, spans from capture, pure code in between."""

from __future__ import annotations

import logging
import threading
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from operator import attrgetter
from pathlib import Path
from typing import Protocol

from app.classify import options as opt
from app.classify.engine import STALE_DAYS, Engine, Verdict
from app.classify.learn.repository import LearnedRepository
from app.classify.learn.service import Classify, LearningService
from app.classify.preview import Preview, preview
from app.classify.proposals import ProposalOptions, ProposalSet, propose_days
from app.classify.repository import RuleRepository
from app.classify.rules import Rule
from app.classify.ruleset_file import MAX_FILE_BYTES, dumps, loads
from app.classify.suggest import Suggestion, suggest_rule
from app.domain.errors import ValidationError
from app.domain.instants import Instant, entry_span, instant, moment, period_span
from app.domain.models import Span, split_project_path
from app.domain.periods import Period
from app.domain.timefmt import utcnow
from app.files import read_text_limited, write_file
from app.settings import Settings
from app.store.db import Database
from app.store.repositories import EntryRepository
from app.store.spans import SpanStore

log = logging.getLogger(__name__)
_START = attrgetter("start")
PREVIEW_WEEKS = 4


class WouldRemoveAll(ValidationError):
    """An import of a file without rules would delete every rule the user has."""

    def __init__(self, path: Path, count: int) -> None:
        super().__init__(f"{path} holds no rules: importing it would remove all {count} of yours. "
                         "Run the import again with --replace-all if that is what you want.")
        self.count = count


class SpanSource(Protocol):
    def between(self, start: float, end: float) -> list[Span]: ...


@dataclass(frozen=True, slots=True)
class Classified:
    """The spans overlapping [start, end) in start order and the verdicts `engine` gave them."""
    start: float
    end: float
    spans: list[Span]
    verdicts: list[Verdict | None]
    engine: Engine


@dataclass(frozen=True, slots=True)
class RuleInfo:
    position: int
    """1-based, as the user sees the order."""
    rule: Rule
    last_matched: datetime | None


class ClassifierService:
    def __init__(self, rules: RuleRepository, spans: SpanSource, entries: EntryRepository, settings: Settings,
                 tz: tzinfo | None = None, learned: LearnedRepository | None = None) -> None:
        self._repo = rules
        self._spans = spans
        self._entries = entries
        self._settings = settings
        self._tz = tz
        self._engine: Engine | None = None
        self._fingerprint = ""
        self._matched: dict[str, float] = {}
        """Rules' latest matches (epoch seconds) seen by reads and not yet stored: reads never write."""
        self._matched_lock = threading.Lock()  # reads run on a pool of workers
        self.learning = LearningService(learned, spans, entries, settings, self._rules_now) if learned else None
        """Proposals learned from the user's assignments for what no rule classifies; None without a store."""

    def _rules_now(self) -> tuple[Classify, str]:
        engine = self.engine()
        return engine.classify, self._fingerprint

    def rules(self) -> list[Rule]:
        return self._repo.load()[0]

    def engine(self) -> Engine:
        """The engine for the stored rules; rebuilt (dropping its cache) whenever they changed, in any process."""
        rules, fingerprint = self._repo.load()
        if self._engine is None or fingerprint != self._fingerprint:
            self._engine = Engine(rules, self._tz)
            self._fingerprint = fingerprint
        return self._engine

    def replace_rules(self, rules: list[Rule]) -> None:
        """Check the whole ruleset, then store it in one transaction."""
        checked = loads(dumps(rules))
        self._repo.replace(checked)
        log.info("ruleset replaced: %d rules", len(checked))

    def import_file(self, path: Path, replace_all: bool = False) -> list[Rule]:
        """Replace the rules with a file's; one that holds no rules while some exist needs `replace_all`."""
        rules = loads(read_text_limited(path, MAX_FILE_BYTES, "rules file"), str(path))
        current = len(self.rules())
        if not rules and current and not replace_all:
            raise WouldRemoveAll(path, current)
        self._repo.replace(rules)
        log.info("imported %d rules from %s", len(rules), path)
        return rules

    def export_file(self, path: Path) -> int:
        rules = self.rules()
        write_file(path, dumps(rules).encode("utf-8"), "rules file")
        return len(rules)

    def listing(self) -> list[RuleInfo]:
        """The rules in order with when each last matched, counting matches seen since the last `save_pending`."""
        stats = self._repo.last_matched()
        with self._matched_lock:
            for name, epoch in self._matched.items():
                seen, stored = moment(epoch), stats.get(name.casefold())
                stats[name.casefold()] = seen if stored is None or stored < seen else stored
        return [RuleInfo(i, r, stats.get(r.name.casefold())) for i, r in enumerate(self.rules(), start=1)]

    def _matched_now(self, latest: dict[str, float]) -> None:
        with self._matched_lock:
            for name, epoch in latest.items():
                self._matched[name] = max(epoch, self._matched.get(name, epoch))

    def save_pending(self) -> None:
        """On the writer: store the match statistics and the learned model that reads collected in memory."""
        with self._matched_lock:
            matched, self._matched = self._matched, {}
        try:
            if matched:
                self._repo.record_matches(matched)
        except Exception:
            self._matched_now(matched)  # kept for the next try
            raise
        if self.learning is not None:
            self.learning.save_pending()

    def options(self) -> ProposalOptions:
        get = self._settings.snapshot().get  # one read of the table
        return ProposalOptions(float(get(opt.MERGE_GAP_SECONDS)), float(get(opt.BRIEF_INTERRUPTION_SECONDS)),
                               float(get(opt.MINIMUM_SECONDS)))

    def propose(self, period: Period, now: datetime | None = None) -> ProposalSet:
        """Proposals for a period of local days, leaving out time that timer or manual entries already hold."""
        return self.propose_between(*period_span(period, self._tz), None if now is None else instant(now))

    def propose_between(self, start: Instant, end: Instant, now: Instant | None = None) -> ProposalSet:
        return self.classified_between(start, end, now)[1]

    def classified_between(self, start: Instant, end: Instant, now: Instant | None = None,
                           known: Classified | None = None) -> tuple[Classified, ProposalSet]:
        """The spans of [start, end), their verdicts and the proposals: the review colours its timeline by the
        verdicts, so it gets them from the same pass instead of classifying twice. `known` is a part of the range
        classified just before (the day a review shows first): it is neither read nor classified again."""
        now = instant(utcnow()) if now is None else now
        engine = self.engine()
        classified = self._classified(start, end, engine, known)
        spans, verdicts = classified.spans, classified.verdicts
        result = self.proposals_for(spans, verdicts, start, end, now)
        self._matched_now(engine.last_matched(spans, verdicts))
        return classified, result

    def proposals_for(self, spans: Sequence[Span], verdicts: Sequence[Verdict | None], start: Instant,
                      end: Instant, now: Instant | None = None) -> ProposalSet:
        """Proposals for [start, end) from classified spans, day by local day, around the entries there: the one
        way every screen counts proposals and the unclassified share."""
        now = instant(utcnow()) if now is None else now
        covered = [entry_span(e, now) for e in self._entries.between(moment(start), moment(end))]
        if self.learning is not None:
            verdicts = self.learning.fill(spans, verdicts, start, end, now)
        return propose_days(spans, verdicts, self.day_bounds(start, end), covered, self.options())

    def day_bounds(self, start: Instant, end: Instant) -> list[Instant]:
        """`start`, each local midnight after it and before `end`, and `end`."""
        bounds = [start]
        day = moment(start, self._tz).date()
        while True:
            day += timedelta(days=1)
            midnight = period_span(Period(day, day), self._tz)[0]
            if midnight >= end:
                break
            bounds.append(midnight)
        return [*bounds, end]

    def _classified(self, start: Instant, end: Instant, engine: Engine, known: Classified | None) -> Classified:
        """Spans overlapping [start, end) in start order, as one read would return them; with `known` (classified
        by the same rules) only the time before and after it is read, each span coming from the part it starts in
        (a span of no length exactly on one of `known`'s bounds is left out: it holds no time)."""
        if known is None or known.engine is not engine or not start <= known.start <= known.end <= end:
            spans = self._spans.between(start, end)
            return Classified(start, end, spans, engine.classify(spans), engine)
        before = self._spans.between(start, known.start)
        after = self._spans.between(known.end, end)
        after_from = bisect_left(after, known.end, key=_START)
        known_from = bisect_left(known.spans, known.start, key=_START)
        spans = before + known.spans[known_from:]
        spans += after[after_from:]
        verdicts = engine.classify(before)
        verdicts += known.verdicts[known_from:]
        verdicts += engine.classify(after[after_from:])
        return Classified(start, end, spans, verdicts, engine)

    def preview(self, rule: Rule, now: datetime | None = None, position: int | None = None) -> Preview:
        """What `rule` would match over the last four weeks, and the unclassified share with it in place."""
        end = (now or utcnow()).astimezone(UTC)
        lo, hi = instant(end - timedelta(weeks=PREVIEW_WEEKS)), instant(end)
        spans = self._spans.between(lo, hi)
        return preview(rule, self.rules(), spans, lambda verdicts: self.proposals_for(spans, verdicts, lo, hi, hi),
                       position, self._tz)

    def stale(self, now: datetime | None = None) -> list[RuleInfo]:
        """Enabled rules that matched nothing in the last 90 days (re-checked against the captured spans)."""
        now = now or utcnow()
        spans = self._recent(now, timedelta(days=STALE_DAYS))
        engine = self.engine()
        self._matched_now(engine.last_matched(spans, engine.classify(spans)))
        cutoff = now - timedelta(days=STALE_DAYS)
        return [i for i in self.listing() if i.rule.enabled and (i.last_matched is None or i.last_matched < cutoff)]

    def suggest(self, start: datetime, end: datetime, project_path: str, task: str = "",
                now: datetime | None = None) -> tuple[Suggestion, Preview] | None:
        """A rule for the unclassified time in [start, end) the user assigns to `project_path`, with its preview."""
        client, project = split_project_path(project_path)
        lo, hi = instant(start), instant(end)
        engine = self.engine()
        assigned: dict[str, float] = {}
        picked: set[int] = set()
        window = self._spans.between(lo, hi)
        for span, verdict in zip(window, engine.classify(window), strict=True):
            if span.idle or verdict is not None:
                continue
            seconds = min(span.end, hi) - max(span.start, lo)
            if seconds > 0:
                assigned[span.title] = assigned.get(span.title, 0.0) + seconds
                picked.add(span.id)
        others: dict[str, float] = {}
        for span in self._recent(now, timedelta(weeks=PREVIEW_WEEKS)):
            if not span.idle and span.id not in picked and span.title not in assigned:
                others[span.title] = others.get(span.title, 0.0) + span.seconds
        found = suggest_rule(list(assigned.items()), list(others.items()), client, project, task)
        if found is None:
            return None
        return found, self.preview(found.rule, now)

    def _recent(self, now: datetime | None, length: timedelta) -> list[Span]:
        end = (now or utcnow()).astimezone(UTC)
        return self._spans.between(instant(end - length), instant(end))


def build_classifier(db: Database, entries: EntryRepository, settings: Settings) -> ClassifierService:
    return ClassifierService(RuleRepository(db), SpanStore(db), entries, settings, learned=LearnedRepository(db))
