"""People who took part without an account count as people who took part: each confirmed
email address once per PCN, each post sent with no email address as one person, with no
equality answers (so they are among those who did not say). In a consultation's figures
(consultations/representativeness.py and its staff screen) and the PCN's evidence pack
(consultations/evidence.py); a Place's roll-up in tests/places/test_place_who_took_part.py."""

import csv
import io
import itertools

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from consultations.models import (
    Comment,
    ContributorKind,
    EqualityAnswers,
    Idea,
    IdeaTheme,
    OfflineContributor,
    PostStatus,
    Theme,
)
from consultations.representativeness import representation
from consultations.services import no_account as services
from engage.models import User
from tests.factories import make_staff
from tests.no_account.conftest import confirmation_sent, send_comment, send_idea

pytestmark = pytest.mark.django_db

ANSWERS = {"age_band": "25_34", "sex": "female"}
_numbers = itertools.count(1)
_clients = itertools.count(1)


def residents(consultation, n) -> list[Idea]:
    """`n` residents with accounts and equality answers, each with a published idea."""
    start = next(_numbers) * 10_000
    people = User.objects.bulk_create(
        User(username=f"nobody{start + i}", email=f"nobody{start + i}@example.org")
        for i in range(n)
    )
    EqualityAnswers.objects.bulk_create(EqualityAnswers(user=p, **ANSWERS) for p in people)
    return Idea.objects.bulk_create(
        Idea(consultation=consultation, author=p, title="Idea", body="B", status="published")
        for p in people
    )


def without_account(consultation, *, email: str, idea=None, publish=True):
    """An idea (or a comment on `idea`) sent without an account through the service, its
    email address confirmed by the link; then published, as a moderator would."""
    client = f"198.51.100.{next(_clients)}"
    if idea is None:
        post = send_idea(consultation, email=email, client=client)
    else:
        post = send_comment(idea, email=email, client=client)
    if email:
        token, _code, _message = confirmation_sent()
        post = services.no_account_post_confirm(token=token)
    made = post.posted_idea or post.posted_comment
    assert made is not None and made.author_id is None
    if publish:
        type(made).objects.filter(pk=made.pk).update(status=PostStatus.PUBLISHED)
    return made


@pytest.fixture
def consultation(open_consultation):
    pcn = open_consultation.pcn
    pcn.allow_posts_without_email = True
    pcn.save()
    return open_consultation


@pytest.fixture
def took_part(consultation):
    """12 residents with accounts; Sam (an idea and, with the address in capitals, a comment:
    one person); Alex (a comment only); two posts with no email address (two people); and,
    not counted, a third no-email post still waiting for a moderator."""
    ideas = residents(consultation, 12)
    without_account(consultation, email="sam@example.org")
    without_account(consultation, email="SAM@example.org", idea=ideas[0])
    without_account(consultation, email="alex@example.org", idea=ideas[1])
    without_account(consultation, email="")
    without_account(consultation, email="")
    without_account(consultation, email="", publish=False)
    return consultation


def test_the_sender_of_each_no_email_post_has_a_record_of_their_own(consultation):
    first = without_account(consultation, email="")
    second = without_account(consultation, email="")
    assert first.contributor_id != second.contributor_id
    for idea in (first, second):
        assert idea.contributor.kind == ContributorKind.NO_ACCOUNT
        assert (idea.contributor.email, idea.contributor.postal_address) == ("", "")
        assert not EqualityAnswers.objects.filter(contributor=idea.contributor).exists()


def test_a_consultations_figures_count_them_as_people_who_did_not_say(took_part, settings):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 1
    figures = representation(consultation=took_part)
    # 12 residents + Sam + Alex + two no-email posts; not the one still pending.
    assert figures.contributors.value == 16 and figures.contributors.shown
    # The breakdowns count the answers only: the four without an account did not say.
    assert all(breakdown.answers in (0, 12) for breakdown in figures.breakdowns)
    assert figures.breakdowns[0].table.total.value == 12


def test_one_email_address_is_one_person_in_each_pcn_it_took_part_in(took_part):
    assert OfflineContributor.objects.filter(email__iexact="sam@example.org").count() == 1
    sam = OfflineContributor.objects.get(email__iexact="sam@example.org")
    assert Idea.objects.filter(contributor=sam).count() == 1
    assert Comment.objects.filter(contributor=sam).count() == 1


def test_a_theme_counts_the_comments_on_its_ideas_sent_without_an_account(took_part, settings):
    theme = Theme.objects.create(consultation=took_part, name="Evenings")
    commented = Comment.objects.get(contributor__email__iexact="alex@example.org").idea
    IdeaTheme.objects.create(idea=commented, theme=theme)
    # The resident behind the idea, and Alex who commented on it without an account.
    figures = representation(consultation=took_part, theme=theme)
    assert figures.contributors.value == 2
    assert not figures.contributors.shown  # under 10: hidden


def test_the_staff_screen_says_how_many_took_part_and_hides_a_small_number(
    client, consultation, took_part, settings
):
    settings.ENGAGE_EQUALITY_MINIMUM_ANSWERS = 1
    client.force_login(make_staff(consultation.pcn))
    url = reverse("who_took_part:consultation", args=[consultation.pk])
    text = BeautifulSoup(client.get(url).content, "html.parser").get_text(" ", strip=True)
    assert "16 people took part." in text
    assert "everyone who took part without an account, did not say" in text
    Idea.objects.filter(author__isnull=False).update(status=PostStatus.HIDDEN)
    text = BeautifulSoup(client.get(url).content, "html.parser").get_text(" ", strip=True)
    assert "hidden people took part." in text  # Sam, Alex and the two: 4


def _pack_people(client, pcn) -> str:
    client.force_login(make_staff(pcn))
    response = client.get(reverse("evidence_pack:csv"))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    return next(r[4] for r in rows if r[1] == "People who took part")


def test_the_evidence_pack_counts_them(client, consultation, took_part):
    assert _pack_people(client, consultation.pcn) == "16"
