"""Learning on a real database: from imported activity and entries to learned proposals in `propose --json`,
private time that never teaches, rejection, forgetting, the setting, and rules winning over learning."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.cli import main
from app.core import Core
from app.domain.models import NewEntry, Span
from app.domain.periods import Period
from tests.conftest import WallClock

MONDAY = datetime(2026, 11, 16, tzinfo=UTC)


def at(day: int, hour: float) -> float:
    return MONDAY.timestamp() + day * 86400 + hour * 3600


def iso(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).isoformat()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def aw_export(tmp_path: Path) -> Path:
    """Monday's work for two clients, and Tuesday's new files in the same repositories."""
    def event(day: int, hour: float, minutes: float, app: str, title: str) -> dict[str, object]:
        return {"timestamp": iso(at(day, hour)).replace("+00:00", "+00:00"), "duration": minutes * 60,
                "data": {"app": app, "title": title}}

    windows = [
        event(0, 9, 50, "Code", "invoice.py - acme-web - Visual Studio Code"),
        event(0, 9 + 50 / 60, 10, "Firefox", "ACME-142 Totals are wrong - Jira — Mozilla Firefox"),
        event(0, 11, 60, "Code", "export.rs - beta-app - Visual Studio Code"),
        event(0, 12, 20, "Signal", "Signal - Mum"),
        event(1, 9, 45, "Code", "totals.py - acme-web - Visual Studio Code"),
        event(1, 11, 45, "Code", "import.rs - beta-app - Visual Studio Code"),
    ]
    export = {"buckets": {"aw-watcher-window_host": {"type": "currentwindow", "events": windows}}}
    path = tmp_path / "aw.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    return path


@pytest.fixture
def assigned(core: Core, tmp_path: Path, capsys: pytest.CaptureFixture[str], wall_clock: WallClock,
             utc_zone: None) -> Core:
    """Activity imported, a private rule for Signal, and Monday assigned by hand (the Signal chat included)."""
    wall_clock.set(datetime(2026, 11, 20, 18, tzinfo=UTC))
    assert run(capsys, "import", "activitywatch", str(aw_export(tmp_path)))[0] == 0
    rules = tmp_path / "rules.toml"
    rules.write_text('[[rule]]\nname = "Chat"\nprivate = true\nany = [{ field = "app", equals = "signal" }]\n',
                     encoding="utf-8")
    assert run(capsys, "rules", "import", str(rules))[0] == 0
    for path in ("Acme/Website", "Beta/App"):
        assert run(capsys, "projects", "add", path)[0] == 0
    for path, lo, hi in (("Acme/Website", at(0, 9), at(0, 10)), ("Beta/App", at(0, 11), at(0, 12.34))):
        assert run(capsys, "entries", "add", path, "--start", iso(lo), "--end", iso(hi))[0] == 0
    return core


def proposals(capsys: pytest.CaptureFixture[str], day: str = "2026-11-17") -> list[dict[str, object]]:
    code, out, _ = run(capsys, "propose", "--day", day, "--json")
    assert code == 0
    return json.loads(out)["proposals"]


def test_imported_activity_and_assignments_give_learned_proposals(
        assigned: Core, capsys: pytest.CaptureFixture[str]) -> None:
    found = proposals(capsys)
    assert [(p["client"], p["project"], p["source"]) for p in found] == [
        ("Acme", "Website", "learned"), ("Beta", "App", "learned")]
    acme = found[0]
    assert acme["start"] == "2026-11-17T09:00:00Z" and acme["active_seconds"] == 45 * 60
    assert 0.75 <= acme["confidence"] <= 1 and acme["rule"] == "" and acme["description"] == ""
    assert acme["why"].startswith("like 'invoice.py - acme-web - Visual Studio Code', which you put on "
                                  "Acme / Website 1 time; name 'acme-web' went there 100% of the time")
    code, out, _ = run(capsys, "learn", "status", "--json")
    status = json.loads(out)
    assert code == 0 and status["learning"] is True and status["projects"] == 2 and status["windows"] == 3
    assert status["assigned_seconds"] == 2 * 3600  # the private chat inside Beta's entry did not teach
    assert run(capsys, "learn", "status")[1] == ("Learned on this computer from 2 h 00 min you assigned, over 3 "
                                                 "windows, on 2 projects.\n")


def test_private_time_never_teaches(assigned: Core) -> None:
    learning = assigned.classifier.learning
    assert learning is not None
    model = learning.model()
    assert model is not None
    assert all(key[0] != "Signal" for key, _ in model.windows)
    assert model.guess("Signal", "", "Signal - Mum") is None


def test_a_rejected_learned_proposal_is_not_proposed_again(assigned: Core, capsys: pytest.CaptureFixture[str]
                                                           ) -> None:
    day = Period(datetime(2026, 11, 17).date(), datetime(2026, 11, 17).date())
    items = [i for i in assigned.review.proposals(day) if i.learned]
    assert [i.project_path for i in items] == ["Acme/Website", "Beta/App"]
    assigned.review.reject(items[:1])
    assert [p["project"] for p in proposals(capsys)] == ["App"]


def test_rules_win_over_learning_and_accepting_needs_the_user(assigned: Core, capsys: pytest.CaptureFixture[str],
                                                             tmp_path: Path) -> None:
    rules = tmp_path / "beta.toml"
    rules.write_text('[[rule]]\nname = "Beta rule"\nclient = "Beta"\nproject = "Support"\n'
                     'any = [{ field = "title", contains = "import.rs" }]\n', encoding="utf-8")
    assert run(capsys, "rules", "import", str(rules))[0] == 0
    found = proposals(capsys)
    assert [(p["project"], p["source"], p["rule"]) for p in found] == [
        ("Website", "learned", ""), ("Support", "rule", "Beta rule")]
    assert "confidence" not in found[1]
    assert len(assigned.entries.between(datetime(2026, 11, 17, tzinfo=UTC), datetime(2026, 11, 18, tzinfo=UTC))) == 0


def test_forgetting_and_the_setting(assigned: Core, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "settings", "set", "classify.learning", "false")[0] == 0
    assert proposals(capsys) == []
    assert "Learning from your assignments is off" in run(capsys, "learn", "status")[1]
    assert run(capsys, "settings", "set", "classify.learning", "true")[0] == 0
    assert len(proposals(capsys)) == 2
    code, out, _ = run(capsys, "learn", "forget")
    assert code == 0 and "Forgot" in out
    assert proposals(capsys) == []
    status = json.loads(run(capsys, "learn", "status", "--json")[1])
    assert status["windows"] == 0 and status["forgotten_before"] is not None


def test_propose_in_text_and_learn_rule_prints_the_smallest_rule(assigned: Core,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "propose", "--day", "2026-11-17")
    assert code == 0 and "0:45  Acme / Website    (learned)\n    like 'invoice.py - acme-web" in out
    code, out, err = run(capsys, "learn", "rule", "Acme/Website")
    assert code == 0 and out.endswith("]\n") and 'name = "Acme / Website (learned)"' in out
    assert '{ field = "title", contains = "acme" }' in out
    assert "none you put elsewhere" in err
    code, _, err = run(capsys, "learn", "rule", "Nobody/Nothing")
    assert code == 1 and "no rule can cover it" in err


def test_a_later_edit_of_an_entry_corrects_what_was_learned(assigned: Core, capsys: pytest.CaptureFixture[str]
                                                            ) -> None:
    assert [p["project"] for p in proposals(capsys)] == ["Website", "App"]
    monday = assigned.entries.between(MONDAY, MONDAY + timedelta(days=1))
    acme = next(e for e in monday if e.project_path == "Acme/Website")
    beta = assigned.projects.require("Beta/App")
    assigned.review.edit_entry(acme.id, project_id=beta.id)
    assert [(p["project"], p["source"]) for p in proposals(capsys)] == [("App", "learned"), ("App", "learned")]


def test_the_model_is_kept_in_the_database_and_rebuilt_when_missing(assigned: Core,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from sqlalchemy import text

    before = proposals(capsys)
    with assigned.db.session() as s:
        body = s.exec(text("SELECT body FROM learned_model")).one()[0]  # type: ignore[call-overload]
        assert "acme-web" in body
        s.exec(text("DELETE FROM learned_model"))  # type: ignore[call-overload]
    assert proposals(capsys) == before  # a fresh process: `propose` builds the core again
    with assigned.db.session() as s:
        assert s.exec(text("SELECT count(*) FROM learned_model WHERE body != ''")).one()[0] == 1  # type: ignore[call-overload]


def test_after_a_new_entry_only_its_own_spans_are_read(assigned: Core) -> None:
    learning = assigned.classifier.learning
    assert learning is not None
    now = datetime(2026, 11, 20, 18, tzinfo=UTC).timestamp()
    before = learning.model(now)
    reads: list[tuple[float, float]] = []
    spans = learning._spans

    class Counting:
        def between(self, start: float, end: float) -> list[Span]:
            reads.append((start, end))
            return spans.between(start, end)

    learning._spans = Counting()
    project = assigned.projects.require("Acme/Website")
    assigned.entries.add(NewEntry(datetime.fromtimestamp(at(1, 9), UTC), datetime.fromtimestamp(at(1, 9.75), UTC),
                                  "", project.id))
    after = learning.model(now)
    assert reads == [(at(1, 9), at(1, 9.75))]
    assert after is not before and after.assigned_seconds == before.assigned_seconds + 45 * 60  # type: ignore[union-attr]
