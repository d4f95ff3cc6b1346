"""The speed tricks that reach into a library's internals, held to the version they were written against.

Each relies on how that version works inside, not on its documented API, so another version may break
it quietly (a trick that no longer applies) or loudly. A version change fails here, naming what to
re-check; after re-checking (the trick's tests, and its measurement under bench/baselines/), update the
pin.
"""

from importlib.metadata import version

import pytest

# distribution: (version written against, what relies on its internals and must be re-checked)
PINNED = {
    "django-filter": (
        "26.2",
        "conflictdb/filters.py: FilterCopies (FilterSet.__init__ deep-copies base_filters; a filter's "
        "`method` setter binds a FilterMethod; `field` is cached as `_field`), get_form_class built once "
        "and the `form` property (is_bound, data, form_prefix), GivenParametersForm",
    ),
    "django": (
        "5.2.19",
        "events/api/listing.py: compiled_once (query.get_compiler, annotation_select, values_select, "
        "and that a query's own table keeps its name as its alias)",
    ),
    "djangorestframework": (
        "3.18.3",
        "conflictdb/renderers.py: JSONRenderer's compact output of the page's other keys (ends with '}'), "
        "get_indent, `compact`, ensure_ascii off (UNICODE_JSON), and its escaping of U+2028/U+2029",
    ),
}


def mismatch(distribution: str, installed: str) -> str | None:
    """What to re-check when `installed` is not the version pinned for `distribution`; None when it is."""
    pinned, relying = PINNED[distribution]
    if installed == pinned:
        return None
    return (
        f"{distribution} is {installed}, the speed tricks were written against {pinned}. "
        f"Re-check {relying}; then update the pin in this file."
    )


@pytest.mark.parametrize("distribution", sorted(PINNED))
def test_library_is_the_version_the_tricks_were_written_against(distribution):
    problem = mismatch(distribution, version(distribution))
    assert problem is None, problem


@pytest.mark.parametrize("distribution", sorted(PINNED))
def test_another_version_names_what_to_recheck(distribution):
    pinned, relying = PINNED[distribution]
    problem = mismatch(distribution, pinned + ".post1")
    assert problem is not None and relying in problem and pinned in problem
