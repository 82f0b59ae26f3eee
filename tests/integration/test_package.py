"""The built bundle (`make package`): its own self-test passes, it is trimmed, and it starts on a real X display.

Skipped until dist/timetally exists, so `make test` does not need a build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import __version__
from tests.desktop import Desktop

ROOT = Path(__file__).resolve().parents[2]
BUNDLE = ROOT / "dist" / "timetally"
EXE = BUNDLE / ("timetally.exe" if sys.platform == "win32" else "timetally")
LIMIT_MIB = 130

pytestmark = pytest.mark.skipif(not EXE.is_file(), reason="no bundle in dist/: run `make package` first")


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["TIMETALLY_HOME"] = str(home)
    return env


def test_the_bundle_passes_its_self_test(tmp_path: Path) -> None:
    result = subprocess.run(
        [str(EXE), "--self-test"], env=_env(tmp_path / "home"), capture_output=True, text=True, timeout=120
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "self-test passed" in result.stdout
    assert not (tmp_path / "home").exists()


def test_the_bundle_runs_the_cli(tmp_path: Path) -> None:
    env = _env(tmp_path / "home")
    version = subprocess.run([str(EXE), "--version"], env=env, capture_output=True, text=True, timeout=60)
    started = subprocess.run(
        [str(EXE), "timer", "start", "--description", "bundle check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert version.stdout.strip() == f"TimeTally {__version__}"
    assert started.returncode == 0, started.stderr
    assert (tmp_path / "home" / "timetally.db").is_file()


def test_the_bundle_is_trimmed() -> None:
    files = [p for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink()]
    size = sum(p.stat().st_size for p in files)
    names = {p.name for p in files}

    assert size < LIMIT_MIB * 2**20, f"{size / 2**20:.1f} MiB"
    assert not [p for p in files if "translations" in p.parts], "Qt translations were bundled"
    assert not [n for n in names if "wayland" in n.lower() or "eglfs" in n.lower()]
    assert {"env.py", "script.py.mako"} <= names
    assert (BUNDLE / "_internal" / "resources" / "icons" / "app.svg").is_file()
    assert (BUNDLE / "_internal" / "resources" / "providers.toml").is_file(), "the client ids a release ships"


@pytest.mark.x11
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="xcb is Linux's platform plugin")
def test_the_bundle_shows_its_window_on_x11(desktop: Desktop, tmp_path: Path) -> None:
    env = {**desktop.env, "TIMETALLY_HOME": str(tmp_path / "home")}
    app = subprocess.Popen([str(EXE)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        desktop.wait_for(
            lambda: desktop.run("xdotool", "search", "--onlyvisible", "--pid", str(app.pid), check=False) != "",
            timeout=30,
            what="the TimeTally window",
        )
        assert app.poll() is None
    finally:
        app.terminate()
        app.wait(timeout=20)
