"""Filters of the sources collection, through the API as clients use them."""

from datetime import date

import pytest

from sources.models import SourceKind
from tests import factories
from tests.api_testing import assert_updated_since, error_parameters, matching

pytestmark = pytest.mark.django_db


def test_updated_since(api):
    assert_updated_since(api, "sources", factories.source)


def test_kind_takes_several_values(api):
    article = factories.source(kind=SourceKind.NEWS_ARTICLE)
    interview = factories.source(kind=SourceKind.INTERVIEW)
    factories.source(kind=SourceKind.OFFICIAL_STATEMENT)

    assert matching(api, "sources", kind="interview") == {interview.slug}
    assert matching(api, "sources", kind="interview,news_article") == {interview.slug, article.slug}


def test_publisher_is_the_whole_name_in_any_case(api):
    afp = factories.source(publisher="Agence France-Presse")
    factories.source(publisher="Al Jazeera")
    factories.source(publisher="")

    assert matching(api, "sources", publisher="agence france-presse") == {afp.slug}
    assert matching(api, "sources", publisher="Agence") == set()


def test_publisher_takes_several_values(api):
    afp = factories.source(publisher="Agence France-Presse")
    jazeera = factories.source(publisher="Al Jazeera")
    factories.source(publisher="The Sun")

    assert matching(api, "sources", publisher="Agence France-Presse,Al Jazeera") == {afp.slug, jazeera.slug}


def test_published_from_and_to_bound_the_publication_date(api):
    first, third, fifth = (factories.source(published_on=date(2015, 10, day)) for day in (1, 3, 5))
    factories.source(published_on=None, date_precision="")  # undated: in no date range

    assert matching(api, "sources", published_from="2015-10-03") == {third.slug, fifth.slug}
    assert matching(api, "sources", published_to="2015-10-03") == {first.slug, third.slug}
    assert matching(api, "sources", published_from="2015-10-02", published_to="2015-10-04") == {third.slug}
    assert matching(api, "sources", published_from="2015-10-06") == set()


def test_reported_in(api):
    article, other_article = factories.source(), factories.source()
    interview = factories.source(kind=SourceKind.INTERVIEW, reported_in=article)
    statement = factories.source(kind=SourceKind.OFFICIAL_STATEMENT, reported_in=other_article)
    factories.source(kind=SourceKind.NGO_REPORT, reported_in=interview)  # reported in the interview only

    assert matching(api, "sources", reported_in=article.slug) == {interview.slug}
    assert matching(api, "sources", reported_in=f"{article.slug},{other_article.slug}") == {
        interview.slug,
        statement.slug,
    }


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("kind", "tweet"),
        ("kind", "interview,tweet"),
        ("published_from", "2015-10-32"),
        ("published_from", "October 2015"),
        ("published_to", "2015-02-30"),
        ("reported_in", "no-such-source"),
        ("updated_since", "2015-10-03 noon"),
    ],
)
def test_bad_value_is_a_400_naming_the_parameter(api, parameter, value):
    factories.source()

    assert error_parameters(api.get("/api/v1/sources/", {parameter: value})) == {parameter}
