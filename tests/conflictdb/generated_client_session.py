"""A session of a client generated from the served schema by openapi-python-client, run against a live
server by tests/conflictdb/test_generated_client.py in the generator's own virtualenv (which has the
generated code's dependencies: httpx, attrs, python-dateutil), never in the project's.

    python generated_client_session.py <directory holding conflictdb_client> <base URL> <token> <plan JSON>

It imports every generated module, then reads, pages and writes as a program would, only through the
generated functions and models (and the client's own HTTP connection to follow `next` links as given),
and prints what it saw as JSON for the test to check against the database.
"""

import importlib
import json
import pkgutil
import sys
from datetime import date


def main(package_directory: str, base_url: str, token: str, plan: dict) -> dict:
    sys.path.insert(0, package_directory)
    import conflictdb_client

    modules = [info.name for info in pkgutil.walk_packages(conflictdb_client.__path__, "conflictdb_client.")]
    for name in modules:
        importlib.import_module(name)

    from conflictdb_client import AuthenticatedClient, Client
    from conflictdb_client.api.v1 import (
        v1_events_create,
        v1_events_destroy,
        v1_events_list,
        v1_events_partial_update,
        v1_events_retrieve,
    )
    from conflictdb_client.models import (
        ActorRoleInput,
        DatePrecisionEnum,
        EventDetail,
        EventTypeEnum,
        EventWrite,
        PaginatedEventList,
        PatchedEventWrite,
        Problem,
        RoleEnum,
        V1EventsListEventTypeItem,
        V1EventsListOrderingItem,
    )

    seen = {"modules": len(modules)}
    anyone = Client(base_url=base_url, raise_on_unexpected_status=True)

    # A list with filters of several values, followed page by page through `next`.
    page = v1_events_list.sync(
        client=anyone,
        country=plan["countries"],
        event_type=[V1EventsListEventTypeItem(value) for value in plan["event_types"]],
        ordering=[V1EventsListOrderingItem("-start_date"), V1EventsListOrderingItem("slug")],
        page_size=2,
    )
    listed, pages = [event.slug for event in page.results], 1
    while page.next_:  # `next`, renamed by the generator: a builtin
        response = anyone.get_httpx_client().get(page.next_)
        page = PaginatedEventList.from_dict(response.json())
        listed += [event.slug for event in page.results]
        pages += 1
    seen |= {"listed": listed, "pages": pages, "count": page.count}

    # One record, anonymously, with its ETag.
    read = v1_events_retrieve.sync_detailed(plan["read"], client=anyone)
    assert isinstance(read.parsed, EventDetail), read.content
    seen["read"] = {"status": read.status_code, "title": read.parsed.title, "etag": read.headers.get("ETag")}

    # A problem, parsed as the generated model.
    bad = v1_events_list.sync_detailed(client=anyone, country=["Syria"])
    assert isinstance(bad.parsed, Problem), bad.content
    seen["problem"] = {"status": bad.status_code, "attrs": [error.attr for error in bad.parsed.errors]}

    curator = AuthenticatedClient(
        base_url=base_url, token=token, prefix="Token", raise_on_unexpected_status=True
    )
    new = plan["new"]
    created = v1_events_create.sync_detailed(
        client=curator,
        body=EventWrite(
            slug=new["slug"],
            title=new["title"],
            event_type=EventTypeEnum(new["event_type"]),
            start_date=date.fromisoformat(new["date"]),
            end_date=date.fromisoformat(new["date"]),
            date_precision=DatePrecisionEnum("day"),
            place=new["place"],
            actors=[ActorRoleInput(actor=new["perpetrator"], role=RoleEnum("perpetrator"))],
        ),
    )
    assert isinstance(created.parsed, EventDetail), created.content
    seen["created"] = {
        "status": created.status_code,
        "actors": [[actor.slug, str(actor.role)] for actor in created.parsed.actors],
    }
    etag = created.headers["ETag"]

    # PATCH with If-Match and a nested list (the actors), then again with the now stale ETag.
    patched = v1_events_partial_update.sync_detailed(
        new["slug"],
        client=curator,
        if_match=etag,
        body=PatchedEventWrite(
            title=new["new_title"],
            actors=[ActorRoleInput(actor=new["target"], role=RoleEnum("target"))],
        ),
    )
    assert isinstance(patched.parsed, EventDetail), patched.content
    seen["patched"] = {
        "status": patched.status_code,
        "title": patched.parsed.title,
        "actors": [[actor.slug, str(actor.role)] for actor in patched.parsed.actors],
        "etag_changed": patched.headers["ETag"] != etag,
    }
    stale = v1_events_partial_update.sync_detailed(
        new["slug"], client=curator, if_match=etag, body=PatchedEventWrite(title="Never written")
    )
    seen["stale"] = {"status": stale.status_code, "is_problem": isinstance(stale.parsed, Problem)}

    deleted = v1_events_destroy.sync_detailed(new["slug"], client=curator, if_match=patched.headers["ETag"])
    gone = v1_events_retrieve.sync_detailed(new["slug"], client=anyone)
    seen["deleted"] = {"status": deleted.status_code, "then": gone.status_code}
    return seen


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4]))))
