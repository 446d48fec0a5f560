"""The ``calendly-async`` console script, run in a subprocess against loopback servers."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import pytest
from aiohttp import web
from conftest import Serve
from helpers import TOKEN, fixture

SCRIPT = Path(sys.executable).with_name("calendly-async")


async def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run the installed console script; return (exit code, stdout, stderr)."""
    environment = {k: v for k, v in os.environ.items() if k != "CALENDLY_TOKEN"}
    environment.update(env or {})
    process = await asyncio.create_subprocess_exec(
        str(SCRIPT), *args, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


def api_app(seen: list[tuple[str, str, dict[str, str], str]]) -> web.Application:
    async def me(request: web.Request) -> web.Response:
        seen.append((request.method, request.path, dict(request.query), await request.text()))
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return web.json_response({"title": "Unauthenticated", "message": "bad"}, status=401)
        return web.json_response(fixture("get_current_user"))

    async def cancel(request: web.Request) -> web.Response:
        seen.append((request.method, request.path, dict(request.query), await request.text()))
        return web.json_response(fixture("cancel_event"), status=201)

    async def missing(request: web.Request) -> web.Response:
        return web.json_response(
            {"title": "Resource Not Found", "message": "The server could not find it."},
            status=404,
        )

    app = web.Application()
    app.router.add_get("/users/me", me)
    app.router.add_post("/scheduled_events/{uuid}/cancellation", cancel)
    app.router.add_get("/scheduled_events/{uuid}", missing)
    return app


def test_console_script_is_installed() -> None:
    assert SCRIPT.exists(), "pip install -e . installs the calendly-async console script"


async def test_missing_token_is_one_line_and_exit_3() -> None:
    code, out, err = await run_cli("me")
    assert code == 3
    assert out == ""
    assert err.strip().count("\n") == 0
    assert "CALENDLY_TOKEN" in err
    assert "Traceback" not in err


async def test_me_prints_the_user_as_json(serve: Serve) -> None:
    seen: list[tuple[str, str, dict[str, str], str]] = []
    url = await serve(api_app(seen))
    code, out, err = await run_cli("--base-url", url, "me", env={"CALENDLY_TOKEN": TOKEN})
    assert (code, err) == (0, "")
    assert json.loads(out)["email"] == "user@example.com"
    assert TOKEN not in out
    assert seen[0][:2] == ("GET", "/users/me")


async def test_request_sends_params_and_json_body(serve: Serve) -> None:
    seen: list[tuple[str, str, dict[str, str], str]] = []
    url = await serve(api_app(seen))
    code, out, err = await run_cli(
        "--token", TOKEN, "--base-url", url, "request", "post",
        "/scheduled_events/EV1/cancellation", "--param", "a=1", "--json", '{"reason": "x"}',
    )
    assert (code, err) == (0, "")
    assert json.loads(out)["resource"]["canceler_type"] == "host"
    method, path, query, body = seen[0]
    assert (method, path, query, json.loads(body)) == (
        "POST", "/scheduled_events/EV1/cancellation", {"a": "1"}, {"reason": "x"},
    )


async def test_api_error_is_one_line_exit_1(serve: Serve) -> None:
    url = await serve(api_app([]))
    code, out, err = await run_cli("--token", TOKEN, "--base-url", url, "request", "GET",
                                   "/scheduled_events/NOPE")
    assert code == 1
    assert out == ""
    assert "404 Resource Not Found" in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["request", "GET", "/users/me", "--json", "{not json"], "--json is not valid JSON"),
        (["request", "GET", "/users/me", "--param", "novalue"], "key=value"),
        (["--base-url", "http://example.com", "me"], "plain http"),
    ],
)
async def test_bad_input_is_exit_2_without_traceback(args: list[str], needle: str) -> None:
    code, out, err = await run_cli("--token", TOKEN, *args)
    assert code == 2
    assert out == ""
    assert needle in err
    assert "Traceback" not in err
    assert TOKEN not in err


async def test_wrong_token_is_reported_without_echoing_it(serve: Serve) -> None:
    url = await serve(api_app([]))
    code, _, err = await run_cli("--token", "wrong-SECRET-token", "--base-url", url, "me")
    assert code == 1
    assert "401" in err
    assert "wrong-SECRET-token" not in err


async def test_mock_flag_runs_the_command_against_an_in_process_mock() -> None:
    code, out, err = await run_cli("--mock", "me")
    assert (code, err) == (0, "")
    me = json.loads(out)
    assert me["uri"].startswith("http://127.0.0.1:")
    assert "/users/" in me["uri"]


async def test_mock_command_serves_until_interrupted() -> None:
    process = await asyncio.create_subprocess_exec(
        str(SCRIPT), "mock", "--port", "0", "--events", "30",
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    url_line = (await asyncio.wait_for(process.stdout.readline(), 60)).decode()
    token_line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
    organization_line = (await asyncio.wait_for(process.stdout.readline(), 10)).decode()
    url = url_line.rsplit(" ", 1)[1].strip()
    token = token_line.split(":", 1)[1].strip()
    organization = organization_line.split(":", 1)[1].strip()
    code, out, err = await run_cli("--token", token, "--base-url", url, "request", "GET",
                                   "/scheduled_events", "--param",
                                   f"organization={organization}", "--param", "count=5")
    process.send_signal(signal.SIGINT)
    assert await asyncio.wait_for(process.wait(), 30) == 0
    assert code == 0, err
    body = json.loads(out)
    assert set(body) >= {"collection", "pagination"}
    assert len(body["collection"]) == 5
    assert body["pagination"]["next_page_token"]
