from home.site_cache import site_chrome


def site_pcn(request):
    """The PCN whose site this request is for, its home page, navigation and privacy notice.

    Every template's header, navigation and footer need these; they come from the
    site's cached chrome (`home.site_cache`), so no query in most requests.
    """
    chrome = site_chrome(request)
    return {
        "site_home": chrome.home,
        "site_pcn": chrome.pcn,
        "site_navigation": chrome.navigation,
        "site_privacy_notice": chrome.privacy_notice,
    }
