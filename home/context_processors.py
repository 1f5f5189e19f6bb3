from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.functional import SimpleLazyObject
from wagtail.models import Site

from home.models import HomePage


def _site_links(request, home) -> dict:
    """The home page's live children, in one query: those in the menu, and the privacy
    notice (linked from the footer and the sign-up page, never repeated in the menu)."""
    if not hasattr(request, "_engage_site_links"):
        is_privacy_notice = ExpressionWrapper(
            Q(content_type__app_label="home", content_type__model="privacynoticepage"),
            output_field=BooleanField(),
        )
        children = list(
            home.get_children().live().public().annotate(is_privacy_notice=is_privacy_notice)
        )
        request._engage_site_links = {
            "navigation": [
                page for page in children if page.show_in_menus and not page.is_privacy_notice
            ],
            "privacy_notice": next((page for page in children if page.is_privacy_notice), None),
        }
    return request._engage_site_links


def site_pcn(request):
    """The PCN whose site this request is for, its home page, navigation and privacy notice.

    Every template's header, navigation and footer need these; two queries a request at
    most, whatever the size of the site.
    """
    if not hasattr(request, "_engage_site_home"):
        site = Site.find_for_request(request)
        home = None
        if site is not None:
            home = (
                HomePage.objects.select_related("pcn__place").filter(pk=site.root_page_id).first()
            )
        request._engage_site_home = home
    home = request._engage_site_home
    if home is None:
        return {
            "site_home": None,
            "site_pcn": None,
            "site_navigation": [],
            "site_privacy_notice": None,
        }
    return {
        "site_home": home,
        "site_pcn": home.pcn,
        "site_navigation": SimpleLazyObject(lambda: _site_links(request, home)["navigation"]),
        "site_privacy_notice": SimpleLazyObject(
            lambda: _site_links(request, home)["privacy_notice"]
        ),
    }
