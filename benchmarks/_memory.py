"""Row 7, ``memory``: peak RSS of 100,000 invitees, exported or held in memory.

Each figure comes from a fresh child process (its own peak RSS, ``_rss``), so one
variant's heap never inflates another's:

- ``hold`` variants decode a real 100-invitee page (the server's own answer) 1,000
  times and keep every invitee: as the SDK's ``Invitee`` Structs (through
  ``decode_page_body``, as every listed page is), as ``msgspec`` dicts, as pydantic
  v2 mirror models. They also report the decode time and how much of it the cyclic
  garbage collector spent (``gc.callbacks``): the SDK's Structs are ``gc=False``,
  so the collector never rescans them.
- the export (``_export_rows.export_peak_rss``): the job exporting 100,000 invitees
  (20,000 events x 5) from the server in another process, writing its files.

The baseline is holding them as Structs; the last row is an empty child
(interpreter and imports only), which every other figure includes.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import json
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

import msgspec

from ._measure import AsyncVariant, Outcome, Row, compare, measure_async, run_child
from ._rss import peak_rss_mb

__all__ = ["HOLD_KINDS", "memory_rows"]

HOLD_KINDS = {
    "structs": "hold as calendly_async Invitee Structs",
    "dicts": "hold as msgspec dicts",
    "pydantic": "hold as pydantic v2 models",
    "none": "interpreter + calendly_async imported, nothing held",
}


def _decoder(kind: str) -> Callable[[bytes], list[Any]]:
    if kind == "structs":
        from calendly_async._decoding import decode_page_body
        from calendly_async._transport import Response
        from calendly_async.models import Invitee

        def structs(body: bytes) -> list[Any]:
            response = Response(method="GET", url="/invitees", status=200, headers={}, body=body)
            return decode_page_body(response, Invitee).collection

        return structs
    if kind == "dicts":
        return lambda body: msgspec.json.decode(body)["collection"]
    if kind == "pydantic":
        from ._pydantic_models import InviteesPage

        return lambda body: InviteesPage.model_validate_json(body).collection
    return lambda body: []


def hold(kind: str, body: bytes, pages: int) -> dict[str, float]:
    """Decode ``body`` ``pages`` times keeping every item; the child's figures.

    Every kind imports ``calendly_async`` first, so all figures include the same
    interpreter and imports (the ``none`` row).
    """
    importlib.import_module("calendly_async")
    decode = _decoder(kind)
    decode(body)  # imports and decoder caches before the clock starts
    paused = 0.0
    since = 0.0

    def on_gc(phase: str, info: dict[str, Any]) -> None:
        nonlocal paused, since
        if phase == "start":
            since = time.perf_counter()
        else:
            paused += time.perf_counter() - since

    gc.callbacks.append(on_gc)
    held: list[Any] = []
    started = time.perf_counter()
    for _ in range(pages):
        held.extend(decode(body))
    seconds = time.perf_counter() - started
    gc.callbacks.remove(on_gc)
    peak = peak_rss_mb()
    return {"items": len(held), "peak_rss_mb": peak, "decode_s": seconds, "gc_s": paused}


def _hold_variant(kind: str, body_file: Path, pages: int) -> Callable[[], Awaitable[Outcome]]:
    argv = [sys.executable, "-m", "benchmarks._memory", kind, str(body_file), str(pages)]

    async def run() -> Outcome:
        figures = await asyncio.to_thread(run_child, argv)
        extra = {"decode_s": figures["decode_s"], "gc_s": figures["gc_s"]}
        return Outcome(int(figures["items"]), value=figures["peak_rss_mb"], extra=extra)

    return run


async def memory_rows(
    body: bytes,
    *,
    pages: int,
    runs: int,
    work_dir: Path,
    export: Callable[[], Awaitable[Outcome]],
    export_label: str,
    use_pydantic: bool,
) -> list[Row]:
    """Peak RSS of each variant, ``runs`` alternated child processes each.

    ``export`` runs the export child.
    """
    from ._measure import skipped_row

    body_file = work_dir / "invitees-page.json"
    body_file.write_bytes(body)
    kinds = [kind for kind in HOLD_KINDS if use_pydantic or kind != "pydantic"]
    variants: list[AsyncVariant] = [
        (HOLD_KINDS[kind], _hold_variant(kind, body_file, 0 if kind == "none" else pages))
        for kind in kinds
    ]
    variants.append((export_label, export))
    measured = await measure_async(variants, runs=runs, warmup=0)
    note = f"peak RSS of a fresh process; {pages * 100:,} invitees"
    rows = compare(7, "memory", measured, note, unit="MB", same_items=False)
    if not use_pydantic:
        rows.append(skipped_row(7, "memory", HOLD_KINDS["pydantic"], "skipped: no pydantic"))
    return rows


def main(argv: Sequence[str]) -> int:
    """Child mode: ``KIND BODY_FILE PAGES`` -> one JSON line of figures."""
    kind, body_file, pages = argv
    print(json.dumps(hold(kind, Path(body_file).read_bytes(), int(pages))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
