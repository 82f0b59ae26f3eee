"""What checking an ActivityWatch export costs before anything is imported: reading it (regular file, size limit,
strict JSON numbers), the JSON schema over every event, the timestamp pass, then turning it into spans.

`.venv/bin/python bench/awimport_check.py [--events N]` writes a synthetic window bucket of N events (a day's
worth of titles repeated) to a temporary file and prints each step's time.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.capture.awimport import read_export, to_spans
from app.capture.awschema import problems
from app.capture.privacy import Privacy


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    count = parser.parse_args().events
    events = [{"id": i, "timestamp": f"2026-11-{1 + i // 86_400 % 28:02d}T{i // 3600 % 24:02d}:{i // 60 % 60:02d}:"
               f"{i % 60:02d}.123456+00:00", "duration": 0.9,
               "data": {"app": "Code", "title": f"file{i % 500}.py - acme-web - Visual Studio Code"}}
              for i in range(count)]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "aw.json"
        path.write_text(json.dumps({"buckets": {"aw-watcher-window_host": {"type": "currentwindow",
                                                                             "events": events}}}))
        print(f"{count:,} events, {path.stat().st_size / 1e6:.1f} MB")
        started = time.perf_counter()
        buckets = read_export(path)
        print(f"read and check (all steps): {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        problems(buckets)
        print(f"  of which the JSON schema:  {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        parsed = to_spans(buckets, Privacy.from_lists())
        print(f"to spans ({len(parsed.spans):,}):        {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    main()
