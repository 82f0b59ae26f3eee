"""A rule offered when the user assigns unclassified time by hand: built from what sets those titles apart.

Candidates are the repository names, domains and document names in the assigned titles (and, failing those,
plain words). Each is scored by how much of the assigned time it covers and how little other time it would
also catch, so "Visual Studio Code" loses to "acme-web" even though both appear in every title.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.classify.rules import HOST, Condition, Field, Group, Matcher, Outcome, Rule

_SEPARATORS = re.compile(r"\s+[-—–|·•:]\s+|\s*[\[\]()]\s*")
_FORGES = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sr.ht")
_DOCUMENT = re.compile(
    r"[\w][\w .,'&()-]{0,80}?\.(?:docx?|xlsx?|pptx?|odt|ods|odp|pdf|md|txt|rtf|csv|key|pages|numbers|fig|psd|sketch)\b",
    re.I,
)
_REPOSITORY = re.compile(r"^[A-Za-z0-9][\w.]*[-_][\w.-]*[A-Za-z0-9]$")
_WORD = re.compile(r"[A-Za-z][\w.-]{2,}")
_KIND_RANK = {"repository": 0, "domain": 1, "document": 2, "segment": 3, "word": 4}
_FILE_EXT = re.compile(r"\.\w{1,5}$")


@dataclass(frozen=True, slots=True)
class Suggestion:
    rule: Rule
    token: str
    kind: str
    """repository, domain, document, segment or word."""
    coverage: float
    """Share of the assigned time whose titles hold the token."""
    elsewhere_seconds: float
    """Other captured time the rule would also catch."""


def candidates(title: str) -> dict[str, str]:
    """Distinctive tokens of one title and their kind."""
    found: dict[str, str] = {}
    for m in HOST.finditer(title):
        host, _, path = m.group(0).partition("/")
        host = host.split(":", 1)[0].lower()
        found.setdefault(host, "domain")
        parts = [p for p in path.split("/") if p]
        if host in _FORGES and len(parts) >= 2:
            found[parts[1]] = "repository"
    for m in _DOCUMENT.finditer(title):
        name = m.group(0).strip()
        found.setdefault(name, "document")
        found.pop(name.lower(), None)
    for segment in _SEPARATORS.split(title):
        segment = segment.strip(" *•-—–|·:")
        if not 3 <= len(segment) <= 60 or segment in found:
            continue
        if _REPOSITORY.match(segment) and not _FILE_EXT.search(segment):
            found[segment] = "repository"
        elif " " in segment:
            found.setdefault(segment, "segment")
    for word in _WORD.findall(title):
        word = word.rstrip(".-")
        if len(word) >= 3 and word not in found:
            found[word] = "repository" if _REPOSITORY.match(word) and not _FILE_EXT.search(word) else "word"
    return found


def _weigh(titles: Iterable[tuple[str, float]], tokens: Iterable[str]) -> dict[str, float]:
    """Seconds of the titles that contain each token (case-insensitive)."""
    wanted = [(t, t.casefold()) for t in tokens]
    out = dict.fromkeys((t for t, _ in wanted), 0.0)
    for title, seconds in titles:
        low = title.casefold()
        for token, needle in wanted:
            if needle in low:
                out[token] += seconds
    return out


def suggest_rule(
    assigned: Sequence[tuple[str, float]],
    others: Sequence[tuple[str, float]],
    client: str,
    project: str,
    task: str = "",
) -> Suggestion | None:
    """The best single `title contains` rule for the assigned (title, seconds), or None if nothing stands out."""
    total = sum(s for _, s in assigned)
    if total <= 0:
        return None
    kinds: dict[str, str] = {}
    for title, _ in assigned:
        for token, kind in candidates(title).items():
            if _KIND_RANK[kind] < _KIND_RANK.get(kinds.get(token, "word"), 9) or token not in kinds:
                kinds[token] = kind
    if not kinds:
        return None
    inside = _weigh(assigned, kinds)
    outside = _weigh(others, kinds)

    def score(token: str) -> tuple[float, int, int]:
        precision = inside[token] / (inside[token] + outside[token])
        return (inside[token] / total) * precision, -_KIND_RANK[kinds[token]], len(token)

    best = max(kinds, key=score)
    if score(best)[0] < 0.2:
        return None
    condition = Condition(Field.TITLE, Matcher.CONTAINS, best)
    outcome = Outcome(client=client, project=project, task=task)
    rule = Rule(f"{client}/{project}: {best}", Group("all", (condition,)), outcome)
    return Suggestion(rule, best, kinds[best], inside[best] / total, outside[best])
