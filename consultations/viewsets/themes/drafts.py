"""Drafts of "what we heard": the moderator's screen for a theme's draft, and a consultation's.

Custom: a draft is made by a background task and approved through a service
(`consultations.summaries`); its points are rows of another model, each checked against the
post it cites. No Wagtail edit screen or bulk action picks, reorders and trims rows of a
child model under a rule like "only the resident's own words", so it is a screen inside the
theme viewset's URLs, behind the same permission policy and the PCN check.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from consultations import permissions, summaries
from consultations.models import PostStatus, SummaryDraft, Theme
from consultations.viewsets.themes.screens import _ThemeScreen

IDEAS_SHOWN = 200


class _DraftScreen(_ThemeScreen):
    template_name = "consultations/themes/draft.html"
    theme = None

    def load(self, request, pk):
        raise NotImplementedError

    def drafts(self):
        drafts = SummaryDraft.objects.filter(consultation=self.consultation)
        if self.theme is None:
            return drafts.filter(theme__isnull=True)
        return drafts.filter(theme=self.theme)

    def context(self, *, typed=None, errors=None, problem=""):
        drafts = self.drafts()
        latest = drafts.exclude(status=SummaryDraft.Status.SUPERSEDED).first()
        published = drafts.filter(status=SummaryDraft.Status.APPROVED).first()
        points = []
        if latest is not None:
            points = list(
                latest.points.select_related("idea", "comment").order_by("sort_order", "pk")
            )
            for point in points:
                key = str(point.pk)
                shown = (typed or {}).get(point.pk)
                point.shown_text = shown["text"] if shown else point.text
                point.shown_order = shown["order"] if shown else point.sort_order + 1
                point.shown_chosen = shown["chosen"] if shown else point.chosen
                point.errors = (errors or {}).get(key, [])
                point.stands = point.still_stands()
        ideas = []
        if self.theme is not None:
            ideas = self.theme.ideas.filter(status=PostStatus.PUBLISHED).order_by("pk")[
                :IDEAS_SHOWN
            ]
        return self.get_context_data(
            consultation=self.consultation,
            theme=self.theme,
            draft=latest,
            published=published,
            points=points,
            ideas=ideas,
            problem=problem,
            has_errors=bool(errors) or bool(problem),
        )

    def get(self, request, pk):
        self.load(request, pk)
        return self.render_to_response(self.context())

    def post(self, request, pk):
        self.load(request, pk)
        action = request.POST.get("action")
        if action == "request":
            summaries.summary_draft_request(
                consultation=self.consultation, theme=self.theme, user=request.user
            )
            messages.success(
                request, "A draft is being prepared. Refresh this page in a moment to see it."
            )
            return redirect(request.path)
        draft = self.drafts().filter(pk=_int(request.POST.get("draft"))).first()
        if draft is None or action not in ("save", "approve"):
            return self.render_to_response(
                self.context(problem="Ask for a draft first, then save or approve it."),
                status=400,
            )
        typed, errors = {}, {}
        for point in draft.points.all():
            order = _int(request.POST.get(f"order-{point.pk}"))
            typed[point.pk] = {
                "chosen": bool(request.POST.get(f"chosen-{point.pk}")),
                "order": request.POST.get(f"order-{point.pk}", ""),
                "text": request.POST.get(f"text-{point.pk}", ""),
            }
            if order is None or not 1 <= order <= 99:
                errors[str(point.pk)] = ["Enter a number from 1 to 99 for the order"]
        try:
            if errors:
                raise ValidationError(errors)
            summaries.summary_draft_save(
                draft=draft,
                user=request.user,
                choices={
                    pk: {**choice, "order": int(choice["order"]) - 1}
                    for pk, choice in typed.items()
                },
            )
            if action == "approve":
                _, dropped = summaries.summary_draft_approve(draft=draft, user=request.user)
                message = 'Approved: the chosen points are now on the "What we heard" page.'
                if dropped:
                    message += (
                        f" {dropped} point(s) were left out: their post is no longer public"
                        " or has changed."
                    )
                messages.success(request, message)
            else:
                messages.success(request, "Your choices are saved. Nothing is public yet.")
            return redirect(request.path)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                return self.render_to_response(
                    self.context(typed=typed, errors=error.message_dict), status=400
                )
            return self.render_to_response(
                self.context(typed=typed, problem=" ".join(error.messages)), status=400
            )


class ThemeDraftView(_DraftScreen):
    """A theme's draft of "what we heard": ask for it, pick, reorder, trim, approve."""

    def get_page_title(self):
        return f"What we heard, in residents' words: {self.theme.name}"

    def load(self, request, pk):
        self.theme = get_object_or_404(Theme.objects.select_related("consultation"), pk=pk)
        self.consultation = self.theme.consultation
        if not permissions.can_moderate(request.user, self.consultation):
            raise PermissionDenied("You do not moderate this consultation.")

    def extra_breadcrumbs(self):
        return [
            {"url": self.themes_of(self.consultation), "label": self.consultation.title},
            {
                "url": reverse(Theme.snippet_viewset.get_url_name("edit"), args=[self.theme.pk]),
                "label": self.theme.name,
            },
            {"url": "", "label": "What we heard"},
        ]


class ConsultationDraftView(_DraftScreen):
    """A whole consultation's draft of "what we heard", across its themes."""

    def get_page_title(self):
        return f"What we heard, in residents' words: {self.consultation.title}"

    def load(self, request, pk):
        self.consultation = self.consultation_for(pk)

    def extra_breadcrumbs(self):
        return [
            {"url": self.themes_of(self.consultation), "label": self.consultation.title},
            {"url": "", "label": "What we heard"},
        ]


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
