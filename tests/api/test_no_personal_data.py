"""The twin PCNs (tests/authz/twins.py: one object of every kind in each of two PCNs, with
residents, offline contributors and their addresses) show no personal data anywhere in the
API: no name, email address, username, display name or postal address, and no text a
resident wrote."""

import json

import pytest
from django.test import Client

from consultations.models import Comment, Idea, OfflineContributor, ThemeQuote
from engage.models import User
from tests.authz.twins import build_twins

ADDRESSES = [
    "organisations/?kind=ics",
    "organisations/?kind=place",
    "organisations/?kind=pcn",
    "organisations/?kind=practice",
    "consultations/",
    "themes/",
    "priorities/",
    "updates/",
    "accountability/",
    "place-accountability/",
    "ics-accountability/",
]


@pytest.mark.django_db
def test_no_list_holds_anything_about_a_person():
    build_twins()
    text = "\n".join(json.dumps(Client().get(f"/api/v1/{address}").json()) for address in ADDRESSES)
    personal = set()
    for user in User.objects.all():
        personal |= {user.email, user.username, user.display_name, user.first_name, user.last_name}
    for contributor in OfflineContributor.objects.all():
        personal |= {contributor.name, contributor.email, contributor.postal_address}
    # What residents wrote: idea titles and bodies, comments, quotes.
    for idea in Idea.objects.all():
        personal |= {idea.title, idea.body}
    personal |= set(Comment.objects.values_list("body", flat=True))
    personal |= set(ThemeQuote.objects.values_list("text", flat=True))
    personal = {value for value in personal if value and len(value) > 3}
    assert personal, "the twins have people in them"
    assert [value for value in personal if value.lower() in text.lower()] == []
    # Every kind of record is there to be checked: both PCNs' consultations and updates.
    assert text.count("Twin a") and text.count("Twin b")
