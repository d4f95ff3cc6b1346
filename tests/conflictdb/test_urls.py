"""The landing page, the API's root, schema and docs are served."""

import re

import pytest

COLLECTIONS = ["events", "actors", "places", "claims", "sources"]
BESIDE_THE_COLLECTIONS = {"changes": "/api/v1/changes/", "schema": "/api/schema/", "docs": "/api/docs/"}


@pytest.mark.django_db
def test_the_root_lists_every_collection_the_releases_then_the_feed_the_schema_and_the_docs(api):
    response = api.get("/api/v1/")

    assert response.status_code == 200
    links = response.json()
    assert list(links) == [*COLLECTIONS, "releases", *BESIDE_THE_COLLECTIONS]
    for name, path in BESIDE_THE_COLLECTIONS.items():
        assert links[name] == f"http://testserver{path}"


@pytest.mark.django_db
def test_every_link_of_the_root_answers(api):
    links = api.get("/api/v1/").json()

    for name, url in links.items():
        # The feed needs a starting point; everything else answers as it is.
        query = {"since": "2015-01-01T00:00:00Z"} if name == "changes" else {}
        assert api.get(url, query).status_code == 200, name


@pytest.mark.django_db
def test_the_schema_describes_every_collection_and_record(api):
    response = api.get("/api/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for collection in COLLECTIONS:
        assert f"/api/v1/{collection}/" in paths
        assert f"/api/v1/{collection}/{{slug}}/" in paths


@pytest.mark.django_db
def test_the_about_page_says_what_the_project_is_and_links_onwards(client):
    response = client.get("/about/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "ConflictDB" in re.search(r"<title>(.*?)</title>", html).group(1)
    links = set(re.findall(r'<a href="([^"]+)"', html))
    assert {"/api/v1/", "/api/docs/", "/api/schema/", "/admin/"} <= links
    assert "docs/api.md" in html  # where the written reference lives
    for link in links:
        assert client.get(link).status_code in (200, 302), link  # the admin redirects to its login


@pytest.mark.django_db
def test_the_about_page_has_no_inline_script_or_style(client):
    """The content security policy allows only the site's own files: inline code would be blocked."""
    html = client.get("/about/").content.decode().lower()

    assert "<script" not in html
    assert "<style" not in html
    assert not re.search(r"\sstyle\s*=", html)
    assert not re.search(r"\son[a-z]+\s*=", html)  # event handler attributes are inline scripts
