"""`timetally webhooks add|list|remove|test|log`: endpoints that receive signed events, and the delivery log."""

from __future__ import annotations

import argparse
from typing import Any

from app.automation.endpoints import Delivery, Endpoint, parse_events
from app.automation.events import EVENTS, iso
from app.commands.output import ID, count_arg, note, print_json
from app.core import Core


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hooks = sub.add_parser("webhooks", help="send signed events to web addresses (Zapier, Make, n8n, your own)")
    hsub = hooks.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = hsub.add_parser("add", help="add an endpoint; its secret is shown once")
    add.add_argument("url", metavar="URL")
    add.add_argument("--events", required=True, metavar="E1,E2", help=f"events to send: {', '.join(EVENTS)}")
    add.add_argument("--json", action="store_true", help="print the id and secret as JSON")
    add.set_defaults(handler=_add)
    listing = hsub.add_parser("list", help="the endpoints, with their last deliveries")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    remove = hsub.add_parser("remove", help="remove an endpoint, its undelivered events and its secret")
    remove.add_argument("id", type=ID, metavar="ID")
    remove.set_defaults(handler=_remove)
    test = hsub.add_parser("test", help="send a signed test event now (enables an endpoint that answers again)")
    test.add_argument("id", type=ID, metavar="ID")
    test.set_defaults(handler=_test)
    log = hsub.add_parser("log", help="the delivery log, newest first: status, response code, attempts")
    log.add_argument("--endpoint", type=ID, metavar="ID")
    log.add_argument("--limit", type=count_arg(10_000), default=50)
    log.add_argument("--json", action="store_true")
    log.set_defaults(handler=_log)


def _add(core: Core, args: argparse.Namespace) -> int:
    endpoint, secret = core.automation.endpoints.add(args.url, parse_events(args.events))
    if args.json:
        print_json({**endpoint_json(endpoint), "secret": secret})
        return 0
    print(f"Webhook endpoint {endpoint.id} added: {endpoint.url} ({', '.join(endpoint.events)}).")
    print(f"Its signing secret, shown only now: {secret}")
    note("Keep the secret in the receiving service; TimeTally keeps its copy in the system keyring.")
    return 0


def _list(core: Core, args: argparse.Namespace) -> int:
    endpoints = core.automation.endpoints
    found = endpoints.all()
    if args.json:
        print_json([{**endpoint_json(e), "deliveries": [delivery_json(d) for d in endpoints.deliveries(e.id, 5)]}
                    for e in found])
        return 0
    if not found:
        print("No webhook endpoints. Add one with 'timetally webhooks add URL --events entry.created,...'.")
    for e in found:
        state = "enabled" if e.enabled else f"disabled ({e.disabled_reason})"
        print(f"{e.id:>4}  {e.url}  {state}\n      events: {', '.join(e.events)}")
        for d in endpoints.deliveries(e.id, 5):
            print(f"      {delivery_line(d)}")
    return 0


def _remove(core: Core, args: argparse.Namespace) -> int:
    gone = core.automation.endpoints.remove(args.id)
    print(f"Webhook endpoint {gone.id} ({gone.url}) removed, with its secret and undelivered events.")
    return 0


def _test(core: Core, args: argparse.Namespace) -> int:
    delivery = core.automation.courier.test(args.id)
    if delivery.state == "delivered":
        print(f"The endpoint answered {delivery.last_status}; the signed test event {delivery.webhook_id} arrived.")
        return 0
    print(f"The test event did not arrive: {delivery.last_error or 'no answer'}.")
    return 1


def _log(core: Core, args: argparse.Namespace) -> int:
    endpoints = core.automation.endpoints
    found = endpoints.deliveries(args.endpoint, args.limit)
    if args.json:
        print_json([{**delivery_json(d), "attempt_log": [
            {"at": iso(at), "response_code": code or None, "error": error or None, "duration_ms": ms}
            for at, code, error, ms in endpoints.attempts(d.id)]} for d in found])
        return 0
    if not found:
        print("No deliveries yet.")
    for d in found:
        print(delivery_line(d))
    return 0


def endpoint_json(e: Endpoint) -> dict[str, Any]:
    return {"id": e.id, "url": e.url, "events": list(e.events), "enabled": e.enabled,
            "disabled_reason": e.disabled_reason or None, "failing_since": iso(e.failing_since)}


def delivery_json(d: Delivery) -> dict[str, Any]:
    return {"id": d.id, "endpoint_id": d.endpoint_id, "webhook_id": d.webhook_id, "event": d.event,
            "status": d.state, "response_code": d.last_status or None, "attempts": d.attempts,
            "error": d.last_error or None, "created_at": iso(d.created_at), "delivered_at": iso(d.delivered_at),
            "next_attempt_at": None if d.state == "delivered" else iso(d.next_at)}


def delivery_line(d: Delivery) -> str:
    when = f"{d.created_at.astimezone():%Y-%m-%d %H:%M:%S}"
    code = d.last_status or "no answer" if d.attempts else "not sent yet"
    tail = f"  {d.last_error}" if d.last_error and d.state != "delivered" else ""
    return f"{when}  #{d.endpoint_id}  {d.event:<16} {d.state:<9} {code}  {d.attempts} attempt(s){tail}"
