"""TimeTally's folders and files are readable by their user only: they hold window titles, clients and rates.

Unix: folders 0700, files 0600, whatever the umask; an existing folder of ours that others can read is tightened,
and when that is not possible (another owner, a file system without permissions) a warning is logged once.
Windows: the per-user application folders already admit only the user (and the system); a folder elsewhere
(a `TIMETALLY_HOME` on a shared drive) gets an ACL of the user and SYSTEM only, without inherited entries.
"""

from __future__ import annotations

import contextlib
import logging
import os
import stat
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

log = logging.getLogger(__name__)
WINDOWS = sys.platform == "win32"
SYSTEM_SID = "*S-1-5-18"
_warned: set[Path] = set()


def private_folder(folder: Path, *, windows: bool = WINDOWS, environ: Mapping[str, str] | None = None,
                   run: Callable[..., subprocess.CompletedProcess[str]] = subprocess.run) -> None:
    """Create `folder` (and missing parents) for this user only, or tighten it when it exists."""
    existed = folder.is_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if windows:
        _windows_acl(folder, os.environ if environ is None else environ, run)
        return
    info = folder.stat()
    if info.st_mode & 0o077 == 0:
        return
    try:
        os.chmod(folder, stat.S_IMODE(info.st_mode) & 0o700)
    except OSError as exc:
        warn_once(folder, f"{folder} can be read by other users of this computer and TimeTally could not change that "
                          f"({exc.strerror or exc}); it holds your window titles, clients and rates")
        return
    if existed:
        log.info("%s could be read by other users; it is now private", folder)


def private_file(path: Path, create: bool = True) -> None:
    """Create `path` empty with mode 0600 when missing (and `create`); take group and other permissions from it
    when present."""
    if WINDOWS:
        return  # the folder's ACL is inherited
    if create:
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_CLOEXEC, 0o600))
            return
        except FileExistsError:
            pass
    with contextlib.suppress(FileNotFoundError):
        info = path.lstat()
        if stat.S_ISREG(info.st_mode) and info.st_mode & 0o077:
            try:
                os.chmod(path, stat.S_IMODE(info.st_mode) & 0o600)
            except OSError as exc:
                warn_once(path, f"{path} can be read by other users and TimeTally could not change that "
                                f"({exc.strerror or exc})")


def warn_once(path: Path, message: str) -> None:
    if path not in _warned:
        _warned.add(path)
        log.warning(message)
        print(f"timetally: warning: {message}.", file=sys.stderr)


def _windows_acl(folder: Path, env: Mapping[str, str], run: Callable[..., subprocess.CompletedProcess[str]]) -> None:
    """Give `folder` an ACL of the user and SYSTEM only, unless it lies in the user's own profile folders (whose
    default already is that). `icacls` ships with every Windows since Vista and takes well-known SIDs."""
    profile = [Path(env[k]) for k in ("LOCALAPPDATA", "APPDATA") if env.get(k)]
    if any(folder == p or p in folder.parents for p in profile):
        return
    user = env.get("USERNAME", "")
    domain = env.get("USERDOMAIN", "")
    if not user:
        warn_once(folder, f"TimeTally could not make {folder} private: the user name is unknown")
        return
    account = f"{domain}\\{user}" if domain else user
    result = run(["icacls", str(folder), "/inheritance:r", "/grant:r", f"{account}:(OI)(CI)F",
                  "/grant:r", f"{SYSTEM_SID}:(OI)(CI)F"], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        warn_once(folder, f"TimeTally could not make {folder} private to you ({result.stderr.strip() or 'icacls'})")
