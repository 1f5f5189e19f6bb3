"""The privacy notice: one page per PCN site, written in the admin, linked from every page's
footer and from the sign-up page."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.coreutils import get_dummy_request
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase
from wagtail.test.utils.form_data import nested_form_data, rich_text

from consultations.models import ConsultationIndexPage
from home.models import HomePage, PrivacyNoticePage, VisionPage
from tests.factories import make_admin, make_pcn_site


def add_notice(home, **fields) -> PrivacyNoticePage:
    values = {
        "title": "Privacy notice",
        "slug": "privacy",
        "summary": "We look after your information.",
        "body": "<h2>What we collect</h2><p>Your email address.</p>",
        "last_reviewed": timezone.localdate(),
    }
    values.update(fields)
    notice = home.add_child(instance=PrivacyNoticePage(**values))
    notice.save_revision().publish()
    return notice


class PrivacyNoticeRulesTests(WagtailPageTestCase):
    def test_it_lives_under_a_home_page_and_has_no_children(self):
        self.assertAllowedParentPageTypes(PrivacyNoticePage, {HomePage})
        self.assertCanNotCreateAt(Page, PrivacyNoticePage)
        self.assertCanNotCreateAt(ConsultationIndexPage, PrivacyNoticePage)
        self.assertCanNotCreateAt(VisionPage, PrivacyNoticePage)
        self.assertAllowedSubpageTypes(PrivacyNoticePage, set())

    def test_one_per_home_page(self):
        home, _consultations, _updates = make_pcn_site()
        other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
        self.assertTrue(PrivacyNoticePage.can_create_at(home))
        add_notice(home)
        self.assertFalse(PrivacyNoticePage.can_create_at(home))
        # Another PCN's site still gets its own.
        self.assertTrue(PrivacyNoticePage.can_create_at(other_home))


class PrivacyNoticeAdminTests(WagtailPageTestCase):
    def setUp(self):
        self.home, _consultations, _updates = make_pcn_site()
        # An admin with the authenticator app every admin must have.
        self.client.force_login(make_admin())
        self.dummy_request = get_dummy_request()

    def test_staff_write_it_in_the_admin_and_each_edit_is_a_revision(self):
        self.assertCanCreate(
            self.home,
            PrivacyNoticePage,
            nested_form_data(
                {
                    "title": "How we use your information",
                    "slug": "privacy",
                    "summary": "Riverside PCN is responsible for your information.",
                    "body": rich_text("Your email address, to sign you in."),
                    "last_reviewed": "2026-01-15",
                }
            ),
        )
        notice = PrivacyNoticePage.objects.get(slug="privacy")
        self.assertPageIsRenderable(notice)
        notice.body = "<p>Updated</p>"
        notice.save_revision().publish()
        self.assertEqual(notice.revisions.count(), 2)

    def test_it_needs_a_summary_and_review_date_to_publish(self):
        response = self.client.post(
            reverse("wagtailadmin_pages:add", args=["home", "privacynoticepage", self.home.pk]),
            nested_form_data(
                {
                    "title": "Privacy",
                    "slug": "privacy",
                    "summary": "",
                    "body": rich_text(""),
                    "action-publish": "action-publish",
                }
            ),
        )
        self.assertEqual(response.status_code, 200)
        self.assertLessEqual({"summary", "last_reviewed"}, set(response.context["form"].errors))
        self.assertFalse(PrivacyNoticePage.objects.exists())


def footer_links(response) -> dict[str, str]:
    footer = BeautifulSoup(response.content, "html.parser").select_one("footer")
    return {link.get_text(strip=True): link["href"] for link in footer.select("a")}


@pytest.mark.django_db
def test_every_page_links_to_the_privacy_notice_in_its_footer(client, home, open_consultation):
    notice = add_notice(home)
    for url in (home.url, open_consultation.url, reverse("account_login")):
        assert footer_links(client.get(url))["Privacy notice"] == notice.url


@pytest.mark.django_db
def test_the_notice_is_in_the_footer_not_the_menu(client, home):
    notice = add_notice(home, show_in_menus=True)
    soup = BeautifulSoup(client.get(home.url).content, "html.parser")
    assert notice.url not in [a["href"] for a in soup.select(".nhsuk-header__navigation a")]
    assert list(footer_links(client.get(home.url)).values()).count(notice.url) == 1


@pytest.mark.django_db
def test_the_sign_up_page_links_to_the_notice(client, home):
    notice = add_notice(home)
    soup = BeautifulSoup(client.get(reverse("account_signup")).content, "html.parser")
    link = soup.select_one("main").find("a", string="privacy notice")
    assert link["href"] == notice.url


@pytest.mark.django_db
def test_no_link_while_there_is_no_notice_or_it_is_a_draft(client, home):
    notice = add_notice(home)
    notice.unpublish()
    assert "Privacy notice" not in footer_links(client.get(home.url))
    assert "privacy notice" not in client.get(reverse("account_signup")).content.decode()


@pytest.mark.django_db
def test_a_site_links_to_its_own_notice_only(client, home, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "other.localhost"]
    other_home, _, _ = make_pcn_site(hostname="other.localhost", default=False)
    add_notice(home)
    add_notice(other_home, slug="our-privacy")
    links = footer_links(client.get("/", HTTP_HOST="other.localhost"))
    assert links["Privacy notice"] == "/our-privacy/"


@pytest.mark.django_db
def test_the_notice_page_shows_the_text_and_links_to_the_data_pages(client, home):
    notice = add_notice(home, summary="<b>We</b> care & protect.")
    page = client.get(notice.url).content.decode()
    assert "&lt;b&gt;We&lt;/b&gt; care &amp; protect." in page
    assert "What we collect" in page
    assert reverse("account_data_download") in page
    assert reverse("account_erase") in page


@pytest.mark.django_db
def test_the_notice_adds_no_query_to_a_page(client, home, settings):
    settings.ENGAGE_PAGE_CACHE_SECONDS = 0  # count rendering the page, not reading it back
    client.get(home.url)
    with CaptureQueriesContext(connection) as without:
        client.get(home.url)
    add_notice(home)
    client.get(home.url)  # publishing starts a new cache generation: the chrome is read again
    with CaptureQueriesContext(connection) as with_notice:
        client.get(home.url)
    assert len(with_notice) == len(without)


@pytest.mark.django_db
def test_seed_demo_makes_a_plain_english_notice():
    call_command("seed_demo", allow_without_debug=True, stdout=io.StringIO())
    notice = PrivacyNoticePage.objects.live().get()
    assert notice.get_parent().specific.pcn.name == "Riverside and Meadowbank PCN"
    for words in ("What we collect", "How long we keep it", "Your rights", "ico.org.uk"):
        assert words in notice.body
    assert "engage@riverside-meadowbank.example.org" in notice.body
