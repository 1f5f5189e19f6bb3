"""Drafts of "what we heard", the screen they share: a moderator's for a theme or a
consultation (`viewsets.themes.drafts`), a place lead's for a Place priority
(`viewsets.places.screens`). The rules are the services' (`consultations.summaries`)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from consultations import summaries
from consultations.models import SummaryDraft

IDEAS_SHOWN = 200


class DraftScreenMixin:
    """Ask for a draft, then pick, reorder, trim and approve its points. A screen says what
    it drafts: `load()` finds it (and checks the person may), `drafts()` are its drafts,
    `request_draft()` asks for one, `source_ideas()` are the ideas shown beside it."""

    template_name = "consultations/themes/draft.html"
    # Said after "what people said in": "this theme", "this consultation", ...
    subject = ""
    published_where = 'the "What we heard" page'
    own_words_elsewhere = "the theme's summary"

    def load(self, request, pk):
        raise NotImplementedError

    def drafts(self):
        raise NotImplementedError

    def request_draft(self, user):
        raise NotImplementedError

    def source_ideas(self):
        return None

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
        return self.get_context_data(
            subject=self.subject,
            published_where=self.published_where,
            own_words_elsewhere=self.own_words_elsewhere,
            draft=latest,
            published=published,
            points=points,
            ideas=self.source_ideas(),
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
            self.request_draft(request.user)
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
                message = f"Approved: the chosen points are now on {self.published_where}."
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


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None
