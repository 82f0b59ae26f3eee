"""Privacy before storage: exclusions, redactions, private windows, tracking hours, hostile titles."""

from __future__ import annotations

from datetime import datetime

import pytest

from app.capture.backends.base import MAX_TEXT, Window, clean_text
from app.capture.privacy import DEFAULT_REDACTIONS, Privacy, check_patterns
from app.capture.schedule import TrackingHours, check_rules
from app.domain.errors import ValidationError
from app.option_registry import OPTIONS


def test_excluded_applications_and_titles_are_dropped() -> None:
    rules = Privacy.from_lists(exclude_apps=["^keepass"], exclude_titles=[r"bank\b"])
    assert rules.apply(Window("KeePassXC", "Passwords")) is None
    assert rules.apply(Window("Term", "x", exe="/usr/bin/keepassxc")) is None
    assert rules.apply(Window("Term", "x", exe="C:\\Program Files\\KeePass\\KeePass.exe")) is None
    assert rules.apply(Window("Term", "x", exe="/opt/keepass/run")) == Window("Term", "x", exe="/opt/keepass/run")
    assert rules.apply(Window("Firefox", "My Bank - Login")) is None
    assert rules.apply(Window("Firefox", "Docs")) == Window("Firefox", "Docs")


def test_redactions_remove_noise_or_replace_it() -> None:
    rules = Privacy.from_lists(redactions=[*DEFAULT_REDACTIONS, r"Inbox \(\d+\) - .* - Mail => Inbox - Mail"])
    assert rules.apply(Window("Chat", "(12) General")).title == "General"
    assert rules.apply(Window("Code", "● main.py - project")).title == "main.py - project"
    assert rules.apply(Window("Mail", "Inbox (3) - Salary review - Mail")).title == "Inbox - Mail"


@pytest.mark.parametrize(("app", "title"), [
    ("Firefox", "Some page — Mozilla Firefox Private Browsing"),
    ("Google-chrome", "New Tab - Google Chrome (Incognito)"),
    ("msedge", "Bing - [InPrivate] - Microsoft Edge"),
    ("Brave-browser", "Search - Brave (Private)"),
    ("Tor Browser", "Anything at all"),
])
def test_private_browser_windows_are_excluded_by_default(app: str, title: str) -> None:
    assert Privacy.from_lists().apply(Window(app, title)) is None
    assert Privacy.from_lists(exclude_private_windows=False).apply(Window(app, title)) is not None


def test_the_word_private_outside_a_browser_is_kept() -> None:
    assert Privacy.from_lists().apply(Window("Writer", "Incognito - a novel.odt")) is not None


def test_hostile_titles_are_cleaned_not_refused() -> None:
    assert clean_text("a\x00b\x07c\r\nd") == "a b c d"
    assert clean_text("Réunion 📅 مرحبا \u202eevil") == "Réunion 📅 مرحبا \u202eevil"
    assert clean_text("broken \ud800 surrogate") == "broken \ufffd surrogate"
    assert clean_text(b"bytes \xff\xfe") == "bytes \ufffd\ufffd"
    long = clean_text("x" * 12_000)
    assert len(long) == MAX_TEXT and long.endswith("…")
    assert clean_text(None) == "" and clean_text("   ") == ""


def test_settings_refuse_bad_patterns_and_hours() -> None:
    assert check_patterns(["(unclosed"]) is not None and check_patterns(["ok", "a => b"]) is None
    with pytest.raises(ValidationError, match="regular expression"):
        OPTIONS["capture.exclude_apps"].validate(["[bad"])
    with pytest.raises(ValidationError, match="Mon-Fri"):
        OPTIONS["capture.tracking_hours"].validate(["weekdays 9 to 5"])
    assert check_rules(["Mon-Fri 08:00-19:00", "Sat 10:00-12:30"]) is None
    assert OPTIONS["capture.idle_seconds"].default == 300


def test_tracking_hours() -> None:
    hours = TrackingHours(["Mon-Fri 08:00-19:00", "Sat 22:00-02:00"])
    monday = datetime(2026, 11, 16)
    assert hours.allows(monday.replace(hour=8)) and hours.allows(monday.replace(hour=18, minute=59))
    assert not hours.allows(monday.replace(hour=7, minute=59)) and not hours.allows(monday.replace(hour=19))
    assert hours.allows(datetime(2026, 11, 21, 23)) and hours.allows(datetime(2026, 11, 22, 1, 30))
    assert not hours.allows(datetime(2026, 11, 22, 12))
    assert TrackingHours([]).allows(datetime(2026, 11, 22, 3))
