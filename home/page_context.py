"""What home adds to its own pages' context (`home.pages.page_context_register`), registered
in `HomeConfig.ready()`."""

from home.models import VisionPage
from home.page_cache import site_content_memo
from home.pages import page_links, request_site_id


def home_page_context(*, page, request) -> dict:
    """The home page's link to the shared vision, if it has a live, public one: kept until
    the site's content changes (`site_content_memo`), as a plain title and address."""

    def vision_link():
        links = page_links(VisionPage.objects.live().public().child_of(page)[:1], request=request)
        return links[0] if links else None

    name = f"vision-link:{request_site_id(request)}"
    return {"vision": site_content_memo(home=page, name=name, compute=vision_link)}
