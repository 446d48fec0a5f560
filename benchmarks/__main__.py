"""``python -m benchmarks``: run every row and write ``benchmarks/RESULTS.md`` (see ``run``)."""

from __future__ import annotations

import sys

from .run import main

sys.exit(main())
