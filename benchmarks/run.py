"""Run the calendly_async benchmarks and print a table of times and ratios.

::

    python benchmarks/run.py [--quick] [--json out.json] [--no-pydantic] [--no-peer]

Every ratio divides a variant's median by the baseline's median measured in the
same run, against the embedded mock server on 127.0.0.1 (no other network use).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the ``benchmarks`` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgspec

from benchmarks._availability import AVAILABILITY_FULL, AVAILABILITY_QUICK, availability_rows
from benchmarks._harness import FULL, QUICK, Report, run_benchmarks

__all__ = ["format_table", "main", "parse_args", "write_json"]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line: ``--quick``, ``--json PATH``, ``--no-pydantic``, ``--no-peer``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, a few seconds")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the report here")
    parser.add_argument("--no-pydantic", action="store_true", help="skip the pydantic row")
    parser.add_argument("--no-peer", action="store_true", help="skip the peer client rows")
    return parser.parse_args(argv)


def _duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale or unit == "us":
            return f"{seconds / scale:.3g} {unit}"
    raise AssertionError("unreachable")


def _number(value: float | None, digits: int = 2) -> str:
    if value is None or not math.isfinite(value):
        return "-"
    if value >= 10_000:
        return f"{value:,.0f}"
    return f"{value:.{digits}f}"


def format_table(report: Report) -> str:
    """The report as a fixed-width text table, one header line of context first."""
    meta = report.meta
    lines = [
        f"calendly_async benchmarks: {meta.get('mode')} mode, {meta.get('date')}, "
        f"Python {meta.get('python')}, {meta.get('cpus')} CPUs",
        "ratio = median / baseline median in this run (below 1.00: faster than the baseline)",
        "",
        f"{'benchmark':<15} {'variant':<60} {'median':>9} {'ratio':>7} {'items':>6} "
        f"{'items/s':>10}  note",
    ]
    for row in report.rows:
        variant = f"{row.variant} [baseline]" if row.baseline else row.variant
        lines.append(
            f"{row.benchmark:<15} {variant:<60} {_duration(row.median_s):>9} "
            f"{_number(row.ratio):>7} {row.items if row.items is not None else '-':>6} "
            f"{_number(row.items_per_s, 0):>10}  {row.note}".rstrip()
        )
    return "\n".join(lines)


def write_json(report: Report, path: Path) -> None:
    """Write the report (``{"rows": [...], "meta": {...}}``) as JSON."""
    path.write_bytes(msgspec.json.format(msgspec.json.encode(report)) + b"\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table, write the JSON if asked; the exit status."""
    args = parse_args(argv)
    report = asyncio.run(
        run_benchmarks(
            QUICK if args.quick else FULL,
            mode="quick" if args.quick else "full",
            use_pydantic=not args.no_pydantic,
            use_peer=not args.no_peer,
            log=lambda message: print(f"... {message}", file=sys.stderr, flush=True),
        )
    )
    sizes = AVAILABILITY_QUICK if args.quick else AVAILABILITY_FULL
    availability = availability_rows(sizes, log=lambda m: print(f"... {m}", file=sys.stderr))
    report.rows.extend(asyncio.run(availability))
    print(format_table(report))
    if args.json is not None:
        write_json(report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
