"""Screenshots of learned proposals: `python -m tests.screenshots_learned docs` writes
docs/screenshots/review-learned.png (the review with rule and learned proposals side by side) and
rules-editor-learned.png ("Make this a rule" with its live preview), from a throw-away TIMETALLY_HOME.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from app.classify.ruleset_file import loads
from app.core import Core, build_core
from app.domain.models import NewEntry, Span
from app.store.spans import SpanStore
from app.ui.events import ChangeBus
from app.ui.tasks import TaskRunner
from tests.shots import run, save, wait_until

TODAY = date(2026, 11, 19)
RULES = """
[[rule]]
name = "Acme website"
client = "Acme Corp"
project = "Website"
any = [{ field = "title", contains = "acme-web" }]
"""
DAY = [  # hour from, hour to, app, title, project of the ground truth
    (9, 10.4, "code", "{f}.py - acme-web - Visual Studio Code", "Acme Corp/Website"),
    (10.4, 11.6, "code", "{f}.ts - globex-portal - Visual Studio Code", "Globex/Portal"),
    (11.6, 12.3, "firefox", "GLX-{n} Export fails - Jira — Mozilla Firefox", "Globex/Portal"),
    (13.2, 14, "zoom", "Initech weekly - Zoom Meeting", "Initech/Audit"),
    (14, 15.5, "soffice", "Initech audit findings v{n}.docx - LibreOffice Writer", "Initech/Audit"),
    (15.5, 16.1, "thunderbird", "Inbox - Mozilla Thunderbird", ""),
    (16.1, 17.4, "firefox", "GLX-{n} Totals wrong - Jira — Mozilla Firefox", "Globex/Portal"),
]
FILES = ("checkout", "cart", "search", "login")


def local(day: date, hour: float) -> datetime:
    return (datetime.combine(day, time()).astimezone() + timedelta(hours=hour)).astimezone(UTC)


def sample(core: Core) -> None:
    """Monday to Wednesday assigned by hand; Thursday captured with new files and tickets."""
    core.classifier.replace_rules(loads(RULES))
    projects = {path: core.projects.add_project(path).id for path in
                ("Acme Corp/Website", "Globex/Portal", "Initech/Audit")}
    spans = []
    for n in range(4):
        day = TODAY - timedelta(days=3 - n)
        for lo, hi, app, title, path in DAY:
            text = title.format(f=FILES[n], n=140 + 7 * n + int(lo))
            spans.append(Span(local(day, lo).timestamp(), local(day, hi).timestamp(), app, text))
            if n < 3 and path:
                core.entries.add(NewEntry(local(day, lo), local(day, hi), "", projects[path]))
    SpanStore(core.db).add_many(spans)


def shoot(out: Path) -> None:
    from app.ui.review.window import ReviewWindow
    from app.ui.rules_editor import RulesEditor

    out.mkdir(parents=True, exist_ok=True)
    core = build_core()
    sample(core)
    runner, bus = TaskRunner(), ChangeBus()
    window = ReviewWindow(core, runner, bus, clock=lambda: local(TODAY, 17.6), today=lambda: TODAY)
    window.show()
    wait_until(lambda: window.model.review is not None and not window.model.loading and runner.idle())
    tree = window.panel.tree
    learned = next(n for n in range(tree.topLevelItemCount()) if tree.topLevelItem(n).text(2) == "Initech/Audit")
    tree.topLevelItem(learned).setSelected(True)
    save(window, out / "review-learned.png")
    window.learned.rule_button.click()
    wait_until(lambda: any(isinstance(d, RulesEditor) for d in window.dialogs) and runner.idle())
    editor = next(d for d in window.dialogs if isinstance(d, RulesEditor))
    previewed: list[object] = []
    editor.previewed.connect(previewed.append)
    wait_until(lambda: bool(previewed) and runner.idle(), 10_000)
    save(editor, out / "rules-editor-learned.png")
    editor.reject()
    window.close()
    wait_until(runner.idle)
    runner.shutdown()
    core.close()


if __name__ == "__main__":
    sys.exit(run(sys.argv, "tests.screenshots_learned", shoot))
