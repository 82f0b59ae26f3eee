"""Where TimeTally keeps its files: the platform's folders, or all under `TIMETALLY_HOME` when it is set."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from app.domain.errors import StoreError
from app.private_files import private_folder

APP_NAME = "TimeTally"


@dataclass(frozen=True, slots=True)
class Paths:
    data_dir: Path
    config_dir: Path
    log_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "timetally.db"

    @property
    def settings_file(self) -> Path:
        """Optional user-edited overrides (provider URLs and the like), read at start-up."""
        return self.config_dir / "settings.toml"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "timetally.log"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Paths:
        env = os.environ if environ is None else environ
        home = env.get("TIMETALLY_HOME")
        if home:
            root = Path(home).expanduser()
            return cls(data_dir=root, config_dir=root, log_dir=root / "logs")
        return cls(
            data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
        )

    def ensure(self) -> None:
        """Create the folders for this user only (`private_files`), turning an OS refusal into a sentence that
        names the folder."""
        for folder in sorted({self.data_dir, self.config_dir, self.log_dir}):
            try:
                private_folder(folder)
            except OSError as exc:
                raise StoreError(
                    f"TimeTally cannot create its folder {folder}: {exc.strerror or exc}. "
                    "Check its permissions, or set TIMETALLY_HOME to a folder you can write to."
                ) from exc
