"""`timetally settings list|get|set`: every option of Preferences, by its public key, for scripts and support."""

from __future__ import annotations

import argparse

from app.commands.output import print_json
from app.core import Core
from app.settings import OPTIONS, Settings

_WIDEST = 24  # a longer value (a list of patterns) overflows its column rather than widening every row


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    settings = sub.add_parser("settings", help="list, read and change settings (the options of Preferences)")
    ssub = settings.add_subparsers(dest="action", required=True, metavar="ACTION")
    lst = ssub.add_parser("list", help="every setting with its type, default, current value and description")
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)
    get = ssub.add_parser("get", help="print the current value of KEY")
    get.add_argument("key", metavar="KEY")
    get.set_defaults(handler=_get)
    put = ssub.add_parser("set", help="change KEY to VALUE (checked as Preferences checks it)")
    put.add_argument("key", metavar="KEY")
    put.add_argument("value", metavar="VALUE", help="true/false, a number, text, or a JSON array for lists")
    put.set_defaults(handler=_set)


def _list(core: Core, args: argparse.Namespace) -> int:
    values = core.settings.all()
    if args.json:
        print_json([{"key": key, "type": option.type_name, "default": option.default, "value": values[key],
                     "description": option.label} for key, option in OPTIONS.items()])
        return 0
    rows = [(key, option.type_name, _shown(option.format(values[key])), _shown(option.format(option.default)),
             option.label) for key, option in OPTIONS.items()]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    widths[2:] = [min(_WIDEST, width) for width in widths[2:]]
    for row in [("KEY", "TYPE", "VALUE", "DEFAULT", "DESCRIPTION"), *rows]:
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[4])
    return 0


def _shown(text: str) -> str:
    """An empty text is shown as "" so the columns still line up and the value is visibly empty."""
    return text or '""'


def _get(core: Core, args: argparse.Namespace) -> int:
    print(Settings.option(args.key).format(core.settings.get(args.key)))
    return 0


def _set(core: Core, args: argparse.Namespace) -> int:
    option = Settings.option(args.key)
    value = option.parse(args.value)
    core.settings.set(args.key, value)
    print(f"{args.key} is now {_shown(option.format(value))}.")
    return 0
