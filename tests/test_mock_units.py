"""Pure parts of the mock: the activity-log search language and the rate-limit window."""

from __future__ import annotations

import pytest

from calendly_async.mock._ratelimit import RateLimiter
from calendly_async.mock._search import SearchSyntaxError, compile_search

TEXT = 'User.Add Ada Lovelace ada@acme.example {"subject": {"name": "Grace Hopper"}}'


@pytest.mark.parametrize(
    ("term", "matches"),
    [
        ("ada", True),
        ("ad", False),
        ("ad*", True),
        ("ADA", True),
        ('"grace hopper"', True),
        ('"hopper grace"', False),
        ("ada grace", True),
        ("ada+turing", False),
        ("turing | grace", True),
        ("-turing", True),
        ("ada -grace", False),
        ("(turing | knuth) ada", False),
        ("(turing | grace) + ada", True),
        ("user.add", True),
        ("add", True),
        ("ada@acme.example", True),
        ("-(grace | turing)", False),
    ],
)
def test_search_language(term: str, matches: bool) -> None:
    assert compile_search(term)(TEXT) is matches


@pytest.mark.parametrize("term", ["(ada", "ada)", "|", "ada |", '"open'])
def test_search_syntax_errors(term: str) -> None:
    with pytest.raises(SearchSyntaxError):
        compile_search(term)


def test_rate_limit_window() -> None:
    now = [100.0]
    limiter = RateLimiter(2, lambda: now[0])
    assert limiter.headers() == {
        "X-RateLimit-Limit": "2", "X-RateLimit-Remaining": "2", "X-RateLimit-Reset": "60",
    }  # fmt: skip
    assert limiter.take()
    now[0] += 15.5
    assert limiter.take()
    assert not limiter.take()
    assert limiter.headers()["X-RateLimit-Reset"] == "45"
    assert limiter.headers(exhausted=True)["X-RateLimit-Remaining"] == "0"
    now[0] += 44.5
    assert limiter.remaining == 2
    assert limiter.take()
