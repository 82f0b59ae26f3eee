"""`timetally accounts connect|status|disconnect|set-secret`: accounting-system connections."""

from __future__ import annotations

import argparse
import getpass
import sys
import webbrowser

from app.commands.output import note, print_json, seconds_arg
from app.commands.sync import register_tenant
from app.core import Core
from app.sync.accounts import NOT_CONNECTED, RECONNECT_NEEDED, AccountStatus
from app.sync.oauth.config import PROVIDERS, QUICKBOOKS
from app.sync.oauth.loopback import DEFAULT_TIMEOUT


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    accounts = sub.add_parser("accounts", help="connect Xero or QuickBooks, see and end connections")
    asub = accounts.add_subparsers(dest="action", required=True, metavar="ACTION")
    connect = asub.add_parser("connect", help="sign in with the provider in a browser; tokens go to the system keyring")
    connect.add_argument("provider", choices=PROVIDERS)
    connect.add_argument("--no-browser", action="store_true",
                         help="print the sign-in address (alone on one line of stdout) instead of opening a browser")
    connect.add_argument("--timeout", type=seconds_arg(86_400), default=DEFAULT_TIMEOUT, metavar="SECONDS",
                         help=f"how long to wait for the sign-in (default {DEFAULT_TIMEOUT:g})")
    connect.add_argument("--tenant", metavar="NAME", help="Xero: the organisation to use when several were allowed")
    connect.set_defaults(handler=_connect)
    status = asub.add_parser("status", help="show the connections")
    status.add_argument("--json", action="store_true")
    status.set_defaults(handler=_status)
    disconnect = asub.add_parser("disconnect", help="revoke the connection, then forget its tokens")
    disconnect.add_argument("provider", choices=PROVIDERS)
    disconnect.set_defaults(handler=_disconnect)
    secret = asub.add_parser("set-secret", help="keep your Intuit app's client secret in the system keyring")
    secret.add_argument("provider", choices=[QUICKBOOKS])
    secret.set_defaults(handler=_set_secret)
    register_tenant(asub)


def _connect(core: Core, args: argparse.Namespace) -> int:
    if args.timeout <= 0:
        note("timetally: --timeout must be a positive number of seconds.")
        return 2
    attempt = core.accounts.start_connect(args.provider)
    if args.no_browser or not webbrowser.open(attempt.url):
        print(attempt.url, flush=True)
        note("Open the address above in a browser to sign in.")
    else:
        note(f"A browser opened the sign-in page. If it did not, open this address:\n{attempt.url}")
    note(f"Waiting up to {args.timeout:g} seconds for the sign-in (Ctrl+C cancels)...")
    try:
        status = attempt.finish(args.timeout, tenant=args.tenant)
    except KeyboardInterrupt:
        attempt.cancel()
        note("Connecting was cancelled.")
        return 130
    print(f"Connected {status.title}: {status.organisation}")
    return 0


def _line(status: AccountStatus) -> str:
    if status.state == NOT_CONNECTED:
        return f"{status.title}: not connected"
    since = f"{status.connected_since.astimezone():%Y-%m-%d %H:%M}" if status.connected_since else "?"
    text = f"{status.title}: {status.state} - {status.organisation}, since {since}, scopes: {' '.join(status.scopes)}"
    if status.state == RECONNECT_NEEDED:
        text += f"\n  run 'timetally accounts connect {status.provider}' to sign in again"
    return text


def _status(core: Core, args: argparse.Namespace) -> int:
    statuses = core.accounts.status()
    if args.json:
        print_json([s.to_json() for s in statuses])
    else:
        for status in statuses:
            print(_line(status))
    return 0


def _disconnect(core: Core, args: argparse.Namespace) -> int:
    title = core.accounts.config(args.provider).title
    problem = core.accounts.disconnect(args.provider)
    if problem:
        note(f"{problem} TimeTally forgot its tokens anyway; you can also remove its access in {title}.")
    print(f"Disconnected {title}.")
    return 0


def _set_secret(core: Core, args: argparse.Namespace) -> int:
    prompt = "QuickBooks client secret: "
    secret = getpass.getpass(prompt) if sys.stdin.isatty() else sys.stdin.readline()
    core.accounts.set_client_secret(args.provider, secret)
    print("The QuickBooks client secret is in the system keyring.")
    return 0
