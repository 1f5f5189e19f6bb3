"""Wagtail's admin screens, kept within the PCN boundary (`home.admin_scope`).

Wagtail decides what a person may *do* from their permissions, but several screens *show*
things without asking: the page chooser's parent page and chosen pages, the confirmation of
a bulk action (which names every object it was given, allowed or not), the filters of page
listings and reports (every owner, editor, requester and locker in the installation), the
page types report (the last edited page of every type), the tag autocomplete and the images
and documents API. Where Wagtail offers a hook the hook is used (home/wagtail_hooks.py); the
views here are the screens it offers none for, each subclassing Wagtail's own and saying why.

- Pages: `PcnPageViewSet`, registered for every page type in place of Wagtail's base page
  viewset (Wagtail's supported way to customise the page admin), refuses any page screen
  for a page outside the person's PCNs, and scopes its listings' filters.
- The page chooser, bulk actions, reports, the forms listing and the tag autocomplete have
  no viewset: they are replaced at their URLs (home/admin_urls.py, included before Wagtail's
  admin in engage/urls.py).
- Snippets and the admin API: their viewsets and endpoints, through the viewset's
  `chooser_viewset_class` and the `construct_admin_api` hook.
"""

import functools

import django_filters
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.forms import CheckboxSelectMultiple
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.filters import FilteredModelChoiceFilter, MultipleUserFilter
from wagtail.admin.views import chooser
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.views.page_privacy import SetPrivacyView
from wagtail.admin.views.pages.listing import EditedByFilter, GenericPageFilterSet, SiteFilter
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
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.contrib.forms.views import FormPageFilterSet, FormPagesListView
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.documents.views.documents import IndexView as DocumentsIndexView
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views.chooser import ImageChooseView
from wagtail.images.views.chooser import viewset as image_chooser_viewset
from wagtail.images.views.images import ImagesFilterSet
from wagtail.images.views.images import IndexView as ImagesIndexView
from wagtail.models import Page, PageLogEntry, Task, Workflow, WorkflowState
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
    SnippetCreateView,
)

from home.admin_scope import (
    admin_groups,
    admin_may_see_page,
    admin_page_q,
    admin_pages,
    admin_sites,
    admin_users,
    admin_visible,
)

# Pages: every screen of the page admin


def _users(request, among):
    """The people of `among` (a queryset of user ids) whose names this person may see."""
    return admin_users(user=request.user).filter(pk__in=among).order_by("username")


def _page_owners(request):
    return _users(request, admin_pages(user=request.user).values("owner_id"))


def _page_editors(request):
    edits = PageLogEntry.objects.filter(action="wagtail.edit")
    q = admin_page_q(user=request.user, prefix="page__")
    if q is not None:
        edits = edits.filter(q)
    return _users(request, edits.values("user_id"))


def _sites(request):
    return admin_sites(user=request.user)


def _owner_filter():
    return MultipleUserFilter(
        label=_("Owner"), queryset=_page_owners, widget=CheckboxSelectMultiple
    )


def _edited_by_filter():
    return EditedByFilter(
        label=_("Edited by"), queryset=_page_editors, widget=CheckboxSelectMultiple
    )


def _site_filter():
    return SiteFilter(label=_("Site"), queryset=_sites, widget=CheckboxSelectMultiple)


class PcnPageFilterSet(GenericPageFilterSet):
    """The explorer's filters, offering only the person's own PCNs' owners, editors and sites
    (Wagtail's offer everyone who owns or edited any page, and every site)."""

    owner = _owner_filter()
    edited_by = _edited_by_filter()
    site = _site_filter()


class PcnFormPageFilterSet(FormPageFilterSet):
    """The forms listing's filters, scoped as the explorer's."""

    owner = _owner_filter()
    edited_by = _edited_by_filter()
    site = _site_filter()


class PcnSetPrivacyView(SetPrivacyView):
    """Page privacy offers the groups of the person's PCNs only (Wagtail offers every group,
    named after every PCN); groups already chosen stay, so saving keeps them."""

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        groups = admin_groups(user=self.request.user)
        if self.restriction is not None:
            groups = groups | self.restriction.groups.all()
        form.fields["groups"].queryset = groups.distinct().order_by("name")
        return form


# The URL arguments of Wagtail's page screens that name a page.
_PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "destination_id", "pk")


def _within_pcn_boundary(view):
    """Refuse (as Wagtail refuses: back to the dashboard) a page screen whose page, parent or
    destination is outside the person's PCNs, before Wagtail's view shows anything of it."""

    @functools.wraps(view)
    def bounded(request, *args, **kwargs):
        page_ids = [kwargs[name] for name in _PAGE_ID_KWARGS if name in kwargs]
        if page_ids:
            pages = Page.objects.filter(pk__in=page_ids)
            if len(pages) != len(set(page_ids)):
                raise Http404
            if not all(admin_may_see_page(user=request.user, page=page) for page in pages):
                raise PermissionDenied
        return view(request, *args, **kwargs)

    return bounded


class PcnPageViewSet(PageViewSet):
    """Wagtail's page admin (explorer, search, add, edit, preview, history, revisions,
    compare, usage, copy, move, lock, privacy, delete, unpublish and the workflow screens),
    for pages of the person's own PCNs only.

    Registered for `Page` (so for every page type) through the `register_admin_viewset` hook,
    after Wagtail's own base viewset, which it replaces. Every view it builds is wrapped by
    `_within_pcn_boundary`: some of Wagtail's page screens show a page before asking whether
    the person may act on it (the move confirmation, the workflow cancellation), and none
    knows about PCNs. The listings (explorer, search, pages of a type) list the pages the
    person may explore, which Wagtail works out from their page permissions (granted on their
    own PCN's home page only: home.services) and `construct_explorer_page_queryset` narrows
    to their PCNs; their filters of owners, editors and sites are the PCNs' own.
    """

    filterset_class = PcnPageFilterSet
    set_privacy_view_class = PcnSetPrivacyView

    def construct_view(self, view_class, **kwargs):
        return _within_pcn_boundary(super().construct_view(view_class, **kwargs))


# The page chooser


class PageChooserBrowseView(chooser.BrowseView):
    """The page chooser's browser (`construct_page_chooser_queryset` already keeps its list
    of pages to the person's PCNs). Wagtail's view also shows the page being browsed, and
    opens on the first common ancestor of every page of the wanted type in the installation:
    here another PCN's page is not found, and the chooser opens where the person's own pages
    of that type are."""

    def get(self, request, parent_page_id=None):
        user = request.user
        if parent_page_id is not None:
            parent = Page.objects.filter(pk=parent_page_id).first()
            if parent is None or not admin_may_see_page(user=user, page=parent):
                raise Http404
        elif not user.is_superuser:
            page_type = request.GET.get("page_type") or "wagtailcore.page"
            try:
                desired = chooser.page_models_from_string(page_type)
            except (ValueError, LookupError) as error:
                raise Http404 from error
            if desired != (Page,):
                pages = admin_pages(user=user).type(*desired)
                parent = pages.first_common_ancestor() if pages.exists() else None
                parent_page_id = (parent or Page.get_first_root_node()).pk
        return super().get(request, parent_page_id)


class PageChooserChosenMultipleView(chooser.ChosenMultipleView):
    """Several pages chosen at once: Wagtail answers with the title and URL of any page id
    it is given; here only the person's own PCNs' pages are found."""

    def get(self, request):
        visible = admin_pages(user=request.user).filter(pk__in=request.GET.getlist("id"))
        request.GET = request.GET.copy()
        request.GET.setlist("id", [str(pk) for pk in visible.values_list("pk", flat=True)])
        return super().get(request)


# Bulk actions


class PcnBoundaryBulkActionMixin:
    """A bulk action (for pages, images, documents, people, snippets) that acts on, and names
    in its confirmation, only the objects the person may see in the admin. Wagtail's names
    every object it was given, listing those the person may not act on as such."""

    def get_actionable_objects(self):
        # Decided once: the action asks again after it has run (when deleted objects are
        # no longer there to be seen).
        if not hasattr(self, "_within_pcn_boundary"):
            objects, extra = super().get_actionable_objects()
            refused = extra.get("items_with_no_access", [])
            everything = [*objects, *refused]
            visible = set(
                admin_visible(
                    self.model._default_manager.filter(pk__in=[obj.pk for obj in everything]),
                    user=self.request.user,
                ).values_list("pk", flat=True)
            )
            if everything and not visible:
                raise Http404
            extra = {**extra, "items_with_no_access": [o for o in refused if o.pk in visible]}
            self._within_pcn_boundary = ([o for o in objects if o.pk in visible], extra)
        objects, extra = self._within_pcn_boundary
        return list(objects), dict(extra)


@functools.cache
def _bounded_bulk_action(action_class):
    return type(
        action_class.__name__,
        (PcnBoundaryBulkActionMixin, action_class),
        {"__module__": __name__, "__doc__": action_class.__doc__},
    )


def bulk_action(request, app_label, model_name, action):
    """Wagtail's bulk action dispatcher (`/admin/bulk/<app>/<model>/<action>/`), with every
    action, present and future, kept within the PCN boundary. Wagtail has a hook before and
    after a bulk action runs, but none for what its confirmation screen shows."""
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as error:
        raise Http404 from error
    action_class = bulk_action_registry.get_bulk_action_class(app_label, model_name, action)
    if action_class is None:
        raise Http404
    return _bounded_bulk_action(action_class)(request, model).dispatch(request)


# Reports


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
    return _users(request, WorkflowState.objects.values("requested_by_id"))


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
    return _users(request, Page.objects.filter(locked=True).values("locked_by_id"))


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


# Forms


class PcnFormPagesListView(FormPagesListView):
    """The forms listing (its pages come through `filter_form_submissions_for_user`); its
    filters offered every page owner and editor."""

    filterset_class = PcnFormPageFilterSet


# Tags


def tag_autocomplete(request, app_name=None, model_name=None):
    """Wagtail's tag autocomplete offers every tag in the installation; here only the tags of
    the images, documents (and anything else tagged) the person may see."""
    if app_name and model_name:
        try:
            content_type = ContentType.objects.get_by_natural_key(app_name, model_name)
        except ContentType.DoesNotExist as error:
            raise Http404 from error
        if content_type.model_class() is not Tag:
            raise Http404
    term = request.GET.get("term", "")
    if not term:
        return JsonResponse([], safe=False)
    tags = Tag.objects.filter(name__istartswith=term)
    if not request.user.is_superuser:
        tags = tags.filter(pk__in=_visible_tag_ids(request.user))
    names = tags.order_by("name").values_list("name", flat=True)[:10]
    return JsonResponse(list(names), safe=False)


def _visible_tag_ids(user) -> set[int]:
    ids = set()
    tagged = TaggedItem.objects.values_list("content_type", flat=True).distinct()
    for content_type in ContentType.objects.filter(pk__in=tagged):
        model = content_type.model_class()
        if model is None:
            continue
        objects = admin_visible(model._default_manager.all(), user=user).values("pk")
        ids.update(
            TaggedItem.objects.filter(content_type=content_type, object_id__in=objects).values_list(
                "tag_id", flat=True
            )
        )
    return ids


# Images and documents: the uploads themselves are Wagtail's, scoped by the PCN's own
# collection (home.services.pcn_collection_setup); their popular tags were everyone's.


def popular_tags(model, *, user, count=10):
    """Wagtail's `popular_tags_for_model`, counting only the objects the person may see."""
    content_type = ContentType.objects.get_for_model(model)
    visible = admin_visible(model._default_manager.all(), user=user).values("pk")
    return (
        Tag.objects.filter(
            taggit_taggeditem_items__content_type=content_type,
            taggit_taggeditem_items__object_id__in=visible,
        )
        .annotate(item_count=Count("taggit_taggeditem_items"))
        .order_by("-item_count", "name")[:count]
    )


class _PopularTagsWithinPcnBoundary:
    """A media listing's filters, whose tag filter offers the person's own uploads' tags."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "tag" not in self.filters:
            return
        tags = popular_tags(self._meta.model, user=self.request.user)
        if tags:
            self.filters["tag"].extra["choices"] = [(tag.name, tag.name) for tag in tags]
        else:
            del self.filters["tag"]


class PcnImagesFilterSet(_PopularTagsWithinPcnBoundary, ImagesFilterSet):
    pass


class PcnDocumentsFilterSet(_PopularTagsWithinPcnBoundary, DocumentsFilterSet):
    pass


class PcnImagesIndexView(ImagesIndexView):
    """The images listing: its images were the person's collections'; its tag filter offered
    the most used tags of every image in the installation."""

    filterset_class = PcnImagesFilterSet


class PcnDocumentsIndexView(DocumentsIndexView):
    """The documents listing, as the images listing."""

    filterset_class = PcnDocumentsFilterSet


class PcnImageChooseView(ImageChooseView):
    """The image chooser: its images were the person's collections'; its tags were the most
    used of every image in the installation."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = popular_tags(self.model, user=self.request.user)
        return context


def image_choose_view():
    """The image chooser's first screen, made by Wagtail's image chooser viewset as it makes
    its own (the chooser's other screens are Wagtail's)."""
    viewset = image_chooser_viewset
    return viewset.construct_view(
        PcnImageChooseView,
        icon=viewset.icon,
        page_title=viewset.page_title,
        search_tab_label=viewset.search_tab_label,
        creation_tab_label=viewset.creation_tab_label,
    )


# Snippets: choosers


class _ScopedChooserMixin:
    def get_object_list(self):
        return admin_visible(super().get_object_list(), user=self.request.user)


class PcnSnippetChooseView(_ScopedChooserMixin, ChooseView):
    pass


class PcnSnippetChooseResultsView(_ScopedChooserMixin, ChooseResultsView):
    pass


class PcnSnippetChosenView(SnippetChosenView):
    def get_object(self, pk):
        queryset = admin_visible(self.model_class._default_manager.all(), user=self.request.user)
        try:
            return queryset.get(pk=pk)
        except ObjectDoesNotExist as error:
            raise Http404 from error


class PcnSnippetChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return admin_visible(
            self.model_class._default_manager.filter(pk__in=pks), user=self.request.user
        )


class PcnSnippetCreateView(SnippetCreateView):
    """Creating from the chooser: Wagtail's (it needs the model's add permission, and the
    new object is the person's own), part of the chooser like its other screens."""


class PcnSnippetChooserViewSet(SnippetChooserViewSet):
    """A snippet chooser that offers, and accepts, only the person's PCNs' objects: Wagtail's
    is open to anyone with admin access, whatever their permissions on the model."""

    choose_view_class = PcnSnippetChooseView
    choose_results_view_class = PcnSnippetChooseResultsView
    chosen_view_class = PcnSnippetChosenView
    chosen_multiple_view_class = PcnSnippetChosenMultipleView
    create_view_class = PcnSnippetCreateView


# The admin API (the explorer menu and choosers read it)


class PcnPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=admin_pages(user=self.request.user))


class PcnImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """Wagtail's admin API lists every image to anyone with admin access."""

    def get_queryset(self):
        return admin_visible(super().get_queryset(), user=self.request.user)


class PcnDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """Wagtail's admin API lists every document to anyone with admin access."""

    def get_queryset(self):
        return admin_visible(super().get_queryset(), user=self.request.user)
