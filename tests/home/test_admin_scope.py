"""What each person may see in the admin (home.admin_scope): their own PCNs, whatever the
screen. The screens themselves are walked in tests/authz/."""

import pytest
from django.contrib.auth.models import Group, Permission
from wagtail.models import Page

from home.admin_scope import (
    PcnBoundaryPermissionPolicy,
    admin_groups,
    admin_may_see_page,
    admin_pages,
    admin_pcns,
    admin_sites,
    admin_users,
    admin_visible,
)
from home.models import IntegratedCareSystem, Neighbourhood, Place, PrimaryCareNetwork
from tests.factories import (
    UserFactory,
    make_admin,
    make_moderator,
    make_pcn_lead,
    make_pcn_site,
    make_staff,
)


@pytest.fixture
def pcns(db):
    """PCN A and PCN B, B in another Place and ICS."""
    home, _, _ = make_pcn_site()
    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    other = other_home.pcn
    other.place = Place.objects.create(
        name="Elsewhere",
        integrated_care_system=IntegratedCareSystem.objects.create(name="Far away"),
    )
    other.save()
    return home, other_home


@pytest.mark.parametrize("make_role", [make_moderator, make_staff, make_pcn_lead])
def test_a_pcn_role_sees_its_own_pcn_only(pcns, make_role):
    home, other_home = pcns
    person = make_role(home.pcn)
    assert list(admin_pcns(user=person)) == [home.pcn]
    pages = admin_pages(user=person)
    assert pages.filter(pk=home.pk).exists()
    assert pages.descendant_of(home).count() == home.get_descendants().count()
    assert not pages.filter(pk__in=other_home.get_descendants(inclusive=True)).exists()
    assert not pages.filter(depth=1).exists()  # not even the root
    assert admin_may_see_page(user=person, page=home.get_children().first())
    assert not admin_may_see_page(user=person, page=other_home)
    assert list(admin_sites(user=person)) == [home.get_site()]


def test_a_place_lead_sees_the_pcns_of_their_place_but_not_their_pages(pcns):
    """Its PCNs as organisations; their sites' pages (drafts, private consultations) are
    their PCNs' own. The Place's own vision is theirs (tests/places/test_place_lead.py)."""
    home, other_home = pcns
    place = home.pcn.place
    place.lead_group = Group.objects.create(name="Place leads")
    place.save()
    lead = UserFactory(groups=[place.lead_group])
    assert list(admin_pcns(user=lead)) == [home.pcn]
    assert not admin_may_see_page(user=lead, page=home)
    assert not admin_may_see_page(user=lead, page=other_home)


def test_a_superuser_sees_everything_and_nobody_else_anything(pcns):
    home, other_home = pcns
    admin = make_admin()
    assert set(admin_pcns(user=admin)) == {home.pcn, other_home.pcn}
    assert admin_pages(user=admin).count() == Page.objects.count()
    for nobody in (UserFactory(), UserFactory(is_staff=True)):
        assert not admin_pcns(user=nobody).exists()
        assert not admin_pages(user=nobody).exists()
        assert not admin_may_see_page(user=nobody, page=home)


def test_people_see_their_own_pcns_people_only(pcns):
    home, other_home = pcns
    staff, colleague = make_staff(home.pcn), make_moderator(home.pcn)
    stranger, resident = make_staff(other_home.pcn), UserFactory()
    visible = set(admin_users(user=staff))
    assert {staff, colleague} <= visible
    assert not {stranger, resident} & visible
    assert set(admin_groups(user=staff)) == {
        home.pcn.moderator_group,
        home.pcn.staff_group,
        home.pcn.lead_group,
    }


def test_organisations_keep_to_the_pcn(pcns):
    home, _other_home = pcns
    staff = make_staff(home.pcn)
    everything = Neighbourhood.objects.all()
    assert set(admin_visible(everything, user=staff)) == set(home.pcn.neighbourhoods.all())
    assert list(admin_visible(PrimaryCareNetwork.objects.all(), user=staff)) == [home.pcn]
    assert list(admin_visible(Place.objects.all(), user=staff)) == [home.pcn.place]
    assert list(admin_visible(IntegratedCareSystem.objects.all(), user=staff)) == [
        home.pcn.place.integrated_care_system
    ]
    assert admin_visible(everything, user=make_admin()).count() == everything.count()


def test_a_permission_on_a_snippet_reaches_the_pcns_own_objects_only(pcns):
    home, other_home = pcns
    editor = make_staff(home.pcn)
    editor.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="home", codename__endswith="_neighbourhood"
        )
    )
    editor = type(editor).objects.get(pk=editor.pk)  # without the cached permissions
    policy = PcnBoundaryPermissionPolicy(Neighbourhood)
    ours, theirs = home.pcn.neighbourhoods.first(), other_home.pcn.neighbourhoods.first()
    assert policy.user_has_permission_for_instance(editor, "change", ours)
    assert not policy.user_has_permission_for_instance(editor, "change", theirs)
    assert set(policy.instances_user_has_permission_for(editor, "delete")) == set(
        home.pcn.neighbourhoods.all()
    )


@pytest.mark.parametrize("model", ["neighbourhood", "practice"])
def test_the_choosers_find_a_pcns_organisation_by_part_of_its_name(pcns, model, client):
    from django.urls import reverse

    from home.models import Practice

    home, other_home = pcns
    mine = {"neighbourhood": Neighbourhood, "practice": Practice}[model]
    fields = {"ods_code": "Y12345"} if model == "practice" else {}
    mine.objects.create(pcn=home.pcn, name="Riverside Surgery", **fields)
    mine.objects.create(
        pcn=other_home.pcn, name="Riverdale Health", **({"ods_code": "Y54321"} if fields else {})
    )
    client.force_login(make_staff(home.pcn))
    url = reverse(f"wagtailsnippetchoosers_home_{model}:choose_results")
    response = client.get(url, {"q": "Rivers"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Riverside Surgery" in html
    assert "Riverdale Health" not in html
