"""Regular expressions users write, run in time linear in the text: RE2 (through `google-re2`), never backtracking.

Python's `re` backtracks: `^(\\w+\\s?)+$` against a long title runs for ages while holding the GIL, so one pattern
in a rule could starve capture and the GUI. RE2 guarantees time proportional to the text whatever the pattern,
at the price of the few features that need backtracking (backreferences, lookaround, atomic groups, possessive
quantifiers); patterns using them are refused with a sentence saying which feature and why.

Users write Python's dialect, so a pattern is first checked by `re` (its error messages name the position), then
translated where the two differ: `\\w`, `\\d`, `\\s` and their negations mean Unicode classes (RE2's are ASCII),
`\\Z` is `\\z` and `\\uXXXX` is `\\x{XXXX}`. `\\b` stays RE2's ASCII word boundary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import re2

MAX_PATTERN = 1_000
"""Characters in one pattern; more is never a window-title pattern and only costs compile time."""
_OPTIONS = {True: re2.Options(), False: re2.Options()}
for _sensitive, _options in _OPTIONS.items():
    _options.log_errors = False  # the C++ library would print to stderr; we say it in a sentence instead
    _options.case_sensitive = _sensitive

_CLASSES = {"w": r"\p{L}\p{N}_", "d": r"\p{Nd}", "s": r"\s\p{Z}\x{1c}-\x{1f}\x{85}"}
"""Python's Unicode meaning of `\\w`, `\\d`, `\\s`, as the inside of an RE2 character class."""
_UNSUPPORTED = (
    ("(?=", "lookahead (?=…)"), ("(?!", "negative lookahead (?!…)"), ("(?<=", "lookbehind (?<=…)"),
    ("(?<!", "negative lookbehind (?<!…)"), ("(?>", "atomic groups (?>…)"), ("(?P=", "named backreferences (?P=…)"),
    ("(?(", "conditionals (?(…)…)"),
)
_WHY = "they need backtracking, which can take forever on long titles"


class PatternError(ValueError):
    """A pattern the engine does not take; `reason` is a sentence for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Regex:
    """A compiled pattern; `search` and `fullmatch` return RE2 matches (`.groups()`, `.group(0)`)."""

    pattern: str
    groups: int
    _compiled: object

    def search(self, text: str) -> re2._Match | None:
        return self._compiled.search(text)  # type: ignore[attr-defined]

    def fullmatch(self, text: str) -> re2._Match | None:
        return self._compiled.fullmatch(text)  # type: ignore[attr-defined]


@lru_cache(maxsize=1024)
def compile_regex(pattern: str, ignore_case: bool = False) -> Regex:
    """Check `pattern` as Python writes it and compile it for RE2; PatternError says what is wrong. Cached like
    `re.compile`: an engine is rebuilt after every rule change, and its other patterns have not changed."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"the pattern is {len(pattern):,} characters long; at most {MAX_PATTERN:,} are allowed")
    try:
        re.compile(pattern)
    except re.error as exc:
        where = f" at position {exc.pos}" if exc.pos is not None else ""
        raise PatternError(f"{exc.msg}{where} in {pattern!r}") from None
    except RecursionError:
        raise PatternError("the pattern nests too deeply") from None
    return _compile(translate(pattern), pattern, ignore_case)


@lru_cache(maxsize=1024)
def compile_glob(pattern: str, ignore_case: bool = False) -> Regex:
    """A shell glob (`*`, `?`, `[abc]`, `[!abc]`) matched against the whole text."""
    if len(pattern) > MAX_PATTERN:
        raise PatternError(f"the pattern is {len(pattern):,} characters long; at most {MAX_PATTERN:,} are allowed")
    return _compile(glob_to_re2(pattern), pattern, ignore_case)


def _compile(source: str, original: str, ignore_case: bool) -> Regex:
    try:
        compiled = re2.compile(source, _OPTIONS[not ignore_case])
    except re2.error as exc:
        raise PatternError(_reason(original, exc)) from None
    return Regex(original, compiled.groups, compiled)


def _reason(pattern: str, exc: Exception) -> str:
    for marker, name in _UNSUPPORTED:
        if marker in pattern:
            return f"{name} cannot be used: {_WHY}"
    text = exc.args[0].decode(errors="replace") if exc.args and isinstance(exc.args[0], bytes) else str(exc)
    if re.search(r"\\[1-9]", pattern):
        return f"backreferences like \\1 cannot be used: {_WHY}"
    if re.search(r"[*+?}][+]", pattern):
        return f"possessive quantifiers like a++ cannot be used: {_WHY}"
    if "repetition" in text or "too large" in text or "too big" in text:
        return f"the pattern repeats too much to match quickly ({text}); use smaller counts like {{1,100}}"
    return f"TimeTally cannot run this pattern ({text})"


def translate(pattern: str) -> str:
    """Python's dialect to RE2's, for a pattern `re` has accepted (see the module docstring)."""
    out: list[str] = []
    in_class = False
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            i += 2
            lower = nxt.lower()
            if lower in _CLASSES:
                inner = _CLASSES[lower]
                if in_class:
                    out.append(inner if nxt.islower() else "\\" + nxt)  # a negated class inside [] stays ASCII
                else:
                    out.append(f"[{inner}]" if nxt.islower() else f"[^{inner}]")
            elif nxt == "Z":
                out.append(r"\z")
            elif nxt in "uU":
                size = 4 if nxt == "u" else 8
                out.append(f"\\x{{{pattern[i:i + size]}}}")
                i += size
            else:
                out.append("\\" + nxt)
            continue
        if in_class:
            if c == "]" and not _class_opening(out):
                in_class = False
            elif c == "[":
                c = r"\["  # Python takes a bare [ inside a class literally; RE2 might read [:alpha:]
        elif c == "[":
            in_class = True
        out.append(c)
        i += 1
    return "".join(out)


def _class_opening(out: list[str]) -> bool:
    """Whether `]` here is literal: right after `[` or `[^`, as both dialects read it."""
    return bool(out) and (out[-1] == "[" or (out[-1] == "^" and len(out) > 1 and out[-2] == "["))


def glob_to_re2(pattern: str) -> str:
    """`fnmatch` semantics: `*` any run, `?` one character, `[...]`/`[!...]` a class; a lone `[` is literal."""
    out = ["(?s)"]
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        i += 1
        if c == "*":
            if out[-1] != ".*":
                out.append(".*")
        elif c == "?":
            out.append(".")
        elif c == "[":
            j = i + (1 if i < n and pattern[i] == "!" else 0)
            j += 1 if j < n and pattern[j] == "]" else 0
            close = pattern.find("]", j)
            if close == -1:
                out.append(r"\[")
                continue
            body = pattern[i:close]
            negate = body.startswith("!")
            body = body[1:] if negate else body
            escaped = "".join("\\" + ch if ch in "\\[]^" else ch for ch in body)
            out.append(f"[{'^' if negate else ''}{escaped}]")
            i = close + 1
        else:
            out.append(re2.escape(c))
    return "".join(out)
