"""Keeps Python's full garbage collections off the GUI's critical path.

A full collection walks every tracked object while holding the interpreter lock; with the app, Qt's wrappers and a
year of report data loaded that is some 170,000 objects and 200 ms or more, in whichever thread happened to
allocate, so the GUI stalled at random while a report was read on a worker. The objects alive once the app is up
live as long as it does: frozen, later collections skip them and take a few milliseconds.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """Collects the young generations (cheap), then freezes what is left. Call once the long-lived objects exist;
    a cycle frozen here is never collected, so not for objects that come and go."""
    gc.collect(1)
    gc.freeze()
