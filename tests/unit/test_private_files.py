"""TimeTally's folders are 0700 and its files 0600 whatever the umask; older, wider ones are tightened (or a warning
is given once); Windows gets a user-only ACL through icacls (faked here). And what lies at the database path is
checked: a folder, a pipe or another program's SQLite file is refused with a sentence, untouched."""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import stat
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app import private_files
from app.core import build_core
from app.domain.errors import StoreError
from app.logs import PrivateRotatingFileHandler
from app.paths import Paths
from app.private_files import private_folder
from app.store.db import open_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def wide_umask() -> Iterator[None]:
    """The usual desktop umask, under which plain creation gives 0755 folders and 0644 files."""
    old = os.umask(0o022)
    private_files._warned.clear()
    yield
    os.umask(old)


def test_a_fresh_home_is_private(home: Path) -> None:
    core = build_core()
    try:
        core.projects.add_project("Acme/Web")  # a write, so the -wal and -shm files exist
        db = Paths.from_env().database
        assert mode(home) == 0o700 and mode(home / "logs") == 0o700
        for part in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
            assert part.exists() and mode(part) == 0o600, part
    finally:
        core.close()


def test_platform_folders_are_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TIMETALLY_HOME", raising=False)
    for name in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name))
    paths = Paths.from_env()
    paths.ensure()
    for folder in (paths.data_dir, paths.config_dir, paths.log_dir):
        assert str(folder).startswith(str(tmp_path)) and mode(folder) == 0o700, folder


def test_an_existing_wide_home_and_database_are_tightened(home: Path) -> None:
    home.mkdir(mode=0o755)
    os.chmod(home, 0o755)
    (home / "logs").mkdir(mode=0o777)
    os.chmod(home / "logs", 0o777)
    db = home / "timetally.db"
    open_database(db).close()
    os.chmod(db, 0o644)
    (home / "logs" / "timetally.log").write_text("old\n")
    os.chmod(home / "logs" / "timetally.log", 0o644)
    Paths.from_env().ensure()
    open_database(db).close()
    handler = PrivateRotatingFileHandler(home / "logs" / "timetally.log", maxBytes=10, backupCount=2)
    try:
        handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, "a long enough line", None, None))
        handler.emit(logging.LogRecord("t", logging.INFO, __file__, 1, "after the rollover", None, None))
    finally:
        handler.close()
    assert (mode(home), mode(home / "logs"), mode(db)) == (0o700, 0o700, 0o600)
    logs = sorted((home / "logs").iterdir())
    assert len(logs) == 3 and all(mode(p) == 0o600 for p in logs), [(p.name, oct(mode(p))) for p in logs]


def test_a_folder_that_cannot_be_tightened_is_warned_about_once(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        caplog: pytest.LogCaptureFixture) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)

    def refuse(path: Any, mode: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "chmod", refuse)
    private_folder(shared)
    private_folder(shared)
    err = capsys.readouterr().err
    assert err.count("can be read by other users") == 1 and "Operation not permitted" in err
    assert sum("can be read by other users" in r.message for r in caplog.records) == 1


class FakeIcacls:
    def __init__(self, code: int = 0) -> None:
        self.calls: list[list[str]] = []
        self.code = code

    def __call__(self, argv: list[str], **_: Any) -> subprocess.CompletedProcess[str]:
        self.calls.append(argv)
        return subprocess.CompletedProcess(argv, self.code, "", "Access is denied." if self.code else "")


def test_windows_folders_outside_the_profile_get_a_user_only_acl(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    env = {"LOCALAPPDATA": str(tmp_path / "AppData" / "Local"), "APPDATA": str(tmp_path / "AppData" / "Roaming"),
           "USERNAME": "ann", "USERDOMAIN": "OFFICE"}
    icacls = FakeIcacls()
    private_folder(tmp_path / "AppData" / "Local" / "TimeTally", windows=True, environ=env, run=icacls)
    assert icacls.calls == []  # the profile's default already admits only the user
    private_folder(tmp_path / "D" / "tt", windows=True, environ=env, run=icacls)
    assert icacls.calls == [["icacls", str(tmp_path / "D" / "tt"), "/inheritance:r", "/grant:r",
                             "OFFICE\\ann:(OI)(CI)F", "/grant:r", "*S-1-5-18:(OI)(CI)F"]]
    failing = FakeIcacls(code=5)
    private_folder(tmp_path / "E", windows=True, environ=env, run=failing)
    err = capsys.readouterr().err
    assert "could not make" in err and "Access is denied" in err


def test_a_folder_at_the_database_path_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "timetally.db").mkdir()
    with pytest.raises(StoreError) as refused:
        open_database(tmp_path / "timetally.db")
    assert "is a folder" in str(refused.value) and "full" not in str(refused.value)


def test_a_pipe_at_the_database_path_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "timetally.db")
    with pytest.raises(StoreError, match="not a regular file"):
        open_database(tmp_path / "timetally.db")


def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    db = tmp_path / "timetally.db"
    conn = sqlite3.connect(db)
    conn.executescript("CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup');"
                       "CREATE TABLE alembic_version (version_num TEXT);")
    conn.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(StoreError) as refused:
        open_database(db)
    assert "another program" in str(refused.value) and "recipes" in str(refused.value)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    assert not Path(f"{db}-wal").exists()


def test_an_empty_sqlite_file_becomes_timetallys(tmp_path: Path) -> None:
    db = tmp_path / "timetally.db"
    sqlite3.connect(db).execute("PRAGMA user_version = 0").connection.close()
    open_database(db).close()
    assert "time_entry" in {r[0] for r in sqlite3.connect(db).execute("SELECT name FROM sqlite_master")}
