"""The Curators group: exactly the permissions a curator needs, and nothing over users or permissions.

events/migrations/0003_curators_group.py wrote this list out as it then was: a change to it needs a
data migration as well (tests/events/test_curators.py compares the migrated group with this list).
"""

CURATORS = "Curators"
# Curators add, change and delete the dataset's records; they read (never write) the history.
EDITABLE = {
    "sources": ["source"],
    "events": ["actor", "place", "event", "eventactor", "claim", "claimrelation"],
}
READABLE = {
    "sources": ["sourceversion"],
    "events": [
        "actorversion",
        "placeversion",
        "eventversion",
        "eventactorversion",
        "claimversion",
        "claimrelationversion",
    ],
}


def curator_permission_codenames() -> list[tuple[str, str]]:
    """(app_label, codename) of every permission the Curators group holds."""
    codenames = [
        (app, f"{action}_{model}")
        for app, models in EDITABLE.items()
        for model in models
        for action in ("add", "change", "delete", "view")
    ]
    codenames += [(app, f"view_{model}") for app, models in READABLE.items() for model in models]
    return codenames


def ensure_curators_group(group_model, permission_model):
    """Create or update the Curators group so that it holds exactly its permissions."""
    group, _created = group_model.objects.get_or_create(name=CURATORS)
    permissions = [
        permission_model.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in curator_permission_codenames()
    ]
    group.permissions.set(permissions)
    return group
