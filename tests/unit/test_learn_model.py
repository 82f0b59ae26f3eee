"""The learned model on small hand-made histories: what generalises, what is not over-claimed, what corrects it,
and the smallest rule it turns into."""

from __future__ import annotations

from app.classify.engine import Engine
from app.classify.learn.model import REJECTED, Model
from app.classify.learn.rule import smallest_rule

ACME = ("Acme", "Website", "")
BETA = ("Beta", "App", "")
HOUR = 3600.0


def lesson(title: str, label: tuple[str, str, str], seconds: float = HOUR, entry: int = 1, app: str = "code"
           ) -> tuple[tuple[str, str, str], tuple[str, str, str], float, int]:
    return (app, f"/usr/bin/{app}", title), label, seconds, entry


def test_a_ticket_prefix_generalises_to_tickets_never_seen() -> None:
    model = Model.build([lesson("ACME-142 fix login - acme-web - Code", ACME, entry=1),
                         lesson("ACME-150 search page - acme-web - Code", ACME, entry=2),
                         lesson("BETA-7 export - beta-app - Code", BETA, entry=3)])
    guess = model.guess("code", "/usr/bin/code", "ACME-311 checkout totals - Code")
    assert guess is not None and guess.label == ACME and guess.confidence >= 0.75
    assert "ticket prefix 'ACME-'" in guess.why and "which you put on Acme / Website 2 times" in guess.why
    beta = model.guess("code", "/usr/bin/code", "BETA-9 import - Code")
    assert beta is not None and beta.label == BETA


def test_a_repository_name_generalises_to_new_files() -> None:
    model = Model.build([lesson("invoice.py - acme-web - Code", ACME), lesson("main.rs - beta-app - Code", BETA)])
    guess = model.guess("code", "/usr/bin/code", "README.md - acme-web - Code")
    assert guess is not None and guess.label == ACME
    assert guess.why.startswith("like 'invoice.py - acme-web - Code', which you put on Acme / Website 1 time")


def test_a_generic_window_used_for_several_clients_is_not_over_claimed() -> None:
    model = Model.build([lesson("Inbox - Mozilla Thunderbird", ACME, 2 * HOUR, 1, "thunderbird"),
                         lesson("Inbox - Mozilla Thunderbird", BETA, HOUR, 2, "thunderbird"),
                         lesson("ACME-1 login - Code", ACME, HOUR, 3)])
    assert model.guess("thunderbird", "/usr/bin/thunderbird", "Inbox - Mozilla Thunderbird") is None
    assert model.guess("thunderbird", "/usr/bin/thunderbird", "Drafts - Mozilla Thunderbird") is None


def test_a_window_seen_only_briefly_is_doubted() -> None:
    model = Model.build([lesson("Figma - onboarding", ACME, 60, app="figma")])
    assert model.guess("figma", "/usr/bin/figma", "Figma - onboarding") is None
    sure = Model.build([lesson("Figma - onboarding", ACME, 2 * HOUR, app="figma")])
    assert sure.guess("figma", "/usr/bin/figma", "Figma - onboarding") is not None


def test_a_rejection_corrects_what_was_learned() -> None:
    history = [lesson("Standup - Zoom", ACME, HOUR, 1, "zoom")]
    assert Model.build(history).guess("zoom", "/usr/bin/zoom", "Standup - Zoom") is not None
    corrected = Model.build([*history, lesson("Standup - Zoom", REJECTED, HOUR, -1, "zoom")])
    assert corrected.guess("zoom", "/usr/bin/zoom", "Standup - Zoom") is None


def test_the_model_survives_the_database_and_a_foreign_body_is_rebuilt() -> None:
    model = Model.build([lesson("ACME-142 fix login - Code", ACME), lesson("BETA-7 export - Code", BETA)])
    again = Model.loads(model.dumps())
    assert again is not None and again.labels == model.labels and again.windows == model.windows
    assert again.guess("code", "", "ACME-9 - Code") == model.guess("code", "", "ACME-9 - Code")
    assert Model.loads('{"version": 99}') is None
    assert Model.loads("{not json") is None and Model.loads("[]") is None


def test_the_smallest_rule_covers_the_project_and_nothing_assigned_elsewhere() -> None:
    model = Model.build([lesson("ACME-142 fix login - acme-web - Code", ACME, entry=1),
                         lesson("quote.docx - Word", ACME, HOUR / 2, 2, "word"),
                         lesson("Inbox - Thunderbird", ACME, HOUR / 4, 3, "thunderbird"),
                         lesson("Inbox - Thunderbird", BETA, HOUR / 4, 4, "thunderbird"),
                         lesson("BETA-7 export - beta-app - Code", BETA, entry=5)])
    mine, others = model.assignments(ACME)
    found = smallest_rule(ACME, mine, others, "Acme / Website (learned)")
    assert found is not None
    engine = Engine([found.rule])
    for key, _ in others:  # nothing the user put elsewhere
        assert engine.classify_window(*key) is None
    covered = [key for key, _ in mine if engine.classify_window(*key) is not None]
    assert ("code", "/usr/bin/code", "ACME-142 fix login - acme-web - Code") in covered
    assert ("word", "/usr/bin/word", "quote.docx - Word") in covered
    assert len(found.rule.when.items) == 2  # one condition per kind of work, the shared inbox left out
    assert found.covered_seconds == HOUR * 1.5 and found.assigned_seconds == HOUR * 1.75


def test_an_application_never_assigned_is_not_claimed_through_a_shared_word() -> None:
    model = Model.build([lesson("GLX-1 Export fails - Jira — Mozilla Firefox", BETA, 2 * HOUR, app="firefox")])
    assert model.guess("thunderbird", "/usr/bin/thunderbird", "Inbox - Mozilla Thunderbird") is None
    assert model.guess("firefox", "/usr/bin/firefox", "GLX-2 Totals - Jira — Mozilla Firefox") is not None
