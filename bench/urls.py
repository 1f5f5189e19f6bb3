"""The site's URLs plus an empty view: what every request costs before a page is read,
through the whole middleware stack. (The bare Django floor is a site of its own:
bench/bare_settings.py.)"""

from django.http import HttpResponse
from django.urls import path

from engage.urls import urlpatterns as site_urlpatterns


def empty(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/empty/", empty), *site_urlpatterns]
