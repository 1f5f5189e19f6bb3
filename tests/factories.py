"""Factories and builders for tests.

Default text is hostile on purpose, so every test that renders it also proves it is escaped.
"""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone
from wagtail.models import Page, Site

from consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    UpdateIndexPage,
)
from engage.models import User
from home.models import HomePage, IntegratedCareSystem, Neighbourhood, Place
from home.services import pcn_create, pcn_site_create

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    # Hostile, and within the 50 characters a display name may have.
    display_name = factory.Sequence(lambda n: f"<script>alert({n})</script>Resident {n}"[:50])
    password = factory.django.Password("correct-horse-battery")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Residents have a verified email unless the test says otherwise."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


_counter = iter(range(10_000, 99_999))


def make_pcn_site(*, name: str | None = None, hostname: str = "localhost", default: bool = True):
    """A PCN with its home page, site, neighbourhoods, and empty index pages."""
    number = next(_counter)
    name = name or f"Test PCN {number}"
    ics, _ = IntegratedCareSystem.objects.get_or_create(name="Test ICS")
    place, _ = Place.objects.get_or_create(name="Test Place", integrated_care_system=ics)
    pcn = pcn_create(name=name, ods_code=f"U{number:05d}"[:6], place=place)
    if default:
        for page in Page.objects.filter(depth=2).exclude(
            content_type__model="homepage"
        ):  # Wagtail's placeholder page
            Site.objects.filter(root_page=page).delete()
            page.delete()
    home = pcn_site_create(
        pcn=pcn,
        title=f"{name} home",
        introduction="Welcome",
        hostname=hostname,
        is_default_site=default,
    )
    Neighbourhood.objects.create(pcn=pcn, name="Riverside")
    Neighbourhood.objects.create(pcn=pcn, name="Hillcrest")
    consultations = home.add_child(instance=ConsultationIndexPage(title="Consultations"))
    updates = home.add_child(instance=UpdateIndexPage(title="You said, we did"))
    return home, consultations, updates


def make_consultation(index, *, phase: str = "open", **fields) -> ConsultationPage:
    now = timezone.now()
    opens, closes = {
        "upcoming": (now + timedelta(days=7), now + timedelta(days=30)),
        "open": (now - timedelta(days=7), now + timedelta(days=30)),
        "closed": (now - timedelta(days=30), now - timedelta(days=1)),
    }[phase]
    defaults = {
        "title": f"Consultation {next(_counter)}",
        "question": "How should appointments work?",
        "summary": "Tell us.",
        "opens_at": opens,
        "closes_at": closes,
    }
    defaults.update(fields)
    consultation = index.add_child(instance=ConsultationPage(**defaults))
    home = HomePage.objects.ancestor_of(index, inclusive=True).get()
    consultation.neighbourhoods.set(home.pcn.neighbourhoods.all())
    consultation.save()
    return consultation
