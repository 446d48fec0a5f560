"""Benchmarks for calendly_async, run with one command: ``python benchmarks/run.py``.

Every number is reported next to a baseline measured in the same run (raw
``msgspec`` / raw ``aiohttp`` loops), so the ratios hold on any machine. See
``benchmarks/README.md`` for what each row measures and the numbers measured here.
"""
