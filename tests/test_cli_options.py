"""The command's options: version, logging, global options anywhere, help, mock credentials,
one-line usage errors, local method checks and ``request --paginate``.

Run as subprocesses of the installed console script against loopback servers (the
parser-tree check reads the parser in-process).
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.metadata
import json
import signal
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, fixture
from test_cli import SCRIPT, api_app, run_cli
from test_env_proxy import PROXY_ENV, Proxy, Upstream

from calendly_async import Calendly, cli
from calendly_async.mock import MockCalendly

Seen = list[tuple[str, str, dict[str, str], str]]


@pytest.fixture
async def mock() -> AsyncIterator[MockCalendly]:
    async with MockCalendly(seed=5, users=2, event_types=1, events=25) as server:
        yield server


# -- --version, logging ------------------------------------------------------------------------


async def test_version_prints_the_installed_version() -> None:
    code, out, err = await run_cli("--version")
    assert (code, err) == (0, "")
    assert out.strip() == f"calendly-async {importlib.metadata.version('calendly-async')}"


async def test_debug_logs_each_request_to_stderr_without_the_token(serve: Serve) -> None:
    seen: Seen = []
    url = await serve(api_app(seen))
    code, out, err = await run_cli("--debug", "--token", TOKEN, "--base-url", url, "me")
    assert code == 0, err
    assert json.loads(out)["email"] == "user@example.com"
    assert f"GET {url}/users/me" in err
    assert "-> 200" in err
    assert "Bearer ***" in err
    assert TOKEN not in err
    assert TOKEN not in out


async def test_verbose_logs_retries_at_info_but_not_each_request(serve: Serve) -> None:
    attempts: list[int] = []

    async def flaky(request: web.Request) -> web.Response:
        attempts.append(1)
        if len(attempts) == 1:
            return web.json_response({"title": "Service Unavailable"}, status=503)
        return web.json_response(fixture("get_current_user"))

    app = web.Application()
    app.router.add_get("/users/me", flaky)
    url = await serve(app)
    code, _, err = await run_cli("me", "-v", "--token", TOKEN, "--base-url", url)
    assert code == 0, err
    assert len(attempts) == 2
    assert "INFO calendly_async: retrying GET" in err
    assert "DEBUG" not in err
    assert TOKEN not in err


# -- global options after the command name ---------------------------------------------------


async def test_global_options_work_after_the_command_name(serve: Serve) -> None:
    seen: Seen = []
    url = await serve(api_app(seen))
    code, out, err = await run_cli("me", "--token", TOKEN, "--base-url", url)
    assert (code, err) == (0, "")
    assert json.loads(out)["email"] == "user@example.com"
    code, out, err = await run_cli("me", "--mock")
    assert (code, err) == (0, "")
    assert json.loads(out)["uri"].startswith("http://127.0.0.1:")


async def test_token_and_base_url_come_from_the_environment(serve: Serve) -> None:
    seen: Seen = []
    url = await serve(api_app(seen))
    code, out, err = await run_cli("me", env={"CALENDLY_TOKEN": TOKEN, "CALENDLY_BASE_URL": url})
    assert (code, err) == (0, "")
    assert json.loads(out)["email"] == "user@example.com"
    assert [path for _, path, _, _ in seen] == ["/users/me"]


async def test_global_options_before_the_command_survive_its_own_defaults(serve: Serve) -> None:
    seen: Seen = []
    url = await serve(api_app(seen))
    code, _, err = await run_cli("--token", TOKEN, "--base-url", url, "--seed", "3", "me")
    assert (code, err) == (0, "")
    code, out, err = await run_cli("webhooks", "list", "--mock", "--seed", "2")
    assert (code, err) == (0, "")
    assert isinstance(json.loads(out), list)


def test_commands_added_later_get_the_global_options() -> None:
    parser = cli._parser()
    commands = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    export = commands.add_parser("export-like", help="stands in for a hook's command")
    export.add_argument("--out", help="output file")
    args = parser.parse_args(["export-like", "--mock", "--token", "T", "--out", "x", "-v"])
    assert (args.mock, args.token, args.out, args.verbose) == (True, "T", "x", True)
    args = parser.parse_args(["--mock", "--seed", "4", "export-like"])
    assert (args.mock, args.seed, args.token, args.debug) == (True, 4, None, False)


def _actions(parser: argparse.ArgumentParser, where: str) -> list[tuple[str, argparse.Action]]:
    found: list[tuple[str, argparse.Action]] = []
    for action in parser._actions:
        found.append((where, action))
        if isinstance(action, argparse._SubParsersAction):
            found.extend((where, choice) for choice in action._choices_actions)
            for name, sub in action.choices.items():
                found.extend(_actions(sub, f"{where} {name}"))
    return found


def test_every_option_has_help_and_shows_its_default() -> None:
    actions = _actions(cli._parser(), "calendly-async")
    assert len(actions) > 100
    for where, action in actions:
        name = "/".join(action.option_strings) or action.dest or action.metavar
        assert action.help, f"{where} {name} has no help"
        default = action.default
        shown = default not in (None, argparse.SUPPRESS) and not isinstance(default, bool)
        if shown:
            assert "%(default)s" in action.help, f"{where} {name} hides its default"


# -- mock --------------------------------------------------------------------------------------


async def test_mock_accepts_the_given_token_and_prints_its_oauth_credentials() -> None:
    process = await asyncio.create_subprocess_exec(
        str(SCRIPT), "mock", "--port", "0", "--events", "5", "--token", "my-mock-token",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    lines: dict[str, str] = {}
    try:
        while "press Ctrl-C to stop" not in lines:
            line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode().strip()
            assert line, "the mock exited before it was ready"
            key, _, value = line.partition(": ")
            lines[key if value else line] = value
        url = lines["oauth base url"]
        assert lines["token"] == "my-mock-token"
        assert (lines["oauth client id"], lines["oauth client secret"]) == (
            "mock-client-id", "mock-client-secret",
        )
        async with Calendly("my-mock-token", base_url=url) as client:
            assert (await client.users.me()).uri.startswith(url)
        form = {"client_id": lines["oauth client id"], "token": "my-mock-token"}
        async with aiohttp.ClientSession() as http:
            good = {**form, "client_secret": lines["oauth client secret"]}
            async with http.post(f"{url}/oauth/introspect", data=good) as answer:
                assert answer.status == 200
            bad = {**form, "client_secret": "wrong"}
            async with http.post(f"{url}/oauth/introspect", data=bad) as answer:
                assert answer.status == 401
    finally:
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), 30) == 0


@pytest.mark.parametrize(
    "args",
    [
        ["mock", "--port", "99999"],
        ["mock", "--port", "http"],
        ["mock", "--events", "-1"],
        ["mock", "--error-rate", "2"],
        ["webhooks", "listen", "--port", "70000"],
        ["--no-such-option", "me"],
        ["me", "--no-such-option"],
        ["request"],
        ["request", "FETCH", "/users/me"],
        ["request", "POST", "/users/me", "--paginate"],
        ["--proxy", "socks5://127.0.0.1:1", "me"],
    ],
)
async def test_bad_options_are_one_line_exit_2_without_traceback(args: list[str]) -> None:
    code, out, err = await run_cli(*args, env={"CALENDLY_TOKEN": TOKEN})
    assert code == 2, err
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert "error" in err
    assert "Traceback" not in err
    assert TOKEN not in err


async def test_a_bad_method_is_refused_before_anything_is_sent(serve: Serve) -> None:
    seen: Seen = []
    url = await serve(api_app(seen))
    code, _, err = await run_cli("--token", TOKEN, "--base-url", url, "request", "TRACE", "/x")
    assert code == 2
    assert "invalid choice: 'TRACE'" in err
    assert seen == []


# -- request --paginate ------------------------------------------------------------------------


async def test_paginate_prints_every_item_of_every_page_as_json_lines(mock: MockCalendly) -> None:
    code, out, err = await run_cli(
        "--token", mock.token, "--base-url", mock.url, "request", "GET", "/scheduled_events",
        "--param", f"organization={mock.organization_uri}", "--param", "count=10", "--paginate",
    )
    assert (code, err) == (0, "")
    printed = [json.loads(line)["uri"] for line in out.splitlines()]
    async with Calendly(mock.token, base_url=mock.url) as client:
        expected = [
            event.uri
            for event in await client.scheduled_events.list(
                organization=mock.organization_uri, count=10
            ).collect()
        ]
    assert len(expected) == 25
    assert printed == expected


def _pages_app(pages: dict[str | None, dict[str, Any]], seen: list[str | None]) -> web.Application:
    async def listing(request: web.Request) -> web.Response:
        token = request.query.get("page_token")
        seen.append(token)
        return web.json_response(pages[token])

    app = web.Application()
    app.router.add_get("/things", listing)
    return app


async def test_paginate_follows_next_page_when_the_token_key_is_absent(serve: Serve) -> None:
    seen: list[str | None] = []
    pages: dict[str | None, dict[str, Any]] = {
        None: {"collection": [{"n": 1}, {"n": 2}],
               "pagination": {"next_page": "https://api.calendly.com/things?page_token=B"}},
        "B": {"collection": [{"n": 3}], "pagination": {"next_page": None}},
    }
    url = await serve(_pages_app(pages, seen))
    code, out, err = await run_cli(
        "--token", TOKEN, "--base-url", url, "request", "GET", "/things", "--paginate"
    )
    assert (code, err) == (0, "")
    assert [json.loads(line) for line in out.splitlines()] == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert seen == [None, "B"]


async def test_paginate_stops_on_a_repeated_token(serve: Serve) -> None:
    seen: list[str | None] = []
    pages: dict[str | None, dict[str, Any]] = {
        None: {"collection": [{"n": 1}], "pagination": {"next_page_token": "A"}},
        "A": {"collection": [{"n": 2}], "pagination": {"next_page_token": "A"}},
    }
    url = await serve(_pages_app(pages, seen))
    code, out, err = await run_cli(
        "--token", TOKEN, "--base-url", url, "request", "GET", "/things", "--paginate"
    )
    assert code == 1
    assert "repeated" in err
    assert len(err.strip().splitlines()) == 1
    assert [json.loads(line) for line in out.splitlines()] == [{"n": 1}, {"n": 2}]
    assert seen == [None, "A"]


async def test_paginate_of_something_that_is_not_a_list_is_one_line_exit_1(serve: Serve) -> None:
    url = await serve(api_app([]))
    code, out, err = await run_cli(
        "--token", TOKEN, "--base-url", url, "request", "GET", "/users/me", "--paginate"
    )
    assert (code, out) == (1, "")
    assert "not a Calendly list" in err
    assert "Traceback" not in err


# -- proxies -----------------------------------------------------------------------------------


async def test_trust_env_sends_the_command_through_http_proxy(serve: Serve) -> None:
    upstream, proxy = Upstream(), Proxy()
    api_url = await serve(upstream.app())
    proxy_url = await serve(proxy.app())
    env = {name: proxy_url if "http_" in name.lower() else "" for name in PROXY_ENV}
    code, out, err = await run_cli(
        "me", "--trust-env", "--token", TOKEN, "--base-url", api_url, env=env
    )
    assert (code, err) == (0, "")
    assert json.loads(out)["email"] == "user@example.com"
    assert proxy.targets == [f"{api_url}/users/me"]
    code, _, err = await run_cli("me", "--token", TOKEN, "--base-url", api_url, env=env)
    assert (code, err) == (0, "")
    assert len(proxy.targets) == 1  # without --trust-env the environment is ignored
