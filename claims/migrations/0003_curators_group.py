from django.contrib.auth.management import create_permissions
from django.db import migrations

# What curation needs and nothing more: review and edit claims, keep experts,
# their aliases and affiliations, organizations, outlets and topics tidy,
# resolve predictions against events. No user management, no deleting articles.
CURATOR_PERMISSIONS = {
    "claim": ("view", "add", "change"),
    "expert": ("view", "add", "change", "delete"),
    "alias": ("view", "add", "change", "delete"),
    "affiliation": ("view", "add", "change", "delete"),
    "organization": ("view", "add", "change"),
    "outlet": ("view", "add", "change"),
    "topic": ("view", "add", "change"),
    "article": ("view", "add", "change"),
    "prediction": ("view", "add", "change"),
    "event": ("view", "add", "change"),
    "evidencelink": ("view", "add", "change", "delete"),
    "historicalclaim": ("view",),
    "historicalexpert": ("view",),
    "historicalarticle": ("view",),
    "historicalprediction": ("view",),
}


def create_curators_group(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curators")
    codenames = [f"{action}_{model}" for model, actions in CURATOR_PERMISSIONS.items() for action in actions]
    permissions = Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
    missing = set(codenames) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions missing for the Curators group: {sorted(missing)}")
    group.permissions.set(permissions)


def remove_curators_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Curators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_postgresql_search"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_curators_group, remove_curators_group)]
