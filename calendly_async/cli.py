"""The ``calendly-async`` command: a thin layer over the library.

::

    calendly-async mock --port 8080 --events 500        # serve the embedded mock until Ctrl-C
    calendly-async --mock me                              # any command against an in-process mock
    calendly-async --token "$CALENDLY_TOKEN" me
    calendly-async request GET /scheduled_events --param organization=https://... --param count=5
    calendly-async request POST /scheduled_events/UUID/cancellation --json '{"reason": "x"}'
    calendly-async webhooks create https://app.example/hook --event invitee.created --signing-key K
    calendly-async webhooks list
    calendly-async webhooks delete UUID
    calendly-async webhooks listen --port 9000 --signing-key K   # verified deliveries as JSON lines

Expected failures (bad input, missing token, API errors) print one line on stderr and
exit non-zero; there is no traceback. Exit codes: 1 API or network error, 2 bad usage
or input, 3 missing token.

The command uses only the standard library's ``argparse`` on top of the library, so the
``cli`` extra currently adds nothing; the library never imports this module.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any

import msgspec

from ._cli_availability import add_availability_command
from ._cli_export import add_export_command
from .client import DEFAULT_BASE_URL, Calendly
from .errors import APIError, CalendlyError, InvalidInputError, TransportError

__all__ = ["main"]

EXIT_API_ERROR = 1
EXIT_USAGE = 2
EXIT_NO_TOKEN = 3


class UsageError(Exception):
    """A command-line mistake: reported in one line with exit code 2."""


def _json_out(value: Any) -> None:
    sys.stdout.write(msgspec.json.format(msgspec.json.encode(value), indent=2).decode() + "\n")
    sys.stdout.flush()


def _key_values(pairs: Sequence[str], sep: str, what: str) -> dict[str, str]:
    result: dict[str, str] = {}
    for pair in pairs:
        key, found, value = pair.partition(sep)
        if not found or not key:
            raise UsageError(f"{what} {pair!r} must look like key{sep}value")
        result[key.strip()] = value.strip() if sep == ":" else value
    return result


def _json_body(text: str | None) -> Any:
    if text is None:
        return None
    try:
        return msgspec.json.decode(text.encode())
    except msgspec.DecodeError as exc:
        raise UsageError(f"--json is not valid JSON: {exc}") from None


# -- commands -------------------------------------------------------------------------


async def _me(client: Calendly, args: argparse.Namespace) -> None:
    _json_out(await client.users.me())


async def _request(client: Calendly, args: argparse.Namespace) -> None:
    body = _json_body(args.json)
    result = await client.request(
        args.method,
        args.path,
        params=_key_values(args.param, "=", "--param"),
        headers=_key_values(args.header, ":", "--header"),
        json=body,
    )
    _json_out(result)


async def _organization(client: Calendly, args: argparse.Namespace) -> str:
    """``--organization``, or the current user's organization."""
    if args.organization:
        return str(args.organization)
    me = await client.users.me()
    if not me.current_organization:
        raise UsageError("the current user has no organization; pass --organization")
    return me.current_organization


async def _webhooks_list(client: Calendly, args: argparse.Namespace) -> None:
    organization = await _organization(client, args)
    if args.scope == "user" and not args.user:
        args.user = (await client.users.me()).uri
    subscriptions = client.webhooks.list(organization, args.scope, user=args.user)
    _json_out(await subscriptions.collect())


async def _webhooks_create(client: Calendly, args: argparse.Namespace) -> None:
    organization = await _organization(client, args)
    if args.scope == "user" and not args.user:
        args.user = (await client.users.me()).uri
    subscription = await client.webhooks.create(
        args.url,
        args.event,
        organization,
        args.scope,
        user=args.user,
        signing_key=args.signing_key,
    )
    _json_out(subscription)


async def _webhooks_delete(client: Calendly, args: argparse.Namespace) -> None:
    await client.webhooks.delete(args.uuid)
    _json_out({"deleted": args.uuid})


async def _listen(args: argparse.Namespace) -> int:
    from aiohttp import web

    from .webhooks import WebhookEvent, WebhookReceiver

    receiver = WebhookReceiver(
        args.signing_key or None, allow_unsigned=args.signing_key is None, path=args.path
    )

    @receiver.on("*")
    async def print_delivery(event: WebhookEvent) -> None:
        sys.stdout.write(msgspec.json.encode(event).decode() + "\n")
        sys.stdout.flush()

    runner = web.AppRunner(receiver.app())
    await runner.setup()
    try:
        site = web.TCPSite(runner, args.host, args.port)
        await site.start()
        host, port = runner.addresses[0][:2]
        if args.signing_key is None:
            print("warning: no --signing-key, deliveries are NOT verified", file=sys.stderr)
        print(f"listening on http://{host}:{port}{args.path}", file=sys.stderr, flush=True)
        await _until_interrupted()
    finally:
        await runner.cleanup()
    return 0


async def _serve_mock(args: argparse.Namespace) -> int:
    from .mock import Faults, MockCalendly

    faults = Faults(
        latency_ms=args.latency_ms,
        jitter_ms=args.jitter_ms,
        error_rate=args.error_rate,
        drop_rate=args.drop_rate,
    )
    mock = MockCalendly(
        seed=args.seed,
        users=args.users,
        event_types=args.event_types,
        events=args.events,
        invitees_per_event=args.invitees_per_event,
        host=args.host,
        port=args.port,
        rate_limit=args.rate_limit,
        faults=faults,
    )
    async with mock:
        print(f"Calendly mock server listening on {mock.url}", flush=True)
        print(f"token: {mock.token}", flush=True)
        print(f"organization: {mock.organization_uri}", flush=True)
        print("press Ctrl-C to stop", flush=True)
        await _until_interrupted()
    return 0


async def _until_interrupted() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    await stop.wait()


@contextlib.asynccontextmanager
async def _client(args: argparse.Namespace) -> AsyncIterator[Calendly]:
    if args.mock:
        from .mock import MockCalendly

        async with (
            MockCalendly(seed=args.seed) as mock,
            Calendly(token=mock.token, base_url=mock.url) as client,
        ):
            yield client
        return
    token = args.token or os.environ.get("CALENDLY_TOKEN")
    if not token:
        raise _NoToken()
    async with Calendly(token=token, base_url=args.base_url) as client:
        yield client


class _NoToken(Exception):
    pass


Command = Callable[[Calendly, argparse.Namespace], Awaitable[None]]


async def _run_with_client(command: Command, args: argparse.Namespace) -> int:
    async with _client(args) as client:
        await command(client, args)
    return 0


# -- parser -----------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="calendly-async", description="Calendly API v2 from the command line."
    )
    parser.add_argument("--token", help="API token (default: $CALENDLY_TOKEN)")
    parser.add_argument("--base-url", default=DEFAULT_BASE_URL, help="API host")
    parser.add_argument(
        "--mock", action="store_true", help="run the command against an in-process mock server"
    )
    parser.add_argument("--seed", type=int, default=0, help="mock data seed (with --mock)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("me", help="print the current user as JSON").set_defaults(run=_me)

    request = commands.add_parser("request", help="send a raw request, print the JSON answer")
    request.add_argument("method", type=str.upper, help="GET, POST, PATCH, PUT or DELETE")
    request.add_argument("path", help="a path such as /users/me, or a full URL")
    request.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    request.add_argument("--header", action="append", default=[], metavar="NAME:VALUE")
    request.add_argument("--json", metavar="BODY", help="a JSON request body")
    request.set_defaults(run=_request)

    mock = commands.add_parser("mock", help="serve the embedded Calendly mock until interrupted")
    mock.add_argument("--host", default="127.0.0.1")
    mock.add_argument("--port", type=int, default=8080, help="0 picks a free port")
    mock.add_argument("--users", type=int, default=5)
    mock.add_argument("--event-types", type=int, default=3)
    mock.add_argument("--events", type=int, default=200)
    mock.add_argument("--invitees-per-event", type=int, default=2)
    mock.add_argument("--rate-limit", type=int, default=500, help="requests per minute")
    mock.add_argument("--latency-ms", type=float, default=0.0)
    mock.add_argument("--jitter-ms", type=float, default=0.0)
    mock.add_argument("--error-rate", type=float, default=0.0, help="fraction answered 5xx")
    mock.add_argument("--drop-rate", type=float, default=0.0, help="fraction dropped")
    mock.set_defaults(run=None)

    _add_webhook_commands(commands)
    add_availability_command(commands)
    add_export_command(commands)
    return parser


def _add_webhook_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    webhooks = commands.add_parser("webhooks", help="webhook subscriptions and a local listener")
    actions = webhooks.add_subparsers(dest="action", required=True, metavar="ACTION")

    def scoped(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--organization", help="default: the current user's organization")
        parser.add_argument("--scope", choices=("organization", "user"), default="organization")
        parser.add_argument("--user", help="the user (scope=user; default: the current user)")

    listing = actions.add_parser("list", help="print the subscriptions as JSON")
    scoped(listing)
    listing.set_defaults(run=_webhooks_list)

    create = actions.add_parser("create", help="subscribe a callback URL")
    create.add_argument("url", help="the https callback URL")
    create.add_argument("--event", action="append", required=True, help="repeat for several")
    create.add_argument("--signing-key", help="key Calendly signs deliveries with")
    scoped(create)
    create.set_defaults(run=_webhooks_create)

    delete = actions.add_parser("delete", help="delete a subscription")
    delete.add_argument("uuid", help="the subscription's UUID or URI")
    delete.set_defaults(run=_webhooks_delete)

    listen = actions.add_parser(
        "listen", help="receive deliveries locally; print verified ones as JSON lines"
    )
    listen.add_argument("--host", default="127.0.0.1")
    listen.add_argument("--port", type=int, default=9000, help="0 picks a free port")
    listen.add_argument("--path", default="/webhooks/calendly")
    listen.add_argument("--signing-key", help="verify signatures with this key (recommended)")
    listen.set_defaults(run=None)


def _fail(message: str, code: int) -> int:
    print(f"calendly-async: error: {message}", file=sys.stderr)
    return code


async def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "mock":
        return await _serve_mock(args)
    if args.command == "webhooks" and args.action == "listen":
        return await _listen(args)
    run: Command = args.run
    return await _run_with_client(run, args)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = _parser().parse_args(argv)
    try:
        return asyncio.run(_dispatch(args))
    except KeyboardInterrupt:
        return 130
    except _NoToken:
        return _fail("no token: pass --token, set CALENDLY_TOKEN, or use --mock", EXIT_NO_TOKEN)
    except (UsageError, InvalidInputError) as exc:
        return _fail(str(exc), EXIT_USAGE)
    except APIError as exc:
        return _fail(str(exc), EXIT_API_ERROR)
    except TransportError as exc:
        return _fail(f"network: {exc}", EXIT_API_ERROR)
    except CalendlyError as exc:
        return _fail(f"{type(exc).__name__}: {exc}", EXIT_API_ERROR)
    except OSError as exc:
        return _fail(str(exc), EXIT_API_ERROR)


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
