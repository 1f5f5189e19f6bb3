"""What every view of a consultation page shares: finding the idea or comment asked for
(within the page, and only if the user may see it), sending visitors to sign in, rendering
with the page, saying why someone cannot take part, and the safety panel's answer.
"""

import hashlib
from urllib.parse import urlencode

from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from wagtail.models import Site

from consultations import permissions, selectors
from consultations.models import Comment, ConsultationPage, Idea
from home.page_cache import site_content_memo, timeout
from home.pages import request_site_id


def idea_or_404(request, page: ConsultationPage, idea_id: int) -> Idea:
    idea = selectors.idea_for_page(consultation=page, idea_id=idea_id, user=request.user)
    if idea is None or not permissions.can_view_idea(request.user, idea):
        raise Http404("No such idea")
    idea.consultation = page
    return idea


def comment_or_404(request, page: ConsultationPage, comment_id: int) -> Comment:
    comment = (
        Comment.objects.filter(pk=comment_id, idea__consultation=page)
        .select_related("idea", "author")
        .first()
    )
    if comment is not None:
        comment.idea.consultation = page
    if comment is None or not permissions.can_view_comment(request.user, comment):
        raise Http404("No such comment")
    return comment


def login_redirect(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def page_render(request, page, template, context, status=200):
    context = {"page": page, "self": page, **context}
    return TemplateResponse(request, template, context, status=status)


def kept(request, page: ConsultationPage, name: str, parts: tuple, render, *, for_everyone):
    """What `render()` works out, kept until the site's content changes
    (`home.page_cache.site_content_memo`): a part of a page that is the same for everyone
    it is kept for (an idea list's rows, an idea's comments), so a page rendered afresh
    (a signed-in person's, or a visitor's at an address the page cache does not keep, such
    as one with `?utm_source=`) does not read and render it again. `parts` are what the
    part depends on besides the site's content (the filters, the page number), each as the
    request gave it.

    Unless `for_everyone` (a part the same for all who may see it: a published idea's
    summary; a list's rows or an idea's comments as visitors see them, which a signed-in
    person is shown only when theirs would be the same), only for visitors: what a
    signed-in person sees holds their own pending posts and their supports, so it is
    always worked out for them. A visitor who gave a page's password
    gets here only past Wagtail's check, and sees what every visitor of the page sees."""
    home = selectors.site_home(page)
    if home is None or (request.user.is_authenticated and not for_everyone):
        return render()
    # The parts as given are bounded by nothing: kept under a digest of them.
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    name = f"{name}:{page.pk}:{request_site_id(request)}:{digest}"
    return site_content_memo(home=home, name=name, compute=render)


def keeping() -> bool:
    """Whether `kept` keeps anything: only while the page cache is on."""
    return timeout() > 0


def kept_for_visitors(request, page: ConsultationPage, name: str, parts: tuple, render):
    """`kept(...)` for visitors only."""
    return kept(request, page, name, parts, render, for_everyone=False)


def participation_block(request, page) -> str:
    """Why this user cannot take part right now, in plain English ("" when they can)."""
    user = request.user
    if not page.is_open:
        return "phase"
    if not user.is_authenticated:
        return "sign_in"
    if not permissions.is_verified_resident(user):
        return "verify"
    return ""


def after_post(request, post, url: str):
    """Where a resident goes once their post is sent: to it, or first, after their first
    post, to "About you" (skippable in one click; it sends them on to the post). Not when the
    safety check held the post: someone who may need help now is not asked about themselves.
    """
    if post.safety_hold is None and selectors.equality_prompt_due(user=request.user):
        return redirect(f"{reverse('consultations:about-you')}?{urlencode({'next': url})}")
    return redirect(url)


class SubpageLinks:
    """A consultation page's subpage URLs for many ideas or comments, as the template tag
    `routablepageurl` writes them, with each route reversed once per page shown.

    `routablepageurl` walks the site's root paths and reverses its route each time: two or
    three times per comment and once per idea of a list, the largest part of rendering
    them. Here the route is reversed once with a stand-in number where the id goes, and
    each id is put in its place.
    """

    _STAND_IN = 918273645546372819  # no row has this id; only digits, so it reverses as one

    def __init__(self, request, page: ConsultationPage):
        self.page = page
        base = page.relative_url(Site.find_for_request(request), request)
        self.base = base if base.endswith("/") else base + "/"
        self._routes: dict[str, tuple[str, str]] = {}

    def __call__(self, route: str, pk: int) -> str:
        if route not in self._routes:
            url = self.base + self.page.reverse_subpage(route, args=[self._STAND_IN])
            head, tail = url.split(str(self._STAND_IN))
            self._routes[route] = (head, tail)
        head, tail = self._routes[route]
        return f"{head}{int(pk)}{tail}"


def idea_url(page, idea) -> str:
    return page.url + page.reverse_subpage("idea-detail", args=[idea.pk])


def safety_seen(request) -> str:
    """The text the author saw the safety panel for and chose to send anyway (its
    fingerprint), or "" when they did not press "Send anyway"."""
    if "send_anyway" not in request.POST:
        return ""
    return str(request.POST.get("safety_seen", ""))[:128]


HELP_NOW = (
    "This site is not watched in real time. If you or someone else needs help now, call 999 "
    "in an emergency, NHS 111 for urgent medical advice, or Samaritans free on 116 123."
)


def held_message(kind: str, hold) -> str:
    """What the author is told when the safety check holds their post."""
    if hold.urgent:
        return (
            f"Your {kind} is waiting for a moderator: nobody else can see it until one has "
            f"read it. {HELP_NOW}"
        )
    return (
        f"Your {kind} is waiting for a moderator because it may include personal "
        "information: nobody else can see it until a moderator has checked it. They may "
        "publish it with the personal information taken out."
    )
