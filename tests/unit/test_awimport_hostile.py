"""Crafted ActivityWatch exports: each is refused whole with its first problems named (nothing stored), a hypothesis
strategy of exports, repeated events counted once, and reads that survive any row already stored."""

from __future__ import annotations

import itertools
import json
import math
import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.capture.awimport import read_export, to_spans
from app.capture.privacy import Privacy
from app.cli import main
from app.core import Core
from app.domain.errors import ValidationError
from app.domain.models import MAX_SPAN_SECONDS
from app.store.spans import SpanStore

DAY = "2026-11-18"


def event(clock: str, seconds: Any, **data: Any) -> dict[str, Any]:
    return {"timestamp": f"{DAY}T{clock}+00:00", "duration": seconds, "data": data}


def export(events: list[Any], afk: list[Any] | None = None) -> dict[str, Any]:
    buckets: dict[str, Any] = {"aw-watcher-window_host": {"type": "currentwindow", "events": events}}
    if afk is not None:
        buckets["aw-watcher-afk_host"] = {"type": "afkstatus", "events": afk}
    return {"buckets": buckets}


GOOD = event("09:00:00", 600, app="Code", title="main.py")
RAW: list[tuple[str, str, str]] = [  # (name, JSON text, a word the refusal must hold)
    ("duration-1e20", json.dumps(export([event("09:00:00", 1e20, app="a", title="t")])), "maximum"),
    ("duration-inf-string", json.dumps(export([event("09:00:00", "inf", app="a")])), "not of type"),
    ("duration-NaN", json.dumps(export([GOOD])).replace("600", "NaN"), "NaN"),
    ("duration-Infinity", json.dumps(export([GOOD])).replace("600", "Infinity"), "Infinity"),
    ("duration-minus-Infinity", json.dumps(export([GOOD])).replace("600", "-Infinity"), "Infinity"),
    ("duration-1e400", json.dumps(export([GOOD])).replace("600", "1e400"), "too large"),
    ("duration-5001-digits", json.dumps(export([GOOD])).replace("600", "9" * 5001), "5,001 digits"),
    ("id-5001-digits", json.dumps(export([dict(GOOD, id=0)])).replace('"id": 0', '"id": ' + "1" * 5001), "digits"),
    ("duration-negative", json.dumps(export([event("09:00:00", -5, app="a")])), "minimum"),
    ("duration-bool", json.dumps(export([event("09:00:00", True, app="a")])), "not of type"),
    ("duration-list", json.dumps(export([event("09:00:00", [1], app="a")])), "not of type"),
    ("data-string", json.dumps(export([{"timestamp": f"{DAY}T09:00:00Z", "duration": 1, "data": "x"}])), "object"),
    ("data-null", json.dumps(export([{"timestamp": f"{DAY}T09:00:00Z", "duration": 1, "data": None}])), "object"),
    ("data-missing", json.dumps(export([{"timestamp": f"{DAY}T09:00:00Z", "duration": 1}])), "required"),
    ("title-number", json.dumps(export([event("09:00:00", 1, app="a", title=5)])), "not of type"),
    ("app-list", json.dumps(export([event("09:00:00", 1, app=["a"])])), "not of type"),
    ("title-huge", json.dumps(export([event("09:00:00", 1, app="a", title="x" * 20_000)])), "too long"),
    ("status-object", json.dumps(export([GOOD], [event("09:00:00", 1, status={"a": 1})])), "not of type"),
    ("events-number", json.dumps({"buckets": {"aw-watcher-window_h": {"events": 5}}}), "not of type"),
    ("events-string", json.dumps({"buckets": {"aw-watcher-window_h": {"events": "[]"}}}), "not of type"),
    ("events-null", json.dumps({"buckets": {"aw-watcher-window_h": {"events": None}}}), "not of type"),
    ("event-string", json.dumps(export(["x"])), "not of type"),
    ("event-null", json.dumps(export([None])), "not of type"),
    ("timestamp-missing", json.dumps(export([{"duration": 1, "data": {}}])), "required"),
    ("timestamp-number", json.dumps(export([{"timestamp": 1, "duration": 1, "data": {}}])), "not of type"),
    ("timestamp-garbage", json.dumps(export([{"timestamp": "yesterday", "duration": 1, "data": {}}])), "match"),
    ("timestamp-year-1", json.dumps(export([{"timestamp": "0001-01-01T00:00:00Z", "duration": 1, "data": {}}])),
     "outside"),
    ("timestamp-year-9999", json.dumps(export([{"timestamp": "9999-12-31T23:59:59Z", "duration": 1,
                                                "data": {}}])), "outside"),
    ("timestamp-month-13", json.dumps(export([{"timestamp": "2026-13-01T00:00:00Z", "duration": 1, "data": {}}])),
     "month"),
    ("bucket-without-events", json.dumps({"buckets": {"aw-watcher-window_h": {"type": "currentwindow"}}}),
     "required"),
    ("bucket-id-number", json.dumps([{"id": 5, "events": []}]), "not of type"),
    ("bucket-string", json.dumps({"buckets": ["x"]}), "not of type"),
    ("buckets-string", json.dumps({"buckets": "x"}), "no buckets"),
    ("buckets-empty", json.dumps({"buckets": {}}), "no buckets"),
    ("top-number", "5", "no buckets"),
    ("top-string", '"x"', "no buckets"),
    ("top-null", "null", "no buckets"),
    ("empty-file", "", "not an ActivityWatch export"),
    ("nested-100000", "[" * 100_000 + "]" * 100_000, "nests far too deeply"),
    ("nested-objects", '{"a":' * 100_000 + "1" + "}" * 100_000, "nests far too deeply"),
    ("truncated", json.dumps(export([GOOD]))[:-7], "not an ActivityWatch export"),
    ("trailing-garbage", json.dumps(export([GOOD])) + "x", "not an ActivityWatch export"),
    ("many-problems", json.dumps(export([event("09:00:00", -1)] * 40)), "minimum"),
]


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_crafted_exports_are_refused_whole_with_their_first_problems(
        core: Core, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    files = [(name, _write(tmp_path, name, text), word) for name, text, word in RAW]
    files.append(("latin-1", tmp_path / "latin1.json", "UTF-8"))
    files[-1][1].write_bytes(json.dumps(export([event("09:00:00", 1, app="caf")])).encode().replace(b"caf", b"\xe9"))
    files.append(("folder", tmp_path, "folder"))
    assert len(files) == 45
    valid = _write(tmp_path, "valid", json.dumps(export([event("09:00:00", 60, app="a", title="t")] * 3
                                                        + [event("08:00:00", 60, app="b", title="u")])))
    for name, path, word in [*files, ("valid-with-bad", valid, "")]:
        if name == "valid-with-bad":
            text = json.loads(valid.read_text())
            text["buckets"]["aw-watcher-window_host"]["events"].append(event("10:00:00", "1", app="x"))
            path = _write(tmp_path, name, json.dumps(text))
            word = "not of type"
        code = main(["import", "activitywatch", str(path)])
        err = capsys.readouterr().err
        assert code == 1, name
        assert word in err and "Traceback" not in err, (name, err)
        assert SpanStore(core.db).count() == 0, f"{name} stored spans although it was refused"
    capsys.readouterr()
    main(["import", "activitywatch", str(_write(tmp_path, "many", RAW[-1][1]))])
    assert capsys.readouterr().err.count("minimum") == 5  # the first five problems, not forty


def test_devices_and_fifos_are_refused(core: Core, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "aw.json"
    os.mkfifo(fifo)
    for path in (Path("/dev/zero"), fifo):
        assert main(["import", "activitywatch", str(path)]) == 1
        assert "not a regular file" in capsys.readouterr().err


def test_identical_events_are_imported_once_and_overlaps_are_cut(
        core: Core, tmp_path: Path, capsys: pytest.CaptureFixture[str], utc_zone: None) -> None:
    events = [event("09:00:00", 600, app="Code", title="main.py")] * 50
    events += [event("09:05:00", 600, app="Term", title="bash")]  # overlaps the last five minutes
    path = _write(tmp_path, "dupes", json.dumps(export(events)))
    assert main(["import", "activitywatch", str(path)]) == 0
    assert "Imported 2 spans" in capsys.readouterr().out
    assert main(["activity", "list", "--day", DAY]) == 0
    assert "2 spans, 0:15:00 active." in capsys.readouterr().out


def test_reads_survive_any_row_already_stored(core: Core, capsys: pytest.CaptureFixture[str],
                                              utc_zone: None) -> None:
    start = datetime.fromisoformat(f"{DAY}T09:00:00+00:00").timestamp()
    rows = [(start, start + 60, "ok"), (start + 60, 1e20, "huge"), (start + 120, math.inf, "inf"),
            (-math.inf, start + 3600, "from ever"), (start + 240, start + 240 + MAX_SPAN_SECONDS + 1, "year")]
    conn = sqlite3.connect(core.db.path)
    with conn:
        conn.executemany("INSERT INTO capture_span (start_ts, end_ts, app, title, exe, idle) "
                         "VALUES (?, ?, ?, ?, '', 0)", [(s, e, a, a) for s, e, a in rows])
        conn.execute("INSERT OR REPLACE INTO capture_meta (key, value) VALUES ('longest_span', ?)", (math.inf,))
    conn.close()
    for argv in (["activity", "list", "--day", DAY], ["activity", "list", "--day", DAY, "--json"],
                 ["propose", "--day", DAY], ["report", "utilisation", "--from", DAY, "--to", DAY],
                 ["activity", "list", "--day", "2026-11-25"]):
        code = main(argv)
        out = capsys.readouterr()
        assert code == 0 and "Traceback" not in out.err, (argv, out.err)
    main(["activity", "list", "--day", DAY])
    assert "1 spans, 0:01:00 active." in capsys.readouterr().out


_number = st.one_of(st.integers(-10, 10**6), st.floats(allow_nan=False, allow_infinity=False), st.just(1e20),
                    st.just(-0.0), st.just(MAX_SPAN_SECONDS), st.text(max_size=4), st.none(), st.booleans())
_stamp = st.one_of(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC))
    .map(lambda d: d.isoformat()),
    st.sampled_from(["", "0001-01-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-11-18 09:00:00", "x"]),
    st.integers(),
)
_data = st.one_of(st.fixed_dictionaries({}, optional={"app": st.text(max_size=5), "title": st.text(max_size=8),
                                                      "status": st.sampled_from(["afk", "not-afk", "?"])}),
                  st.text(max_size=3), st.none(), st.lists(st.integers(), max_size=2))
_event = st.one_of(st.fixed_dictionaries({"timestamp": _stamp, "duration": _number, "data": _data}),
                   st.fixed_dictionaries({}, optional={"timestamp": _stamp, "duration": _number, "data": _data}),
                   st.none(), st.integers())
EXPORTS = st.fixed_dictionaries({"buckets": st.dictionaries(
    st.sampled_from(["aw-watcher-window_h", "aw-watcher-afk_h", "aw-other"]),
    st.one_of(st.fixed_dictionaries({"events": st.lists(_event, max_size=6)},
                                    optional={"type": st.sampled_from(["currentwindow", "afkstatus", "x"])}),
              st.integers(), st.text(max_size=3)),
    max_size=3)})
"""Exports as a real one looks, with every field sometimes of the wrong type or out of range."""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=EXPORTS)
def test_any_export_is_refused_or_gives_sane_spans(data: dict[str, Any], tmp_path: Path) -> None:
    path = _write(tmp_path, "aw", json.dumps(data))
    try:
        buckets = read_export(path)
    except ValidationError as exc:
        assert str(exc)
        return
    parsed = to_spans(buckets, Privacy.from_lists())
    active = sorted((s.start, s.end) for s in parsed.spans if not s.idle)
    for span in parsed.spans:
        assert math.isfinite(span.start) and math.isfinite(span.end) and span.start <= span.end
        assert span.end - span.start <= MAX_SPAN_SECONDS
        datetime.fromtimestamp(span.end, UTC)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(active)), "active time counted twice"
