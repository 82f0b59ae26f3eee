"""Classification at read time: raw spans in, one verdict per span out, rules tried once per distinct window.

Captured spans are never rewritten, so a better rule fixes the past simply by being run again. A year holds
hundreds of thousands of spans but only thousands of distinct (app, exe, title) keys; the text conditions run
once per key, and only rules limited to certain weekdays or hours are checked per span.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from app.classify.rules import CompiledRule, Outcome, Rule, compile_rule, needles, url_of
from app.domain.models import Span


@dataclass(frozen=True, slots=True, eq=False)
class Verdict:
    """The rule that claimed a span, what the span becomes, and why. The engine makes one per rule and outcome,
    so identity is equality (and hashing it, done per captured piece, stays cheap). A learned verdict (see
    `classify.learn`) has no rule (`rule_index` -1) and a `confidence` from 0 to 1."""

    rule_index: int
    rule: str
    outcome: Outcome
    why: str
    confidence: float | None = None

    @property
    def learned(self) -> bool:
        return self.rule_index < 0


Choice = tuple[tuple[tuple[CompiledRule, Verdict], ...], Verdict | None]
"""Time-limited candidates tried in order, then the verdict when none of them admits the span's instant."""
_FOLD_FIXES = {0x131: "i", 0x307: None}
"""Case-folded text still differs from what a case-insensitive regex accepts for ASCII letters in two places:
dotless ı matches `i`, and İ folds to `i` plus a combining dot. Mapping both keeps substring screening
from ever rejecting a window the rule's own matcher would accept (it may accept a few more; those get tested)."""


GRAM = 3


@dataclass(frozen=True, slots=True)
class _Screen:
    """The substrings that make rules worth running, for one position of (raw + folded) window values:
    indexed by their first three characters, so a window costs a lookup per trigram of its text rather
    than a substring test (let alone a regex search) per rule."""

    position: int
    short: tuple[tuple[str, int], ...]
    by_gram: dict[str, tuple[tuple[str, int], ...]]

    def candidates(self, value: str, out: list[int]) -> None:
        """Append the rules whose substring `value` holds; a rule may be appended more than once."""
        out += [k for text, k in self.short if text in value]
        if len(value) < GRAM:
            return
        get = self.by_gram.get
        for i in range(len(value) - GRAM + 1):
            found = get(value[i:i + GRAM])
            if found is not None:
                out += [k for text, k in found if text in value]


def _screens(compiled: Sequence[CompiledRule]) -> tuple[tuple[int, ...], tuple[_Screen, ...]]:
    """Rules that must always run, and the screens for the others (see `rules.needles`)."""
    always: list[int] = []
    by_position: dict[int, list[tuple[str, int]]] = {}
    for k, rule in enumerate(compiled):
        found = needles(rule.rule)
        if found is None:
            always.append(k)
            continue
        for index, text, sensitive in found:
            by_position.setdefault(index + (0 if sensitive else 4), []).append((text, k))
    screens = []
    for position, pairs in sorted(by_position.items()):
        grams: dict[str, list[tuple[str, int]]] = {}
        for text, k in pairs:
            if len(text) >= GRAM:
                grams.setdefault(text[:GRAM], []).append((text, k))
        short = tuple((t, k) for t, k in pairs if len(t) < GRAM)
        screens.append(_Screen(position, short, {g: tuple(v) for g, v in grams.items()}))
    return tuple(always), tuple(screens)


class Engine:
    """Ordered rules, first match wins. Build a new engine when the rules change: the cache goes with it."""

    def __init__(self, rules: Sequence[Rule], tz: tzinfo | None = None) -> None:
        self.rules = tuple(rules)
        self._compiled = tuple(compile_rule(r, i) for i, r in enumerate(self.rules) if r.enabled)
        self._always, self._screens = _screens(self._compiled)
        self._tz = tz or datetime.now().astimezone().tzinfo
        self._cache: dict[tuple[str, str, str], Choice] = {}
        self._outcomes: dict[Outcome, Outcome] = {}
        self._verdicts: dict[tuple[int, Outcome], Verdict] = {}

    @property
    def cached_keys(self) -> int:
        return len(self._cache)

    def classify_window(self, app: str, exe: str, title: str, moment: float | None = None) -> Verdict | None:
        """The verdict for one window; `moment` (epoch seconds) is needed only by rules with time limits."""
        timed, final = self._choice(app, exe, title)
        if timed and moment is not None:
            local = datetime.fromtimestamp(moment, self._tz)
            for compiled, verdict in timed:
                if compiled.allows(local):
                    return verdict
        return final

    def classify(self, spans: Sequence[Span]) -> list[Verdict | None]:
        """One verdict (or None: unclassified) per span, in the same order. Idle spans get None."""
        cache = self._cache
        choose = self._choice
        tz = self._tz
        out: list[Verdict | None] = []
        append = out.append
        for span in spans:
            if span.idle:
                append(None)
                continue
            choice = cache.get((span.app, span.exe, span.title))
            if choice is None:
                choice = choose(span.app, span.exe, span.title)
            timed, final = choice
            if timed:
                local = datetime.fromtimestamp(span.start, tz)
                for compiled, verdict in timed:
                    if compiled.allows(local):
                        final = verdict
                        break
            append(final)
        return out

    def last_matched(self, spans: Sequence[Span], verdicts: Sequence[Verdict | None]) -> dict[str, float]:
        """For each rule name, the end of the latest span it claimed (epoch seconds)."""
        latest: dict[str, float] = {}
        for span, verdict in zip(spans, verdicts, strict=True):
            if verdict is not None and span.end > latest.get(verdict.rule, 0.0):
                latest[verdict.rule] = span.end
        return latest

    def _choice(self, app: str, exe: str, title: str) -> Choice:
        key = (app, exe, title)
        found = self._cache.get(key)
        if found is not None:
            return found
        raw = (app, exe, title, url_of(app, exe, title))
        low = (raw[0].casefold(), raw[1].casefold(), raw[2].casefold(), raw[3].casefold())
        folded = low if all(v.isascii() for v in raw) else tuple(v.translate(_FOLD_FIXES) for v in low)
        timed: list[tuple[CompiledRule, Verdict]] = []
        final: Verdict | None = None
        hay = raw + folded
        candidates = list(self._always)
        for screen in self._screens:
            screen.candidates(hay[screen.position], candidates)
        for k in sorted(set(candidates)):
            compiled = self._compiled[k]
            captures = compiled.test(raw, low)
            if captures is None:
                continue
            verdict = self._verdict(compiled, compiled.outcome_for(captures))
            if compiled.rule.timed:
                timed.append((compiled, verdict))
            else:
                final = verdict
                break
        choice: Choice = (tuple(timed), final)
        self._cache[key] = choice
        return choice

    def _verdict(self, compiled: CompiledRule, outcome: Outcome) -> Verdict:
        """Equal outcomes share one object, so proposals compare them cheaply and memory stays flat."""
        outcome = self._outcomes.setdefault(outcome, outcome)
        key = (compiled.index, outcome)
        verdict = self._verdicts.get(key)
        if verdict is None:
            verdict = self._verdicts[key] = Verdict(compiled.index, compiled.rule.name, outcome, compiled.why)
        return verdict


STALE_DAYS = 90
"""Enabled rules that matched nothing for this many days are reported as stale (`ClassifierService.stale`)."""
