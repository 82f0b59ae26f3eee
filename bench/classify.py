"""Classifier benchmark: a synthetic year of captured spans, side by side with ActivityWatch's aw_transform.

    .venv/bin/python bench/classify.py [--days 365] [--skip-aw]

Builds about 500,000 spans over 5,000 distinct titles and 200 regex rules, then times
  * a full reclassification of the year after a rule change (a fresh engine, cold cache);
  * one week's proposals: classification with a cold and a warm cache, and end to end through SQLite;
  * aw_transform.categorize on the same spans and equivalent regex rules, in its own virtualenv
    (bench/.venv-aw, created with aw-core on first use).
Targets: a week's proposals under 100 ms, the year reclassified under 2 s, and faster than aw_transform.
"""

from __future__ import annotations

import argparse
import bisect
import gc
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.classify.engine import Engine  # noqa: E402
from app.classify.proposals import ProposalSet, propose  # noqa: E402
from app.classify.rules import Condition, Field, Group, Matcher, Outcome, Rule  # noqa: E402
from app.domain.models import Span  # noqa: E402

AW_VENV = ROOT / "bench" / ".venv-aw"
YEAR_START = datetime(2025, 11, 24, tzinfo=UTC)  # a Monday
RULES = 200
TITLES = 5000
KINDS = ("web", "api", "docs", "app", "infra")

AW_SCRIPT = r"""
import json, sys, time
from datetime import datetime, timedelta, timezone
from aw_core.models import Event
from aw_transform.classify import Rule, categorize

data = json.load(open(sys.argv[1]))
base = datetime.fromtimestamp(0, timezone.utc)

def events(rows):
    return [Event(timestamp=base + timedelta(seconds=s), duration=d, data={"app": a, "title": t})
            for s, d, a, t in rows]

def classes(rules):
    return [([c, p], Rule({"type": "regex", "regex": rx, "ignore_case": True, "select_keys": ["title"]}))
            for c, p, rx in rules]

def timed(rows, rules, repeat):
    best, counts = [], None
    for _ in range(repeat):
        evs = events(rows)
        cls = classes(rules)
        t0 = time.perf_counter()
        out = categorize(evs, cls)
        best.append(time.perf_counter() - t0)
        counts = {}
        for e in out:
            key = "/".join(e.data["$category"])
            counts[key] = counts.get(key, 0) + 1
    return best, counts

year, year_counts = timed(data["year"], data["changed_rules"], data["repeat_year"])
week, _ = timed(data["week"], data["rules"], data["repeat_week"])
from importlib.metadata import version
print(json.dumps({"year": year, "week": week, "year_counts": year_counts, "version": version("aw-core")}))
"""


def make_rules() -> list[Rule]:
    """200 regex rules, one per client repository, each capturing the kind of work as the task."""
    rules = []
    for r in range(RULES):
        cond = Condition(Field.TITLE, Matcher.REGEX, rf"\bc{r:03d}-({'|'.join(KINDS)})\b")
        outcome = Outcome(client=f"Client {r % 40:02d}", project=f"Project {r:03d}", task="$1")
        rules.append(Rule(f"rule {r:03d}", Group("all", (cond,)), outcome))
    return rules


def make_titles(rng: random.Random) -> list[tuple[str, str, int]]:
    """(app, title, rule or -1): 4,000 titles that one rule matches and 1,000 that none does."""
    titles: list[tuple[str, str, int]] = []
    per_rule = (TITLES - 1000) // RULES
    for r in range(RULES):
        for i in range(per_rule):
            kind = KINDS[i % len(KINDS)]
            repo = f"c{r:03d}-{kind}"
            shape = i % 4
            if shape == 0:
                titles.append(("code", f"module_{i}.py - {repo} - Visual Studio Code", r))
            elif shape == 1:
                titles.append(("firefox", f"PR #{100 + i} · acme/{repo} · GitHub — Mozilla Firefox", r))
            elif shape == 2:
                titles.append(("terminal", f"dev@box: ~/src/{repo.upper()} (branch-{i})", r))
            else:
                titles.append(("firefox", f"{repo} staging dashboard {i} - https://{repo}.example.com/ — Firefox", r))
    others = ("Inbox ({n}) - Mail", "Weather {n} - Mozilla Firefox", "Untitled document {n} - LibreOffice",
              "general #{n} - Slack", "Calendar week {n}", "Spotify - track {n}", "Settings page {n}")
    for n in range(1000):
        title = others[n % len(others)].format(n=n)
        titles.append((title.split()[0].lower(), title, -1))
    rng.shuffle(titles)
    return titles


def make_spans(rng: random.Random, days: int, titles: list[tuple[str, str, int]]) -> list[Span]:
    """Working days of ~1,400 short spans each, staying on a piece of work for a while, with idle stretches."""
    spans: list[Span] = []
    by_rule: dict[int, list[tuple[str, str, int]]] = {}
    for t in titles:
        by_rule.setdefault(t[2], []).append(t)
    keys = list(by_rule)
    ident = 0
    for d in range(days):
        day = YEAR_START + timedelta(days=d)
        weekend = day.weekday() >= 5
        t = (day + timedelta(hours=8, minutes=30)).timestamp()
        end = t + (3 if weekend else 9.8) * 3600
        focus = rng.choice(keys)
        while t < end:
            if rng.random() < 0.08:
                focus = rng.choice(keys)
            roll = rng.random()
            length = min(rng.expovariate(1 / 16.0) + 1, 600)
            ident += 1
            if roll < 0.06:
                spans.append(Span(t, t + length * 3, "", "", idle=True, id=ident))
                t += length * 3
                continue
            pool = by_rule[focus] if roll < 0.9 else by_rule[rng.choice(keys)]
            app, title, _ = rng.choice(pool)
            spans.append(Span(t, t + length, app, title, "/usr/bin/" + app, id=ident))
            t += length
    return spans


def timeit(fn: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def fmt(times: list[float]) -> str:
    return f"median {statistics.median(times) * 1000:8.1f} ms   best {min(times) * 1000:8.1f} ms"


def aw_python() -> Path:
    """The aw-core virtualenv's interpreter, created on first use (shared with the capture benchmark)."""
    python = AW_VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    if not python.exists():
        print(f"creating {AW_VENV} with aw-core …", flush=True)
        venv.create(AW_VENV, with_pip=True)
        (AW_VENV / ".gitignore").write_text("*\n", encoding="utf-8")
    probe = subprocess.run([python, "-c", "import aw_transform"], capture_output=True)
    if probe.returncode != 0:
        subprocess.run([python, "-m", "pip", "install", "-q", "aw-core"], check=True)
    return python


def regex_of(rule: Rule) -> str:
    cond = rule.when.items[0]
    assert isinstance(cond, Condition)
    return cond.pattern


def run_aw(year: list[Span], week: list[Span], rules: list[Rule], changed: list[Rule]) -> dict[str, object]:
    def rows(spans: list[Span]) -> list[tuple[float, float, str, str]]:
        return [(s.start, s.seconds, s.app, s.title) for s in spans if not s.idle]

    def aw_rules(items: list[Rule]) -> list[tuple[str, str, str]]:
        return [(r.outcome.client, r.outcome.project, regex_of(r)) for r in items]

    payload = {"year": rows(year), "week": rows(week), "rules": aw_rules(rules), "changed_rules": aw_rules(changed),
               "repeat_year": 2, "repeat_week": 10}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "spans.json"
        data.write_text(json.dumps(payload), encoding="utf-8")
        done = subprocess.run([aw_python(), "-c", AW_SCRIPT, str(data)], capture_output=True, text=True, check=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


def end_to_end_week(year: list[Span], rules: list[Rule], week_start: datetime) -> list[float]:
    """The CLI's path: spans read from SQLite by the span store, classified and proposed by the service."""
    os.environ["TIMETALLY_HOME"] = tempfile.mkdtemp(prefix="timetally-bench-")
    from app.classify.repository import RuleRepository
    from app.classify.service import ClassifierService
    from app.core import build_core
    from app.domain.periods import Period
    from app.store.spans import SpanStore

    core = build_core()
    try:
        spans = SpanStore(core.db)
        spans.add_many(year)
        # the synthetic days are laid out in UTC, so the service reads periods in UTC too
        service = ClassifierService(RuleRepository(core.db), spans, core.entries, core.settings, tz=UTC)
        service.replace_rules(rules)
        period = Period(week_start.date(), (week_start + timedelta(days=6)).date())
        service.propose(period)
        return timeit(lambda: service.propose(period), 10)
    finally:
        core.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--skip-aw", action="store_true", help="do not run aw_transform")
    parser.add_argument("--skip-sqlite", action="store_true", help="do not time the end-to-end path")
    args = parser.parse_args()

    rng = random.Random(20261121)
    rules = make_rules()
    titles = make_titles(rng)
    t0 = time.perf_counter()
    year = make_spans(rng, args.days, titles)
    # The year is built once; in a running app such data has long aged into the oldest generation, so full
    # collections triggered by the synthetic build itself would only add noise to the timings.
    gc.collect()
    gc.freeze()
    print(f"Python {platform.python_version()} on {platform.machine()} ({os.cpu_count()} CPUs), "
          f"{platform.system()} {platform.release()}")
    print(f"data: {len(year):,} spans ({sum(not s.idle for s in year):,} active), "
          f"{len({(s.app, s.title) for s in year if not s.idle}):,} distinct windows, {len(rules)} rules "
          f"(built in {time.perf_counter() - t0:.1f} s)")

    # A rule change: rule 100 now also takes another repository; the ruleset is new, so the cache is cold.
    changed = list(rules)
    changed[100] = replace(rules[100], when=Group("all", (Condition(Field.TITLE, Matcher.REGEX,
                                                                    r"\bc(?:100|300)-(web|api|docs|app|infra)\b"),)))
    year_times = timeit(lambda: Engine(changed, UTC).classify(year), 5)
    verdicts = Engine(changed, UTC).classify(year)
    ours = Counter(v.outcome.client + "/" + v.outcome.project if v else "Uncategorized"
                   for s, v in zip(year, verdicts, strict=True) if not s.idle)

    week_start = YEAR_START + timedelta(weeks=26)
    lo, hi = week_start.timestamp(), (week_start + timedelta(weeks=1)).timestamp()
    week = year[bisect.bisect_left([s.start for s in year], lo):bisect.bisect_left([s.start for s in year], hi)]

    def cold_week() -> ProposalSet:
        return propose(week, Engine(rules, UTC).classify(week), lo, hi)

    warm = Engine(rules, UTC)
    warm.classify(week)
    week_cold = timeit(cold_week, 20)
    week_warm = timeit(lambda: propose(week, warm.classify(week), lo, hi), 20)
    result = cold_week()
    print("\nTimeTally (first match wins, cache per distinct window)")
    print(f"  year reclassified after a rule change   {fmt(year_times)}   target < 2000 ms")
    print(f"  week proposals, cold cache ({len(week):,} spans)  {fmt(week_cold)}   target < 100 ms")
    print(f"  week proposals, warm cache              {fmt(week_warm)}")
    print(f"  week: {len(result.proposals)} proposals, unclassified {result.unclassified_share:.0%}")
    if not args.skip_sqlite:
        e2e = end_to_end_week(year, rules, week_start)
        print(f"  week end to end (SQLite + service)      {fmt(e2e)}")

    if args.skip_aw:
        return 0
    aw = run_aw(year, week, rules, changed)
    aw_year, aw_week = aw["year"], aw["week"]
    assert isinstance(aw_year, list) and isinstance(aw_week, list)
    print(f"\naw_transform.categorize (aw-core {aw.get('version') or 'installed'}, cache per distinct event data)")
    print(f"  year recategorized after a rule change  {fmt(aw_year)}")
    print(f"  week categorized (no proposals)         {fmt(aw_week)}")
    agree = aw["year_counts"] == dict(ours)
    print(f"\nsame categories for every span: {'yes' if agree else 'NO'}")
    print(f"year: TimeTally {statistics.median(aw_year) / statistics.median(year_times):.1f}x faster than aw_transform")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
