"""The links on a consultation page's list of ideas and on an idea's comments: built from one
reversed route per page (`consultations.views.common.SubpageLinks`), they must be the URLs
`routablepageurl` writes, and each must lead to its page."""

import pytest
from bs4 import BeautifulSoup
from django.template import Context, Template
from django.test import RequestFactory

from consultations.views.common import SubpageLinks
from tests.consultations.conftest import make_comment, make_idea
from tests.factories import UserFactory, make_pcn_site


def routable_url(request, page, route, pk) -> str:
    """What the `routablepageurl` template tag writes for this route and id."""
    template = Template("{% load wagtailroutablepage_tags %}{% routablepageurl page route pk %}")
    return template.render(Context({"request": request, "page": page, "route": route, "pk": pk}))


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("pk", [1, 7, 42, 123456789])
@pytest.mark.parametrize(
    "route", ["idea-detail", "comment-create", "comment-edit", "comment-withdraw", "comment-flag"]
)
def test_a_link_is_the_url_routablepageurl_writes(open_consultation, route, pk):
    # A second site makes Wagtail choose between relative and absolute URLs.
    make_pcn_site(hostname="other.localhost", default=False)
    request = RequestFactory().get("/", HTTP_HOST="localhost")
    assert SubpageLinks(request, open_consultation)(route, pk) == routable_url(
        request, open_consultation, route, pk
    )


def test_an_id_goes_in_only_as_a_number(open_consultation):
    links = SubpageLinks(RequestFactory().get("/", HTTP_HOST="localhost"), open_consultation)
    with pytest.raises(ValueError):
        links("idea-detail", "1/../../admin")


def test_each_idea_in_the_list_links_to_its_page(client, open_consultation):
    ideas = [make_idea(open_consultation, UserFactory(), title=f"Idea {n}") for n in range(3)]
    page = soup(client.get(open_consultation.url))
    links = {a.get_text(strip=True): a["href"] for a in page.select("ul[aria-label=Ideas] h3 a")}
    assert set(links) == {idea.title for idea in ideas}
    for idea in ideas:
        assert links[idea.title].endswith(f"/ideas/{idea.pk}/")
        assert idea.title in soup(client.get(links[idea.title])).select_one("h1").get_text()


def test_a_residents_comment_links_lead_to_their_forms(client, open_consultation):
    author, other = UserFactory(), UserFactory()
    idea = make_idea(open_consultation, other, title="Discussed idea")
    theirs = make_comment(idea, other, body="Their comment")
    mine = make_comment(idea, author, body="My reply", parent=theirs)
    client.force_login(author)
    page = soup(client.get(open_consultation.url + f"ideas/{idea.pk}/"))

    def hrefs(comment) -> dict[str, str]:
        article = page.select_one(f"article#comment-{comment.pk}")
        return {a.get_text(" ", strip=True).split(" ")[0]: a["href"] for a in article.select("a")}

    base = open_consultation.url
    assert hrefs(theirs) == {
        "Reply": f"{base}ideas/{idea.pk}/comments/?reply_to={theirs.pk}",
        "Report": f"{base}comments/{theirs.pk}/flag/",
    }
    assert hrefs(mine) == {
        "Edit": f"{base}comments/{mine.pk}/edit/",
        "Withdraw": f"{base}comments/{mine.pk}/withdraw/",
    }
    for url in (*hrefs(theirs).values(), *hrefs(mine).values()):
        assert client.get(url).status_code == 200, url
