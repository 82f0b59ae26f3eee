"""The learned model: seconds of assigned time per (window feature, client / project / task), and the guess it
makes for a window no rule classifies. Pure Python on the standard library: counting and a weighted vote over a
few features per window needs no numerical library, costs nothing at start-up and nothing in the bundle.

Each feature votes for the labels in proportion to the time the user put on them; a feature's vote weighs by how
decided it is (a repository seen only on one project weighs much, an e-mail client seen on every project nothing),
and a feature seen only briefly is doubted (`PRIOR_SECONDS` of unknown time are added to what it saw). Rejected
proposals teach a label of their own (`REJECTED`) that is never proposed, so a rejection makes its windows less
decided. An application the user never assigned counts as a fully decided vote for nothing, so a title word it
shares with assigned windows ("Mozilla" in Thunderbird and Firefox) does not carry it alone.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.classify.learn.features import APP, DOMAIN, EXE, REPOSITORY, TICKET, WINDOW, WORD, describe, features, kind_of

Label = tuple[str, str, str]
"""Client, project, task."""
Key = tuple[str, str, str]
"""Application, executable, title: one distinct window."""
REJECTED: Label = ("", "", "")
PRIOR_SECONDS = 240.0
DECIDED = 0.5
"""A feature whose leading label holds no more than this share of its time has no vote."""
THRESHOLD = 0.75
"""Least confidence for a learned proposal."""
VERSION = 1
_SPECIFIC = (TICKET, REPOSITORY, DOMAIN, WINDOW, WORD, EXE, APP)


def _specific(feature: str) -> int:
    """Features that weigh about the same explain a guess in this order: a ticket prefix before a word."""
    return _SPECIFIC.index(kind_of(feature))


@dataclass(frozen=True, slots=True)
class Guess:
    label: Label
    confidence: float
    why: str


@dataclass(slots=True)
class _Cell:
    seconds: float
    entries: set[int]
    window: int
    window_seconds: float


class Model:
    """Built from examples (`build`) or read back from the database (`loads`); answers `guess` per window."""

    def __init__(self, labels: list[Label], windows: list[tuple[Key, dict[int, float]]],
                 table: dict[str, list[tuple[int, float, int, int]]]) -> None:
        self.labels = labels
        self.windows = windows
        """Each distinct window the user assigned, with seconds per label index."""
        self.table = table
        """Per feature: (label index, seconds, entries, index of the window that best shows it)."""
        self._votes: dict[str, tuple[float, dict[int, float]]] = {}
        self._guesses: dict[Key, Guess | None] = {}

    @classmethod
    def build(cls, examples: Iterable[tuple[Key, Label, float, int]]) -> Model:
        """From (window, label, seconds, entry id): each piece of an entry over a captured window. The counts hold
        no reference cycles, so cyclic collection is paused meanwhile: its passes over a year's hundred thousand
        small objects took half the time."""
        collecting = gc.isenabled()
        gc.disable()
        try:
            return cls._build(examples)
        finally:
            if collecting:
                gc.enable()

    @classmethod
    def _build(cls, examples: Iterable[tuple[Key, Label, float, int]]) -> Model:
        label_index: dict[Label, int] = {REJECTED: 0}
        per_window: dict[Key, dict[int, tuple[float, set[int]]]] = {}
        for key, label, seconds, entry in examples:
            index = label_index.setdefault(label, len(label_index))
            cells = per_window.setdefault(key, {})
            before = cells.get(index)
            if before is None:
                cells[index] = (seconds, {entry})
            else:
                before[1].add(entry)
                cells[index] = (before[0] + seconds, before[1])
        windows: list[tuple[Key, dict[int, float]]] = []
        table: dict[str, dict[int, _Cell]] = {}
        for n, (key, cells) in enumerate(per_window.items()):
            windows.append((key, {index: seconds for index, (seconds, _) in cells.items()}))
            for feature in features(*key):
                row = table.setdefault(feature, {})
                for index, (seconds, entries) in cells.items():
                    cell = row.get(index)
                    if cell is None:
                        row[index] = _Cell(seconds, set(entries), n, seconds)
                        continue
                    cell.seconds += seconds
                    cell.entries |= entries
                    if seconds > cell.window_seconds:
                        cell.window, cell.window_seconds = n, seconds
        return cls(list(label_index), windows, {
            feature: [(label, c.seconds, len(c.entries), c.window) for label, c in row.items()]
            for feature, row in table.items()})

    def dumps(self) -> str:
        return json.dumps({"version": VERSION, "labels": self.labels,
                           "windows": [[list(key), list(cells.items())] for key, cells in self.windows],
                           "table": self.table}, separators=(",", ":"))

    @classmethod
    def loads(cls, text: str) -> Model | None:
        """None for a body of another version or one that does not read (it is rebuilt)."""
        try:
            data: dict[str, Any] = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("version") != VERSION:
            return None
        return cls([tuple(label) for label in data["labels"]],
                   [(tuple(key), {int(k): v for k, v in cells}) for key, cells in data["windows"]],
                   {f: [tuple(cell) for cell in row] for f, row in data["table"].items()})

    @property
    def assigned_seconds(self) -> float:
        return sum(s for _, cells in self.windows for label, s in cells.items() if label)

    def _vote(self, feature: str) -> tuple[float, dict[int, float]] | None:
        """The feature's weight and its share of time per label (unknown time included), or None when unseen."""
        found = self._votes.get(feature)
        if found is None:
            row = self.table.get(feature)
            if row is None:
                return None
            total = sum(seconds for _, seconds, _, _ in row) + PRIOR_SECONDS
            shares = {label: seconds / total for label, seconds, _, _ in row}
            lead = max(shares.values())
            weight = ((lead - DECIDED) / (1 - DECIDED)) ** 2 if lead > DECIDED else 0.0
            found = self._votes[feature] = (weight, shares)
        return found

    def guess(self, app: str, exe: str, title: str) -> Guess | None:
        """The label for a window when its features agree strongly enough, with a sentence saying why."""
        key = (app, exe, title)
        if key in self._guesses:
            return self._guesses[key]
        scores: dict[int, float] = {}
        total = 0.0
        votes: list[tuple[str, float, dict[int, float]]] = []
        for feature in features(app, exe, title):
            vote = self._vote(feature)
            if vote is None and kind_of(feature) in (APP, EXE):
                total += 1.0  # an application never assigned: what its title shares with others proves little
            if vote is None or not vote[0]:
                continue
            weight, shares = vote
            total += weight
            votes.append((feature, weight, shares))
            for label, share in shares.items():
                scores[label] = scores.get(label, 0.0) + weight * share
        guess = None
        if scores:
            best = max(scores, key=lambda label: scores[label])
            confidence = scores[best] / total
            if best and confidence >= THRESHOLD:
                strength = {f: weight * shares.get(best, 0.0) for f, weight, shares in votes}
                strongest = max(strength.values())
                feature = min((f for f, x in strength.items() if x >= 0.85 * strongest), key=_specific)
                guess = Guess(self.labels[best], round(confidence, 3), self._why(feature, best))
        self._guesses[key] = guess
        return guess

    def _why(self, feature: str, label: int) -> str:
        row = self.table[feature]
        _, seconds, entries, window = next(cell for cell in row if cell[0] == label)
        share = seconds / sum(s for _, s, _, _ in row)
        title = self.windows[window][0][2] or self.windows[window][0][0]
        name = " / ".join(p for p in self.labels[label] if p)
        times = f"{entries} time{'s' if entries != 1 else ''}"
        said = f"like '{title}', which you put on {name} {times}"
        if kind_of(feature) == WINDOW:
            return said
        return f"{said}; {describe(feature)} went there {share:.0%} of the time"

    def assignments(self, label: Label) -> tuple[list[tuple[Key, float]], list[tuple[Key, float]]]:
        """The windows the user put on `label` and those they put elsewhere, with their seconds."""
        index = self.labels.index(label) if label in self.labels else -1
        mine, others = [], []
        for key, cells in self.windows:
            if cells.get(index):
                mine.append((key, cells[index]))
            rest = sum(s for n, s in cells.items() if n not in (index, 0))
            if rest:
                others.append((key, rest))
        return mine, others
