"""WebhookReceiver shutdown never hangs: a bounded grace, then stuck handlers are cancelled.

Handlers run after the 200 is sent (Calendly rule, reference §7: answer within
15 s, work afterwards), so a handler can still be running when the server stops.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from calendly_async.errors import InvalidInputError
from calendly_async.webhooks import SIGNATURE_HEADER, WebhookEvent, WebhookReceiver, sign

KEY = "whsec_shutdown_SECRET_key_31"
BODY = (
    b'{"event":"invitee.created","created_at":"2024-05-01T09:00:00.000000Z",'
    b'"created_by":"https://api.calendly.com/users/U1",'
    b'"payload":{"uri":"https://api.calendly.com/scheduled_events/E1/invitees/I1",'
    b'"email":"ada@example.com","status":"active"}}'
)

# web.run_app in a child process, on a socket bound to a free port (printed first).
APP_SCRIPT = """
import asyncio, socket, sys
from aiohttp import web
from calendly_async.webhooks import WebhookReceiver

receiver = WebhookReceiver(sys.argv[1], shutdown_grace=0.5)

@receiver.on("invitee.created")
async def stuck(event):
    print("handler started", flush=True)
    await asyncio.sleep(3600)

async def report(app):
    for failure in receiver.failures:
        print("failure", failure.handler, type(failure.error).__name__, flush=True)

app = receiver.app()
app.on_cleanup.append(report)
sock = socket.socket()
sock.bind(("127.0.0.1", 0))
sock.listen()
print("port", sock.getsockname()[1], flush=True)
web.run_app(app, sock=sock, print=None, handle_signals=True)
print("exited", flush=True)
"""

# Hang detector, not a speed assertion: the child needs about 0.5 s of grace.
BOUND = 20.0


async def deliver(url: str) -> int:
    headers = {SIGNATURE_HEADER: sign(BODY, KEY), "Content-Type": "application/json"}
    async with aiohttp.ClientSession() as http, http.post(url, data=BODY, headers=headers) as r:
        return r.status


async def serve_and_deliver(receiver: WebhookReceiver) -> TestServer:
    """Start ``receiver.app()`` on 127.0.0.1 and deliver one signed event (answered 200)."""
    server = TestServer(receiver.app(), host="127.0.0.1")
    await server.start_server()
    assert await deliver(str(server.make_url(receiver.path))) == 200
    return server


async def test_run_app_exits_after_sigint_with_a_handler_stuck_in_sleep(tmp_path: Path) -> None:
    script = tmp_path / "receiver_app.py"
    script.write_text(APP_SCRIPT)
    child = await asyncio.create_subprocess_exec(
        sys.executable, str(script), KEY, stdout=asyncio.subprocess.PIPE
    )
    assert child.stdout is not None
    try:
        port = (await asyncio.wait_for(child.stdout.readline(), BOUND)).split()[1].decode()
        assert await deliver(f"http://127.0.0.1:{port}/webhooks/calendly") == 200
        assert await asyncio.wait_for(child.stdout.readline(), BOUND) == b"handler started\n"
        child.send_signal(signal.SIGINT)
        output, _ = await asyncio.wait_for(child.communicate(), BOUND)
    finally:
        if child.returncode is None:
            child.kill()
            await child.wait()
    assert child.returncode == 0
    assert output.decode().splitlines() == ["failure stuck TimeoutError", "exited"]


async def test_cleanup_cancels_handlers_past_the_grace_and_records_them() -> None:
    receiver = WebhookReceiver(KEY, shutdown_grace=0.05)
    finished: list[str] = []
    started = asyncio.Event()

    @receiver.on("invitee.created")
    async def quick(event: WebhookEvent) -> None:
        await asyncio.sleep(0)
        finished.append("quick")

    @receiver.on("*")
    async def stuck(event: WebhookEvent) -> None:
        started.set()
        await asyncio.sleep(3600)
        finished.append("stuck")

    server = await serve_and_deliver(receiver)
    await started.wait()
    await asyncio.wait_for(server.close(), BOUND)
    assert finished == ["quick"]
    [failure] = receiver.failures
    assert failure.handler.endswith("stuck")
    assert isinstance(failure.error, TimeoutError)
    assert failure.event.event == "invitee.created"


async def test_handlers_that_finish_within_the_grace_are_not_cancelled() -> None:
    receiver = WebhookReceiver(KEY, shutdown_grace=10.0)
    finished: list[str] = []
    release = asyncio.Event()

    @receiver.on("invitee.created")
    async def slow(event: WebhookEvent) -> None:
        await release.wait()
        finished.append("slow")

    server = await serve_and_deliver(receiver)
    closing = asyncio.create_task(server.close())
    await asyncio.sleep(0)
    release.set()
    await asyncio.wait_for(closing, BOUND)
    assert finished == ["slow"]
    assert list(receiver.failures) == []


async def test_drain_with_a_timeout_cancels_and_records_a_running_handler() -> None:
    receiver = WebhookReceiver(KEY)
    started = asyncio.Event()

    @receiver.on("invitee.created")
    async def stuck(event: WebhookEvent) -> None:
        started.set()
        await asyncio.Event().wait()

    server = await serve_and_deliver(receiver)
    try:
        await started.wait()
        await asyncio.wait_for(receiver.drain(timeout=0), BOUND)
        assert [type(f.error) for f in receiver.failures] == [TimeoutError]
    finally:
        await server.close()


@pytest.mark.parametrize("grace", [-1, float("nan"), True])
def test_shutdown_grace_must_be_a_non_negative_number(grace: float) -> None:
    with pytest.raises(InvalidInputError):
        WebhookReceiver(KEY, shutdown_grace=grace)
