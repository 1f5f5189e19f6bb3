"""The site's URLs plus a bare Django view: the floor every page is measured against."""

from django.http import HttpResponse
from django.urls import path

from engage.urls import urlpatterns as site_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
