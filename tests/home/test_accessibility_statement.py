"""The accessibility statement: in the model statement's layout, naming the PCN and how to
reach it, linked from every page's footer, and claiming only the checks that really run."""

import ast
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from home import accessibility

BROWSER_TESTS = Path(__file__).resolve().parents[1] / "browser"
STATEMENT_URL = "/accessibility/"

# The headings of the government's model accessibility statement.
MODEL_HEADINGS = [
    "How accessible this website is",
    "Feedback and contact information",
    "Reporting accessibility problems with this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "Non-accessible content",
    "Preparation of this accessibility statement",
]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_the_statement_has_the_model_statements_sections(client, home):
    response = client.get(STATEMENT_URL)
    assert response.status_code == 200
    headings = [h.get_text(strip=True) for h in soup_of(response).find_all(["h2", "h3"])]
    for heading in MODEL_HEADINGS:
        assert heading in headings


def test_it_names_the_pcn_and_how_to_reach_it(client, home):
    home.pcn.contact_email = "engage@riverside.example.nhs.uk"
    home.pcn.save()
    page = soup_of(client.get(STATEMENT_URL))
    assert home.pcn.name in page.h1.get_text()
    assert page.find("a", href="mailto:engage@riverside.example.nhs.uk")
    assert "partially compliant" in page.get_text()
    assert "5 December 2026" in page.get_text()


def test_without_a_contact_address_it_sends_people_to_their_practice(client, home):
    home.pcn.contact_email = ""
    home.pcn.save()
    page = soup_of(client.get(STATEMENT_URL))
    assert not page.find("a", href=lambda href: href and href.startswith("mailto:"))
    assert "contact your GP practice" in page.get_text()


def test_a_pcn_name_is_escaped(client, home):
    home.pcn.name = "<script>alert(1)</script> PCN"
    home.pcn.save()
    response = client.get(STATEMENT_URL)
    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)" in response.content


def test_every_page_links_to_it_from_the_footer(client, home):
    footer = soup_of(client.get(home.url)).find("footer")
    assert footer.find("a", href=reverse("home:accessibility-statement"))


def test_it_answers_without_a_pcn_site(client, db):
    response = client.get(STATEMENT_URL)
    assert response.status_code == 200
    assert "contact your GP practice" in response.content.decode()


def test_it_only_reads(client, home):
    assert client.post(STATEMENT_URL).status_code == 405


def _axe_checked_test_modules() -> set[str]:
    """The browser test modules that call axe_check."""
    modules = set()
    for path in BROWSER_TESTS.glob("test_*.py"):
        tree = ast.parse(path.read_text())
        calls = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        if "axe_check" in calls:
            modules.add(path.stem)
    return modules


@pytest.mark.parametrize("journey", accessibility.CHECKED_JOURNEYS, ids=lambda j: j.name)
def test_every_journey_it_says_is_checked_has_a_browser_test_that_runs_axe(journey):
    assert journey.test_module in _axe_checked_test_modules(), (
        f"The accessibility statement says '{journey.name}' is checked with axe, but "
        f"tests/browser/{journey.test_module}.py does not exist or never calls axe_check."
    )
