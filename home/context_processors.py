from wagtail.models import Site

from home.models import HomePage


def site_pcn(request):
    """The PCN whose site this request is for, its home page and its navigation.

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
        return {"site_home": None, "site_pcn": None, "site_navigation": []}
    return {
        "site_home": home,
        "site_pcn": home.pcn,
        "site_navigation": home.get_children().live().public().in_menu(),
    }
