"""Benchmarks for calendly_async, run with one command: ``python -m benchmarks``.

Every number is reported next to a baseline measured in the same run (raw
``msgspec`` / raw ``aiohttp`` loops, a rate-limit floor), so the ratios hold on any
machine. ``benchmarks/README.md`` says what each row measures; ``RESULTS.md`` is
the last full run.
"""
