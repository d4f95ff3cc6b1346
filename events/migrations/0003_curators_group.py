from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATORS = "Curators"
# The group's permissions as events/curators.py listed them when this migration was first applied,
# written out so that the migration stands alone: curators add, change, delete and view the dataset's
# records, and view (never write) their history. A later change to the list is a migration of its own.
PERMISSIONS = {
    "sources": [
        "add_source",
        "change_source",
        "delete_source",
        "view_source",
        "view_sourceversion",
    ],
    "events": [
        "add_actor",
        "change_actor",
        "delete_actor",
        "view_actor",
        "add_place",
        "change_place",
        "delete_place",
        "view_place",
        "add_event",
        "change_event",
        "delete_event",
        "view_event",
        "add_eventactor",
        "change_eventactor",
        "delete_eventactor",
        "view_eventactor",
        "add_claim",
        "change_claim",
        "delete_claim",
        "view_claim",
        "add_claimrelation",
        "change_claimrelation",
        "delete_claimrelation",
        "view_claimrelation",
        "view_actorversion",
        "view_placeversion",
        "view_eventversion",
        "view_eventactorversion",
        "view_claimversion",
        "view_claimrelationversion",
    ],
}


def create_group(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _created = Group.objects.get_or_create(name=CURATORS)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codenames in PERMISSIONS.items()
            for codename in codenames
        ]
    )


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("sources", "0001_initial"),
        ("events", "0002_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
