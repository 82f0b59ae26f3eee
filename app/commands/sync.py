"""`timetally sync xero|payments|map|log`: send invoice drafts, bring payments back, map clients, read the log."""

from __future__ import annotations

import argparse

from app.commands import schedule
from app.commands.entries import add_billing_period_arguments, billing_period_from
from app.commands.output import count_arg, iso, note, print_json
from app.core import Core
from app.domain.errors import NotFoundError, ValidationError
from app.sync.matching import closest
from app.sync.provider import RemoteKind
from app.sync.quickbooks_send.links import Mode
from app.sync.registry import FACTORIES
from app.sync.reports import SendReport
from app.sync.store import Mapping


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sync = sub.add_parser("sync", help="send invoices to the accounting system and bring payments back")
    ssub = sync.add_subparsers(dest="action", required=True, metavar="ACTION")
    for name in FACTORIES:
        if name == "quickbooks":
            _register_quickbooks(ssub)
            continue
        send = ssub.add_parser(name, help=f"send the period's approved time and drafts to {name.title()}")
        add_billing_period_arguments(send)
        send.add_argument("--create-contacts", action="store_true",
                          help="create a contact for a client no existing contact matches exactly")
        send.add_argument("--dry-run", action="store_true", help="show what would be sent; store and send nothing")
        send.add_argument("--json", action="store_true")
        send.set_defaults(handler=_send, provider=name)
    payments = ssub.add_parser("payments", help="check sent invoices for payments, voids and deletions")
    payments.add_argument("--provider", choices=list(FACTORIES), help="only this one (default: every connected one)")
    payments.add_argument("--json", action="store_true")
    payments.set_defaults(handler=_payments)
    mapping = ssub.add_parser("map", help="map a client to a contact, revenue account and tax type; a project to "
                                          "a tracking option; a task to an item")
    mapping.add_argument("provider", choices=list(FACTORIES))
    target = mapping.add_mutually_exclusive_group()
    target.add_argument("--client", metavar="NAME")
    target.add_argument("--project", metavar="CLIENT/PROJECT")
    mapping.add_argument("--contact", metavar="NAME", help="the existing contact with exactly this name")
    mapping.add_argument("--create-contact", action="store_true", help="create the contact under the client's name")
    mapping.add_argument("--account", metavar="CODE", help="revenue account code (without --client: the default)")
    mapping.add_argument("--tax-type", metavar="CODE", help="tax type from the organisation's tax rates")
    mapping.add_argument("--tracking", metavar="CATEGORY/OPTION", help="with --project")
    mapping.add_argument("--task", metavar="TASK", help="with --project: the task --item applies to")
    mapping.add_argument("--item", metavar="CODE", help="with --project and --task")
    mapping.add_argument("--refresh", action="store_true", help="fetch the remote lists again first")
    mapping.add_argument("--json", action="store_true", help="print the mappings")
    mapping.set_defaults(handler=_map)
    log = ssub.add_parser("log", help="the calls made to the accounting system, newest first")
    log.add_argument("provider", choices=list(FACTORIES))
    log.add_argument("--limit", type=count_arg(100_000), default=50)
    log.add_argument("--json", action="store_true")
    log.set_defaults(handler=_log)
    schedule.register_actions(ssub)


def _send(core: Core, args: argparse.Namespace) -> int:
    period = billing_period_from(args, core.settings.get("review.week_start"))
    core.sync.check_ready(args.provider)

    def progress(done: int, total: int) -> None:
        if not args.json:
            note(f"sent {done} of {total}")

    report = core.sync.send(args.provider, period, args.client, create_contacts=args.create_contacts,
                            dry_run=args.dry_run, progress=progress)
    return _reported(report, args)


def _reported(report: SendReport, args: argparse.Namespace) -> int:
    """Prints a send's outcomes (or its JSON); the exit status is 1 when any document failed."""
    if args.json:
        print_json(report.to_json())
    else:
        for outcome in report.outcomes:
            print(outcome.line())
        print(("Dry run: " if args.dry_run else "") + report.summary())
    return 1 if report.failed else 0


def _register_quickbooks(ssub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    send = ssub.add_parser("quickbooks", help="send the period's approved time to QuickBooks as time activities, or "
                                              "as invoices billing them")
    send.add_argument("--mode", choices=[str(m) for m in Mode], help="time: billable time activities; invoice: also "
                      "an invoice linked to them (remembered per client; default: the client's mode, else the "
                      "quickbooks.mode setting)")
    add_billing_period_arguments(send)
    send.add_argument("--create-customers", action="store_true",
                      help="create a customer for a client no existing customer matches exactly")
    send.add_argument("--dry-run", action="store_true", help="show what would be sent; store and send nothing")
    send.add_argument("--json", action="store_true")
    send.set_defaults(handler=_send_quickbooks, provider="quickbooks")


def _send_quickbooks(core: Core, args: argparse.Namespace) -> int:
    period = billing_period_from(args, core.settings.get("review.week_start"))
    core.sync.check_ready("quickbooks")
    report = core.sync.quickbooks().send(
        period, args.client, mode=Mode(args.mode) if args.mode else None, create_customers=args.create_customers,
        dry_run=args.dry_run)
    return _reported(report, args)


def _payments(core: Core, args: argparse.Namespace) -> int:
    names = [args.provider] if args.provider else None
    for name, billed in core.sync.sync_billed_time(names).items():  # first: it finds invoices to follow
        if billed:
            title = core.sync.title(name)
            note(f"{title}: {len(billed)} entries were billed inside {title} and are marked invoiced")
    outcomes = core.sync.sync_payments(names)
    if args.json:
        print_json([o.to_json() for o in outcomes])
    elif not outcomes:
        print("No sent invoice changed.")
    for outcome in outcomes if not args.json else ():
        print(outcome.line())
    return 0


def _map(core: Core, args: argparse.Namespace) -> int:
    name, sync = args.provider, core.sync
    store, provider = sync.store(name), sync.provider(name)
    if args.refresh:
        for kind in RemoteKind:
            provider.remote_list(kind, refresh=True)

    def pick(kind: RemoteKind, code: str) -> Mapping:
        options = provider.remote_list(kind)
        found = next((o for o in options if code in (o.code, f"{o.parent}/{o.name}")), None)
        if found is None:
            known = ", ".join(f"{o.parent + '/' if o.parent else ''}{o.code}" for o in options[:20]) or "none"
            raise NotFoundError(f"{provider.title} has no {kind.replace('_', ' ')} '{code}' (known: {known}).")
        return Mapping(kind, 0, found.code, found.name, found.parent)

    if args.client:
        client = next((c for c in core.projects.clients() if c.name.casefold() == args.client.casefold()), None)
        if client is None:
            raise NotFoundError(f"There is no client '{args.client}'")
        if args.create_contact:
            contact = provider.ensure_customer(client.name)
            store.set_mapping(Mapping(RemoteKind.CUSTOMER, client.id, contact.code, contact.name))
        elif args.contact:
            matches = provider.match_customers(args.contact)
            if not matches or not matches[0].exact:
                raise NotFoundError(f"{provider.title} has no contact named '{args.contact}'; closest: "
                                    f"{closest(matches) or 'none'}.")
            contact = matches[0].customer
            store.set_mapping(Mapping(RemoteKind.CUSTOMER, client.id, contact.code, contact.name, score=100.0))
        for kind, code in ((RemoteKind.ACCOUNT, args.account), (RemoteKind.TAX_RATE, args.tax_type)):
            if code:
                store.set_mapping(_at(pick(kind, code), client.id))
    elif args.project:
        project = core.projects.require(args.project)
        if args.tracking:
            store.set_mapping(_at(pick(RemoteKind.TRACKING, args.tracking), project.id))
        if args.item:
            if not args.task:
                raise ValidationError("--item needs --task, the task whose lines get that item code")
            store.set_mapping(_at(pick(RemoteKind.ITEM, args.item), core.projects.ensure_task(project.id,
                                                                                             args.task).id))
    elif args.account:
        store.set_mapping(pick(RemoteKind.ACCOUNT, args.account))
    rows = [{"kind": str(m.kind), "local_id": m.local_id, "code": m.code, "name": m.name, "parent": m.parent or None,
             "score": m.score} for m in store.mappings()]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['kind']:<9} #{row['local_id']:<5} -> {row['name']} ({row['code']})")
    return 0


def register_tenant(accounts: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`timetally accounts tenant xero [TENANT_ID]`, registered by the accounts command."""
    tenant = accounts.add_parser("tenant", help="Xero: list the organisations this connection reaches, or pick one")
    tenant.add_argument("provider", choices=["xero"])
    tenant.add_argument("tenant_id", nargs="?", metavar="TENANT_ID", help="the organisation's id or name to use")
    tenant.add_argument("--json", action="store_true")
    tenant.set_defaults(handler=_tenant)


def _tenant(core: Core, args: argparse.Namespace) -> int:
    if args.tenant_id:
        chosen = core.sync.choose_tenant(args.tenant_id)
        print(f"Xero organisation: {chosen.name} ({chosen.id})")
        return 0
    current = core.sync.current_tenant()
    found = core.sync.organisations()
    if args.json:
        print_json([{"tenant_id": o.id, "name": o.name, "current": o.id == current} for o in found])
    else:
        for o in found:
            print(f"{'*' if o.id == current else ' '} {o.id}  {o.name}")
    return 0


def _at(mapping: Mapping, local_id: int) -> Mapping:
    return Mapping(mapping.kind, local_id, mapping.code, mapping.name, mapping.parent)


def _log(core: Core, args: argparse.Namespace) -> int:
    records = core.sync.audit(args.provider).records(limit=max(1, args.limit))
    if args.json:
        print_json([{"at": iso(r.at), "kind": r.kind, "method": r.method or None, "endpoint": r.endpoint or None,
                     "status": r.status, "duration_ms": r.duration_ms, "idempotency_key": r.idempotency_key or None,
                     "remote_ids": list(r.remote_ids), "limits": r.limits, "error": r.error or None}
                    for r in records])
        return 0
    for r in records:
        when = f"{r.at.astimezone():%Y-%m-%d %H:%M:%S}"
        if r.kind == "note":
            print(f"{when}  note  {r.error}")
        else:
            left = r.limits.get("x-minlimit-remaining", "?")
            print(f"{when}  {r.method:<4} {r.endpoint}  {r.status or 'no answer'}  {r.duration_ms} ms  "
                  f"{left} left this minute{'  ' + r.error if r.error else ''}")
    return 0
