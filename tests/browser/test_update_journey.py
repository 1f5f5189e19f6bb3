"""Closing the loop: staff publish "You said, we did" for a theme, and the resident whose idea
is in it hears about it, and sees the update on their idea, their contributions, the update
itself and the shared vision.
"""

from datetime import date

from django.utils import timezone
from playwright.sync_api import expect

from consultations import moderation
from consultations.models import Idea, Notice, PostStatus, UpdateAction, UpdatePage
from home.models import VisionPage, VisionPriority
from tests.browser.helpers import axe_check, journey, link_in, path_of, route, sign_in
from tests.factories import UserFactory, make_consultation, make_pcn_site

pytestmark = journey

IDEA_TITLE = "Saturday morning appointments"
THEME_NAME = "Weekend appointments"
PRIORITY = "Care when people can get to it"
UPDATE_TITLE = "Saturday clinics at Hillcrest surgery"
ACTION = "Open a Saturday morning clinic at Hillcrest surgery"


def h1(page):
    return page.get_by_role("heading", level=1)


def stage(page_or_card, name: str):
    """One stage of an idea's journey ("What has happened to this idea")."""
    journey_list = page_or_card.get_by_role("list", name="What has happened to this idea")
    return journey_list.locator(":scope > li").filter(has_text=name)


def test_staff_publish_an_update_and_the_resident_sees_the_loop_closed(page, mailoutbox):
    home, consultations, updates = make_pcn_site(name="Hillside PCN")
    vision = home.add_child(
        instance=VisionPage(
            title="Our shared vision",
            introduction="<p>What we want for Hillside, together.</p>",
            priorities=[
                VisionPriority(title=PRIORITY, statement="Appointments at times that work.")
            ],
        )
    )
    priority = vision.priorities.get()
    consultation = make_consultation(
        consultations,
        phase="closed",
        phase_override="under_review",
        title="Weekend opening",
        question="Should the surgery open at weekends?",
    )
    resident = UserFactory(display_name="Jo from Hillcrest")
    idea = Idea.objects.create(
        consultation=consultation,
        author=resident,
        title=IDEA_TITLE,
        body="I work all week. Saturday mornings would let me see a GP.",
        neighbourhood=consultation.neighbourhoods.get(name="Hillcrest"),
        status=PostStatus.PUBLISHED,
        published_at=timezone.now(),
    )
    moderator = UserFactory(display_name="Mo (PPG)", groups=[home.pcn.moderator_group])
    theme = moderation.theme_create(
        consultation=consultation,
        user=moderator,
        name=THEME_NAME,
        summary="Residents who work in the week asked for Saturday appointments.",
        priority=priority,
    )
    moderation.theme_assign_ideas(theme=theme, user=moderator, idea_ids=[idea.pk])
    mailoutbox.clear()

    # Staff publish the update (in code, as the page editor would): on_commit runs at once
    # in a transactional test, and the immediate task backend sends the email.
    update = updates.add_child(
        instance=UpdatePage(
            title=UPDATE_TITLE,
            you_said="<p>You told us weekday appointments are hard to get to.</p>",
            we_did="<p>We opened a Saturday morning clinic.</p>",
            consultation=consultation,
            priority=priority,
            live=False,
            actions=[UpdateAction(description=ACTION, status="done", date=date(2026, 3, 7))],
        )
    )
    update.themes.set([theme])
    update.save_revision().publish()
    update.refresh_from_db()
    assert update.live

    # The resident hears about it, once, with a link to the update.
    assert Notice.objects.filter(user=resident, update=update, status="sent").count() == 1
    [email] = [message for message in mailoutbox if message.to == [resident.email]]
    assert UPDATE_TITLE in email.subject
    assert update.full_url in email.body
    assert f'"{IDEA_TITLE}" (Weekend opening)' in email.body
    assert f"{ACTION}: done" in email.body
    assert len(mailoutbox) == 1

    # On their idea: every stage of the journey is done, ending with the update.
    idea_path = route(consultation, "idea-detail", idea.pk)
    sign_in(page, email=resident.email, next_path=idea_path)
    expect(h1(page)).to_have_text(IDEA_TITLE)
    for name in ("Submitted", "Published", "Grouped into a theme"):
        expect(stage(page, name)).to_contain_text("Done")
    expect(stage(page, "Grouped into a theme")).to_contain_text(THEME_NAME)
    expect(stage(page, "Fed into a priority")).to_contain_text("Done Fed into a priority")
    expect(stage(page, "Fed into a priority")).to_contain_text(PRIORITY)
    acted_on = stage(page, "Acted on")
    expect(acted_on.locator(".nhsuk-tag")).to_have_text("Done")
    expect(acted_on).to_contain_text(f"{UPDATE_TITLE}: {ACTION} (done)")
    expect(acted_on.get_by_role("link", name=f'Read "{UPDATE_TITLE}"')).to_be_visible()
    axe_check(page)

    # Their contributions list the idea with the same journey.
    page.get_by_role("link", name="Your contributions").click()
    expect(h1(page)).to_have_text("Your contributions")
    card = page.locator("section.nhsuk-card").filter(has_text=IDEA_TITLE)
    expect(card.get_by_role("heading", name=IDEA_TITLE)).to_be_visible()
    expect(card).to_contain_text("Weekend opening")
    expect(stage(card, "Acted on").locator(".nhsuk-tag")).to_have_text("Done")
    expect(stage(card, "Acted on")).to_contain_text(UPDATE_TITLE)
    axe_check(page)

    # The link in the email opens the update.
    page.goto(path_of(link_in(email.body, r"^/you-said-we-did/")))
    expect(h1(page)).to_have_text(UPDATE_TITLE)
    expect(page.get_by_text("You told us weekday appointments are hard to get to.")).to_be_visible()
    expect(page.get_by_text("We opened a Saturday morning clinic.")).to_be_visible()
    expect(page.get_by_role("link", name=THEME_NAME)).to_be_visible()
    action = page.locator(".nhsuk-summary-list__row").filter(has_text=ACTION)
    expect(action.locator(".nhsuk-tag")).to_have_text("Done")
    expect(action).to_contain_text("7 March 2026")
    expect(page.get_by_text(f"Acts on our priority: {PRIORITY}.")).to_be_visible()
    axe_check(page)

    # The theme link leads to "What we heard".
    page.get_by_role("link", name=THEME_NAME).click()
    expect(h1(page)).to_have_text("What we heard")
    expect(page.locator(f"#theme-{theme.pk}")).to_have_text(THEME_NAME)
    axe_check(page)

    # The shared vision shows the theme and the update under the priority.
    page.goto(vision.url)
    expect(h1(page)).to_have_text("Our shared vision")
    card = page.locator(f"#priority-{priority.pk}")
    expect(card.get_by_role("heading", level=3)).to_have_text(f"1. {PRIORITY}")
    expect(card).to_contain_text("1 of 1 action done (100%)")
    expect(card).to_contain_text(f"{THEME_NAME} (1 idea, Weekend opening)")
    expect(card.get_by_role("link", name=UPDATE_TITLE)).to_be_visible()
    axe_check(page)

    # The updates page and the home page list it too.
    page.goto(updates.url)
    expect(h1(page)).to_have_text("You said, we did")
    expect(page.get_by_role("link", name=UPDATE_TITLE)).to_be_visible()
    axe_check(page)
    page.goto("/")
    expect(page.get_by_role("main").get_by_role("link", name=UPDATE_TITLE)).to_be_visible()
    axe_check(page)
