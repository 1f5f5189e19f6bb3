"""A resident's display name cannot pass for a role, an NHS organisation or a place.

However it is disguised: other alphabets' lookalike letters, fullwidth forms, invisible
characters, accents, extra spaces and punctuation, digits for letters. The names of real
organisations and places come from the database (every PCN, practice, Place, ICS and
neighbourhood); the roles are data in `engage.names`. The refusal says what to change and the
form keeps what was typed. People with a role are who they say, and are not checked.
"""

import pytest
from django.urls import reverse

from engage import names
from engage.forms import clean_display_name
from engage.models import User
from engage.names import display_name_problem, validate_display_name
from home.models import Practice
from home.names import reserved_names
from tests.engage.test_accounts import (
    assert_field_error,
    error_summary_links,
    parse,
    sign_up,
    text,
)
from tests.factories import UserFactory, make_moderator, make_pcn_site


@pytest.fixture
def pcn_site(db):
    """A PCN named like a real one, with a practice; the factory's neighbourhoods are
    Riverside and Hillcrest, its Place "Test Place" and its ICS "Test ICS"."""
    home, _consultations, _updates = make_pcn_site(name="Riverside and Meadowbank PCN")
    Practice.objects.create(pcn=home.pcn, name="Hillcrest Family Practice", ods_code="Y99004")
    Practice.objects.create(pcn=home.pcn, name="Wellspring Surgery", ods_code="Y99005")
    return home


def refusal(name: str) -> str | None:
    problem = display_name_problem(name)
    return problem.code if problem else None


# What is refused.

CLAIMING_A_ROLE = [
    "Admin",
    "Site Admin",
    "Administrator",
    "The Moderator",
    "Moderators",
    "Mod",
    "PPG",
    "Sam (PPG)",
    "Patient Participation Group",
    "Staff",
    "Official",
    "Engage",
    "Engage Team",
    "NHS",
    "NHS England",
    "GP",
    "GPs",
    "Dr Smith",
    "Dr. Smith",
    "Doctor Sam",
    "Nurse Jo",
    "Practice Manager",
    "Receptionist",
    "Verified resident",
    "Primary Care Network",
    "Integrated Care Board",
    "ICB",
    "Medical Centre",
]
# The same, in disguise.
LOOKALIKES = [
    "\u0410dmin",  # a Cyrillic A
    "\u0391dmin",  # a Greek Alpha
    "N\u041d\u0405 England",  # Cyrillic capitals that look like the H and S of NHS
    "N\u0397S",  # a Greek Eta for the H
    "\uff2e\uff28\uff33",  # fullwidth NHS
    "\uff21\uff44\uff4d\uff49\uff4e",  # fullwidth Admin
    "Ad\u200bmin",  # a zero-width space
    "Ad\u200dmin",  # a zero-width joiner
    "A\u0336d\u0336m\u0336i\u0336n\u0336",  # struck through with combining marks
    "Ádmïn",  # accents
    "A d m i n",
    "A.D.M.I.N",
    "Ad-min",
    "N.H.S.",
    "N H S",
    "G.P.",
    "Adm1n",
    "4dmin",
    "Admin1",
    "admin_2024",
    "M0derat0r",
    "Moder@tor",
    "$taff",
    "Nurse5",
    "TheAdmin",
    "NHSEngland",
    "themoderator",
    "PracticeManager",
    "practice-manager",
]
CLAIMING_AN_ORGANISATION = [
    "Riverside and Meadowbank PCN",  # also a role word (PCN), refused either way
    "Hillcrest Family Practice",
    "Hillcrest Family Practice fan",
    "H1llcrest Fam1ly Pract1ce",
    "HillcrestFamilyPractice",
    "Wellspring Surgery",
]
CLAIMING_A_PLACE = [
    "Riverside",
    "RIVERSIDE",
    "R1vers1de",
    "Rivers\u0456de",  # a Cyrillic i
    "The Riverside Team",
    "Riverside Health",
    "Riverside & Meadowbank",  # the PCN's name without "PCN"
    "Riverside and Meadowbank Community",
    "Hillcrest",
    "Hillcrest Family",  # the practice's name without "Practice"
    "Wellspring",  # the surgery's name without "Surgery"
    "Test Place",
]


@pytest.mark.parametrize("name", CLAIMING_A_ROLE + LOOKALIKES)
def test_a_name_claiming_a_role_is_refused_however_it_is_written(pcn_site, name):
    assert refusal(name) == "claims_a_role"


@pytest.mark.parametrize("name", CLAIMING_AN_ORGANISATION)
def test_a_name_passing_for_an_organisation_is_refused(pcn_site, name):
    assert refusal(name) in ("claims_an_organisation", "claims_a_role")


def test_an_organisation_name_without_a_role_word_is_refused_as_an_organisation(pcn_site):
    assert refusal("Hillcrest Family Practice fan") == "claims_an_organisation"


@pytest.mark.parametrize("name", CLAIMING_A_PLACE)
def test_a_name_that_is_only_a_place_is_refused(pcn_site, name):
    assert refusal(name) == "claims_a_place"


def test_a_new_organisation_is_protected_as_soon_as_it_exists(pcn_site):
    assert refusal("Brookfield Health Centre Friends") == "claims_a_role"  # "health centre"
    assert refusal("Brookfield Medics") is None
    Practice.objects.create(pcn=pcn_site.pcn, name="Brookfield Medics", ods_code="Y99006")
    assert refusal("Brookfield Medics") == "claims_an_organisation"
    assert refusal("Br00kfield Med1cs") == "claims_an_organisation"


# What is welcome.

EVERYDAY_NAMES = [
    "Sam",
    "Sam Smith",
    "Robin Hood",
    "Resident",
    "A resident",
    "Riverside resident",
    "Rosa from Riverside",
    "Jo from Hillcrest",
    "Mum of three in Hillcrest",
    "Andrew",  # holds "dr"
    "Sandra",  # holds "dr"
    "Mo D",  # "mod" across two words
    "Badminton fan",  # holds "admin"
    "Staffordshire Sam",  # holds "staff"
    "Nursery teacher",  # holds "nurse"
    "Doctorow reader",
    "Engaged parent",
    "Monarch Butterfly",
    "Ali",
    "Kim",
    "Priya Nair",
    "Zoë",
    "\u0645\u0631\u064a\u0645",  # Maryam, in Arabic
    "\u0410\u043d\u043d\u0430",  # Anna, in Cyrillic
    "\u674e\u534e",  # Li Hua
    "Riverbank Rovers fan",
    "Old Towner",
]


@pytest.mark.parametrize("name", EVERYDAY_NAMES)
def test_everyday_names_are_welcome(pcn_site, name):
    assert refusal(name) is None


def test_the_names_tests_and_the_demo_give_residents_are_welcome(pcn_site):
    factory_names = [UserFactory.display_name.function(n) for n in (0, 7, 123, 99999)]
    demo_residents = ["Rowan Ellis", "Priya Nair", "Tom Baxter", "Leah Cole", "Sam Whitfield"]
    test_names = ["<b>x</b> Resident", "<script>x</script> Resident 12", "Idea Author"]
    test_names += ["Other Resident", "Early Bird", "Avril Author", "Colin Commenter"]
    test_names += ["Zebedee Quartermaine", "Robin Ashdown", "Sam Tester", "Jo from Hillcrest"]
    for name in factory_names + demo_residents + test_names:
        assert clean_display_name(name) is not None, name


# Who is exempt.


def test_people_with_a_role_are_who_they_say(pcn_site):
    moderator = make_moderator(pcn_site.pcn)
    validate_display_name("Asha Patel (PPG)", user=moderator)
    admin = UserFactory(is_superuser=True, is_staff=True)
    validate_display_name("Site administrator", user=admin)
    resident = UserFactory()
    with pytest.raises(Exception, match="PPG"):
        validate_display_name("Asha Patel (PPG)", user=resident)


# What the person is told, and what the form keeps.


def test_the_refusal_names_the_words_to_change(pcn_site):
    assert display_name_problem("Dr Sam Jones").messages == [
        "Choose a display name without 'Dr': it could make people think you have a role here, "
        "such as PPG moderator, NHS staff or part of the Engage team."
    ]
    assert display_name_problem("Hillcrest Family Practice fan").messages == [
        "Choose a display name without 'Hillcrest Family Practice': it looks like the name of "
        "an NHS organisation, so people could think you speak for it."
    ]
    assert display_name_problem("Riverside").messages == [
        "Choose a display name that is more than the name of a place: 'Riverside' on its own "
        "could look like it speaks for everyone there. Add your own name, for example 'Sam "
        "from Riverside'."
    ]


def test_sign_up_refuses_a_role_and_keeps_what_was_typed(client, pcn_site, mailoutbox):
    response = sign_up(client, display_name="N.H.S. Admin Team")

    assert response.status_code == 200
    soup = parse(response)
    message = "Choose a display name without 'Admin'"
    [(link, shown)] = error_summary_links(soup)
    assert link == "#id_display_name" and shown.startswith(message)
    assert_field_error(soup, "id_display_name", message)
    assert soup.find(id="id_display_name")["value"] == "N.H.S. Admin Team"
    assert soup.find(id="id_email")["value"] == "sam@example.org"
    assert not User.objects.exists()
    assert mailoutbox == []


def test_the_display_name_page_refuses_a_place_and_keeps_what_was_typed(client, pcn_site):
    resident = UserFactory(display_name="Rosa")
    client.force_login(resident)

    response = client.post(reverse("account_profile"), {"display_name": "  Riverside  "})

    assert response.status_code == 200
    soup = parse(response)
    assert_field_error(soup, "id_display_name", "more than the name of a place")
    assert "for example 'Sam from Riverside'" in text(soup.find(id="id_display_name-error"))
    assert soup.find(id="id_display_name")["value"] == "  Riverside  "
    resident.refresh_from_db()
    assert resident.display_name == "Rosa"


def test_the_display_name_page_refuses_a_hidden_character_and_keeps_what_was_typed(
    client, pcn_site
):
    resident = UserFactory(display_name="Rosa")
    client.force_login(resident)

    response = client.post(reverse("account_profile"), {"display_name": "Rosa\u202eesoR"})

    assert response.status_code == 200
    soup = parse(response)
    assert_field_error(soup, "id_display_name", "Remove the hidden character after 'Rosa'")
    assert soup.find(id="id_display_name")["value"] == "Rosa\u202eesoR"
    resident.refresh_from_db()
    assert resident.display_name == "Rosa"


def test_a_moderator_keeps_their_role_in_their_name(client, pcn_site):
    moderator = make_moderator(pcn_site.pcn)
    client.force_login(moderator)
    response = client.post(reverse("account_profile"), {"display_name": "Asha Patel (PPG)"})
    assert response.status_code == 302
    moderator.refresh_from_db()
    assert moderator.display_name == "Asha Patel (PPG)"


def test_the_sign_up_hint_says_what_a_display_name_may_not_be(client, db):
    hint = parse(client.get(reverse("account_signup"))).find(id="id_display_name-hint")
    assert "not a role or an organisation" in text(hint)


# Where the names come from.


def test_home_registers_every_organisation_and_place(pcn_site):
    assert reserved_names in names._reserved_name_sources
    registered = set(reserved_names())
    assert {
        (names.ORGANISATION, "Riverside and Meadowbank PCN"),
        (names.ORGANISATION, "Hillcrest Family Practice"),
        (names.ORGANISATION, "Test ICS"),
        (names.PLACE, "Test Place"),
        (names.PLACE, "Riverside"),
        (names.PLACE, "Hillcrest"),
    } <= registered


def test_checking_a_name_reads_the_names_in_a_few_queries(pcn_site, django_assert_max_num_queries):
    for number in range(30):
        Practice.objects.create(
            pcn=pcn_site.pcn, name=f"Practice {number}", ods_code=f"Y9{number:04d}"
        )
    with django_assert_max_num_queries(5):
        assert refusal("Rosa from Riverside") is None
