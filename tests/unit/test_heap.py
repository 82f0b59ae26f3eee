"""Objects alive when the app is up are frozen out of later full collections; young garbage is collected first."""

from __future__ import annotations

import gc
import weakref

from app.ui.heap import settle


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_settle_collects_young_cycles_and_freezes_the_rest() -> None:
    gc.collect()
    garbage = _Node()
    gone = weakref.ref(garbage)
    kept = _Node()
    del garbage
    try:
        settle()
        assert gone() is None  # a young cycle is collected, not frozen for good
        assert gc.get_freeze_count() > 0
        assert all(o is not kept for o in gc.get_objects())  # frozen: the collector no longer walks it
    finally:
        gc.unfreeze()
