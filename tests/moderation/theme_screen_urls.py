"""The site's URLs plus the theme screens at fixed test paths.

The theme screen tests use these paths so they exercise the same view classes behind the
same admin access check, whatever the site's own URL layout.
"""

from django.urls import path
from wagtail.admin.auth import require_admin_access

from consultations import admin_views
from engage.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path(
        "theme-screens/themes/<int:pk>/",
        require_admin_access(admin_views.ThemeListView.as_view()),
    ),
    path(
        "theme-screens/theme/<int:pk>/",
        require_admin_access(admin_views.ThemeEditView.as_view()),
    ),
    *site_urlpatterns,
]
