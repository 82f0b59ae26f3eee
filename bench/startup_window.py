"""Cold start to a visible main window, against a bare PySide6 window started the same way (the floor).

    .venv/bin/python bench/startup_window.py [--runs 3]

Each run is a new Python process (nothing imported, nothing cached in the interpreter), timed from just before it
is spawned until the main window is exposed on screen: the shell the app starts (no tray, the desktop features,
the first page), on a throw-away TIMETALLY_HOME. Three cases, each the median of `--runs`:
  * floor: `import PySide6`, a QApplication and an empty QMainWindow, shown;
  * first start: an empty folder, so the database is created and migrated, and the welcome wizard opens too;
  * later start: the same folder again, onboarding done.
Uses the display Qt is given (run it under `xvfb-run -a` for a real X server), offscreen when there is none.
Target: under 1 s cold.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FLOOR = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)
window.show()
def check():
    if window.windowHandle() is not None and window.windowHandle().isExposed():
        print(time.time()); app.quit()
    else:
        QTimer.singleShot(1, check)
QTimer.singleShot(0, check)
app.exec()
"""

APP = """
import sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.bootstrap import build_core
from app.ui.application import Shell
from app.ui.events import ChangeBus
from app.ui.features import DesktopFeatures
from app.ui.tasks import TaskRunner
app = QApplication(sys.argv)
shell = Shell(build_core, TaskRunner(), ChangeBus(), DesktopFeatures(), tray_available=lambda: False)
def check():
    window = shell.window
    if window is not None and window.windowHandle() is not None and window.windowHandle().isExposed():
        print(time.time()); app.quit()
    else:
        QTimer.singleShot(1, check)
shell.ready.connect(check)
QTimer.singleShot(0, shell.start)
app.exec()
shell.shut_down()
"""


def platform_name() -> str:
    return os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "offscreen")


def once(code: str, home: Path) -> float:
    env = dict(os.environ, TIMETALLY_HOME=str(home), PYTHONPATH=str(ROOT), QT_QPA_PLATFORM=platform_name())
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         check=True)
    return float(out.stdout.strip().splitlines()[-1]) - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    floor, first, later = [], [], []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            home = Path(folder) / "home"
            floor.append(once(FLOOR, home))
            first.append(once(APP, home))
            later.append(once(APP, home))
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"QT_QPA_PLATFORM={platform_name()}")
    for name, times in (("bare PySide6 window (floor)", floor), ("TimeTally, first start", first),
                        ("TimeTally, later start", later)):
        print(f"{name:30} median {statistics.median(times) * 1000:6.0f} ms   "
              f"runs {', '.join(f'{t * 1000:.0f}' for t in times)} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
