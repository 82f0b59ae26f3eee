"""Screenshots of the review window, the idle prompt and the rules editor with a realistic week of sample data:
`python -m tests.screenshots_review docs` writes docs/screenshots/review*.png, idle_prompt.png and
rules_editor.png.

Runs on whatever display Qt is given (Xvfb with QT_QPA_PLATFORM=xcb for the README, or offscreen) against a
throw-away TIMETALLY_HOME, so real data is never touched.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from app.classify.ruleset_file import loads
from app.core import Core, build_core
from app.domain.models import EntrySource, NewEntry, Span
from app.domain.periods import week_of
from app.store.spans import SpanStore
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from tests.shots import run, save, wait, wait_until

TODAY = date(2026, 11, 19)  # a Thursday: Monday to Wednesday are done, Thursday is being worked on
RULES = """
version = 1

[[rule]]
name = "Acme website"
client = "Acme Corp"
project = "Website"
any = [{ field = "title", contains = "acme-web" }, { field = "title", contains = "staging.acme.test" }]

[[rule]]
name = "Acme mobile"
client = "Acme Corp"
project = "Mobile app"
any = [{ field = "title", contains = "acme-mobile" }]

[[rule]]
name = "Globex tickets"
client = "Globex"
project = "Support"
task = "Ticket $1"
all = [{ field = "title", regex = 'GLX-(\\d+)' }]

[[rule]]
name = "Personal chat"
private = true
any = [{ field = "app", equals = "signal" }]
"""
WORK = [
    ("code", ["hero.tsx - acme-web - Visual Studio Code", "checkout.ts - acme-web - Visual Studio Code",
              "README.md - acme-web - Visual Studio Code"]),
    ("firefox", ["Pull request #412 · acme/acme-web - Mozilla Firefox",
                 "Staging — staging.acme.test - Mozilla Firefox"]),
    ("code", ["LoginScreen.kt - acme-mobile - Android Studio", "build.gradle - acme-mobile - Android Studio"]),
    ("firefox", ["GLX-1042 Invoice totals wrong - Zendesk - Mozilla Firefox",
                 "GLX-1057 Password reset loop - Zendesk - Mozilla Firefox"]),
]
NOISE = [("thunderbird", "Inbox (12) - Mozilla Thunderbird"), ("signal", "Signal"),
         ("firefox", "BBC News - Home - Mozilla Firefox"), ("slack", "general | Northwind - Slack"),
         ("firefox", "Quarterly planning.xlsx - Google Sheets - Mozilla Firefox")]


def local(day: date, hour: float) -> datetime:
    return (datetime.combine(day, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def sample_week(core: Core, today: date = TODAY) -> None:
    """Four days of captured activity with rules, approved Monday and Tuesday, drafts and flags midweek."""
    rng = random.Random(47)
    core.classifier.replace_rules(loads(RULES))
    web = core.projects.add_project("Acme Corp/Website")
    mobile = core.projects.add_project("Acme Corp/Mobile app")
    support = core.projects.add_project("Globex/Support")
    core.projects.add_project("Initech/TPS reports")
    internal = core.projects.add_project("Northwind/Internal", billable=False)
    design = core.projects.ensure_task(web.id, "Design")
    spans: list[Span] = []
    week = week_of(today)
    for day in week.days()[:4]:
        cursor = local(day, 8.6 + rng.random() * 0.4).timestamp()
        end_of_day = local(day, 17.2 + rng.random() * 0.6).timestamp()
        block = rng.choice(WORK)
        while cursor < end_of_day:
            if rng.random() < 0.03:
                block = rng.choice(WORK)
            if local(day, 12.5).timestamp() <= cursor < local(day, 13.1).timestamp():
                spans.append(Span(cursor, cursor + 1800, "code", "lunch", idle=True))
                cursor += 1800
                continue
            app, title = rng.choice(NOISE) if rng.random() < 0.04 else (block[0], rng.choice(block[1]))
            length = rng.uniform(20, 240)
            spans.append(Span(cursor, cursor + length, app, title))
            cursor += length
    SpanStore(core.db).add_many(spans)
    mon, tue, wed, thu = week.days()[:4]
    for day, pieces in ((mon, [(9, 12.5, "Landing page hero", web.id, design.id), (13.1, 17, "Checkout flow", web.id,
                                                                                     None)]),
                        (tue, [(8.8, 10.5, "Login screen", mobile.id, None), (10.5, 12.4, "Ticket triage",
                                                                              support.id, None),
                               (13.2, 17.4, "Release 2.4 build", mobile.id, None)]),
                        (wed, [(9, 12.4, "Checkout flow", web.id, None), (11.8, 12.4, "Invoice totals", support.id,
                                                                          None),
                               (13.1, 14, "Planning call", None, None), (14, 16, "Team retro", internal.id, None)])):
        for start, end, text, project, task in pieces:
            core.entries.add(NewEntry(local(day, start), local(day, end), text, project, task, EntrySource.MANUAL,
                                      billable=project != internal.id))
    ids = [e.id for e in core.entries.between(local(mon, 0), local(wed, 0))]
    core.approvals.approve(ids)
    core.entries.add(NewEntry(local(thu, 8.9), local(thu, 10.2), "Checkout flow", web.id,
                              source=EntrySource.CAPTURE))


def shoot(out: Path) -> None:
    from app.ui.idle_dialog import IdleDialog
    from app.ui.review.window import ReviewWindow
    from app.ui.rules_editor import RulesEditor

    out.mkdir(parents=True, exist_ok=True)
    core = build_core()
    sample_week(core)
    runner, bus = TaskRunner(), ChangeBus()
    now = local(TODAY, 17.6)
    window = ReviewWindow(core, runner, bus, clock=lambda: now, today=lambda: TODAY)
    window.show()
    wait_until(lambda: window.model.review is not None and runner.idle())
    window.grid.setCurrentIndex(window.grid_model.index(1, 4))
    window.panel.tree.topLevelItem(1).setSelected(True)
    save(window, out / "review.png")
    window.tabs.setCurrentIndex(2)
    window.grid.setCurrentIndex(window.grid_model.index(1, 3))
    window.grid.open_cell.emit(window.grid.currentIndex())
    save(window.dialogs[-1], out / "review-cell.png")
    window.close()
    wait_until(runner.idle)

    running = core.entries.add(NewEntry(local(TODAY, 13.2), None, "Checkout flow review",
                                        core.projects.require("Acme Corp/Website").id, source=EntrySource.TIMER))
    idle = IdleDialog(local(TODAY, 15.7), local(TODAY, 16.28), running, core.projects.projects())
    idle.assign_toggle.setChecked(True)
    idle.add_row()
    idle.rows[0][0].setCurrentIndex(idle.rows[0][0].findText("Globex/Support"))
    idle.rows[0][1].setValue(20)
    idle.rows[1][0].setCurrentIndex(idle.rows[1][0].findText("Northwind/Internal"))
    save(idle, out / "idle_prompt.png")
    idle.close()

    editor = RulesEditor(core.classifier, runner, bus)
    editor.show()
    wait_until(lambda: bool(editor.rules) and runner.idle())
    editor.list.setCurrentRow(2)
    editor.test_title.setText("GLX-1042 Invoice totals wrong - Zendesk - Mozilla Firefox")
    editor.test_app.setText("firefox")
    previewed: list[object] = []
    editor.previewed.connect(previewed.append)
    editor.refresh_preview()
    wait_until(lambda: bool(previewed) and runner.idle())
    wait(500)  # the preview scheduled by selecting the rule runs once more
    wait_until(lambda: runner.idle() and not editor.preview_text.text().startswith("Checking"))
    save(editor, out / "rules_editor.png")
    editor.reject()
    wait_until(runner.idle)
    runner.shutdown()
    core.close()


if __name__ == "__main__":
    sys.exit(run(sys.argv, "tests.screenshots_review", shoot))
