"""Cold start to a visible main window, against a bare PySide6 window started the same way (the floor).

    .venv/bin/python bench/startup_window.py [--runs 3]

Each run is a new Python process (nothing imported, nothing cached in the interpreter), timed from just before it
is spawned until the main window is exposed on screen ("visible"), and until its first page is built and the app
is ready to use ("ready"): the shell the app starts (`app.ui.launch`: the lazy core and desktop features, no tray),
on a throw-away TIMETALLY_HOME. Three cases, each the median of `--runs`:
  * floor: `import PySide6`, a QApplication and an empty QMainWindow, shown;
  * first start: an empty folder, so the database is created and migrated, and the welcome wizard opens too;
  * later start: the same folder again.
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
from app.ui.application import Shell
from app.ui.events import ChangeBus
from app.ui.launch import build_core, desktop_features
from app.ui.tasks import TaskRunner
app = QApplication(sys.argv)
shell = Shell(build_core, TaskRunner(), ChangeBus(), desktop_features, tray_available=lambda: False)
def visible():
    window = shell.window
    if window is not None and window.windowHandle() is not None and window.windowHandle().isExposed():
        print(time.time())
    else:
        QTimer.singleShot(1, visible)
def ready():
    print(time.time()); app.quit()
shell.ready.connect(ready)
QTimer.singleShot(0, shell.start)
QTimer.singleShot(0, visible)
app.exec()
shell.shut_down()
"""


def platform_name() -> str:
    return os.environ.get("QT_QPA_PLATFORM") or ("xcb" if os.environ.get("DISPLAY") else "offscreen")


def once(code: str, home: Path) -> list[float]:
    """Seconds from spawning to each moment the child prints (visible, then ready)."""
    env = dict(os.environ, TIMETALLY_HOME=str(home), PYTHONPATH=str(ROOT), QT_QPA_PLATFORM=platform_name())
    start = time.time()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120,
                         check=True)
    return [float(line) - start for line in out.stdout.split() if line.replace(".", "").isdigit()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    results: dict[str, list[float]] = {}
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as folder:
            home = Path(folder) / "home"
            for name, code in (("bare PySide6 window (floor), visible", FLOOR), ("first start", APP),
                               ("later start", APP)):
                moments = once(code, home)
                labels = [name] if len(moments) == 1 else [f"TimeTally {name}, visible", f"TimeTally {name}, ready"]
                for label, seconds in zip(labels, moments, strict=True):
                    results.setdefault(label, []).append(seconds)
    print(f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"QT_QPA_PLATFORM={platform_name()}")
    for name, times in results.items():
        print(f"{name:40} median {statistics.median(times) * 1000:6.0f} ms   "
              f"runs {', '.join(f'{t * 1000:.0f}' for t in times)} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
