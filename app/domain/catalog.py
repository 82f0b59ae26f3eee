"""What the clients and projects page renames and archives."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    CLIENT = "client"
    PROJECT = "project"
    TASK = "task"
