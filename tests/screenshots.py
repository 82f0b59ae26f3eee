"""Screenshots of the desktop UI with sample data: `python -m tests.screenshots docs` writes docs/screenshots/*.png.

Runs on whatever display Qt is given (Xvfb with QT_QPA_PLATFORM=xcb for the README, or offscreen) against a
throw-away TIMETALLY_HOME, so real data is never touched.
"""

from __future__ import annotations

import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QColor, QPainter, QPixmap

from app.core import Core, build_core, build_watcher
from app.domain.models import NewEntry
from app.timesheet.liveness import UncleanExit
from app.ui.application import Shell
from app.ui.entry_dialog import EntryDialog
from app.ui.events import ChangeBus
from app.ui.features import DesktopFeatures
from app.ui.icons import Icon, icon
from app.ui.tasks import TaskRunner
from app.ui.timer_model import TimerModel
from app.ui.timer_window import TimerWindow
from app.ui.tray import TrayController
from app.ui.unclean_exit_dialog import UncleanExitDialog
from tests.shots import run, save, wait_until


def at(hour: int, minute: int) -> datetime:
    """Today's local time as a UTC instant."""
    return datetime.combine(date.today(), time(hour, minute)).astimezone().astimezone(UTC)


def sample_data(core: Core) -> None:
    web = core.projects.add_project("Acme Corp/Website")
    mobile = core.projects.add_project("Acme Corp/Mobile app")
    support = core.projects.add_project("Globex/Support")
    core.projects.add_project("Initech/TPS reports")
    design = core.projects.ensure_task(web.id, "Design").id
    release, review = (core.projects.ensure_task(mobile.id, name).id for name in ("Release", "Code review"))
    for start, end, text, project, task in [
        ((8, 30), (9, 0), "Standup and planning", web.id, None),
        ((9, 0), (10, 40), "Landing page hero section", web.id, design),
        ((10, 50), (11, 35), "Ticket triage", support.id, None),
        ((12, 30), (13, 15), "Release notes for 2.4", mobile.id, release),
    ]:
        core.entries.add(NewEntry(start=at(*start), end=at(*end), description=text, project_id=project, task_id=task))
    core.entries.add(NewEntry(start=at(13, 15), end=None, description="Checkout flow review", project_id=mobile.id,
                              task_id=review))


def icon_sheet(path: Path) -> None:
    """The tray icons at common tray sizes, on a light and a dark panel."""
    sizes, names = (16, 22, 32), (Icon.STOPPED, Icon.RUNNING, Icon.PAUSED, Icon.RECONNECT, Icon.APP)
    cell = 44
    sheet = QPixmap(cell * len(sizes) * len(names), cell * 2)
    painter = QPainter(sheet)
    for row, panel in enumerate((QColor("#f2f2f2"), QColor("#2b2b2b"))):
        painter.fillRect(0, row * cell, sheet.width(), cell, panel)
        for n, name in enumerate(names):
            for s, size in enumerate(sizes):
                x = (n * len(sizes) + s) * cell + (cell - size) // 2
                painter.drawPixmap(x, row * cell + (cell - size) // 2, icon(name).pixmap(size, size))
    painter.end()
    sheet.save(str(path))
    print(path)


def shoot(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    core = build_core()
    sample_data(core)
    runner, bus = TaskRunner(), ChangeBus()
    now = at(14, 27) + timedelta(seconds=35)
    model = TimerModel(core, runner, bus, clock=lambda: now)
    model.refresh()
    wait_until(lambda: model.snapshot.running is not None)

    window = TimerWindow(model, core, runner, bus)
    window.show()
    wait_until(lambda: window.list.topLevelItemCount() == 5)
    window.list.topLevelItem(1).setSelected(True)
    save(window, out / "timer-window.png")

    # As the app builds it: capture can be paused, and the features add their windows to the menu.
    tray = TrayController(model, runner, capture=build_watcher(core))
    tray.add_actions(DesktopFeatures().menu(Shell(lambda: core, runner, bus)))
    wait_until(runner.idle)
    tray.menu.popup(QPoint(40, 40))
    save(tray.menu, out / "tray-menu.png")
    tray.menu.hide()

    entry = next(e for e in model.snapshot.recent if e.task_name == "Design")
    dialog = EntryDialog(model.snapshot.projects, entry, now, tasks=model.snapshot.tasks)
    save(dialog, out / "entry-dialog.png")
    dialog.close()

    running = model.snapshot.running
    assert running is not None
    unclean = UncleanExit(last_alive=at(13, 58), timer=running, run_ids=())
    crash = UncleanExitDialog(unclean, now)
    save(crash, out / "unclean-exit.png")
    crash.close()

    icon_sheet(out / "tray-icons.png")
    window.close()
    runner.shutdown()
    core.close()


if __name__ == "__main__":
    sys.exit(run(sys.argv, "tests.screenshots", shoot))
