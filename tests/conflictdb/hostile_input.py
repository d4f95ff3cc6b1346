"""Hypothesis strategies for what a hostile or careless client sends: the inputs that found the 500s of
issue 15, and their relatives.

Each strategy is a value a client can write into a query parameter, a header or a body: numbers in
digits other than 0-9 and past PostgreSQL's ranges, datetimes that overflow when moved to UTC, text
with NULs and odd unicode, cursors and feed positions forged from JSON of the wrong shapes, real
cursors of another collection or ordering, bodies with unknown fields, wrong types, deep nesting and
long lists. `request_for` puts them together into one request of an operation of the served schema.
"""

import base64
import json
from urllib.parse import quote

from hypothesis import strategies as st

BIGINT_MAX = 2**63 - 1

# Text PostgreSQL cannot hold (NUL), characters that change direction or vanish, digits of other
# scripts, a `+` a URL reads as a space, and characters with meaning in a query string.
ODD_CHARACTERS = "\x00\u200b\u202e\ufeff\u0301²٣３߃\U0001d7d8Ⅻ%+&=;,#\\\"' \t\n\x7f\x1b"
SCALAR_TEXT = st.characters(codec="utf-8", exclude_categories=["Cs"])
odd_text = st.one_of(
    st.text(alphabet=st.sampled_from(ODD_CHARACTERS), max_size=8),
    st.text(alphabet=st.one_of(SCALAR_TEXT, st.sampled_from(ODD_CHARACTERS)), max_size=30),
    st.sampled_from(["", " ", "a" * 5000, "-", "*", "%", "a\x00b", "..", "null", "[]", "{}"]),
)

# Digits int() reads and PostgreSQL does not (٣, full-width ３), digits isdigit() accepts and int()
# refuses (²), and ASCII numbers just past each range the columns hold.
unicode_digits = st.text(alphabet=st.characters(categories=["Nd", "No", "Nl"]), min_size=1, max_size=4)
edge_integers = st.sampled_from(
    [0, 1, -1, 2**31 - 1, 2**31, BIGINT_MAX, BIGINT_MAX + 1, BIGINT_MAX // 1000 + 1, 10**30]
)
odd_numbers = st.one_of(
    unicode_digits,
    edge_integers.map(str),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(
        ["1.0", "1e3", " 7 ", "+5", "0x10", "1_000", "--1", "NaN", "-0", "٣", "²", "３", "7\x00"]
    ),
)

# Moments near the ends of what Python and PostgreSQL hold, with offsets up to ±23:59 (PostgreSQL
# refuses more than ±15:59), written with `+` or with the space a URL makes of it.
offsets = st.one_of(
    st.sampled_from(["Z", "+00:00", "+01:00", "-01:00", "+23:00", "-23:59", "+15:59", "+16:00", ""]),
    st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
        lambda minutes: f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02}:{abs(minutes) % 60:02}"
    ),
)
moments = st.one_of(
    st.sampled_from(["0001-01-01T00:00:00", "9999-12-31T23:59:59", "0001-01-01T00:00:00.000001"]),
    st.datetimes().map(lambda moment: moment.isoformat()),
)
extreme_datetimes = st.one_of(
    st.builds(lambda moment, offset: moment + offset, moments, offsets),
    st.builds(lambda moment, offset: (moment + offset).replace("+", " "), moments, offsets),
    st.sampled_from(["2015-10-03", "2015-13-45T25:61:61Z", "T", "2015-10-03T00:00:00+٠١:00", "now"]),
    odd_text,
)
odd_dates = st.one_of(
    st.dates().map(str),
    st.sampled_from(["0001-01-01", "9999-12-31", "2015-02-29", "2016-02-30", "20151003", "٢٠١٥-١٠-٠٣"]),
    extreme_datetimes,
)
odd_booleans = st.one_of(st.sampled_from(["true", "false", "True", "0", "1", "yes", "on", "²"]), odd_text)

# Any JSON value, of the shapes a cursor or a body field does not expect.
odd_json = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        edge_integers,
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        odd_text,
        extreme_datetimes,
    ),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(odd_text, children, max_size=3),
    max_leaves=6,
)


def encoded(value) -> str:
    """`value` as the cursors of conflictdb/pagination.py are written: URL-safe base64 of JSON."""
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")


def cursors(real: list[str], orders: list[str]):
    """Forged cursors (right or wrong keys, values of every type), cursors as given by another list or
    ordering (`real`), their `o` (the ordering a cursor is bound to) swapped, and text that is no cursor."""
    forged = st.fixed_dictionaries(
        {"v": st.lists(odd_json, max_size=4)},
        optional={"b": odd_json, "o": st.one_of(st.sampled_from(orders), odd_text)},
    )
    swapped = st.builds(
        lambda cursor, order, values: encoded({**decoded(cursor), "o": order, "v": values}),
        st.sampled_from(real),
        st.sampled_from(orders),
        st.lists(odd_json, max_size=4),
    )
    return st.one_of(
        st.sampled_from(real),
        forged.map(encoded),
        swapped,
        odd_json.map(encoded),
        odd_text,
        st.binary(max_size=40).map(lambda raw: base64.urlsafe_b64encode(raw).decode()),
    )


def decoded(cursor: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


def positions(real: list[str]):
    """Positions of the changes feed (`after`): as given, with each of the four parts replaced."""

    def replaced(position: str, index: int, part: str) -> str:
        parts = position.split(",")
        parts[index % len(parts)] = part
        return ",".join(parts)

    part = st.one_of(odd_numbers, extreme_datetimes, odd_text)
    return st.one_of(
        st.sampled_from(real),
        st.builds(replaced, st.sampled_from(real), st.integers(0, 3), part),
        st.lists(part, min_size=1, max_size=5).map(",".join),
    )


# Authorization headers: either scheme with no key, a key of bytes outside ASCII (a WSGI server hands
# them on decoded as latin-1), several words, other schemes.
odd_authorization = st.one_of(
    st.sampled_from(["Token", "Bearer", "Token ", "Bearer  ", "Basic Zm9vOmJhcg==", "Token a b", "token"]),
    st.builds(
        lambda scheme, key: f"{scheme} {key}",
        st.sampled_from(["Token", "Bearer", "TOKEN"]),
        st.one_of(odd_text, st.binary(min_size=1, max_size=20).map(lambda raw: raw.decode("latin-1"))),
    ),
)
odd_if_match = st.one_of(
    st.sampled_from(["*", '"0"', 'W/"1"', '""', ",", '"1", *', "\x00"]),
    st.binary(max_size=20).map(lambda raw: raw.decode("latin-1")),
    odd_text,
)
odd_accept = st.one_of(
    st.sampled_from(
        [
            "application/json",
            "application/problem+json",
            "text/csv",
            "application/geo+json",
            "text/html",
            "*/*",
            "application/xml",
            "application/json; q=0",
            "application/json; version=\x00",
            ";;;",
            "*/*; q=nan",
        ]
    ),
    odd_text,
)
odd_content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=latin-1",
        "application/json; charset=nope",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "multipart/form-data; boundary=x",
        "",
    ]
)


def quoted(value: str) -> str:
    return quote(value, safe="")
