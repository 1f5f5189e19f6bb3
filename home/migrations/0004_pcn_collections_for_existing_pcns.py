"""Give every PCN made before collections its own collection of images and documents, with
its staff's and leads' permissions on it (as home.services.pcn_collection_setup does for a
new PCN). Uploads already in the root collection stay there, seen by admins only, until an
admin moves them into the right PCN's collection."""

from django.db import migrations

STEP = 4  # django-treebeard's materialised path: four characters a level
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

STAFF_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "image", "add_image", "Can add image"),
    ("wagtailimages", "image", "change_image", "Can change image"),
    ("wagtailimages", "image", "choose_image", "Can choose image"),
    ("wagtaildocs", "document", "add_document", "Can add document"),
    ("wagtaildocs", "document", "change_document", "Can change document"),
    ("wagtaildocs", "document", "choose_document", "Can choose document"),
]


def _next_step(step: str) -> str:
    number = int(step, 36) + 1
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = ALPHABET[digit] + digits
    return digits.rjust(STEP, "0")


def _add_child(Collection, parent, name):
    """treebeard's add_child, which historical models do not have."""
    last = (
        Collection.objects.filter(path__startswith=parent.path, depth=parent.depth + 1)
        .order_by("-path")
        .first()
    )
    step = _next_step(last.path[-STEP:]) if last else "0001"
    child = Collection.objects.create(
        name=name, path=parent.path + step, depth=parent.depth + 1, numchild=0
    )
    Collection.objects.filter(pk=parent.pk).update(numchild=parent.numchild + 1)
    parent.numchild += 1
    return child


def give_each_pcn_a_collection(apps, schema_editor):
    PrimaryCareNetwork = apps.get_model("home", "PrimaryCareNetwork")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")

    pcns = list(PrimaryCareNetwork.objects.filter(collection__isnull=True))
    if not pcns:
        return
    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        root = Collection.objects.create(name="Root", path="0001", depth=1, numchild=0)
    permissions = []
    for app_label, model, codename, name in STAFF_COLLECTION_PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        permissions.append(permission)
    for pcn in pcns:
        pcn.collection = _add_child(Collection, root, pcn.name)
        pcn.save(update_fields=["collection"])
        for group_id in (pcn.staff_group_id, pcn.lead_group_id):
            if group_id is None:
                continue
            for permission in permissions:
                GroupCollectionPermission.objects.get_or_create(
                    group_id=group_id, collection=pcn.collection, permission=permission
                )


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_pcn_collection"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [
        migrations.RunPython(give_each_pcn_a_collection, migrations.RunPython.noop),
    ]
