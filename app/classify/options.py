"""The settings classification owns."""

from __future__ import annotations

from typing import Any

from app.options import Option, between

CLASSIFY: tuple[Option[Any], ...] = (
    Option("classify.merge_gap_seconds", 300, "Merge captured stretches of one project closer than (seconds)",
           between(0, 3600)),
    Option("classify.brief_interruption_seconds", 60, "Absorb other activity shorter than (seconds)",
           between(0, 600)),
    Option("classify.minimum_seconds", 240, "Shortest proposal: shorter stretches join the same project's "
           "nearby time, or show as too short (seconds)", between(0, 3600)),
    Option("classify.learning", True, "Propose time no rule classifies from what you assigned before "
           "(learned and kept on this computer)"),
)
