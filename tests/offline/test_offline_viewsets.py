"""The offline contributions and letters viewsets: filters, the permission policy by role and
PCN, the menu, and listings whose query count does not grow with their rows."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from consultations.models import Channel, Idea, Letter, PostStatus
from consultations.viewsets.offline.policy import idea_policy, letter_policy
from tests.factories import make_consultation
from tests.loop.conftest import make_theme, make_update
from tests.offline.conftest import by_letter, enter, make_user

OFFLINE = "/admin/offline/"


def titles(response) -> list[str]:
    soup = BeautifulSoup(response.content, "html.parser")
    return sorted(
        " ".join(td.get_text().split())
        for td in soup.select("table tbody tr td:first-child")
        if td.get_text().strip()
    )


@pytest.fixture
def entered(consultation, moderator, other_consultation, other_moderator, consultation_index):
    second = make_consultation(consultation_index, phase="open", title="Weekend clinics")
    return {
        "paper": enter(consultation, moderator, title="Paper idea", channel=Channel.PAPER),
        "phone": enter(second, moderator, title="Phone idea", channel=Channel.PHONE),
        "other": enter(other_consultation, other_moderator, title="Their idea"),
        "second": second,
    }


def test_the_listing_filters_by_consultation_channel_and_date(client, staff, entered):
    client.force_login(staff)
    assert titles(client.get(OFFLINE)) == ["Paper idea", "Phone idea"]
    assert titles(client.get(OFFLINE, {"channel": "phone"})) == ["Phone idea"]
    assert titles(client.get(OFFLINE, {"consultation": entered["second"].pk})) == ["Phone idea"]
    assert titles(client.get(OFFLINE, {"q": "paper"})) == ["Paper idea"]
    Idea.objects.filter(pk=entered["paper"].pk).update(
        published_at=timezone.now() - timedelta(days=10)
    )
    since = (timezone.localdate() - timedelta(days=3)).isoformat()
    assert titles(client.get(OFFLINE, {"entered_since": since})) == ["Phone idea"]


def test_another_pcns_consultation_is_not_a_choice_of_the_filter(
    client, staff, entered, other_consultation
):
    client.force_login(staff)
    response = client.get(OFFLINE, {"consultation": other_consultation.pk})
    assert "Their idea" not in response.content.decode()
    soup = BeautifulSoup(response.content, "html.parser")
    offered = [o.get_text() for o in soup.select("select[name=consultation] option")]
    assert other_consultation.title not in offered


def test_an_online_idea_is_not_an_offline_contribution(client, moderator, consultation, entered):
    online = Idea.objects.create(
        consultation=consultation,
        author=make_user(),
        title="Online idea",
        body="Typed on the website.",
        status=PostStatus.PUBLISHED,
    )
    client.force_login(moderator)
    assert "Online idea" not in titles(client.get(OFFLINE))
    assert client.get(f"{OFFLINE}inspect/{online.pk}/").status_code == 404


def test_the_policy_by_role_and_pcn(moderator, staff, other_moderator, entered, home):
    paper = entered["paper"]
    for user in (moderator, staff):
        assert idea_policy.user_has_permission(user, "add")
        assert idea_policy.user_has_permission_for_instance(user, "view", paper)
        assert not idea_policy.user_has_permission(user, "change")
        assert not idea_policy.user_has_permission(user, "delete")
        assert set(idea_policy.instances_user_has_any_permission_for(user, ["view"])) == {
            paper,
            entered["phone"],
        }
    assert not idea_policy.user_has_permission_for_instance(other_moderator, "view", paper)
    assert set(idea_policy.instances_user_has_any_permission_for(other_moderator, ["view"])) == {
        entered["other"]
    }
    for nobody in (AnonymousUser(), make_user()):
        assert not idea_policy.user_has_permission(nobody, "add")
        assert not letter_policy.user_has_permission(nobody, "change")
        assert not idea_policy.instances_user_has_any_permission_for(nobody, ["view"]).exists()


def test_a_hidden_contribution_is_seen_by_moderators_not_by_staff(
    client, moderator, staff, entered
):
    paper = entered["paper"]
    Idea.objects.filter(pk=paper.pk).update(status=PostStatus.HIDDEN)
    paper.refresh_from_db()
    assert idea_policy.user_has_permission_for_instance(moderator, "view", paper)
    assert not idea_policy.user_has_permission_for_instance(staff, "view", paper)
    client.force_login(staff)
    assert titles(client.get(OFFLINE)) == ["Phone idea"]
    assert client.get(f"{OFFLINE}inspect/{paper.pk}/").status_code == 404


def test_inspect_and_history_show_what_was_entered_and_the_audit_entry(
    client, staff, other_staff, entered
):
    paper = entered["paper"]
    assert ModelLogEntry.objects.filter(action="engage.idea.enter", object_id=str(paper.pk))
    client.force_login(staff)
    inspect = client.get(f"{OFFLINE}inspect/{paper.pk}/").content.decode()
    assert "Paper idea" in inspect and "Hears back" in inspect
    history = client.get(f"{OFFLINE}history/{paper.pk}/").content.decode()
    assert "Entered for a resident who took part offline" in history
    client.force_login(other_staff)
    assert client.get(f"{OFFLINE}inspect/{paper.pk}/").status_code == 404
    assert client.get(f"{OFFLINE}history/{paper.pk}/").status_code == 404


def test_no_edit_or_delete_screens(client, moderator, entered):
    client.force_login(moderator)
    for url in (f"{OFFLINE}edit/{entered['paper'].pk}/", f"{OFFLINE}delete/{entered['paper'].pk}/"):
        assert client.get(url).status_code == 404


def test_the_menu_group_is_shown_to_moderators_and_staff_only(client, moderator, staff, home):
    for user in (moderator, staff):
        client.force_login(user)
        assert "Offline and letters" in client.get("/admin/").content.decode()
    admin_only_groups = make_user(is_staff=True, is_superuser=False)
    client.force_login(admin_only_groups)
    assert "Offline and letters" not in client.get("/admin/").content.decode()


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_contributions_listing_queries_do_not_grow_with_the_rows(
    client, moderator, consultation
):
    client.force_login(moderator)
    counts = []
    for size in (2, 15):
        for number in range(size - Idea.objects.count()):
            enter(consultation, moderator, title=f"Idea {number}", **by_letter(name=f"P {number}"))
        client.get(OFFLINE)
        counts.append(count_queries(client, OFFLINE))
    assert counts[0] == counts[1], counts


def test_the_letters_listing_queries_do_not_grow_with_the_rows(
    client, moderator, consultation_index, update_index, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    counts = []
    for size in (2, 15):
        where = make_consultation(consultation_index, phase="open", title=f"C {size}")
        theme = make_theme(where, f"Theme {size}")
        for number in range(size):
            enter(where, moderator, **by_letter(name=f"P {number}")).themes.add(theme)
        with django_capture_on_commit_callbacks(execute=True):
            make_update(update_index, title=f"Update {size}", consultation=where, themes=[theme])
        assert Letter.objects.count() >= size
        client.get("/admin/letters/")
        counts.append(count_queries(client, "/admin/letters/"))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "query",
    [
        {"consultation": "99999999999999999999", "channel": "x", "entered_since": "never"},
        {"update": "99999999999999999999", "status": "x", "q": "<script>"},
        {"user": "99999999999999999999", "action": "x", "timestamp_from": "x"},
        {"consultation": "abc", "update": "-1", "user": "abc"},
    ],
)
def test_malformed_filters_are_answered_not_a_server_error(client, moderator, entered, query):
    client.force_login(moderator)
    for url in (OFFLINE, "/admin/letters/", f"{OFFLINE}history/{entered['paper'].pk}/"):
        assert client.get(url, query).status_code == 200, url
