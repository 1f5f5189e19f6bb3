"""Images, documents and tags: listings, filters, the image chooser, the tag autocomplete and
the images and documents API, each within the PCN boundary."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.http import Http404, JsonResponse
from taggit.models import Tag, TaggedItem
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.documents.views.documents import DocumentsFilterSet
from wagtail.documents.views.documents import IndexView as DocumentsIndexView
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.images.views.chooser import ImageChooseView
from wagtail.images.views.chooser import viewset as image_chooser_viewset
from wagtail.images.views.images import ImagesFilterSet
from wagtail.images.views.images import IndexView as ImagesIndexView

from home.admin_scope import (
    admin_visible,
)

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


class PcnImagesAdminAPIViewSet(ImagesAdminAPIViewSet):
    """Wagtail's admin API lists every image to anyone with admin access."""

    def get_queryset(self):
        return admin_visible(super().get_queryset(), user=self.request.user)


class PcnDocumentsAdminAPIViewSet(DocumentsAdminAPIViewSet):
    """Wagtail's admin API lists every document to anyone with admin access."""

    def get_queryset(self):
        return admin_visible(super().get_queryset(), user=self.request.user)
