"""Timing loops and the rows they produce: medians, spreads and ratios to a baseline.

Each benchmark measures several variants doing the same work; the first variant is
the baseline. Variants are interleaved round by round (A B C, A B C, ...) so a
slow patch of the machine hits every variant alike, and the median is reported.
Each sample starts after ``gc.collect()``, so no variant pays for the garbage the
previous one left; the collector stays on while timing, as in real use.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

__all__ = [
    "AsyncVariant",
    "BenchmarkError",
    "Measured",
    "Row",
    "SyncVariant",
    "compare",
    "measure_async",
    "measure_sync",
    "skipped_row",
]

SyncVariant = tuple[str, Callable[[], int]]
"""A label and a function doing one unit of work, returning how many items it produced."""

AsyncVariant = tuple[str, Callable[[], Awaitable[int]]]
"""A label and a coroutine function doing one unit of work, returning its item count."""


class BenchmarkError(RuntimeError):
    """A benchmark could not compare its variants (they did different amounts of work)."""


@dataclass(frozen=True, slots=True)
class Measured:
    """Seconds per unit of work, one sample per round, and the items each unit produced."""

    label: str
    samples: list[float]
    items: int


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the report.

    Attributes
    ----------
    benchmark:
        ``decode``, ``paginate``, ``fanout`` or ``fanout_latency``.
    variant:
        What was measured.
    baseline:
        Whether this is the row the others are divided by.
    median_s, min_s, max_s:
        Seconds per unit of work (one page for ``decode``, one whole job otherwise).
    ratio:
        ``median_s`` divided by the baseline's ``median_s`` (below 1: faster).
    items, items_per_s:
        Items produced per unit of work, and per second at the median.
    runs:
        Samples taken (rounds).
    note:
        Why a row was skipped, or a remark on how it was measured.
    """

    benchmark: str
    variant: str
    baseline: bool
    median_s: float | None
    min_s: float | None
    max_s: float | None
    ratio: float | None
    items: int | None
    items_per_s: float | None
    runs: int
    note: str = ""


def skipped_row(benchmark: str, variant: str, note: str) -> Row:
    """A row for a variant that could not run here (missing optional dependency)."""
    return Row(benchmark, variant, False, None, None, None, None, None, None, 0, note)


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
    """Time each variant ``repeats`` times, interleaved; each sample is seconds per call.

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
    """Await each variant ``warmup + runs`` times, interleaved; keep the last ``runs`` timings.

    Raises
    ------
    BenchmarkError
        A variant produced a different item count from one round to the next.
    """
    samples: dict[str, list[float]] = {label: [] for label, _ in variants}
    items: dict[str, int] = {}
    for round_number in range(warmup + runs):
        for label, work in variants:
            gc.collect()
            start = time.perf_counter()
            count = await work()
            elapsed = time.perf_counter() - start
            if items.setdefault(label, count) != count:
                raise BenchmarkError(f"{label}: {count} items, {items[label]} in an earlier round")
            if round_number >= warmup:
                samples[label].append(elapsed)
    return [Measured(label, samples[label], items[label]) for label, _ in variants]


def compare(benchmark: str, measured: Sequence[Measured], note: str = "") -> list[Row]:
    """Rows for ``measured``, the first being the baseline, each with its ratio to it.

    Raises
    ------
    BenchmarkError
        A variant produced a different number of items than the baseline: the
        variants did not do the same work, so a ratio would mean nothing.
    """
    baseline = measured[0]
    base_median = statistics.median(baseline.samples)
    rows = []
    for entry in measured:
        if entry.items != baseline.items:
            raise BenchmarkError(
                f"{benchmark}: {entry.label} produced {entry.items} items, "
                f"the baseline {baseline.items}"
            )
        median = statistics.median(entry.samples)
        rows.append(
            Row(
                benchmark=benchmark,
                variant=entry.label,
                baseline=entry is baseline,
                median_s=median,
                min_s=min(entry.samples),
                max_s=max(entry.samples),
                ratio=median / base_median,
                items=entry.items,
                items_per_s=entry.items / median,
                runs=len(entry.samples),
                note=note if entry is baseline else "",
            )
        )
    return rows
