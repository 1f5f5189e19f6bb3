"""Wagtail admin screens replaced at their own addresses, to keep them within the PCN
boundary (home/admin_views/ says why each is replaced).

engage/urls.py includes these before Wagtail's admin, so the same address reaches these
views first; Wagtail's URL names (`wagtailadmin_choose_page`, `wagtailadmin_reports:...`)
still reverse to the same addresses. They are wrapped as Wagtail wraps its own admin views:
admin access required, Wagtail's "not found" page, never cached.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.urls import display_custom_404
from wagtail.utils.urlpatterns import decorate_urlpatterns

from home.admin_views import bulk_actions, media, pages, reports

app_name = "pcn_admin"

_screens = [
    # The page chooser (its search is Wagtail's, through construct_page_chooser_queryset).
    path("choose-page/", pages.PageChooserBrowseView.as_view(), name="choose-page"),
    path(
        "choose-page/<int:parent_page_id>/",
        pages.PageChooserBrowseView.as_view(),
        name="choose-page-child",
    ),
    path(
        "choose-page/chosen-multiple/",
        pages.PageChooserChosenMultipleView.as_view(),
        name="choose-page-chosen-multiple",
    ),
    # Bulk actions on pages, images, documents, people and snippets.
    path(
        "bulk/<str:app_label>/<str:model_name>/<str:action>/",
        bulk_actions.bulk_action,
        name="bulk-action",
    ),
    # Reports (aging pages is Wagtail's: its rows and filters are the person's own pages).
    path("reports/locked/", reports.PcnLockedPagesView.as_view(), name="locked-pages"),
    path(
        "reports/locked/results/",
        reports.PcnLockedPagesView.as_view(results_only=True),
        name="locked-pages-results",
    ),
    path("reports/workflow/", reports.PcnWorkflowView.as_view(), name="workflow"),
    path(
        "reports/workflow/results/",
        reports.PcnWorkflowView.as_view(results_only=True),
        name="workflow-results",
    ),
    path(
        "reports/workflow_tasks/",
        reports.PcnWorkflowTasksView.as_view(),
        name="workflow-tasks",
    ),
    path(
        "reports/workflow_tasks/results/",
        reports.PcnWorkflowTasksView.as_view(results_only=True),
        name="workflow-tasks-results",
    ),
    path("reports/site-history/", reports.PcnLogEntriesView.as_view(), name="site-history"),
    path(
        "reports/site-history/results/",
        reports.PcnLogEntriesView.as_view(results_only=True),
        name="site-history-results",
    ),
    path(
        "reports/page-types-usage/",
        reports.PcnPageTypesUsageReportView.as_view(),
        name="page-types-usage",
    ),
    path(
        "reports/page-types-usage/results/",
        reports.PcnPageTypesUsageReportView.as_view(results_only=True),
        name="page-types-usage-results",
    ),
    # The forms listing (wagtail.contrib.forms).
    path("forms/", pages.PcnFormPagesListView.as_view(), name="forms"),
    path(
        "forms/results/",
        pages.PcnFormPagesListView.as_view(results_only=True),
        name="forms-results",
    ),
    # The images and documents listings and the image chooser (their tags).
    path("images/", media.PcnImagesIndexView.as_view(), name="images"),
    path(
        "images/results/",
        media.PcnImagesIndexView.as_view(results_only=True),
        name="images-results",
    ),
    path("images/chooser/", media.image_choose_view(), name="image-chooser"),
    path("documents/", media.PcnDocumentsIndexView.as_view(), name="documents"),
    path(
        "documents/results/",
        media.PcnDocumentsIndexView.as_view(results_only=True),
        name="documents-results",
    ),
    # The tag autocomplete.
    path("tag-autocomplete/", media.tag_autocomplete, name="tag-autocomplete"),
    path(
        "tag-autocomplete/<slug:app_name>/<slug:model_name>/",
        media.tag_autocomplete,
        name="tag-model-autocomplete",
    ),
]

urlpatterns = decorate_urlpatterns(_screens, require_admin_access)
urlpatterns = decorate_urlpatterns(urlpatterns, display_custom_404)
urlpatterns = decorate_urlpatterns(urlpatterns, never_cache)
