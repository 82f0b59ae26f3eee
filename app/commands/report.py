"""`timetally report profitability|utilisation|wip|receivables [--from D --to D] [--json] [--csv F] [--xlsx F]`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from app.commands.output import note, print_json
from app.core import Core
from app.domain.periods import Period, check_range, parse_day
from app.reports.export import write_csv, write_xlsx
from app.reports.jsonout import profitability_json, receivables_json, utilisation_json, wip_json
from app.reports.profitability import Level
from app.reports.tables import (
    Table,
    profitability_tables,
    receivables_tables,
    render,
    utilisation_tables,
    wip_tables,
)

HELP = {
    "profitability": "hours, revenue, cost and margin by client, project or task; fixed fees against budget",
    "utilisation": "billable share of tracked time per day and week, unassigned captured time, against the target",
    "wip": "approved time not invoiced yet, by client, with its value and age (--to: as of; --from: done since)",
    "receivables": "invoiced but unpaid, by client, aged current/1-30/31-60/61-90/90+ days past due "
                   "(--to: as of; --from: issued since)",
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    report = sub.add_parser("report", help="profitability, utilisation, work in progress and receivables")
    rsub = report.add_subparsers(dest="action", required=True, metavar="REPORT")
    for name, text in HELP.items():
        parser = rsub.add_parser(name, help=text, description=text)
        parser.add_argument("--from", dest="first", metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="last", metavar="YYYY-MM-DD")
        if name == "profitability":
            parser.add_argument("--by", choices=[str(level) for level in Level], default=str(Level.PROJECT),
                                help="group rows by client, project or task (default: project)")
        parser.add_argument("--json", action="store_true", help="amounts and hours as decimal strings")
        parser.add_argument("--csv", metavar="FILE", type=Path, help="also write the report's tables as CSV")
        parser.add_argument("--xlsx", metavar="FILE", type=Path, help="also write the report as a workbook")
        parser.set_defaults(handler=_run, report=name)


def _day(text: str | None) -> date | None:
    return parse_day(text).first if text else None


def period_of(first: date | None, last: date | None, today: date) -> Period:
    """Both bounds as given; --from alone runs to today; --to alone, or neither, starts on the 1st of its month."""
    end = last or today
    return check_range(Period(first or end.replace(day=1), end))


def _run(core: Core, args: argparse.Namespace) -> int:
    first, last, today = _day(args.first), _day(args.last), date.today()
    build: dict[str, Callable[[], tuple[Any, list[Table]]]] = {
        "profitability": lambda: _pair(core.reports.profitability(period_of(first, last, today), Level(args.by)),
                                       profitability_json, profitability_tables),
        "utilisation": lambda: _pair(core.reports.utilisation(period_of(first, last, today)), utilisation_json,
                                     utilisation_tables),
        "wip": lambda: _pair(core.reports.wip(last, first), wip_json, wip_tables),
        "receivables": lambda: _pair(core.reports.receivables(last, first), receivables_json, receivables_tables),
    }
    payload, tables = build[args.report]()
    if args.csv:
        write_csv(args.csv, tables)
        note(f"Wrote {args.csv}")
    if args.xlsx:
        write_xlsx(args.xlsx, tables)
        note(f"Wrote {args.xlsx}")
    if args.json:
        print_json(payload)
        return 0
    print("\n\n".join(render(t) for t in tables))
    return 0


def _pair(report: Any, to_json: Callable[[Any], Any],
          to_tables: Callable[[Any], list[Table]]) -> tuple[Any, list[Table]]:
    return to_json(report), to_tables(report)
