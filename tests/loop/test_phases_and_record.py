"""Phase emails to followers, the PCN's public record, the vision's progress, the updates
feed, and the approval workflow that stands between staff and a published update."""

from datetime import timedelta
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from django.core.management import call_command
from django.utils import timezone

from consultations.loop import accountability
from consultations.models import ConsultationPage, Notice, PostStatus, UpdatePage
from home.services import pcn_sections_setup
from tests.factories import HOSTILE, UserFactory, make_consultation, make_pcn_site
from tests.loop.conftest import action, follow, make_idea, make_theme, make_update, make_vision

ATOM = "{http://www.w3.org/2005/Atom}"


def send_notifications() -> str:
    out = StringIO()
    call_command("send_notifications", stdout=out)
    return out.getvalue()


def move(consultation, **fields) -> None:
    """Change a live consultation's dates or phase as time passing would."""
    ConsultationPage.objects.filter(pk=consultation.pk).update(**fields)


# Phase emails


def test_followers_hear_once_when_a_consultation_opens_closes_and_is_answered(
    consultation_index, mailoutbox
):
    consultation = make_consultation(
        consultation_index, phase="upcoming", title="Evening appointments"
    )
    follower = UserFactory(email="follower@example.org")
    quiet = UserFactory(email="quiet@example.org", email_updates=False)
    UserFactory(email="bystander@example.org")
    follow(follower, consultation=consultation)
    follow(quiet, consultation=consultation)

    send_notifications()
    assert mailoutbox == []
    assert not Notice.objects.exists()

    now = timezone.now()
    move(consultation, opens_at=now - timedelta(hours=1))
    send_notifications()
    assert [(m.to, m.subject) for m in mailoutbox] == [
        (["follower@example.org"], "Engage: Now open: Evening appointments")
    ]
    assert "is now open" in mailoutbox[0].body
    assert consultation.full_url in mailoutbox[0].body

    send_notifications()
    assert len(mailoutbox) == 1

    move(consultation, closes_at=now - timedelta(minutes=1))
    send_notifications()
    send_notifications()
    assert len(mailoutbox) == 2
    assert mailoutbox[1].to == ["follower@example.org"]
    assert mailoutbox[1].subject == "Engage: Now closed: Evening appointments"

    move(consultation, phase_override="responded")
    send_notifications()
    send_notifications()
    assert len(mailoutbox) == 3
    assert mailoutbox[2].to == ["follower@example.org"]
    assert mailoutbox[2].subject == "Engage: We have responded: Evening appointments"

    assert set(Notice.objects.values_list("user__email", flat=True)) == {"follower@example.org"}
    assert sorted(Notice.objects.values_list("key", flat=True)) == ["closed", "open", "responded"]


def test_following_an_open_consultation_does_not_announce_that_it_is_open(
    client, open_consultation, mailoutbox
):
    resident = UserFactory(email="late@example.org")
    client.force_login(resident)
    client.post(open_consultation.url + open_consultation.reverse_subpage("follow"))
    assert open_consultation.follows.filter(user=resident).exists()

    send_notifications()

    assert [m.subject for m in mailoutbox] == []


# The PCN's record


@pytest.fixture
def record_site(home, consultation_index, update_index):
    """Four themes, one answered by a live update; three live responses; a draft that
    would change every number if it counted; and another PCN's content."""
    now = timezone.now()
    early = make_consultation(consultation_index, phase="closed", title="Early")
    later = make_consultation(consultation_index, phase="closed", title="Later")
    move(early, closes_at=now - timedelta(days=60))
    move(later, closes_at=now - timedelta(days=30))
    early.refresh_from_db()
    later.refresh_from_db()
    themes = [make_theme(c, name) for c in (early, later) for name in ("Access", "Parking")]

    def published(update, *, days_after_close):
        first = update.consultation.closes_at + timedelta(days=days_after_close, hours=3)
        UpdatePage.objects.filter(pk=update.pk).update(first_published_at=first)

    published(
        make_update(
            update_index,
            title="First answer to early",
            consultation=early,
            themes=[themes[0]],
            actions=[action("A", "done", 0), action("B", "planned", 1)],
        ),
        days_after_close=2,
    )
    published(
        make_update(
            update_index,
            title="Answer to later",
            consultation=later,
            actions=[action("D", "in_progress")],
        ),
        days_after_close=4,
    )
    make_update(
        update_index,
        title="Draft answer",
        consultation=later,
        themes=themes[1:],
        actions=[action("E", "done"), action("F", "done", 1)],
        live=False,
        publish=False,
    )
    _, other_index, other_updates = make_pcn_site(hostname="other.localhost", default=False)
    other = make_consultation(other_index, phase="closed")
    make_update(
        other_updates,
        consultation=other,
        themes=[make_theme(other, "Elsewhere")],
        actions=[action("G", "done")],
    )
    return home


def test_accountability_counts_answered_themes_response_time_and_actions_done(record_site):
    record = accountability(home=record_site)

    assert (record.themes, record.themes_answered) == (4, 1)
    assert record.themes_answered_percent == 25
    assert record.median_days_to_response == 3  # early after 2 days, later after 4
    assert (record.actions, record.actions_done) == (3, 1)
    assert record.actions_done_percent == 33


def test_the_home_page_shows_the_record(client, record_site):
    response = client.get(record_site.url)
    assert response.status_code == 200
    panel = BeautifulSoup(response.content, "html.parser").select_one(
        "section[aria-labelledby=record-heading]"
    )
    values = [dd.get_text(" ", strip=True) for dd in panel.select("dd")]
    assert values == [
        "25% (1 of 4)",
        "3 days (median)",
        "33% (1 of 3)",
        "No outreach recorded yet",
    ]


def answer(update_index, consultation, *, days_after_close, title):
    update = make_update(update_index, title=title, consultation=consultation)
    UpdatePage.objects.filter(pk=update.pk).update(
        first_published_at=consultation.closes_at + timedelta(days=days_after_close, hours=1)
    )


def test_only_the_first_response_to_a_consultation_counts_towards_the_median(
    record_site, update_index
):
    early = ConsultationPage.objects.get(title="Early")
    answer(update_index, early, days_after_close=10, title="Second answer to early")
    answer(update_index, early, days_after_close=12, title="Third answer to early")

    # First responses: early after 2 days (not 10 or 12), later after 4.
    assert accountability(home=record_site).median_days_to_response == 3


def test_consultations_closing_at_the_same_moment_each_count_their_own_response(
    consultation_index, update_index, home
):
    closes = timezone.now() - timedelta(days=40)
    consultations = {}
    for title in ("One", "Two", "Three"):
        consultations[title] = make_consultation(consultation_index, phase="closed", title=title)
        move(consultations[title], closes_at=closes)
        consultations[title].refresh_from_db()
    answer(update_index, consultations["One"], days_after_close=2, title="Answer one")
    answer(update_index, consultations["Two"], days_after_close=4, title="Answer two")
    answer(update_index, consultations["Three"], days_after_close=20, title="Answer three")
    answer(update_index, consultations["Three"], days_after_close=30, title="Later, three")

    assert accountability(home=home).median_days_to_response == 4  # of 2, 4 and 20


def test_the_record_is_empty_before_anything_happens(client, home):
    record = accountability(home=home)
    assert record.themes_answered_percent is None
    assert record.median_days_to_response is None
    assert record.actions_done_percent is None
    panel = BeautifulSoup(client.get(home.url).content, "html.parser").select_one(
        "section[aria-labelledby=record-heading]"
    )
    assert [dd.get_text(strip=True) for dd in panel.select("dd")] == [
        "No themes yet",
        "No responses yet",
        "No actions yet",
        "No outreach recorded yet",
    ]


# The shared vision


def test_each_priority_shows_its_themes_updates_and_progress(client, home, update_index):
    vision = make_vision(home, "Care when you need it", "Healthy neighbourhoods")
    care, healthy = vision.priorities.order_by("sort_order")
    consultation = make_consultation(home.get_children().get(slug="consultations").specific)
    evenings = make_theme(consultation, "Evening appointments", priority=care)
    weekends = make_theme(consultation, f"Weekends {HOSTILE}", priority=care)
    make_theme(consultation, "Parks", priority=healthy)
    make_theme(consultation, "Unlinked")
    for status in (PostStatus.PUBLISHED, PostStatus.PUBLISHED, PostStatus.HIDDEN):
        make_idea(consultation, UserFactory(), status=status).themes.add(evenings)
    make_idea(consultation, UserFactory(), status=PostStatus.PENDING).themes.add(evenings)
    make_idea(consultation, UserFactory()).themes.add(weekends)
    make_update(
        update_index,
        title="Evening clinics",
        priority=care,
        actions=[action("Tuesday evenings", "done", 0), action("Thursday", "planned", 1)],
    )
    make_update(
        update_index,
        title="Draft plan",
        priority=care,
        actions=[action("Sunday", "done")],
        live=False,
        publish=False,
    )

    response = client.get(vision.url)
    assert response.status_code == 200
    assert HOSTILE.encode() not in response.content
    soup = BeautifulSoup(response.content, "html.parser")
    care_card = soup.select_one(f"#priority-{care.pk}")
    care_text = care_card.get_text(" ", strip=True)
    lists = care_card.select("ul")
    themes = [li.get_text(" ", strip=True) for li in lists[0].select("li")]
    updates = [li.get_text(" ", strip=True) for li in lists[1].select("li")]

    assert "Progress: 1 of 2 actions done (50%)." in care_text
    assert themes == [
        f"Evening appointments (2 ideas, {consultation.title})",
        f"Weekends {HOSTILE} (1 idea, {consultation.title})",
    ]
    assert updates == ["Evening clinics (in progress)"]
    assert "Draft plan" not in response.content.decode()
    assert "Parks" not in care_text and "Unlinked" not in care_text

    healthy_text = soup.select_one(f"#priority-{healthy.pk}").get_text(" ", strip=True)
    assert "Parks (0 ideas" in healthy_text
    assert "Progress: no actions yet." in healthy_text
    assert "No updates yet." in healthy_text


# The Atom feed


def test_the_feed_lists_live_updates_escaped_and_no_drafts(client, update_index):
    make_update(update_index, title="Saturday clinics")
    make_update(update_index, title=HOSTILE)
    make_update(update_index, title="Secret draft", live=False, publish=False)

    response = client.get(update_index.url + "feed/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert b"<script>" not in response.content
    feed = ElementTree.fromstring(response.content)  # well formed, whatever the titles say
    entries = {
        entry.findtext(f"{ATOM}title"): entry.find(f"{ATOM}link").get("href")
        for entry in feed.findall(f"{ATOM}entry")
    }
    assert set(entries) == {"Saturday clinics", HOSTILE}
    live = {page.title: page.url for page in UpdatePage.objects.live()}
    for title, href in entries.items():
        assert href.endswith(live[title])
        assert href.startswith("http")
    summaries = [e.findtext(f"{ATOM}summary") for e in feed.findall(f"{ATOM}entry")]
    assert summaries == ["We opened a Saturday clinic."] * 2


# Who may publish


@pytest.fixture
def sections(home, consultation_index, update_index):
    vision = make_vision(home, "Care when you need it")
    pcn_sections_setup(pcn=home.pcn, home=home)
    return {"vision": vision, "consultations": consultation_index, "updates": update_index}


def member_of(group):
    return UserFactory(groups=[group])


def test_staff_publish_consultations_but_updates_need_a_pcn_lead(home, sections, update_index):
    pcn = home.pcn
    staff = member_of(pcn.staff_group)
    lead = member_of(pcn.lead_group)
    consultation = make_consultation(sections["consultations"], phase="open")
    update = make_update(update_index, title="Saturday clinics")

    assert consultation.permissions_for_user(staff).can_publish()
    assert sections["vision"].permissions_for_user(staff).can_publish()
    assert update.permissions_for_user(staff).can_edit()
    assert not update.permissions_for_user(staff).can_publish()
    assert update.permissions_for_user(staff).can_submit_for_moderation()
    assert update.permissions_for_user(lead).can_publish()

    workflow = update_index.get_workflow()
    assert workflow is not None
    assert update.get_workflow() == workflow

    other_home, _, other_updates = make_pcn_site(hostname="other.localhost", default=False)
    pcn_sections_setup(pcn=other_home.pcn, home=other_home)
    other_lead = member_of(other_home.pcn.lead_group)
    assert not update.permissions_for_user(other_lead).can_publish()
    assert not update.permissions_for_user(other_lead).can_edit()
    assert other_updates.get_workflow() != workflow


def test_the_update_workflow_is_one_approval_by_the_pcn_leads(home, sections, update_index):
    workflow = update_index.get_workflow()
    [task] = [task.specific for task in workflow.tasks]
    assert list(task.groups.all()) == [home.pcn.lead_group]


def test_a_lead_approving_an_update_publishes_it_and_tells_residents(
    home, sections, update_index, mailoutbox, django_capture_on_commit_callbacks
):
    staff = member_of(home.pcn.staff_group)
    lead = member_of(home.pcn.lead_group)
    consultation = make_consultation(sections["consultations"], phase="closed")
    theme = make_theme(consultation)
    make_idea(consultation, UserFactory(email="author@example.org")).themes.add(theme)
    update = make_update(
        update_index, title="Saturday clinics", themes=[theme], live=False, publish=False
    )

    with django_capture_on_commit_callbacks(execute=True):
        workflow_state = update.get_workflow().start(update, staff)
    update.refresh_from_db()
    assert not update.live
    assert not update.permissions_for_user(staff).can_publish()
    to_author = [m for m in mailoutbox if m.to == ["author@example.org"]]
    assert to_author == []  # (Wagtail itself may tell the leads there is something to approve)

    with django_capture_on_commit_callbacks(execute=True):
        workflow_state.current_task_state.approve(user=lead)

    update.refresh_from_db()
    assert update.live
    [email] = [m for m in mailoutbox if m.to == ["author@example.org"]]
    assert email.subject == "Engage: You said, we did: Saturday clinics"
