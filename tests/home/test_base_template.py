"""Every public page shares one NHS.UK base template."""

from bs4 import BeautifulSoup

from tests.factories import make_consultation


def test_base_template_has_skip_link_header_navigation_and_footer(client, home, consultation_index):
    consultation_index.show_in_menus = True
    consultation_index.save()
    consultation = make_consultation(consultation_index)
    soup = BeautifulSoup(client.get(consultation.url).content, "html.parser")

    skip = soup.select_one("a.nhsuk-skip-link")
    assert skip["href"] == "#maincontent"
    assert soup.select_one("main#maincontent")
    assert home.pcn.name in soup.select_one("header.nhsuk-header").get_text()
    nav = soup.select_one("nav.nhsuk-header__navigation")
    current = nav.select_one(".nhsuk-header__navigation-item--current a")
    assert current.get_text(strip=True) == "Consultations"
    assert current["aria-current"] == "true"
    crumbs = [a.get_text(strip=True) for a in soup.select(".nhsuk-breadcrumb__link")]
    assert crumbs == ["Home", "Consultations"]
    assert soup.select_one("footer.nhsuk-footer")
    assert soup.html["lang"] == "en-GB"
    assert soup.select_one('link[href$="nhsuk-frontend.min.css"]')


def test_no_inline_scripts(client, home):
    soup = BeautifulSoup(client.get(home.url).content, "html.parser")
    assert all(script.get("src") for script in soup.find_all("script"))
