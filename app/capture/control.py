"""What the tray needs from capture: pause for a while or until resumed, resume, and the current state."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class CaptureControl(Protocol):
    def pause(self, until: datetime | None) -> None:
        """Stop recording until the given UTC instant, or until `resume()` when it is None."""

    def resume(self) -> None: ...

    def paused_until(self) -> datetime | None:
        """The UTC instant capture resumes by itself; `datetime.max` (aware) when paused until resumed."""

    def is_paused(self) -> bool: ...
