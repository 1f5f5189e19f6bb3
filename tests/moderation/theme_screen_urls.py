"""The site's URLs, plus the theme screens mounted where nothing shadows them.

In the real admin, "/admin/moderation/themes/<pk>/" and "/admin/moderation/theme/<pk>/" are
the same view classes behind the same admin check, independent of the site's URL order.
These routes run the same view classes behind the same admin access check, so the screens'
behaviour can be tested while that is fixed.
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
