"""One unclassified share on every screen (the review's flag, a rule's preview, `propose`), and time a rule classified
in short stretches joined to its project or shown as too short, never counted as unclassified."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, time, timedelta

import pytest

from app.classify.ruleset_file import loads
from app.cli import main
from app.core import Core
from app.domain.models import Span
from app.domain.periods import Period, week_of
from app.store.spans import SpanStore

DAY = date(2026, 11, 17)  # a Tuesday
RULES = """
version = 1

[[rule]]
name = "Acme web"
client = "Acme"
project = "Web"
all = [{ field = "title", contains = "acme-web" }]
"""


def at(hour: float) -> datetime:
    return (datetime.combine(DAY, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def spans(core: Core, pieces: list[tuple[float, float, str]]) -> None:
    core.classifier.replace_rules(loads(RULES))
    SpanStore(core.db).add_many([Span(at(a).timestamp(), at(b).timestamp(), "app", title) for a, b, title in pieces])


def review_share(core: Core) -> int | None:
    flags = core.review.load(week_of(DAY), at(20)).flags
    found = [re.match(r"(\d+)% of the activity", f.message) for f in flags if f.code == "unclassified"]
    return int(found[0].group(1)) if found and found[0] else None


def test_every_screen_reports_the_same_unclassified_share(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    spans(core, [(9, 9.03, "main.py - acme-web"), (9.03, 9.5, "Weather - Firefox"),
                 (9.5, 9.53, "app.py - acme-web"), (10, 11, "views.py - acme-web"), (11, 11.25, "News - Firefox")])
    # 1.8 + 1.8 minutes of Acme too far apart to join: too short, not unclassified; 43.2 of 106.8 minutes are.
    result = core.classifier.propose(Period(DAY, DAY), at(20))
    assert result.seconds("too_short") == pytest.approx(2 * 108)
    assert result.unclassified_share == pytest.approx(43.2 / 106.8)

    [nothing] = loads(RULES.replace("Acme web", "Matches nothing").replace("acme-web", "zzz"))
    preview = core.classifier.preview(nothing, at(20))
    assert preview.unclassified_share == pytest.approx(result.unclassified_share)
    assert main(["propose", "--day", DAY.isoformat(), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unclassified_share"] == round(result.unclassified_share, 4)
    assert review_share(core) == round(result.unclassified_share * 100)


def test_the_review_says_when_classified_time_was_too_short_to_propose(core: Core) -> None:
    spans(core, [(9, 9.03, "main.py - acme-web"), (9.03, 9.5, "Weather - Firefox"),
                 (9.5, 9.53, "app.py - acme-web")])
    review = core.review.load(week_of(DAY), at(20))
    assert review.proposals == ()
    [flag] = [f for f in review.flags if f.code == "too-short"]
    assert flag.day == DAY and flag.message == (
        "0:03 matched rules in stretches too short to propose (under 4 min): Acme / Web 0:03.")


def test_five_minutes_of_work_in_matched_windows_shows_proposals_in_the_review(core: Core) -> None:
    """The first five minutes: an editor the rule matches, a terminal it does not, switching every minute or so."""
    pieces, t = [], 9.0
    for seconds, title in ((60, "main.py - acme-web"), (75, "bash"), (60, "test_main.py - acme-web"), (80, "bash"),
                           (45, "main.py - acme-web")):
        pieces.append((t, t + seconds / 3600, title))
        t += seconds / 3600
    spans(core, pieces)
    [proposal] = core.review.load(week_of(DAY), at(9.2)).proposals
    assert (proposal.project_path, proposal.start, proposal.end) == ("Acme/Web", at(9).timestamp(), at(t).timestamp())


def test_propose_lists_time_too_short_to_propose(core: Core, capsys: pytest.CaptureFixture[str]) -> None:
    spans(core, [(9, 9.03, "main.py - acme-web"), (9.03, 9.5, "Weather - Firefox")])
    assert main(["propose", "--day", DAY.isoformat()]) == 0
    out, err = capsys.readouterr()
    assert "0:01  Acme / Web  (too short to propose)" in out
    assert "too short to propose 0:01, unclassified 0:28 (94%)" in out
    assert "is too short to propose; 'timetally settings set classify.minimum_seconds SECONDS'" in err
    assert main(["propose", "--day", DAY.isoformat(), "--json"]) == 0
    [short] = json.loads(capsys.readouterr().out)["too_short"]
    assert (short["project"], short["active_seconds"]) == ("Acme / Web", 108)
