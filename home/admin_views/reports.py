"""Reports (site history, workflows, locked pages, page types) with filters that offer only the
person's own PCNs' people, workflows and pages."""

import django_filters
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import FilteredModelChoiceFilter
from wagtail.admin.views.reports.audit_logging import (
    LogEntriesView,
    SiteHistoryReportFilterSet,
)
from wagtail.admin.views.reports.locked_pages import LockedPagesReportFilterSet, LockedPagesView
from wagtail.admin.views.reports.page_types_usage import (
    PageTypesUsageReportFilterSet,
    PageTypesUsageReportView,
)
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
)
from wagtail.models import Page, Task, Workflow, WorkflowState

from home.admin_scope import (
    admin_page_q,
    admin_sites,
    admin_users,
)
from home.admin_views.pages import people_among


class PcnSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        """Wagtail 8 offers everyone who wrote any log entry; here, the person's colleagues."""
        return admin_users(user=self.request.user).filter(
            pk__in=super().get_users_queryset().values("pk")
        )


class PcnLogEntriesView(LogEntriesView):
    """Site history: the entries were already those of pages the person may explore; the
    filter of people was everyone."""

    filterset_class = PcnSiteHistoryFilterSet


def _workflows(request):
    """The workflows of the person's PCNs' pages."""
    q = admin_page_q(user=request.user, prefix="workflow_pages__page__")
    return Workflow.objects.all() if q is None else Workflow.objects.filter(q).distinct()


def _tasks(request):
    return Task.objects.filter(workflow_tasks__workflow__in=_workflows(request)).distinct()


def _requesters(request):
    return people_among(request, WorkflowState.objects.values("requested_by_id"))


class PcnWorkflowReportFilterSet(WorkflowReportFilterSet):
    requested_by = django_filters.ModelChoiceFilter(field_name="requested_by", queryset=_requesters)
    workflow = django_filters.ModelChoiceFilter(
        field_name="workflow", queryset=_workflows, label=_("Workflow")
    )


class PcnWorkflowView(WorkflowView):
    """The workflow report: its rows were the person's editable pages; its filters offered
    every requester and workflow."""

    filterset_class = PcnWorkflowReportFilterSet


class PcnWorkflowTasksReportFilterSet(WorkflowTasksReportFilterSet):
    workflow = django_filters.ModelChoiceFilter(
        field_name="workflow_state__workflow", queryset=_workflows, label=_("Workflow")
    )
    task = FilteredModelChoiceFilter(
        queryset=_tasks, filter_field="id_workflow", filter_accessor="workflows"
    )


class PcnWorkflowTasksView(WorkflowTasksView):
    filterset_class = PcnWorkflowTasksReportFilterSet


def _lockers(request):
    return people_among(request, Page.objects.filter(locked=True).values("locked_by_id"))


class PcnLockedPagesReportFilterSet(LockedPagesReportFilterSet):
    locked_by = django_filters.ModelChoiceFilter(
        label=_("Locked by"), empty_label=_("Anyone"), field_name="locked_by", queryset=_lockers
    )


class PcnLockedPagesView(LockedPagesView):
    """Locked pages: the rows were the person's editable pages; the filter offered everyone
    who had locked any page."""

    filterset_class = PcnLockedPagesReportFilterSet


class PcnPageTypesUsageReportFilterSet(PageTypesUsageReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        sites = admin_sites(user=self.request.user).select_related("root_page")
        self.sites = {site.pk: site for site in sites}
        if "site" in self.filters:
            if len(self.sites) < 2:
                self.sites_filter_enabled = False
                del self.filters["site"]
            else:
                self.filters["site"].extra["choices"] = [
                    (site.root_page.path, str(site)) for site in sites
                ]


class PcnPageTypesUsageReportView(PageTypesUsageReportView):
    """Page types usage: Wagtail counts every page of each type in the installation and names
    the last edited one; here only the person's PCNs' pages are counted and named."""

    filterset_class = PcnPageTypesUsageReportFilterSet

    def get_queryset(self):
        queryset = super().get_queryset()
        q = admin_page_q(user=self.request.user)
        if q is None:
            return queryset
        language_code = self.filters.form.cleaned_data.get("page_locale", None)
        site_root_path = self.filters.form.cleaned_data.get("site", None)
        pages = Page.objects.filter(q)
        if language_code:
            pages = pages.filter(locale__language_code=language_code)
        if site_root_path:
            pages = pages.filter(path__startswith=site_root_path)
        latest = pages.filter(content_type=OuterRef("pk")).order_by(
            F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk"
        )
        return queryset.annotate(
            count=Count("pages", filter=Q(pages__in=pages)),
            last_edited_page_id=Subquery(latest.values("pk")[:1]),
        ).order_by("-count", "app_label", "model")
