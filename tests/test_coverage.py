"""Coverage that cannot drift: ``tests/fixtures/operations.json`` lists every REST
operation Calendly documents (75: the saved 2023 spec, the 2026 spec of reference §6,
the release notes of 2026-11-17), and this module fails when

- an operation has no SDK call, or its call does not send that method and path
  (each call is made with the list's example arguments against aioresponses);
- the SDK has a namespace, or sends to a path, that the list does not name;
- the mock server has no route for the operation's method and path;
- the README's "API coverage" table is not exactly the one generated from the list.
"""

from __future__ import annotations

import inspect
import re
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from aioresponses import aioresponses
from conftest import sent
from coverage_table import END, README, START, load, readme_table, render
from helpers import BASE
from test_mock_contract import _SDK_PATH, _served

import calendly_async.resources
from calendly_async import Calendly, DecodeError
from calendly_async.mock import MockCalendly
from calendly_async.pagination import Paginator
from calendly_async.resources._base import Resource

OPERATIONS = load()
ANY_URL = re.compile(rf"^{re.escape(BASE)}/.*$")
# One body every decoder accepts: a resource, a page and an unpaginated collection.
UNIVERSAL = {
    "resource": {"uri": f"{BASE}/x/XXXXXXXXXXXXXXXX"},
    "collection": [],
    "pagination": {"count": 0, "next_page": None, "previous_page": None,
                   "next_page_token": None, "previous_page_token": None},
}  # fmt: skip


def _id(op: dict[str, Any]) -> str:
    return f"{op['method']} {op['path']}"


def _pattern(path: str) -> re.Pattern[str]:
    """``/a/{x}/b`` -> a regex matching ``/a/<one segment>/b`` exactly."""
    parts = [r"[^/]+" if re.fullmatch(r"\{[^}]+\}", p) else re.escape(p) for p in path.split("/")]
    return re.compile("^" + "/".join(parts) + "$")


def test_the_list_holds_75_distinct_documented_operations() -> None:
    keys = [(op["method"], op["path"]) for op in OPERATIONS]
    assert len(keys) == len(set(keys)) == 75
    assert Counter(op["source"] for op in OPERATIONS) == {
        "openapi-2023": 36, "spec-2026": 29, "release-notes-2026-11-17": 10,
    }  # fmt: skip
    assert all(op["method"] in ("GET", "POST", "PATCH", "DELETE") for op in OPERATIONS)
    calls = [op["sdk_call"] for op in OPERATIONS]
    assert len(calls) == len(set(calls)), "two operations share one SDK call"


@pytest.mark.parametrize("op", OPERATIONS, ids=_id)
async def test_every_operation_has_an_sdk_call_that_sends_it(
    client: Calendly, api: aioresponses, op: dict[str, Any]
) -> None:
    namespace, method = op["sdk_call"].split(".")
    target = getattr(getattr(client, namespace), method)
    for verb in ("get", "post", "patch", "delete"):
        getattr(api, verb)(ANY_URL, payload=UNIVERSAL, repeat=True)
    result = target(*op["args"], **op["kwargs"])
    try:
        if isinstance(result, Paginator):
            await result.collect(limit=1)
        else:
            assert inspect.isawaitable(result), op["sdk_call"]
            await result
    except DecodeError:
        pass  # the universal body need not fit every model; the request is what counts
    requests = sent(api)
    assert len(requests) == 1, requests
    ((sent_method, url, _),) = requests
    assert sent_method == op["method"]
    assert _pattern(op["path"]).match(urlsplit(url).path), (url, op["path"])


def test_every_sdk_namespace_and_path_is_in_the_list() -> None:
    client = Calendly(token="coverage")
    mounted = {name for name, value in vars(client).items() if isinstance(value, Resource)}
    listed = {op["sdk_call"].split(".")[0] for op in OPERATIONS}
    assert mounted == listed
    source = Path(calendly_async.resources.__file__).parent
    paths = {
        match.group(1) or match.group(2)
        for module in sorted(source.glob("*.py"))
        for match in _SDK_PATH.finditer(module.read_text(encoding="utf-8"))
    }
    documented = [op["path"] for op in OPERATIONS]
    assert len(paths) >= 50
    assert sorted(p for p in paths if not _served(p, documented)) == []


def test_the_mock_serves_every_operation_with_its_method() -> None:
    mock = MockCalendly(events=0)
    served: dict[str, set[str]] = {}
    for route in mock.app.router.routes():
        canonical = route.resource.canonical if route.resource is not None else ""
        served.setdefault(canonical, set()).add(route.method)
    missing = [
        _id(op)
        for op in OPERATIONS
        if not any(
            _served(op["path"], [path]) and op["method"] in methods
            for path, methods in served.items()
        )
    ]
    assert missing == []


def test_the_readme_table_is_exactly_the_generated_one() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.count(START) == text.count(END) == 1
    assert "## API coverage" in text
    assert readme_table(text) == render(OPERATIONS)
    rows = [line for line in readme_table(text).splitlines() if line.startswith("| `")]
    assert len(rows) == len(OPERATIONS)
