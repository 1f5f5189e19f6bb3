"""The bare Django site's one view."""

from django.http import HttpResponse
from django.urls import path


def empty(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", empty)]
