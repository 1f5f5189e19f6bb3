"""What consultations add to the pages that show them (`home.pages.page_context_register`).

`home` knows nothing of consultations, yet its home page lists the open ones and the latest
updates, and its vision page shows the themes behind each priority and the updates acting
on it. These providers are registered in `ConsultationsConfig.ready()`; each reads in a fixed
number of queries, whatever the number of consultations, themes and updates.
"""

from django.db.models import Count, Prefetch, Q
from django.template.loader import render_to_string

from consultations.loop import accountability, accountability_of_pcns, place_accountability
from consultations.models import (
    ActionStatus,
    ConsultationPage,
    IcsPriority,
    IcsUpdatePage,
    PlaceUpdatePage,
    PlaceVisionPage,
    PostStatus,
    Theme,
    UpdatePage,
)
from consultations.representativeness import public_summary
from consultations.selectors import consultation_cards, place_vision_heard
from consultations.systems import ics_homes, ics_page_record, ics_vision_heard
from home.models import HomePage
from home.page_cache import content_memo, site_content_memo
from home.pages import page_links, request_site_id


def public_record(*, home):
    """The PCN's record (`loop.accountability`), worked out once each time the site's
    content changes: four queries whose building took half the home page's time."""
    return site_content_memo(
        home=home, name="accountability", compute=lambda: accountability(home=home)
    )


def home_page_context(*, page, request) -> dict:
    """The home page: open and upcoming consultations, the latest updates, the record; each
    kept until the site's content changes, so a rendered home page builds no page query."""
    consultations = consultation_cards(home=page, below=page, request=request)

    def latest_updates():
        updates = UpdatePage.objects.live().public().descendant_of(page)
        return page_links(updates.order_by("-first_published_at")[:3], request=request)

    return {
        "open_consultations": consultations.open,
        "upcoming_consultations": consultations.upcoming[:3],
        "latest_updates": site_content_memo(
            home=page,
            name=f"latest-updates:{request_site_id(request)}",
            compute=latest_updates,
        ),
        "record": public_record(home=page),
    }


def public_who_took_part(*, home):
    """Who took part, for the PCN's public record, if it chose to show it
    (`representativeness.public_summary`), worked out once each time the site's content
    changes (a change to the PCN, its setting included, is one)."""
    return site_content_memo(
        home=home, name="who_took_part", compute=lambda: public_summary(home=home)
    )


def consultation_index_page_context(*, page, request) -> dict:
    """The list of consultations: open, coming soon and closed."""
    consultations = consultation_cards(home=page.get_parent(), below=page, request=request)
    return {
        "open_consultations": consultations.open,
        "upcoming_consultations": consultations.upcoming,
        "past_consultations": consultations.past,
    }


def update_index_page_context(*, page, request) -> dict:
    """The list of updates: the PCN's record of closing the loop, and who took part when
    the PCN shows it."""
    home = page.get_parent()
    return {"record": public_record(home=home), "who_took_part": public_who_took_part(home=home)}


def vision_page_context(*, page, request) -> dict:
    """Each priority of the vision with its themes, its updates and their progress."""
    home = page.get_parent()
    # Themes of this PCN's live consultations that everyone may read: never those of
    # a private consultation (a view restriction), nor another PCN's.
    public_consultations = ConsultationPage.objects.live().public().descendant_of(home)
    themes = (
        Theme.objects.filter(consultation__in=public_consultations)
        .annotate(idea_count=Count("ideas", filter=Q(ideas__status=PostStatus.PUBLISHED)))
        .select_related("consultation")
        .order_by("-idea_count", "name")
    )
    updates = (
        UpdatePage.objects.live()
        .public()
        .descendant_of(home)
        .prefetch_related("actions")
        .order_by("-first_published_at")
    )
    priorities = list(
        page.priorities.prefetch_related(
            Prefetch("themes", queryset=themes), Prefetch("updates", queryset=updates)
        )
    )
    for priority in priorities:
        actions = [a for update in priority.updates.all() for a in update.actions.all()]
        done = sum(1 for action in actions if action.status == "done")
        priority.action_count = len(actions)
        priority.actions_done = done
        priority.progress = round(100 * done / len(actions)) if actions else None
    return {"priorities": priorities}


def decisions_of(model, page):
    """A Place's or an ICS's published "You said, we did" updates below its vision `page`,
    newest first, each with how many actions it has and how many are done."""
    return (
        model.objects.live()
        .public()
        .child_of(page)
        .annotate(
            action_count=Count("actions", distinct=True),
            actions_done=Count(
                "actions", filter=Q(actions__status=ActionStatus.DONE), distinct=True
            ),
        )
        .order_by("-first_published_at")
    )


def place_vision_page_context(*, page, request) -> dict:
    """A Place's vision: each priority with the themes behind it and how widely it was
    heard (`selectors.place_vision_heard`), the Place's "You said, we did" updates, its
    record of acting on them and its PCNs' records side by side: a fixed number of queries,
    however many PCNs, priorities, themes and updates.

    What the figures are made of lives on the Place's site and its PCNs' sites, so they are
    rendered once and kept until any of those sites' content changes (`content_memo`): a
    rendered page then reads none of them. Which sites those are is kept the same way."""

    def paths():
        pcn_paths = content_memo(
            paths=[page.path],
            name=f"place-vision-sites:{page.pk}",
            compute=lambda: list(
                HomePage.objects.filter(pcn__place_id=page.place_id).values_list("path", flat=True)
            ),
        )
        return [page.path, *pcn_paths]

    def figures():
        homes = list(
            HomePage.objects.filter(pcn__place_id=page.place_id)
            .select_related("pcn__place")
            .order_by("pcn__name")
        )
        place = homes[0].pcn.place if homes else page.place  # read with its PCNs
        records = accountability_of_pcns(homes=homes)
        context = {
            "page": page,
            "request": request,
            "place_name": place.name,
            "priorities": place_vision_heard(page=page, homes=homes),
            "place_updates": decisions_of(PlaceUpdatePage, page),
            "record": place_accountability(places=[place])[place.pk],
            "pcn_records": [
                (home.pcn, records[home.pcn.pk]) for home in homes if home.pcn.pk in records
            ],
        }
        html = render_to_string("consultations/places/place_vision_figures.html", context)
        return {"place_name": place.name, "figures": html}

    return content_memo(
        paths=paths,
        name=f"place-vision:{page.pk}:{request_site_id(request)}",
        compute=figures,
    )


def ics_vision_page_context(*, page, request) -> dict:
    """An ICS's vision: each priority with the Place priorities it cites and how widely what
    is behind them was heard (`systems.ics_vision_heard`), the system's "You said, we did"
    updates, its own record of acting on them (`loop.ics_accountability`'s figures, from
    what the page reads already) and its Places' records side by side: a fixed number of
    queries, however many Places, PCNs, priorities, themes and updates.

    Rendered once and kept, as a Place's (`place_vision_page_context`), until the content
    of the ICS's site, its Places' or their PCNs' changes."""

    def paths():
        below = content_memo(
            paths=[page.path],
            name=f"ics-vision-sites:{page.pk}",
            compute=lambda: [
                *HomePage.objects.filter(
                    pcn__place__integrated_care_system_id=page.ics_id
                ).values_list("path", flat=True),
                *PlaceVisionPage.objects.filter(
                    place__integrated_care_system_id=page.ics_id
                ).values_list("path", flat=True),
            ],
        )
        return [page.path, *below]

    def figures():
        homes = ics_homes(page.ics_id)
        places = list({home.pcn.place.pk: home.pcn.place for home in homes}.values())
        records = place_accountability(places=places)
        heard = ics_vision_heard(page=page, homes=homes)
        updates = list(
            decisions_of(IcsUpdatePage, page).prefetch_related(
                Prefetch("priorities", queryset=IcsPriority.objects.only("pk"))
            )
        )
        ics_name = page.ics.name
        context = {
            "page": page,
            "request": request,
            "ics_name": ics_name,
            "priorities": heard,
            "ics_updates": updates,
            "record": ics_page_record(heard=heard, updates=updates),
            "place_records": [
                (place, records[place.pk]) for place in places if place.pk in records
            ],
        }
        html = render_to_string("consultations/systems/ics_vision_figures.html", context)
        return {"ics_name": ics_name, "figures": html}

    return content_memo(
        paths=paths,
        name=f"ics-vision:{page.pk}:{request_site_id(request)}",
        compute=figures,
    )
