"""The activity log's ``search_term`` language, as a predicate on text. No I/O.

Calendly rule (reference §6.10): ``|`` or, ``+`` (or a space) and, ``"..."`` an
exact phrase, ``-`` excludes, ``()`` groups, ``*`` a prefix. Matching ignores case;
a word matches a whole word of the text, a phrase any substring.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["SearchSyntaxError", "compile_search"]

Predicate = Callable[[str, frozenset[str]], bool]

_TOKEN = re.compile(r'\s*(?:(?P<phrase>"[^"]*")|(?P<op>[|+()\-])|(?P<word>[^\s|+()"]+))')


class SearchSyntaxError(ValueError):
    """The search term does not parse (unbalanced parentheses or quotes)."""


def _tokens(term: str) -> list[str]:
    tokens, position = [], 0
    while position < len(term):
        match = _TOKEN.match(term, position)
        if match is None or match.end() == position:
            if term[position:].strip():
                raise SearchSyntaxError(f"cannot parse {term[position:]!r}")
            break
        tokens.append(match.group("phrase") or match.group("op") or match.group("word"))
        position = match.end()
    return tokens


class _Parser:
    def __init__(self, tokens: list[str]) -> None:
        self.tokens = tokens
        self.index = 0

    def peek(self) -> str | None:
        """The next token, not consumed (``None`` at the end)."""
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> str:
        """Consume the next token."""
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expr(self) -> Predicate:
        """expr := conjunction ('|' conjunction)*"""
        options = [self.conjunction()]
        while self.peek() == "|":
            self.take()
            options.append(self.conjunction())
        return lambda text, words: any(option(text, words) for option in options)

    def conjunction(self) -> Predicate:
        """conjunction := unary (['+'] unary)*"""
        parts = [self.unary()]
        while self.peek() not in (None, "|", ")"):
            if self.peek() == "+":
                self.take()
            parts.append(self.unary())
        return lambda text, words: all(part(text, words) for part in parts)

    def unary(self) -> Predicate:
        """unary := '-' unary | atom"""
        if self.peek() == "-":
            self.take()
            inner = self.unary()
            return lambda text, words: not inner(text, words)
        return self.atom()

    def atom(self) -> Predicate:
        """atom := '(' expr ')' | '"phrase"' | word | prefix*"""
        token = self.take() if self.peek() is not None else None
        if token is None or token in ("|", "+", ")"):
            raise SearchSyntaxError("a search term is missing")
        if token == "(":
            inner = self.expr()
            if self.peek() != ")":
                raise SearchSyntaxError("unbalanced parentheses")
            self.take()
            return inner
        if token.startswith('"'):
            phrase = token.strip('"').lower()
            return lambda text, words: phrase in text
        word = token.lower()
        if word.endswith("*"):
            prefix = word.rstrip("*")
            return lambda text, words: any(w.startswith(prefix) for w in words)
        return lambda text, words: word in words


def compile_search(term: str) -> Callable[[str], bool]:
    """A predicate telling whether a text matches ``term``.

    Raises
    ------
    SearchSyntaxError
        The term does not parse.
    """
    parser = _Parser(_tokens(term))
    predicate = parser.expr() if parser.tokens else (lambda text, words: True)
    if parser.peek() is not None:
        raise SearchSyntaxError("unbalanced parentheses")

    def matches(text: str) -> bool:
        lowered = text.lower()
        words = re.findall(r"\w+", lowered) + re.findall(r"[\w@.\-]+", lowered)
        return predicate(lowered, frozenset(words))

    return matches
