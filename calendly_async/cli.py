"""The ``calendly-async`` command: a thin layer over the library.

::

    calendly-async mock --port 8080 --events 500        # serve the embedded mock until Ctrl-C
    calendly-async --mock me                              # any command against an in-process mock
    calendly-async me --token "$CALENDLY_TOKEN" --debug   # global options go before or after
    calendly-async request GET /scheduled_events --param organization=https://... --param count=5
    calendly-async request GET /event_types --param user=https://... --paginate   # JSON lines
    calendly-async request POST /scheduled_events/UUID/cancellation --json '{"reason": "x"}'
    calendly-async webhooks create https://app.example/hook --event invitee.created --signing-key K
    calendly-async webhooks list
    calendly-async webhooks delete UUID
    calendly-async webhooks listen --port 9000 --signing-key K   # verified deliveries as JSON lines

Expected failures (bad input, missing token, API errors) print one line on stderr and
exit non-zero; there is no traceback. Exit codes: 1 API or network error, 2 bad usage
or input, 3 missing token.

Global options (``--token``, ``--base-url``, ``--mock``, ``--seed``, ``--proxy``,
``--trust-env``, ``-v``, ``--debug``) are accepted before the command name and after
it, by every command: a parser made by ``commands.add_parser(...)`` is a
``_SubcommandParser``, which adds them itself.

The command uses only the standard library's ``argparse`` on top of the library, so the
``cli`` extra currently adds nothing; the library never imports this module.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import Any, NoReturn

import msgspec

from ._cli_availability import add_availability_command
from ._cli_export import add_export_command
from ._decoding import Pagination, next_page_token
from ._redact import REDACTED
from ._version import VERSION
from .client import DEFAULT_BASE_URL, TOKEN_ENV, Calendly
from .errors import APIError, CalendlyError, DecodeError, InvalidInputError, TransportError

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
    params = _key_values(args.param or [], "=", "--param")
    headers = _key_values(args.header or [], ":", "--header")
    if args.paginate:
        if args.method != "GET" or body is not None:
            raise UsageError("--paginate lists with GET and no --json body")
        await _paginate(client, args.path, params, headers)
        return
    result = await client.request(args.method, args.path, params=params, headers=headers, json=body)
    _json_out(result)


def _page_items(body: Any) -> tuple[list[Any], str | None]:
    """The items of one page of a Calendly list and the token of the next page."""
    if not isinstance(body, dict) or not isinstance(body.get("collection"), list):
        raise DecodeError("--paginate: the answer is not a Calendly list (no collection)")
    try:
        pagination = msgspec.convert(body.get("pagination") or {}, Pagination)
    except msgspec.ValidationError as exc:
        raise DecodeError(f"--paginate: unexpected pagination object: {exc}") from None
    return body["collection"], next_page_token(pagination)


async def _paginate(
    client: Calendly, path: str, params: dict[str, str], headers: dict[str, str]
) -> None:
    """Print every item of every page as one JSON line.

    Calendly rule (reference §2, "Pagination"): re-issue the same request with
    ``page_token=<pagination.next_page_token>`` (or the one in ``next_page``) until
    it is null. A token seen before stops the run instead of printing items twice.
    """
    seen: set[str] = set()
    while True:
        answer = await client.request("GET", path, params=params, headers=headers)
        items, token = _page_items(answer)
        for item in items:
            sys.stdout.write(msgspec.json.encode(item).decode() + "\n")
        sys.stdout.flush()
        if token is None:
            return
        if token in seen:
            raise DecodeError(f"--paginate: page token {token!r} repeated; stopping")
        seen.add(token)
        params = {**params, "page_token": token}


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
        token=getattr(args, "token", None),
        client_id=args.client_id,
        client_secret=args.client_secret,
    )
    async with mock:
        print(f"Calendly mock server listening on {mock.url}", flush=True)
        print(f"token: {mock.token}", flush=True)
        print(f"organization: {mock.organization_uri}", flush=True)
        # The mock's own test credentials, for OAuth2(..., auth_base_url=<url>).
        print(f"oauth client id: {args.client_id}", flush=True)
        print(f"oauth client secret: {args.client_secret}", flush=True)
        print(f"oauth base url: {mock.url}", flush=True)
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
            Calendly(
                token=mock.token, base_url=mock.url, proxy=args.proxy, trust_env=args.trust_env
            ) as client,
        ):
            yield client
        return
    token = args.token or os.environ.get(TOKEN_ENV)
    if not token:
        raise _NoToken()
    async with Calendly(
        token=token, base_url=args.base_url, proxy=args.proxy, trust_env=args.trust_env
    ) as client:
        yield client


class _NoToken(Exception):
    pass


Command = Callable[[Calendly, argparse.Namespace], Awaitable[None]]


async def _run_with_client(command: Command, args: argparse.Namespace) -> int:
    async with _client(args) as client:
        await command(client, args)
    return 0


# -- parser -----------------------------------------------------------------------------

HTTP_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
MOCK_CLIENT_ID = "mock-client-id"
MOCK_CLIENT_SECRET = "mock-client-secret"

_GLOBAL_OPTIONS: tuple[tuple[tuple[str, ...], dict[str, Any]], ...] = (
    (
        ("--token",),
        {"help": f"API token (default: ${TOKEN_ENV})"},
    ),
    (
        ("--base-url",),
        {"help": f"API host (default: $CALENDLY_BASE_URL, else {DEFAULT_BASE_URL})"},
    ),
    (
        ("--mock",),
        {"action": "store_true", "help": "run the command against an in-process mock server"},
    ),
    (
        ("--seed",),
        {"type": int, "default": 0, "help": "mock data seed (default: %(default)s)"},
    ),
    (("--proxy",), {"metavar": "URL", "help": "send every request through this http:// proxy"}),
    (
        ("--trust-env",),
        {"action": "store_true", "help": "honour HTTP_PROXY, HTTPS_PROXY and NO_PROXY"},
    ),
    (
        ("-v", "--verbose"),
        {"action": "store_true", "help": "log retries and warnings (INFO) to stderr"},
    ),
    (
        ("--debug",),
        {"action": "store_true", "help": "log every request and response to stderr, redacted"},
    ),
)
"""Options every command takes, before or after its name (see ``_SubcommandParser``)."""


class _Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose errors are one line (exit 2) and whose sub-commands
    take the global options too."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction[Any]:
        kwargs.setdefault("parser_class", _SubcommandParser)
        return super().add_subparsers(**kwargs)


class _SubcommandParser(_Parser):
    """The parser of one command (every ``commands.add_parser(...)`` makes one).

    It adds the global options itself, so a command registered later by a hook
    (``add_export_command(commands)``) accepts them with nothing to do. Their default
    here is ``SUPPRESS``: argparse copies a sub-parser's defaults over what the main
    parser read, so ``--mock me`` and ``me --mock`` must both leave ``mock`` alone
    unless given. An option of the command with the same name replaces the global one
    in that command (``conflict_handler="resolve"``).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("conflict_handler", "resolve")
        super().__init__(*args, **kwargs)
        _add_global_options(self, top_level=False)


def _add_global_options(parser: argparse.ArgumentParser, *, top_level: bool) -> None:
    for flags, options in _GLOBAL_OPTIONS:
        options = dict(options)
        if not top_level:
            default = options.get("default")
            options["help"] = options["help"].replace("%(default)s", str(default))
            options["default"] = argparse.SUPPRESS
        parser.add_argument(*flags, **options)


def _integer(minimum: int, maximum: int | None = None) -> Callable[[str], int]:
    """An argparse ``type``: an integer in ``[minimum, maximum]``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not an integer") from None
        if value < minimum or (maximum is not None and value > maximum):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise argparse.ArgumentTypeError(f"{value} must be at least {minimum}{upper}")
        return value

    return parse


def _number(maximum: float | None = None) -> Callable[[str], float]:
    """An argparse ``type``: a non-negative number, at most ``maximum``."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not 0 <= value <= (maximum if maximum is not None else float("inf")):
            upper = "" if maximum is None else f" and {maximum}"
            raise argparse.ArgumentTypeError(f"{text} must be between 0{upper}")
        return value

    return parse


_port = _integer(0, 65535)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="calendly-async", description="Calendly API v2 from the command line.")
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {VERSION}",
        help="print the version and exit",
    )
    _add_global_options(parser, top_level=True)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="the command to run"
    )

    commands.add_parser("me", help="print the current user as JSON").set_defaults(run=_me)

    request = commands.add_parser("request", help="send a raw request, print the JSON answer")
    request.add_argument(
        "method", type=str.upper, choices=HTTP_METHODS, metavar="METHOD",
        help="the HTTP method: " + ", ".join(HTTP_METHODS),
    )
    request.add_argument("path", help="a path such as /users/me, or a full URL")
    request.add_argument(
        "--param", action="append", metavar="KEY=VALUE", help="a query parameter; repeatable"
    )
    request.add_argument(
        "--header", action="append", metavar="NAME:VALUE", help="a request header; repeatable"
    )
    request.add_argument("--json", metavar="BODY", help="a JSON request body")
    request.add_argument(
        "--paginate", action="store_true",
        help="follow the list's next_page_token; print every item as one JSON line",
    )
    request.set_defaults(run=_request)

    mock = commands.add_parser("mock", help="serve the embedded Calendly mock until interrupted")
    mock.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    mock.add_argument(
        "--port", type=_port, default=8080, help="port; 0 picks a free one (default: %(default)s)"
    )
    mock.add_argument(
        "--token", default=argparse.SUPPRESS,
        help="the bearer token the mock accepts (default: a random one, printed)",
    )
    mock.add_argument(
        "--client-id", default=MOCK_CLIENT_ID,
        help="the OAuth client id the mock accepts (default: %(default)s)",
    )
    mock.add_argument(
        "--client-secret", default=MOCK_CLIENT_SECRET,
        help="the OAuth client secret the mock accepts (default: %(default)s)",
    )
    for flag, default, what in (
        ("--users", 5, "users in the organization"),
        ("--event-types", 3, "event types per user"),
        ("--events", 200, "scheduled events"),
        ("--invitees-per-event", 2, "invitees per event"),
    ):
        mock.add_argument(
            flag, type=_integer(0), default=default, help=f"{what} (default: %(default)s)"
        )
    mock.add_argument(
        "--rate-limit", type=_integer(1), default=500,
        help="requests per minute before 429s (default: %(default)s)",
    )
    mock.add_argument(
        "--latency-ms", type=_number(), default=0.0,
        help="added to every answer (default: %(default)s)",
    )
    mock.add_argument(
        "--jitter-ms", type=_number(), default=0.0,
        help="random extra latency, up to this (default: %(default)s)",
    )
    mock.add_argument(
        "--error-rate", type=_number(1.0), default=0.0,
        help="fraction answered 5xx (default: %(default)s)",
    )
    mock.add_argument(
        "--drop-rate", type=_number(1.0), default=0.0,
        help="fraction of connections dropped (default: %(default)s)",
    )
    mock.set_defaults(run=None)

    _add_webhook_commands(commands)
    add_availability_command(commands)
    add_export_command(commands)
    return parser


def _add_webhook_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    webhooks = commands.add_parser("webhooks", help="webhook subscriptions and a local listener")
    actions = webhooks.add_subparsers(
        dest="action", required=True, metavar="ACTION", help="what to do"
    )

    def scoped(parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--organization", help="default: the current user's organization")
        parser.add_argument(
            "--scope", choices=("organization", "user"), default="organization",
            help="subscription scope (default: %(default)s)",
        )
        parser.add_argument("--user", help="the user (scope=user; default: the current user)")

    listing = actions.add_parser("list", help="print the subscriptions as JSON")
    scoped(listing)
    listing.set_defaults(run=_webhooks_list)

    create = actions.add_parser("create", help="subscribe a callback URL")
    create.add_argument("url", help="the https callback URL")
    create.add_argument(
        "--event", action="append", required=True, help="an event to deliver; repeatable"
    )
    create.add_argument("--signing-key", help="key Calendly signs deliveries with")
    scoped(create)
    create.set_defaults(run=_webhooks_create)

    delete = actions.add_parser("delete", help="delete a subscription")
    delete.add_argument("uuid", help="the subscription's UUID or URI")
    delete.set_defaults(run=_webhooks_delete)

    listen = actions.add_parser(
        "listen", help="receive deliveries locally; print verified ones as JSON lines"
    )
    listen.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default: %(default)s)"
    )
    listen.add_argument(
        "--port", type=_port, default=9000, help="port; 0 picks a free one (default: %(default)s)"
    )
    listen.add_argument(
        "--path", default="/webhooks/calendly", help="the callback path (default: %(default)s)"
    )
    listen.add_argument("--signing-key", help="verify signatures with this key (recommended)")
    listen.set_defaults(run=None)


class _RedactSecrets(logging.Filter):
    """Replaces known secrets in every log line (the transport already redacts headers)."""

    def __init__(self, secrets: Iterable[str | None]) -> None:
        super().__init__()
        self._secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self._secrets:
            message = message.replace(secret, REDACTED)
        record.msg, record.args = message, None
        return True


def _configure_logging(args: argparse.Namespace) -> None:
    """``--debug``: DEBUG, ``-v``: INFO, of the library's logger, to stderr."""
    if not (args.debug or args.verbose):
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.addFilter(_RedactSecrets([args.token, os.environ.get(TOKEN_ENV)]))
    logger = logging.getLogger("calendly_async")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if args.debug else logging.INFO)


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
    args = _parser().parse_args(argv)  # a usage error: one line, SystemExit(2)
    _configure_logging(args)
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
