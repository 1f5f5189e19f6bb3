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


def test_wagtail_userbar_is_for_people_with_a_role_and_asks_nothing_of_residents(home, monkeypatch):
    """Wagtail's bar (edit this page) shows for someone who may use the admin; a resident
    is not even asked whether they may (a permissions query on each of their pages)."""
    from django.test import Client

    from engage.models import User
    from tests.factories import UserFactory, make_staff

    asked = []
    has_perm = User.has_perm

    def recording_has_perm(user, perm, obj=None):
        asked.append((user.pk, perm))
        return has_perm(user, perm, obj)

    monkeypatch.setattr(User, "has_perm", recording_has_perm)

    def page_as(user):
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        return client.get(home.url).content.decode()

    resident, staff = UserFactory(), make_staff(home.pcn)
    resident_page, staff_page = page_as(resident), page_as(staff)
    assert "wagtail-userbar" in staff_page
    assert (staff.pk, "wagtailadmin.access_admin") in asked
    assert "wagtail-userbar" not in resident_page
    assert (resident.pk, "wagtailadmin.access_admin") not in asked
