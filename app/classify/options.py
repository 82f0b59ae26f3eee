"""The settings classification owns; `ClassifierService.options` reads them typed, from one snapshot."""

from __future__ import annotations

from typing import Any

from app.options import Option, between

MERGE_GAP_SECONDS = Option("classify.merge_gap_seconds", 300, "Merge captured stretches of one project closer "
                           "than (seconds)", between(0, 3600))
BRIEF_INTERRUPTION_SECONDS = Option("classify.brief_interruption_seconds", 60, "Absorb other activity shorter than "
                                    "(seconds)", between(0, 600))
MINIMUM_SECONDS = Option("classify.minimum_seconds", 240, "Shortest proposal: shorter stretches join the same "
                         "project's nearby time, or show as too short (seconds)", between(0, 3600))
LEARNING = Option("classify.learning", True, "Propose time no rule classifies from what you assigned before "
                  "(learned and kept on this computer)")

CLASSIFY: tuple[Option[Any], ...] = (MERGE_GAP_SECONDS, BRIEF_INTERRUPTION_SECONDS, MINIMUM_SECONDS, LEARNING)
