"""Run the suite as if it were another day: `pytest --clock 2028-02-29T23:30 --clock-tz Europe/Berlin`.

The wall clock the code under test reads (``datetime.now``, ``date.today``, ``time.time``) starts at the given
local instant and ticks on from there; the zone is set for the whole run. Subprocesses and Qt's own clock keep the
real time, so this is for the in-process suites (``tests/unit``, ``tests/ui``). ``make test`` runs them at the
dates in ``HARD_DATES`` (a month end, 29 February, a daylight-saving change, the year's end), so a test that
silently depends on today's date fails on the day it is written, not months later.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

# (local instant, zone): each one a day where "today" is most likely to be mishandled.
HARD_DATES: tuple[tuple[str, str], ...] = (
    ("2027-01-31T23:40", "America/New_York"),  # a month end, late at night
    ("2028-02-29T00:20", "Pacific/Auckland"),  # just after midnight on 29 February, in a zone far from UTC
    ("2027-03-28T01:59", "Europe/Berlin"),  # a minute before the spring daylight-saving change
    ("2026-12-31T23:55", "Asia/Kolkata"),  # the year's end, in a half-hour zone
)


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("shifted clock")
    group.addoption("--clock", metavar="LOCAL_ISO", help="start the wall clock at this local date and time")
    group.addoption("--clock-tz", metavar="ZONE", default="UTC", help="the time zone for --clock (default UTC)")


@pytest.fixture(scope="session", autouse=True)
def shifted_clock(request: pytest.FixtureRequest) -> Iterator[datetime | None]:
    """Travel once for the whole session when --clock is given; otherwise do nothing."""
    at = request.config.getoption("--clock")
    if not at:
        yield None
        return
    import time_machine

    zone = request.config.getoption("--clock-tz")
    previous = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    start = datetime.fromisoformat(at).replace(tzinfo=ZoneInfo(zone))
    with time_machine.travel(start, tick=True):
        yield start
    if previous is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = previous
    time.tzset()


def main(argv: list[str]) -> int:
    """Run pytest with `argv` once at each of HARD_DATES; fail if any run fails, naming the dates that did."""
    import subprocess
    import sys

    failed = []
    for at, zone in HARD_DATES:
        print(f"== tests at {at} {zone}", flush=True)
        if subprocess.call([sys.executable, "-m", "pytest", *argv, "--clock", at, "--clock-tz", zone]) != 0:
            failed.append(f"{at} {zone}")
    if failed:
        print("failed at: " + "; ".join(failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
