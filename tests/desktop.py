"""A real X desktop for integration tests: Xvfb on a free display, openbox, and optionally a tray host."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Desktop:
    display: str
    env: dict[str, str]
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def run(self, *args: str, check: bool = True) -> str:
        """Run an X client (xdotool, xprop, ...) on this display and return its output."""
        out = subprocess.run(args, env=self.env, capture_output=True, text=True, timeout=20, check=check)
        return out.stdout.strip()

    def spawn(self, *args: str) -> subprocess.Popen[bytes]:
        proc = subprocess.Popen(args, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.processes.append(proc)
        return proc

    def wait_for(self, predicate: object, timeout: float = 10.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if predicate():  # type: ignore[operator]
                    return
            except subprocess.SubprocessError:
                pass
            time.sleep(0.05)
        raise TimeoutError(f"timed out waiting for {what}")


def available() -> bool:
    return all(shutil.which(tool) for tool in ("Xvfb", "openbox", "xdotool", "xprop"))


@contextmanager
def x_desktop(tray: bool = False, size: str = "1280x800x24") -> Iterator[Desktop]:
    """Start Xvfb (free display via -displayfd), openbox, and `trayer` when a system tray is wanted."""
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", size, "-nolisten", "tcp",
         "+extension", "MIT-SCREEN-SAVER"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        xvfb.kill()
        raise RuntimeError("Xvfb did not start")
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env.update(DISPLAY=f":{number}", XDG_SESSION_TYPE="x11")
    desk = Desktop(display=f":{number}", env=env, processes=[xvfb])
    try:
        desk.spawn("openbox", "--sm-disable")
        desk.wait_for(
            lambda: "window id" in desk.run("xprop", "-root", "_NET_SUPPORTING_WM_CHECK", check=False),
            timeout=30.0,  # a loaded machine can take a while to start a window manager
            what="openbox",
        )
        if tray:
            desk.spawn("trayer", "--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "120",
                       "--height", "32", "--SetDockType", "true")
            desk.wait_for(
                lambda: "window id" in desk.run("xprop", "-root", "_NET_SYSTEM_TRAY_S0", check=False)
                or bool(desk.run("xdotool", "search", "--class", "trayer", check=False)),
                timeout=30.0,
                what="trayer",
            )
        yield desk
    finally:
        for proc in reversed(desk.processes):
            proc.terminate()
        for proc in desk.processes:
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
