"""Learned proposals benchmark: seeded weeks of realistic activity with ground truth, scored as the user would see
them, and the cost of learning and proposing.

    .venv/bin/python bench/learn.py [--seed 7] [--weeks 4]

Five clients (the fifth starts in week 3) with their own repositories, ticket prefixes, sites, documents and
meetings; shared applications (editor, terminal, browser, office, video calls); generic windows (mail, chat, shared
documents) that belong to whichever client is being worked on; personal browsing in the breaks; new file names,
tickets and documents every week.

The user assigns week 1 by hand (one entry per stretch of work, over the ground truth), with no rules; weeks 2-4
are proposed and scored: the share of active time proposed to the right project, to a wrong one, and left
unclassified, overall and per kind of window. Then again with every earlier week assigned. Timed: learning a
year of assignments, and proposing a week with learning (warm, end to end through SQLite).
Targets: >= 85 % right and <= 2 % wrong after one week; learning a year < 1 s; proposing a week < 100 ms warm.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["TZ"] = "UTC"
time.tzset()

from app.classify.learn.features import features  # noqa: E402
from app.classify.learn.history import examples, lessons  # noqa: E402
from app.classify.learn.model import Model  # noqa: E402
from app.classify.proposals import ProposalSet  # noqa: E402
from app.domain.models import NewEntry, Span  # noqa: E402
from app.domain.periods import Period  # noqa: E402

MONDAY = datetime(2026, 1, 5, tzinfo=UTC)
WORDS = ("login", "totals", "export", "search", "report", "upload", "billing", "cache", "layout", "auth", "sync",
         "import", "profile", "checkout", "filters", "email", "dashboard", "settings", "invoice", "review")
KINDS = ("code", "terminal", "ticket", "site", "document", "meeting", "mail", "chat", "personal")


@dataclass(frozen=True)
class Client:
    name: str
    project: str
    repos: tuple[str, ...]
    ticket: str
    site: str
    docs: tuple[str, ...]
    meeting: str
    channel: str


CLIENTS = (
    Client("Acme", "Website", ("acme-web", "acme-api"), "ACME", "acme.example.com", ("Acme SOW", "Acme sitemap"),
           "Acme weekly", "acme-project"),
    Client("Beta", "Mobile app", ("beta-app",), "BETA", "beta.io", ("Beta onboarding flow",), "Beta sprint review",
           "beta-team"),
    Client("Gamma", "Data audit", ("gamma-etl", "gamma-notebooks"), "GAM", "gamma-analytics.com",
           ("Gamma Q1 audit",), "Gamma check-in", "gamma-ext"),
    Client("Delta", "Support", ("delta-plugin",), "DLT", "delta.co.uk", ("Delta runbook",), "Delta escalation",
           "delta-support"),
    Client("Epsilon", "Migration", ("eps-migrate",), "EPS", "epsilon.dev", ("Epsilon cutover plan",),
           "Epsilon kickoff", "epsilon-ext"),
)
WEIGHTS = (4, 3, 2, 1, 2)
NEW_CLIENT_WEEK = 3
"""Epsilon's work starts in week 3: nothing in week 1 teaches it."""
SHARED_DOCUMENTS = ("Meeting notes.docx - LibreOffice Writer", "Timesheet.xlsx - LibreOffice Calc",
                    "Untitled 1 - LibreOffice Writer")


def _window(rng: random.Random, client: Client, week: int, kind: str) -> tuple[str, str, str]:
    word = rng.choice(WORDS)
    if kind == "code":
        return ("Code", "/usr/share/code/code",
                f"{word}_{week}{rng.randint(0, 9)}.py - {rng.choice(client.repos)} - Visual Studio Code")
    if kind == "terminal":
        return "Terminal", "/usr/bin/gnome-terminal", f"me@laptop: ~/src/{rng.choice(client.repos)}"
    if kind == "ticket":
        return ("Firefox", "/usr/lib/firefox/firefox", f"{client.ticket}-{week * 40 + rng.randint(0, 39)} Fix "
                f"{word} - Jira — Mozilla Firefox")
    if kind == "site":
        return "Firefox", "/usr/lib/firefox/firefox", f"{word.title()} · staging.{client.site}/{word} — Mozilla Firefox"
    if kind == "document":
        if rng.random() < 0.3:
            return "LibreOffice", "/usr/lib/libreoffice/soffice", rng.choice(SHARED_DOCUMENTS)
        return ("LibreOffice", "/usr/lib/libreoffice/soffice",
                f"{rng.choice(client.docs)} v{week}.docx - LibreOffice Writer")
    if kind == "meeting":
        return "zoom", "/opt/zoom/zoom", f"{client.meeting} - Zoom Meeting"
    if kind == "mail":
        return ("Thunderbird", "/usr/bin/thunderbird", rng.choice(
            ("Inbox - Mozilla Thunderbird", f"Re: {word} question - Mozilla Thunderbird",
             "Drafts - Mozilla Thunderbird")))
    if kind == "chat":
        channel = client.channel if rng.random() < 0.4 else rng.choice(("general", "random", "dev"))
        return "Slack", "/usr/bin/slack", f"Slack | {channel} | Studio"
    return "Firefox", "/usr/lib/firefox/firefox", rng.choice(
        ("YouTube — Mozilla Firefox", "BBC News - Home — Mozilla Firefox", "Weather forecast — Mozilla Firefox",
         f"Recipe: {word} pie — Mozilla Firefox"))


@dataclass
class Week:
    spans: list[Span]
    truth: list[int | None]
    """Client index per span; None for personal time."""
    kinds: list[str]
    blocks: list[tuple[float, float, int]]
    """The stretches of work the user assigns: [start, end) and the client."""


def build_week(rng: random.Random, week: int) -> Week:
    spans: list[Span] = []
    truth: list[int | None] = []
    kinds: list[str] = []
    blocks: list[tuple[float, float, int]] = []
    ident = week * 100_000

    def add(t: float, seconds: float, kind: str, who: int | None, window: tuple[str, str, str]) -> float:
        nonlocal ident
        ident += 1
        spans.append(Span(t, t + seconds, window[0], window[2], window[1], False, ident))
        truth.append(who)
        kinds.append(kind)
        return t + seconds

    for day in range(5):
        t = (MONDAY + timedelta(weeks=week - 1, days=day, hours=9)).timestamp()
        stop = t + 8.5 * 3600
        while t < stop:
            weights = WEIGHTS if week >= NEW_CLIENT_WEEK else (*WEIGHTS[:-1], 0)
            who = rng.choices(range(len(CLIENTS)), weights=weights)[0]
            client, start = CLIENTS[who], t
            end = min(stop, t + rng.uniform(40, 150) * 60)
            if rng.random() < 0.15:  # a meeting opens the stretch
                t = add(t, rng.uniform(20, 45) * 60, "meeting", who, _window(rng, client, week, "meeting"))
            while t < end:
                roll = rng.random()
                kind = ("mail" if roll < 0.12 else "chat" if roll < 0.22 else rng.choices(
                    ("code", "terminal", "ticket", "site", "document"), weights=(5, 2, 2, 1, 1))[0])
                seconds = rng.uniform(20, 240) if kind in ("mail", "chat") else rng.uniform(60, 900)
                t = add(t, min(seconds, max(end - t, 5)), kind, who, _window(rng, client, week, kind))
            blocks.append((start, t, who))
            if rng.random() < 0.35:  # a break with personal browsing
                t = add(t, rng.uniform(2, 12) * 60, "personal", None, _window(rng, client, week, "personal"))
            t += rng.uniform(0, 3) * 60
    return Week(spans, truth, kinds, blocks)


def score(week: Week, result: ProposalSet) -> dict[str, list[float]]:
    """Per kind, for the clients worked for in week 1 ("known") and the one that starts later ("new client"), and
    for "all": [right, wrong, unclassified, active] seconds."""
    label = {(c.name, c.project): n for n, c in enumerate(CLIENTS)}
    proposed = sorted((p.start, p.end, label.get((p.outcome.client, p.outcome.project), -1))
                      for p in result.proposals)
    out: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    k = 0
    for span, who, kind in zip(week.spans, week.truth, week.kinds, strict=True):
        while k < len(proposed) and proposed[k][1] <= span.start:
            k += 1
        right = wrong = 0.0
        j = k
        while j < len(proposed) and proposed[j][0] < span.end:
            overlap = min(span.end, proposed[j][1]) - max(span.start, proposed[j][0])
            if overlap > 0:
                if proposed[j][2] == who:
                    right += overlap
                else:
                    wrong += overlap
            j += 1
        new = "new client" if who == len(CLIENTS) - 1 else "known"
        for bucket in (out[kind], out["all"], out[new]):
            bucket[0] += right
            bucket[1] += wrong
            bucket[2] += span.seconds - right - wrong
            bucket[3] += span.seconds
    return out


def line(name: str, figures: list[float]) -> str:
    right, wrong, left, active = figures
    return (f"  {name:<10} {active / 3600:6.1f} h   right {right / active:6.1%}   wrong {wrong / active:5.1%}   "
            f"unclassified {left / active:6.1%}")


def assign(core: object, week: Week, projects: list[int]) -> None:
    for start, end, who in week.blocks:
        core.entries.add(NewEntry(start=datetime.fromtimestamp(start, UTC),  # type: ignore[attr-defined]
                                  end=datetime.fromtimestamp(end, UTC), project_id=projects[who]))


def period(week: int) -> Period:
    first = (MONDAY + timedelta(weeks=week - 1)).date()
    return Period(first, first + timedelta(days=6))


def run_weeks(seed: int, weeks: int, every_week: bool) -> dict[int, dict[str, list[float]]]:
    """Build the weeks in a fresh database, assign week 1 (or every week once scored), score weeks 2 on."""
    from app.core import build_core
    from app.store.spans import SpanStore

    rng = random.Random(seed)
    built = [build_week(rng, w) for w in range(1, weeks + 1)]
    with tempfile.TemporaryDirectory() as home:
        os.environ["TIMETALLY_HOME"] = home
        core = build_core()
        projects = [core.projects.add_project(f"{c.name}/{c.project}").id for c in CLIENTS]
        for week in built:
            SpanStore(core.db).add_many(week.spans)
        assign(core, built[0], projects)
        scores = {}
        for n in range(2, weeks + 1):
            now = datetime.combine(period(n).last, datetime.min.time(), UTC) + timedelta(days=1)
            scores[n] = score(built[n - 1], core.classifier.propose(period(n), now))
            if every_week:
                assign(core, built[n - 1], projects)
        core.close()
    return scores


def time_learning_a_year(seed: int) -> tuple[float, int, int]:
    """Learning 52 weeks of assignments from spans in memory: the lessons, every window's features and the model."""
    rng = random.Random(seed)
    spans: list[Span] = []
    pieces = []
    for w in range(1, 53):
        week = build_week(rng, w)
        spans += week.spans
        pieces += [(s, e, (CLIENTS[c].name, CLIENTS[c].project, ""), n) for n, (s, e, c) in enumerate(week.blocks)]
    verdicts = [None] * len(spans)
    best = float("inf")
    for _ in range(3):
        features.cache_clear()  # every window's features read afresh, as in a new process
        began = time.perf_counter()
        model = Model.build(examples(lessons(spans, verdicts, pieces)))
        best = min(best, time.perf_counter() - began)
    return best, len(spans), len(model.windows)


def time_proposing_a_week(seed: int) -> tuple[float, float, int]:
    """A week proposed end to end through SQLite with three weeks learned: cold (model built), then warm."""
    from app.core import build_core
    from app.store.spans import SpanStore

    rng = random.Random(seed)
    built = [build_week(rng, w) for w in range(1, 5)]
    with tempfile.TemporaryDirectory() as home:
        os.environ["TIMETALLY_HOME"] = home
        core = build_core()
        projects = [core.projects.add_project(f"{c.name}/{c.project}").id for c in CLIENTS]
        for week in built:
            SpanStore(core.db).add_many(week.spans)
        for week in built[:3]:
            assign(core, week, projects)
        now = datetime.combine(period(4).last, datetime.min.time(), UTC) + timedelta(days=1)
        began = time.perf_counter()
        core.classifier.propose(period(4), now)
        cold = time.perf_counter() - began
        runs = []
        for _ in range(7):
            began = time.perf_counter()
            result = core.classifier.propose(period(4), now)
            runs.append(time.perf_counter() - began)
        core.close()
    return cold, statistics.median(runs), len(result.proposals)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--weeks", type=int, default=4)
    args = parser.parse_args()
    for every_week, heading in ((False, "Week 1 assigned, no rules"), (True, "Each week assigned once scored")):
        print(f"{heading}: share of active time (seed {args.seed})")
        totals: list[float] = [0.0] * 4
        for week, figures in run_weeks(args.seed, args.weeks, every_week).items():
            print(line(f"week {week}", figures["all"]))
            for kind in (*KINDS, "known", "new client"):
                if figures[kind][3]:
                    print("  " + line(kind, figures[kind]))
            totals = [a + b for a, b in zip(totals, figures["all"], strict=True)]
        print(line("weeks 2+", totals))
    seconds, spans, windows = time_learning_a_year(args.seed)
    print(f"Learning a year: {seconds * 1000:.0f} ms for {spans} spans under 52 weeks of entries "
          f"({windows} distinct windows)")
    cold, warm, count = time_proposing_a_week(args.seed)
    print(f"Proposing a week with learning (SQLite, 3 weeks learned): {cold * 1000:.0f} ms cold (model built), "
          f"{warm * 1000:.1f} ms warm (median of 7), {count} proposals")


if __name__ == "__main__":
    main()
