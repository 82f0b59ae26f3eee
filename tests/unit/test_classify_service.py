"""The classifier service and CLI on a real database: import/export, cache invalidation, proposals over stored
spans and entries, statistics, preview and suggestions."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.classify.ruleset_file import RulesFileError
from app.cli import main
from app.core import Core
from app.domain.models import NewEntry, Span
from app.domain.periods import Period
from app.store.spans import SpanStore

RULES = """
version = 1

[[rule]]
name = "Acme web"
client = "Acme Corp"
project = "Website"
task = "Ticket $1"
all = [{ field = "title", regex = 'ACME-(\\d+)' }]

[[rule]]
name = "Chat"
private = true
any = [{ field = "app", equals = "signal" }]

[[rule]]
name = "Never"
client = "Beta"
project = "App"
any = [{ field = "title", contains = "no window has this" }]
"""
NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def at(hour: float) -> float:
    return datetime(2026, 11, 20, tzinfo=UTC).timestamp() + hour * 3600


def write(tmp_path: Path, text: str = RULES) -> Path:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    return path


def seed(core: Core) -> None:
    SpanStore(core.db).add_many([
        Span(at(9), at(10), "code", "ACME-12 login - code"),
        Span(at(10), at(10.01), "signal", "Signal"),
        Span(at(10.01), at(11), "code", "ACME-12 login - code"),
        Span(at(11), at(11.5), "firefox", "Weather - Mozilla Firefox"),
        Span(at(11.5), at(12), "code", "idle", idle=True),
        Span(at(13), at(14), "code", "ACME-7 search - code"),
    ])


def test_import_list_export_round_trip(core: Core, tmp_path: Path) -> None:
    rules = core.classifier.import_file(write(tmp_path))
    assert [r.name for r in core.classifier.rules()] == [r.name for r in rules]
    out = tmp_path / "out.toml"
    assert core.classifier.export_file(out) == 3
    core.classifier.import_file(out)
    assert core.classifier.rules() == rules


def test_an_invalid_file_changes_nothing(core: Core, tmp_path: Path) -> None:
    core.classifier.import_file(write(tmp_path))
    bad = RULES.replace("ACME-(\\d+)", "ACME-(\\d+")
    with pytest.raises(RulesFileError) as err:
        core.classifier.import_file(write(tmp_path, bad))
    assert "rule 1 \"Acme web\", field 'all[0].regex'" in str(err.value)
    assert len(core.classifier.rules()) == 3


def test_engine_cache_is_dropped_when_rules_change(core: Core, tmp_path: Path) -> None:
    core.classifier.import_file(write(tmp_path))
    first = core.classifier.engine()
    assert core.classifier.engine() is first
    core.classifier.replace_rules(core.classifier.rules()[:1])
    assert core.classifier.engine() is not first


def test_proposals_skip_entered_time_and_record_statistics(core: Core, tmp_path: Path) -> None:
    core.classifier.import_file(write(tmp_path))
    seed(core)
    project = core.projects.add_project("Acme Corp/Website")
    core.entries.add(NewEntry(datetime.fromtimestamp(at(13.5), UTC), datetime.fromtimestamp(at(15), UTC),
                              "manual", project.id))
    result = core.classifier.propose_between(at(0), at(24), NOW.timestamp())
    got = [(p.start, p.end, p.outcome.task) for p in result.proposals]
    assert got == [(at(9), at(10), "Ticket 12"), (at(10.01), at(11), "Ticket 12"), (at(13), at(13.5), "Ticket 7")]
    assert result.seconds("private") == pytest.approx(36)
    assert result.seconds("covered") == 1800
    assert [round(s.active_seconds) for s in result.unclassified] == [1800]
    listing = {i.rule.name: i.last_matched for i in core.classifier.listing()}
    assert listing["Acme web"] == datetime.fromtimestamp(at(14), UTC)
    assert listing["Never"] is None


def test_propose_by_local_period(core: Core, tmp_path: Path) -> None:
    core.classifier.import_file(write(tmp_path))
    seed(core)
    day = datetime.fromtimestamp(at(12)).date()
    assert core.classifier.propose(Period(day - timedelta(days=1), day + timedelta(days=1))).proposals


def test_stale_rules_and_preview(core: Core, tmp_path: Path) -> None:
    core.classifier.import_file(write(tmp_path))
    seed(core)
    assert [i.rule.name for i in core.classifier.stale(NOW)] == ["Never"]  # Chat matched the Signal span
    preview = core.classifier.preview(core.classifier.rules()[0], NOW)
    assert preview.matched_seconds == pytest.approx(3 * 3600 - 36)
    assert preview.samples[0][0] == "ACME-12 login - code"
    assert preview.unclassified_after == pytest.approx(1800)


def test_suggestion_from_assigned_unclassified_time(core: Core, tmp_path: Path) -> None:
    core.classifier.import_file(write(tmp_path))
    SpanStore(core.db).add_many([
        Span(at(8), at(9), "code", "main.py - acme-web - Visual Studio Code"),
        Span(at(9), at(9.5), "code", "views.py - acme-web - Visual Studio Code"),
        Span(at(10), at(12), "code", "main.py - beta-api - Visual Studio Code"),
    ])
    found = core.classifier.suggest(datetime.fromtimestamp(at(8), UTC), datetime.fromtimestamp(at(9.5), UTC),
                                    "Acme Corp/Website", now=NOW)
    assert found is not None
    suggestion, preview = found
    assert (suggestion.token, suggestion.kind) == ("acme-web", "repository")
    assert preview.claimed_seconds == 5400
    assert preview.samples[0] == ("main.py - acme-web - Visual Studio Code", 3600)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_rules_and_propose(home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules", "import", str(write(tmp_path)))
    assert code == 0 and "Imported 3 rules" in out
    code, out, err = run(capsys, "rules", "import", str(write(tmp_path, "[[rule]]\nname = 'x'\n")))
    assert code == 1 and "field 'all'" in err
    code, out, _ = run(capsys, "rules", "list", "--json")
    assert [r["name"] for r in json.loads(out)] == ["Acme web", "Chat", "Never"]
    code, out, _ = run(capsys, "rules", "list")
    assert code == 0 and "1. Acme web" in out
    assert run(capsys, "rules", "export", str(tmp_path / "e.toml"))[0] == 0
    assert "Acme web" in (tmp_path / "e.toml").read_text(encoding="utf-8")
    assert run(capsys, "rules", "import", "--starter")[0] == 0
    code, out, err = run(capsys, "propose", "--day", "2026-11-20", "--json")
    assert code == 0, err
    assert json.loads(out)["proposals"] == []
    code, out, _ = run(capsys, "propose", "--week", "2026-W47")
    assert code == 0 and "No captured activity" in out
    code, out, err = run(capsys, "rules", "preview", "nope")
    assert code == 1 and "no rule named" in err
