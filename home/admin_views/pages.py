"""The page admin within the PCN boundary: every page screen (`PcnPageViewSet`), the explorer's
and the forms listing's filters, the privacy setting, the page chooser and the pages API."""

import functools

from django.core.exceptions import PermissionDenied
from django.forms import CheckboxSelectMultiple
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.filters import MultipleUserFilter
from wagtail.admin.views import chooser
from wagtail.admin.views.page_privacy import SetPrivacyView
from wagtail.admin.views.pages.listing import EditedByFilter, GenericPageFilterSet, SiteFilter
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.contrib.forms.views import FormPageFilterSet, FormPagesListView
from wagtail.models import Page, PageLogEntry

from home.admin_scope import (
    admin_groups,
    admin_may_see_page,
    admin_page_q,
    admin_pages,
    admin_sites,
    admin_users,
)

# Pages: every screen of the page admin


def people_among(request, among):
    """The people of `among` (a queryset of user ids) whose names this person may see."""
    return admin_users(user=request.user).filter(pk__in=among).order_by("username")


def _page_owners(request):
    return people_among(request, admin_pages(user=request.user).values("owner_id"))


def _page_editors(request):
    edits = PageLogEntry.objects.filter(action="wagtail.edit")
    q = admin_page_q(user=request.user, prefix="page__")
    if q is not None:
        edits = edits.filter(q)
    return people_among(request, edits.values("user_id"))


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


# Forms


class PcnFormPagesListView(FormPagesListView):
    """The forms listing (its pages come through `filter_form_submissions_for_user`); its
    filters offered every page owner and editor."""

    filterset_class = PcnFormPageFilterSet


# The admin API (the explorer menu and choosers read it)


class PcnPagesAdminAPIViewSet(PagesAdminAPIViewSet):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=admin_pages(user=self.request.user))
