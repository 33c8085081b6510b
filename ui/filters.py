"""Filters kept in the URL, so that every view is a link that can be shared.

Codes are validated on entry against the codes the store holds; unknown codes are reported,
never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import streamlit as st

from views.safe_text import md

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


LONGEST_ECHO = 40


def quoted(value: str) -> str:
    """A value from the URL, quoted for a Markdown message (escaped by ``views.safe_text.md``, so a
    crafted link cannot put a link or an image into it) and cut short: a message must stay
    readable whatever was pasted into a link."""
    text = str(value)
    return f"'{md(text[:LONGEST_ECHO])}…'" if len(text) > LONGEST_ECHO else f"'{md(text)}'"


@dataclass(frozen=True)
class CodeChoice:
    valid: list[str]
    unknown: list[str]


def read_codes(key: str, *, known: Iterable[str]) -> CodeChoice:
    """Codes in ``?key=...`` (repeated or comma-separated), split into known and unknown."""
    known_set = set(known)
    raw = [part.strip() for value in st.query_params.get_all(key) for part in value.split(",")]
    valid, unknown = [], []
    for code in dict.fromkeys(c for c in raw if c):
        (valid if code in known_set else unknown).append(code)
    return CodeChoice(valid, unknown)


def write_codes(key: str, codes: Sequence[str]) -> None:
    """Put the chosen codes in the URL (or remove the key when none are chosen)."""
    if list(st.query_params.get_all(key)) == list(codes):
        return
    if codes:
        st.query_params[key] = list(codes)
    elif key in st.query_params:
        del st.query_params[key]


def read_value(key: str, *, allowed: Sequence[str], default: str) -> tuple[str, str | None]:
    """A single value from the URL; returns (value, rejected) where rejected is what was refused."""
    value = st.query_params.get(key)
    if value is None or value == "":
        return default, None
    if value in allowed:
        return value, None
    return default, value


def write_value(key: str, value: str, *, default: str | None = None) -> None:
    if value == default:
        if key in st.query_params:
            del st.query_params[key]
    elif st.query_params.get(key) != value:
        st.query_params[key] = value


def parse_month(text: str | None) -> date | None:
    """'2026-09' -> date(2026, 9, 1); None for anything else."""
    match = MONTH.match(text or "")
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2))
    return date(year, month, 1) if 1 <= month <= 12 and 2000 <= year <= 2100 else None


def month_key(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


FIRST_MONTH = date(2016, 1, 1)  # used only when the data's own first month is not given


def months_between(first: date, last: date) -> list[date]:
    months, current = [], first
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def month_picker(*, latest: date, first: date | None = None, key: str = "period",
                 label: str = "As at (month)") -> date:
    """A month chosen on a slider and kept in ``?period=YYYY-MM``; defaults to the latest month.

    A malformed or out-of-range month in the URL is reported and replaced by the latest.
    """
    months = months_between(min(first or FIRST_MONTH, latest), latest)
    requested = st.query_params.get(key)
    chosen = parse_month(requested) if requested else latest
    if chosen not in months:
        st.warning(
            f"The period {quoted(requested)} in the link is not a month with data (use YYYY-MM between "
            f"{month_key(months[0])} and {month_key(latest)}); showing {latest:%B %Y} instead.",
            icon=":material/warning:",
        )
        chosen = latest
    picked = st.select_slider(label, options=months, value=chosen, format_func=lambda m: f"{m:%b %Y}",
                              key=f"{key}_slider")
    write_value(key, month_key(picked), default=month_key(latest))
    return picked
