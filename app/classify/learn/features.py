"""What a window says about whose work it is: application, executable, domain, repository and ticket-like tokens,
title words and the exact title, each as a short string (`kind:value`) the model counts seconds against."""

from __future__ import annotations

import re
from functools import lru_cache

from app.classify.rules import url_of

APP, EXE, DOMAIN, REPOSITORY, TICKET, WORD, WINDOW = "a", "x", "d", "r", "t", "w", "n"
KINDS = {APP: "application", EXE: "program", DOMAIN: "site", REPOSITORY: "name", TICKET: "ticket prefix",
         WORD: "word", WINDOW: "window"}
_TICKET = re.compile(r"\b([A-Z][A-Z0-9]{1,9})-\d+\b")
_REPOSITORY = re.compile(r"(?<![\w.-])[A-Za-z0-9][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)+(?![\w-])")
_WORD = re.compile(r"[^\W\d_]{3,}")
_STOP = frozenset(["the", "and", "for", "with", "from", "this", "that", "you", "your", "new", "untitled"])
"""Words that say nothing about a client in any title."""


def kind_of(feature: str) -> str:
    return feature[0]


def value_of(feature: str) -> str:
    return feature[2:]


@lru_cache(maxsize=65536)
def features(app: str, exe: str, title: str) -> tuple[str, ...]:
    """The distinct features of one window, specific kinds first. Cached: a year has thousands of distinct windows
    but hundreds of thousands of spans."""
    found: dict[str, None] = {}
    url = url_of(app, exe, title)
    if url:
        host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].casefold()
        found[f"{DOMAIN}:{host.removeprefix('www.')}"] = None
    for prefix in _TICKET.findall(title):
        found[f"{TICKET}:{prefix}"] = None
    for token in _REPOSITORY.findall(title):
        if not _TICKET.fullmatch(token):
            found[f"{REPOSITORY}:{token.casefold()}"] = None
    for word in _WORD.findall(title.casefold()):
        if word not in _STOP:
            found[f"{WORD}:{word}"] = None
    if title:
        found[f"{WINDOW}:{title.casefold()}"] = None
    if app:
        found[f"{APP}:{app.casefold()}"] = None
    program = exe.replace("\\", "/").rsplit("/", 1)[-1].casefold()
    if program and program != app.casefold():
        found[f"{EXE}:{program}"] = None
    return tuple(found)


def describe(feature: str) -> str:
    """The feature as a person reads it: ticket prefix 'ACME-', name 'acme-web', application 'slack'."""
    kind, value = kind_of(feature), value_of(feature)
    if kind == TICKET:
        return f"ticket prefix '{value}-'"
    if kind == WINDOW:
        return "that exact window"
    return f"{KINDS[kind]} '{value}'"
