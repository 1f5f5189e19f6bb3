"""Factories and builders for tests.

Default text is hostile on purpose, so every test that renders it also proves it is escaped.
"""

from datetime import timedelta

import factory
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value
from django.utils import timezone
from wagtail.models import Page, Site

from consultations.models import (
    ConsultationIndexPage,
    ConsultationPage,
    UpdateIndexPage,
)
from engage.models import User
from engage.roles import needs_two_factor
from home.models import HomePage, IntegratedCareSystem, Neighbourhood, Place
from home.services import pcn_create, pcn_site_create

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def give_two_factor(user, *, secret: str | None = None) -> str:
    """Activate an authenticator app (TOTP) and recovery codes for `user`, through allauth's
    own API, as if they had set it up. Returns the TOTP secret, for `totp_code`."""
    secret = secret or generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return secret


def totp_secret(user) -> str:
    from allauth.mfa.utils import decrypt

    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return decrypt(authenticator.data["secret"])


def totp_code(user_or_secret, *, offset: int = 0) -> str:
    """The authenticator code an app would show now (`offset` periods later or earlier)."""
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value

    secret = user_or_secret if isinstance(user_or_secret, str) else totp_secret(user_or_secret)
    counter = int(time.time()) // app_settings.TOTP_PERIOD + offset
    return format_hotp_value(hotp_value(secret, counter))


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

    @factory.post_generation
    def groups(self, create, extracted, **kwargs):
        """`UserFactory(groups=[pcn.moderator_group])`: the roles they have."""
        if create and extracted:
            self.groups.add(*extracted)

    @factory.post_generation
    def two_factor(self, create, extracted, **kwargs):
        """Admins and people with a role (groups) have an authenticator app, as the site
        requires, unless `two_factor=False`; `two_factor=True` gives anyone one.

        Add the groups through `groups=[...]`, not afterwards, or call `give_two_factor`.
        """
        if not create or extracted is False:
            return
        needed = extracted or needs_two_factor(self)
        # The role checks remember a user's groups on the object; a test may add more later.
        for remembered in ("_engage_group_ids", "_engage_needs_two_factor"):
            self.__dict__.pop(remembered, None)
        if needed:
            give_two_factor(self)


def make_moderator(pcn, **fields) -> User:
    """A PPG moderator of `pcn`, with an authenticator app."""
    return UserFactory(groups=[pcn.moderator_group], **fields)


def make_staff(pcn, **fields) -> User:
    """A member of `pcn`'s staff, with an authenticator app."""
    return UserFactory(groups=[pcn.staff_group], **fields)


def make_pcn_lead(pcn, **fields) -> User:
    """A PCN lead (staff who approve updates), with an authenticator app."""
    return UserFactory(groups=[pcn.staff_group, pcn.lead_group], **fields)


def make_admin(**fields) -> User:
    """An admin (superuser), with an authenticator app."""
    return UserFactory(is_superuser=True, is_staff=True, **fields)


_counter = iter(range(10_000, 99_999))


def make_pcn_site(
    *,
    name: str | None = None,
    hostname: str = "localhost",
    default: bool = True,
    place_name: str = "Test Place",
):
    """A PCN with its home page, site, neighbourhoods, and empty index pages."""
    number = next(_counter)
    name = name or f"Test PCN {number}"
    ics, _ = IntegratedCareSystem.objects.get_or_create(name="Test ICS")
    place, _ = Place.objects.get_or_create(name=place_name, integrated_care_system=ics)
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
