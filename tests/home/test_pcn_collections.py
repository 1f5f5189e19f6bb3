"""Each PCN keeps its images and documents in its own collection, seen by its staff only."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import call_command
from wagtail.documents import get_document_model
from wagtail.models import Collection, GroupCollectionPermission
from wagtail.permissions import policy_registry

from home.models import PrimaryCareNetwork
from home.services import STAFF_COLLECTION_PERMISSIONS, pcn_collection_setup
from tests.factories import make_moderator, make_pcn_lead, make_pcn_site, make_staff

give_each_pcn_a_collection = importlib.import_module(
    "home.migrations.0004_pcn_collections_for_existing_pcns"
).give_each_pcn_a_collection


def _granted(pcn) -> set[tuple[str, str]]:
    return set(
        GroupCollectionPermission.objects.filter(collection=pcn.collection).values_list(
            "group__name", "permission__codename"
        )
    )


def _document(collection, title):
    document = get_document_model()(title=title, collection=collection)
    document.file.save("minutes.txt", ContentFile(b"Minutes.\n"), save=False)
    document.save()
    return document


@pytest.fixture
def two_pcns(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    home, _, _ = make_pcn_site()
    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    return home.pcn, other_home.pcn


def test_a_new_pcn_has_its_own_collection_for_its_staff_and_leads(two_pcns):
    pcn, other = two_pcns
    assert pcn.collection is not None
    assert pcn.collection != other.collection
    assert pcn.collection.name == pcn.name
    assert pcn.collection.get_parent() == Collection.get_first_root_node()
    codenames = {codename for _app, codename in STAFF_COLLECTION_PERMISSIONS}
    assert _granted(pcn) == {
        (group.name, codename)
        for group in (pcn.staff_group, pcn.lead_group)
        for codename in codenames
    }
    # Moderators work in the moderation screens; they have no uploads.
    assert not GroupCollectionPermission.objects.filter(group=pcn.moderator_group).exists()


def test_setting_up_the_collection_again_changes_nothing(two_pcns):
    pcn, _other = two_pcns
    collections, permissions = Collection.objects.count(), GroupCollectionPermission.objects.count()
    assert pcn_collection_setup(pcn=pcn) == pcn.collection
    assert (Collection.objects.count(), GroupCollectionPermission.objects.count()) == (
        collections,
        permissions,
    )


def test_staff_see_and_choose_their_own_pcns_documents_only(two_pcns):
    pcn, other = two_pcns
    ours = _document(pcn.collection, "Our minutes")
    _document(other.collection, "Their minutes")
    _document(Collection.get_first_root_node(), "Uploaded before collections")
    policy = policy_registry.get_by_type(get_document_model())
    for person in (make_staff(pcn), make_pcn_lead(pcn)):
        for action in ("choose", "change"):
            assert list(policy.instances_user_has_permission_for(person, action)) == [ours]
    assert not policy.instances_user_has_any_permission_for(
        make_moderator(pcn), ["add", "change", "choose"]
    ).exists()


def test_the_migration_gives_each_existing_pcn_a_collection(two_pcns):
    """What migration 0004 does for PCNs made before collections, on a consistent tree."""
    pcn, other = two_pcns
    old = [pcn.collection_id, other.collection_id]
    PrimaryCareNetwork.objects.update(collection=None)
    Collection.objects.filter(pk__in=old).delete()

    give_each_pcn_a_collection(apps, schema_editor=None)

    pcn.refresh_from_db()
    other.refresh_from_db()
    assert {pcn.collection.name, other.collection.name} == {pcn.name, other.name}
    assert pcn.collection.get_parent() == Collection.get_first_root_node()
    assert Collection.find_problems() == ([], [], [], [], [])
    assert len(_granted(pcn)) == len(_granted(other)) == 2 * len(STAFF_COLLECTION_PERMISSIONS)
    # A PCN that already has one keeps it.
    give_each_pcn_a_collection(apps, schema_editor=None)
    assert PrimaryCareNetwork.objects.get(pk=pcn.pk).collection == pcn.collection


def test_a_demo_loaded_before_collections_gets_one_when_seeded_again(db):
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    pcn = PrimaryCareNetwork.objects.get(ods_code="U99001")  # the demo's own PCN
    first = pcn.collection
    Collection.objects.filter(pk=first.pk).delete()  # as a demo loaded before collections
    pcn.refresh_from_db()
    assert pcn.collection is None

    out = io.StringIO()
    call_command("seed_demo", allow_without_debug=True, stdout=out)

    pcn.refresh_from_db()
    assert pcn.collection.name == pcn.name
    assert len(_granted(pcn)) == 2 * len(STAFF_COLLECTION_PERMISSIONS)
    assert f"collection {pcn.name!r}" in out.getvalue()
