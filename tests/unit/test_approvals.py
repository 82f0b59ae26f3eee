"""Approval, locking, audited unlocks and submitted weeks, through the services and the CLI."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from app.cli import main
from app.core import Core
from app.domain.errors import LockedError, ValidationError
from app.domain.models import EntryStatus, NewEntry
from app.domain.periods import iso_week_label, week_of

DAY = date(2026, 11, 17)
WEEK = week_of(DAY)


def at(hour: float, day: date = DAY) -> datetime:
    return (datetime.combine(day, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def test_approve_locks_and_unlock_needs_a_reason_that_is_audited(core: Core) -> None:
    core.settings.set("billing.person", "Dana")
    entry = core.entries.add(NewEntry(at(9), at(10), "hero", core.projects.add_project("Acme/Web").id))
    assert core.approvals.approve([entry.id]).approved == (entry.id,)
    locked = core.entries.get(entry.id)
    assert locked.locked and locked.status is EntryStatus.APPROVED
    with pytest.raises(LockedError):
        core.entry_service.edit(entry.id, description="changed")
    with pytest.raises(ValidationError, match="Say why"):
        core.approvals.unlock(entry.id, " ")
    unlocked = core.approvals.unlock(entry.id, "wrong project")
    assert not unlocked.locked and unlocked.status is EntryStatus.DRAFT
    core.review.edit_entry(entry.id, description="fixed")
    actions = [(r.action, r.who, r.reason) for r in core.approvals.history(entry.id)]
    assert actions == [("approve", "Dana", ""), ("unlock", "Dana", "wrong project"), ("edit", "Dana", "")]
    unlock, edit = core.approvals.history(entry.id)[1:]
    assert (unlock.before["locked"], unlock.after["locked"]) == (True, False)
    assert (edit.before["description"], edit.after["description"]) == ("hero", "fixed")


def test_running_timer_cannot_be_approved_and_whole_week_skips_it(core: Core) -> None:
    web = core.projects.add_project("Acme/Web").id
    done = core.entries.add(NewEntry(at(9), at(10), "a", web))
    running = core.entries.add(NewEntry(at(11), None, "b", web))
    with pytest.raises(ValidationError, match="running timer"):
        core.approvals.approve([running.id])
    assert core.approvals.approve_period(WEEK).approved == (done.id,)
    assert core.approvals.approve_period(WEEK).approved == ()


def test_submit_needs_every_entry_approved_and_unlock_withdraws_it(core: Core) -> None:
    with pytest.raises(ValidationError, match="no time"):
        core.approvals.submit(WEEK)
    entry = core.entries.add(NewEntry(at(9), at(10), "a", core.projects.add_project("Acme/Web").id))
    with pytest.raises(ValidationError, match="Approve the 1 draft entry"):
        core.approvals.submit(WEEK)
    core.approvals.approve_period(WEEK)
    assert core.approvals.submit(WEEK).first_day == WEEK.first
    assert core.review.load(WEEK).submission is not None
    core.approvals.unlock(entry.id, "typo in the description")
    assert core.approvals.submission(WEEK) is None
    assert [r.action for r in core.approvals.history(entry.id)] == ["approve", "unlock", "withdraw"]


def test_entries_without_a_project_are_left_as_drafts_and_the_user_is_told(
    core: Core, capsys: pytest.CaptureFixture[str]
) -> None:
    web = core.projects.add_project("Acme/Web").id
    done = core.entries.add(NewEntry(at(9), at(10), "a", web))
    loose = [core.entries.add(NewEntry(at(h), at(h + 0.5), "b")).id for h in (11, 12)]

    assert main(["entries", "approve", "--week", iso_week_label(DAY)]) == 0

    out, err = capsys.readouterr()
    assert out == f"Approved 1 entry from {WEEK.first} to {WEEK.last}.\n"
    assert err == (f"2 entries without a project (#{loose[0]}, #{loose[1]}) were not approved: give each a project, "
                   "then approve again.\n")
    assert core.entries.get(done.id).status is EntryStatus.APPROVED
    assert {core.entries.get(i).status for i in loose} == {EntryStatus.DRAFT}
    chosen = core.approvals.approve([loose[0]])
    assert chosen.approved == () and chosen.sentence() == (
        f"0 entries approved. 1 entry without a project (#{loose[0]}) was not approved: give it a project, then "
        "approve again.")
    with pytest.raises(ValidationError, match="2 of them have no project, so give them one"):
        core.approvals.submit(WEEK)


def test_invoiced_entries_are_not_unlocked_here(core: Core) -> None:
    entry = core.entries.add(NewEntry(at(9), at(10), "a"))
    core.entries.update(entry.id, status="invoiced", locked=True)
    with pytest.raises(LockedError, match="invoice"):
        core.approvals.unlock(entry.id, "because")


def test_cli_accept_approve_unlock_submit(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    week = iso_week_label(DAY)
    assert main(["entries", "add", "Acme Corp/Website", "--start", at(9).isoformat(), "--end",
                 at(10).isoformat()]) == 1  # the project does not exist yet
    assert main(["projects", "add", "Acme Corp/Website"]) == 0
    assert main(["entries", "add", "Acme Corp/Website", "--start", at(9).isoformat(), "--end",
                 at(10).isoformat()]) == 0
    assert main(["propose", "--week", week, "--accept"]) == 0
    assert "0 draft entries" in capsys.readouterr().out
    assert main(["entries", "submit", "--week", week]) == 1
    assert "Approve the 1 draft entry" in capsys.readouterr().err
    assert main(["entries", "approve", "--day", DAY.isoformat()]) == 0
    assert "Approved 1 entry" in capsys.readouterr().out
    assert main(["entries", "submit", "--week", week]) == 0
    assert "ready for billing" in capsys.readouterr().out
    assert main(["entries", "unlock", "1", "--reason", "client asked"]) == 0
    assert "Unlocked" in capsys.readouterr().out
