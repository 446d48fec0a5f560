"""``calendly-async fleet`` without a reachable Redis: a one-line error, exit 1, no secret."""

from __future__ import annotations

import asyncio
import socket
import sys
from pathlib import Path

SCRIPT = Path(sys.executable).with_name("calendly-async")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens there any more


async def test_enqueue_without_redis_is_one_line_exit_1_without_the_password() -> None:
    redis = f"redis://:REDIS_SECRET_PW@127.0.0.1:{_closed_port()}"
    process = await asyncio.create_subprocess_exec(
        str(SCRIPT), "fleet", "enqueue", "tenant-1", "--redis", redis,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(process.communicate(), 60)
    stderr = err.decode()
    assert process.returncode == 1
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1].startswith("calendly-async: error: redis: ")
    assert "REDIS_SECRET_PW" not in stderr + out.decode()
