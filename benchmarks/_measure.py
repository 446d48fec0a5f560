"""Timing loops and the rows they produce: medians, spreads and ratios to a baseline.

Each benchmark measures several variants doing the same work; the first variant is
the baseline. Variants are alternated round by round (A B C, A B C, ...) so a slow
patch of the machine hits every variant alike; the median and the min-max of the
rounds are reported. Each sample starts after ``gc.collect()``, so no variant pays
for the garbage the previous one left; the collector stays on while timing, as in
real use.

Every sample records wall time (``time.perf_counter``) and this process's CPU time
(``time.process_time``). The servers the async rows talk to run in *another*
process (``_server``), so the CPU figure is the client's alone.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

__all__ = [
    "AsyncVariant",
    "BenchmarkError",
    "Measured",
    "Outcome",
    "Row",
    "SyncVariant",
    "child_env",
    "compare",
    "measure_async",
    "measure_sync",
    "run_child",
    "skipped_row",
    "spread",
]


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one unit of work produced: its item count and extra figures.

    ``value``, when given, is the row's figure for this sample instead of the wall
    time (peak RSS in MB, requests per second, ...). ``extra`` holds further figures
    reported next to it (``requests``, ``429s``, ``peak_rss_mb``).
    """

    items: int
    value: float | None = None
    extra: Mapping[str, float] = field(default_factory=dict)


SyncVariant = tuple[str, Callable[[], int]]
"""A label and a function doing one unit of work, returning how many items it produced."""

AsyncVariant = tuple[str, Callable[[], Awaitable[int | Outcome]]]
"""A label and a coroutine function doing one unit of work: its item count or ``Outcome``."""


class BenchmarkError(RuntimeError):
    """A benchmark could not compare its variants (they did different amounts of work)."""


@dataclass(frozen=True, slots=True)
class Measured:
    """One variant's samples (one per round), CPU samples, extras, and its item count."""

    label: str
    samples: list[float]
    items: int
    cpu: list[float] = field(default_factory=list)
    extra: dict[str, list[float]] = field(default_factory=dict)


def spread(values: Sequence[float]) -> list[float]:
    """``[median, min, max]`` of ``values``."""
    return [statistics.median(values), min(values), max(values)]


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the report.

    Attributes
    ----------
    row:
        The issue's row number (1-8).
    benchmark:
        The block it belongs to (``decode_invitees``, ``stream_0ms``, ...).
    variant:
        What was measured.
    baseline:
        Whether this is the row the others are divided by.
    unit:
        ``s`` (seconds per unit of work), ``MB`` or ``req/s``.
    median, low, high:
        The figure's median, min and max over the rounds.
    ratio:
        ``median`` divided by the baseline's ``median`` (below 1: faster / smaller).
    items:
        Items produced per unit of work (the same for every variant of a block).
    runs:
        Samples taken (rounds).
    cpu, cpu_ratio:
        ``[median, min, max]`` client CPU seconds per unit of work, and its median
        divided by the baseline's (``None`` where CPU is not the client's alone).
    extra:
        Further figures, each ``[median, min, max]`` (``requests``, ``429s``, ...).
    note:
        Why a row was skipped, or a remark on how it was measured.
    """

    row: int
    benchmark: str
    variant: str
    baseline: bool
    unit: str
    median: float | None
    low: float | None
    high: float | None
    ratio: float | None
    items: int | None
    runs: int
    cpu: list[float] | None = None
    cpu_ratio: float | None = None
    extra: dict[str, list[float]] = field(default_factory=dict)
    note: str = ""


def skipped_row(row: int, benchmark: str, variant: str, note: str, unit: str = "s") -> Row:
    """A row for a variant that could not run here (missing optional dependency...)."""
    return Row(row, benchmark, variant, False, unit, None, None, None, None, None, 0, note=note)


def _autorange(work: Callable[[], int], min_seconds: float) -> int:
    """Calls per sample so one sample lasts at least ``min_seconds`` (doubling, like timeit)."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            work()
        if time.perf_counter() - start >= min_seconds:
            return number
        number *= 2


def measure_sync(
    variants: Sequence[SyncVariant], *, repeats: int, min_seconds: float
) -> list[Measured]:
    """Time each variant ``repeats`` times, alternated; each sample is seconds per call.

    The calibration calls (``_autorange``) double as a warm-up.
    """
    numbers = {label: _autorange(work, min_seconds) for label, work in variants}
    samples: dict[str, list[float]] = {label: [] for label, _ in variants}
    items = {label: work() for label, work in variants}
    for _ in range(repeats):
        for label, work in variants:
            number = numbers[label]
            gc.collect()
            start = time.perf_counter()
            for _ in range(number):
                work()
            samples[label].append((time.perf_counter() - start) / number)
    return [Measured(label, samples[label], items[label]) for label, _ in variants]


async def measure_async(
    variants: Sequence[AsyncVariant], *, runs: int, warmup: int = 1
) -> list[Measured]:
    """Await each variant ``warmup + runs`` times, alternated; keep the last ``runs``.

    Raises
    ------
    BenchmarkError
        A variant produced a different item count from one round to the next.
    """
    measured = {label: Measured(label, [], 0) for label, _ in variants}
    items: dict[str, int] = {}
    for round_number in range(warmup + runs):
        for label, work in variants:
            gc.collect()
            cpu_start = time.process_time()
            start = time.perf_counter()
            result = await work()
            elapsed = time.perf_counter() - start
            cpu = time.process_time() - cpu_start
            outcome = result if isinstance(result, Outcome) else Outcome(result)
            if items.setdefault(label, outcome.items) != outcome.items:
                raise BenchmarkError(
                    f"{label}: {outcome.items} items, {items[label]} in an earlier round"
                )
            if round_number < warmup:
                continue
            entry = measured[label]
            entry.samples.append(elapsed if outcome.value is None else outcome.value)
            entry.cpu.append(cpu)
            for name, value in outcome.extra.items():
                entry.extra.setdefault(name, []).append(value)
    return [replace_items(measured[label], items[label]) for label, _ in variants]


def replace_items(entry: Measured, items: int) -> Measured:
    """``entry`` with its item count set."""
    return Measured(entry.label, entry.samples, items, entry.cpu, entry.extra)


def compare(
    row: int,
    benchmark: str,
    measured: Sequence[Measured],
    note: str = "",
    *,
    unit: str = "s",
    with_cpu: bool = False,
    same_items: bool = True,
) -> list[Row]:
    """Rows for ``measured``, the first being the baseline, each with its ratio to it.

    ``with_cpu`` reports the client CPU too (only where the server is in another
    process). ``same_items=False`` allows variants to differ in item count (a
    floor, a memory figure of different containers).

    Raises
    ------
    BenchmarkError
        A variant produced a different number of items than the baseline: the
        variants did not do the same work, so a ratio would mean nothing.
    """
    baseline = measured[0]
    base_median = statistics.median(baseline.samples)
    base_cpu = statistics.median(baseline.cpu) if with_cpu and baseline.cpu else None
    rows = []
    for entry in measured:
        if same_items and entry.items != baseline.items:
            raise BenchmarkError(
                f"{benchmark}: {entry.label} produced {entry.items} items, "
                f"the baseline {baseline.items}"
            )
        median, low, high = spread(entry.samples)
        cpu = spread(entry.cpu) if with_cpu and entry.cpu else None
        rows.append(
            Row(
                row=row,
                benchmark=benchmark,
                variant=entry.label,
                baseline=entry is baseline,
                unit=unit,
                median=median,
                low=low,
                high=high,
                ratio=median / base_median if base_median else None,
                items=entry.items,
                runs=len(entry.samples),
                cpu=cpu,
                cpu_ratio=cpu[0] / base_cpu if cpu and base_cpu else None,
                extra={name: spread(values) for name, values in entry.extra.items()},
                note=note if entry is baseline else "",
            )
        )
    return rows


def child_env() -> dict[str, str]:
    """The environment for ``python -m benchmarks.…`` children: this ``benchmarks``
    package's parent first on ``PYTHONPATH``, so they run the same code from any cwd."""
    root = str(Path(__file__).resolve().parent.parent)
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": root if not path else f"{root}{os.pathsep}{path}"}


def run_child(argv: Sequence[str]) -> dict[str, float]:
    """Run a measuring child process; the JSON object on its last line of output.

    Raises
    ------
    BenchmarkError
        The child failed (its status and the end of its stderr are in the message).
    """
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=child_env())
    if done.returncode != 0:
        raise BenchmarkError(f"{list(argv[1:4])} failed ({done.returncode}): {done.stderr[-2000:]}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures
