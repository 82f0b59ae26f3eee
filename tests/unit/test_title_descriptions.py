"""Window titles never reach an invoice: proposals take the rule's text or none, and text taken from titles before
(or merged from such entries) stays off every document until the user types or confirms it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, text

from app.classify.ruleset_file import loads
from app.cli import main
from app.core import Core
from app.domain.models import DescriptionOrigin, EntrySource, NewEntry, Span
from app.domain.periods import week_of
from app.store.db import open_database
from app.store.migrate import _config
from app.store.spans import SpanStore

DAY = date(2026, 11, 17)
WEEK = week_of(DAY)
TITLE = "Pull request #42 · acme/secret-merger - Mozilla Firefox"
RULES = """
version = 1

[[rule]]
name = "Pull requests"
client = "Acme"
project = "Web"
description = "{description}"
all = [{{ field = "title", regex = "Pull request #(\\\\d+)" }}]
"""


def at(hour: float) -> datetime:
    return (datetime.combine(DAY, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def captured(core: Core, description: str = "") -> None:
    core.classifier.replace_rules(loads(RULES.format(description=description)))
    SpanStore(core.db).add_many([Span(at(9).timestamp(), at(10).timestamp(), "firefox", TITLE)])
    core.billing.set_client("Acme", rate="100")


def invoice_text(core: Core) -> str:
    drafts = core.billing.preview(WEEK, grouping="entry")
    return " | ".join(line.description for d in drafts for line in d.lines)


def test_an_accepted_proposal_takes_no_window_title_and_the_invoice_shows_none(core: Core) -> None:
    captured(core)
    [proposal] = core.review.proposals(WEEK)
    assert proposal.description == "" and proposal.titles == (TITLE,)  # the title is evidence, kept here
    [entry] = core.review.accept_all(WEEK)
    assert (entry.description, entry.description_origin) == ("", DescriptionOrigin.TYPED)
    core.approvals.approve([entry.id])
    assert "secret-merger" not in invoice_text(core) and "Pull request" not in invoice_text(core)


def test_a_rules_description_with_capture_groups_is_the_users_own_words(core: Core) -> None:
    captured(core, "Code review PR $1")
    [proposal] = core.review.proposals(WEEK)
    assert proposal.description == "Code review PR 42" and proposal.titles == (TITLE,)
    [entry] = core.review.accept([proposal])
    assert entry.description_origin is DescriptionOrigin.RULE
    core.approvals.approve([entry.id])
    assert "Code review PR 42" in invoice_text(core)


def title_entry(core: Core) -> int:
    """An approved entry whose description came from window titles (as accepted before titles were withheld)."""
    web = core.projects.find("Acme/Web") or core.projects.add_project("Acme/Web")
    core.billing.set_client("Acme", rate="100")
    entry = core.entries.add(NewEntry(at(9), at(10), TITLE, web.id, source=EntrySource.CAPTURE,
                                      description_origin=DescriptionOrigin.TITLE))
    core.approvals.approve([entry.id])
    return entry.id


def test_title_text_stays_off_invoices_until_confirmed_and_the_review_says_so(
    core: Core, capsys: pytest.CaptureFixture[str]
) -> None:
    entry_id = title_entry(core)
    assert "secret-merger" not in invoice_text(core)
    flags = [f for f in core.review.load(WEEK, at(20), entries_only=True).flags if f.code == "title-description"]
    assert [f.message for f in flags] == [
        f"Entry #{entry_id}'s description was taken from window titles; it stays off invoices until you confirm it "
        f"(Confirm text in the review, or timetally entries confirm {entry_id})."]

    assert main(["entries", "confirm", str(entry_id)]) == 0
    assert capsys.readouterr().out.startswith(f"Confirmed the description of #{entry_id}: it may now appear")
    assert TITLE in invoice_text(core)
    assert not [f for f in core.review.load(WEEK, at(20), entries_only=True).flags if f.code == "title-description"]
    audit = core.approvals.history(entry_id)[-1]
    assert (audit.action, audit.before["description_origin"], audit.after["description_origin"]) == (
        "confirm-description", "title", "typed")
    assert main(["entries", "confirm", str(entry_id)]) == 0
    assert "Nothing to confirm for #" in capsys.readouterr().err


def test_merging_keeps_title_text_unconfirmed_and_saving_an_edit_confirms_it(core: Core) -> None:
    web = core.projects.add_project("Acme/Web")
    core.billing.set_client("Acme", rate="100")
    typed = core.entries.add(NewEntry(at(8), at(9), "Planning", web.id))
    titled = core.entries.add(NewEntry(at(9), at(10), TITLE, web.id, source=EntrySource.CAPTURE,
                                       description_origin=DescriptionOrigin.TITLE))
    merged = core.review.merge([typed.id, titled.id])
    assert merged.description == f"Planning; {TITLE}" and merged.description_origin is DescriptionOrigin.TITLE
    core.timer.resume(merged)
    running = core.entries.running()
    assert running is not None and running.description_origin is DescriptionOrigin.TITLE
    core.timer.discard()
    saved, _ = core.review.edit_entry(merged.id, description=merged.description)  # seen and saved in the dialog
    assert saved.description_origin is DescriptionOrigin.TYPED


def test_a_stored_draft_with_title_text_is_not_sent(core: Core) -> None:
    entry_id = title_entry(core)
    core.review.confirm_descriptions([entry_id])
    [draft] = core.billing.create(WEEK, grouping="entry")
    assert TITLE in draft.lines[0].description
    with core.db.engine.begin() as conn:  # as a draft stored before such text was withheld
        conn.execute(text("UPDATE time_entry SET description_origin = 'title'"))
    problem = core.billing.title_text(core.billing.draft(draft.number))
    assert problem == (f"{draft.number} carries text taken from window titles (entry #{entry_id}), which never "
                       f"leaves this computer unconfirmed. Confirm it with 'timetally entries confirm {entry_id}', "
                       f"or rebuild the invoice without it with 'timetally invoice refresh {draft.number}', then send "
                       "again.")
    refreshed = core.billing.refresh(draft.number)
    assert TITLE not in refreshed.lines[0].description and core.billing.title_text(refreshed) is None


def test_upgrading_marks_earlier_captured_descriptions_unconfirmed(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(_config(conn), "0010_sync_invoice_entries")  # the revision before descriptions' origin
        for source, description in (("capture", TITLE), ("capture", ""), ("manual", "Typed by hand")):
            conn.execute(text("INSERT INTO time_entry (start_utc, end_utc, description, source, status, locked, "
                              "billable, created_at, updated_at) VALUES ('2026-11-17 09:00:00.000000', "
                              "'2026-11-17 10:00:00.000000', :d, :s, 'draft', 0, 1, '2026-11-17', '2026-11-17')"),
                         {"d": description, "s": source})
    engine.dispose()
    db = open_database(path)
    with db.engine.connect() as conn:
        origins = conn.execute(text("SELECT description_origin FROM time_entry ORDER BY id")).scalars().all()
    db.close()
    assert origins == ["title", "typed", "typed"]
