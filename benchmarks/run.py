"""Run the calendly_async benchmarks; print and write their table (``RESULTS.md``).

::

    python -m benchmarks [--quick] [--rows 1,2,3] [--out PATH] [--json PATH]
                         [--peer calendly-py=/path/to/venv/bin/python] [--no-pydantic]

Every ratio divides a variant's median by the baseline's median measured in the
same run, against the embedded mock server on 127.0.0.1 in another process (no
other network use). The full run writes ``benchmarks/RESULTS.md``; ``--quick``
writes ``benchmarks/results/RESULTS-quick.md`` (git-ignored) unless ``--out``.
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

from benchmarks._harness import FULL, QUICK, ROWS, Report, run_benchmarks
from benchmarks._measure import Row

__all__ = ["default_peers", "format_markdown", "main", "parse_args", "write_json"]

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
QUICK_RESULTS = HERE / "results" / "RESULTS-quick.md"
_DASH = "\N{EN DASH}"
PEER_NAMES = ("calendly-py",)
"""Peers with a row; each lives in its own venv (``.venv/peers/<name>`` by default)."""


def default_peers(root: Path = HERE.parent) -> dict[str, str]:
    """Peer venvs found at ``<root>/.venv/peers/<name>/bin/python``."""
    found = {}
    for name in PEER_NAMES:
        python = root / ".venv" / "peers" / name / "bin" / "python"
        if python.exists():
            found[name] = str(python)
    return found


def _peer(value: str) -> tuple[str, str]:
    name, sep, python = value.partition("=")
    if not sep or name not in PEER_NAMES or not python:
        raise argparse.ArgumentTypeError(f"expected NAME=PYTHON with NAME in {PEER_NAMES}")
    return name, python


def _rows(value: str) -> list[int]:
    try:
        chosen = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        message = f"expected row numbers like 1,2,3, not {value!r}"
        raise argparse.ArgumentTypeError(message) from None
    unknown = [number for number in chosen if number not in ROWS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"rows are 1-{max(ROWS)}, not {value!r}")
    return chosen


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    description = __doc__.splitlines()[0]
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=description)
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run")
    parser.add_argument("--rows", type=_rows, default=None, help="only these rows, e.g. 1,3")
    parser.add_argument("--out", type=Path, default=None, help="where to write the Markdown")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the report here")
    parser.add_argument(
        "--peer", type=_peer, action="append", default=[], metavar="NAME=PYTHON",
        help="a peer client's venv interpreter (default: .venv/peers/NAME/bin/python)",
    )  # fmt: skip
    parser.add_argument("--no-peer", action="store_true", help="no peer rows")
    parser.add_argument("--no-pydantic", action="store_true", help="skip the pydantic rows")
    return parser.parse_args(argv)


def _duration(seconds: float) -> str:
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale or unit == "µs":
            return f"{seconds / scale:.3g} {unit}"
    raise AssertionError("unreachable")


def figure(value: float | None, unit: str) -> str:
    """A figure in its unit: ``1.23 ms``, ``84.1 MB``, ``5,210 req/s``."""
    if value is None or not math.isfinite(value):
        return "-"
    if unit == "s":
        return _duration(value)
    if unit == "MB":
        return f"{value:.1f} MB"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    return f"{value:.3g} {unit}"


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def _extra(row: Row) -> str:
    parts = []
    for name, (median, low, high) in row.extra.items():
        unit = "s" if name.endswith("_s") or name == "seconds" else ""
        unit = "MB" if name.endswith("_mb") else unit
        shown = figure(median, unit) if unit else f"{median:,.0f}"
        span = f" ({figure(low, unit)}{_DASH}{figure(high, unit)})" if unit and low != high else ""
        span = span or (f" ({low:,.0f}{_DASH}{high:,.0f})" if not unit and low != high else "")
        parts.append(f"{name} {shown}{span}")
    return "; ".join(parts)


def _table(rows: list[Row]) -> list[str]:
    lines = [
        f"| variant | median | min{_DASH}max | ratio | client CPU (min{_DASH}max) | CPU ratio "
        "| items | also |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        variant = f"{row.variant} **[baseline]**" if row.baseline else row.variant
        if row.median is None:
            lines.append(f"| {variant} | - | - | - | - | - | - | {row.note} |")
            continue
        cpu = "-"
        if row.cpu is not None:
            cpu = f"{_duration(row.cpu[0])} ({_duration(row.cpu[1])}{_DASH}{_duration(row.cpu[2])})"
        lines.append(
            f"| {variant} | {figure(row.median, row.unit)} | {figure(row.low, row.unit)}{_DASH}"
            f"{figure(row.high, row.unit)} | {_ratio(row.ratio)} | {cpu} | "
            f"{_ratio(row.cpu_ratio)} | {row.items if row.items is not None else '-'} | "
            f"{_extra(row)} |"
        )
    return lines


def _machine(report: Report) -> list[str]:
    meta = report.meta
    versions = meta.get("versions", {})
    shown = ", ".join(f"{name} {version}" for name, version in versions.items() if version)
    peers = ", ".join(f"{name} {version}" for name, version in meta.get("peers", {}).items())
    lines = [
        f"- date: {meta.get('date')} ({meta.get('mode')} run)",
        f"- machine: {meta.get('cores')} cores, {meta.get('cpu_model')}, {meta.get('platform')}",
        f"- Python {meta.get('python')}; {shown}",
        f"- peers (own venvs): {peers or 'none'}",
        f"- load average (1, 5, 15 min) before: {meta.get('load_before')}, "
        f"after: {meta.get('load_after')}",
    ]
    loads = [(meta.get(key) or [0.0])[0] for key in ("load_before", "load_after")]
    if meta.get("cores") and max(loads) > 0.5 * meta["cores"]:
        lines.append(
            "- **the machine was shared and loaded during this run** (load above half the "
            "cores): absolute times are noisy; ratios, measured side by side in alternated "
            "rounds, much less so"
        )
    return lines


def format_markdown(report: Report) -> str:
    """The report as Markdown: machine, targets, then one table per benchmark block."""
    lines = ["# calendly_async benchmark results", "", *_machine(report), ""]
    lines += [
        f"Each figure: the median and min{_DASH}max of the alternated rounds (`runs` in each "
        "table's note). `ratio` = median / the block's baseline median in this run; "
        "client CPU is this process's `time.process_time()` (the server runs in another "
        "process). Regenerate with `python -m benchmarks`.",
        "",
        "## Targets",
        "",
        "| goal | measured | result |",
        "|---|---|---|",
    ]
    for target in report.targets:
        result = {True: "**met**", False: "**missed**", None: "not measured"}[target.met]
        lines.append(f"| {target.goal} | {target.measured} | {result} |")
    blocks: dict[str, list[Row]] = {}
    for row in report.rows:
        blocks.setdefault(row.benchmark, []).append(row)
    for benchmark, rows in blocks.items():
        runs = max(row.runs for row in rows)
        title = ROWS[rows[0].row][0]
        note = next((row.note for row in rows if row.baseline and row.note), "")
        lines += ["", f"## Row {rows[0].row} · `{benchmark}`: {title}", ""]
        lines.append(f"{runs} alternated runs. {note}".rstrip())
        lines += ["", *_table(rows)]
    return "\n".join(lines) + "\n"


def write_json(report: Report, path: Path) -> None:
    """Write the report (``{"rows": [...], "targets": [...], "meta": {...}}``) as JSON."""
    path.write_bytes(msgspec.json.format(msgspec.json.encode(report)) + b"\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmarks, print the table, write the Markdown (and JSON); exit status."""
    args = parse_args(argv)
    peers = {} if args.no_peer else {**default_peers(), **dict(args.peer)}
    report = asyncio.run(
        run_benchmarks(
            QUICK if args.quick else FULL,
            mode="quick" if args.quick else "full",
            rows=args.rows,
            use_pydantic=not args.no_pydantic,
            peers=peers,
            log=lambda message: print(f"... {message}", file=sys.stderr, flush=True),
        )
    )
    text = format_markdown(report)
    print(text)
    out = args.out or (QUICK_RESULTS if args.quick else RESULTS)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"written: {out}", file=sys.stderr)
    if args.json is not None:
        write_json(report, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
