"""Sample URLs and POST bodies for the walk, and one request made as one role."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, Task, Workflow, WorkflowState, get_page_models

from tests.authz.conftest import SECRETS


def _consultation_admin(name):
    return lambda w: {
        " [this PCN]": reverse(name, args=[w.open_consultation.pk]),
        " [other PCN]": reverse(name, args=[w.other_consultation.pk]),
    }


def _update_admin(name):
    return lambda w: {
        " [this PCN]": reverse(name, args=[w.update.pk]),
        " [other PCN]": reverse(name, args=[w.other_update.pk]),
    }


def _paper_idea_admin(name):
    return lambda w: {
        " [this PCN]": reverse(name, args=[w.letter.contributor.ideas.get().pk]),
        " [other PCN]": reverse(name, args=[w.other_letter.contributor.ideas.get().pk]),
    }


THEME_SCREENS = "wagtailsnippets_consultations_theme"
THEME_CHOOSER = "wagtailsnippetchoosers_consultations_theme"


def _theme_admin(name):
    return lambda w: {
        " [this PCN]": reverse(name, args=[w.theme.pk]),
        " [other PCN]": reverse(name, args=[w.other_theme.pk]),
    }


def _outreach_admin(name):
    return lambda w: {
        " [this PCN]": reverse(name, args=[w.outreach.pk]),
        " [other PCN]": reverse(name, args=[w.other_outreach.pk]),
    }


# How to make a sample URL for a resolver pattern that takes arguments. The key is the URL
# name; each builder returns {label suffix: URL}.
SAMPLE_URLS = {
    # The open data API's records: public to everyone, a private consultation to nobody
    # (the API serves no one signed in), another PCN's public one to everyone.
    "api-v1:consultation-detail": lambda w: {
        " [public]": reverse("api-v1:consultation-detail", args=[w.open_consultation.pk]),
        " [private]": reverse("api-v1:consultation-detail", args=[w.private_consultation.pk]),
        " [other PCN's]": reverse("api-v1:consultation-detail", args=[w.other_consultation.pk]),
    },
    "account_confirm_email": lambda w: {"": reverse("account_confirm_email", args=["not-a-key"])},
    "account_reset_password_from_key": lambda w: {
        "": reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "not-a-key"})
    },
    # The one-time link that confirms a post sent without an account: PCN A's waiting post's
    # own token, and one nobody was sent.
    "consultations:no-account-confirm": lambda w: {
        " [sent]": reverse("consultations:no-account-confirm", args=[w.no_account_token]),
        " [forged]": reverse("consultations:no-account-confirm", args=["forged-token"]),
    },
    "consultations:unsubscribe": lambda w: {
        " [signed]": reverse("consultations:unsubscribe", args=[w.unsubscribe_token]),
        " [forged]": reverse("consultations:unsubscribe", args=["forged-token"]),
    },
    "wagtailcore_authenticate_with_password": lambda w: {
        "": reverse("wagtailcore_authenticate_with_password", args=[999999, w.home.pk])
    },
    "wagtaildocs_serve": lambda w: {"": reverse("wagtaildocs_serve", args=[999999, "missing.pdf"])},
    "wagtaildocs_authenticate_with_password": lambda w: {
        "": reverse("wagtaildocs_authenticate_with_password", args=[999999])
    },
    # Themes (consultations/viewsets/themes/): PCN A's theme and PCN B's; the screens of a
    # consultation's ideas and suggestions, for PCN A's consultation and PCN B's.
    **{
        f"{THEME_SCREENS}:{screen}": _theme_admin(f"{THEME_SCREENS}:{screen}")
        for screen in (
            *("edit", "delete", "usage", "history", "history_results", "inspect", "ideas"),
            "draft",
        )
    },
    f"{THEME_SCREENS}:assign": _consultation_admin(f"{THEME_SCREENS}:assign"),
    "who_took_part:consultation": _consultation_admin("who_took_part:consultation"),
    # Charts (consultations/viewsets/charts.py): each PCN's, each Place's, and a chart's CSV.
    "charts:pcn": lambda w: {
        " [this PCN]": reverse("charts:pcn", args=[w.home.pcn_id]),
        " [other PCN]": reverse("charts:pcn", args=[w.other_home.pcn_id]),
    },
    "charts:pcn_csv": lambda w: {
        " [this PCN]": reverse("charts:pcn_csv", args=[w.home.pcn_id, "practices"]),
        " [other PCN]": reverse("charts:pcn_csv", args=[w.other_home.pcn_id, "practices"]),
    },
    "charts:place": lambda w: {
        " [this Place]": reverse("charts:place", args=[w.home.pcn.place_id]),
        " [other Place]": reverse("charts:place", args=[w.other_home.pcn.place_id]),
    },
    "charts:place_csv": lambda w: {
        " [this Place]": reverse("charts:place_csv", args=[w.home.pcn.place_id, "channels"]),
        " [other Place]": reverse("charts:place_csv", args=[w.other_home.pcn.place_id, "channels"]),
    },
    "charts:ics": lambda w: {
        " [this ICS]": reverse("charts:ics", args=[w.home.pcn.place.integrated_care_system_id]),
        " [other ICS]": reverse(
            "charts:ics", args=[w.other_home.pcn.place.integrated_care_system_id]
        ),
    },
    "charts:ics_csv": lambda w: {
        " [this ICS]": reverse(
            "charts:ics_csv", args=[w.home.pcn.place.integrated_care_system_id, "themes"]
        ),
        " [other ICS]": reverse(
            "charts:ics_csv", args=[w.other_home.pcn.place.integrated_care_system_id, "themes"]
        ),
    },
    # Evidence packs: PCN A's, PCN B's, and PCN A's with PCN B's practice asked for.
    **{
        f"evidence_pack:{screen}": (
            lambda w, screen=screen: {
                " [this PCN]": f"{reverse(f'evidence_pack:{screen}')}?pcn={w.home.pcn.pk}",
                " [other PCN]": f"{reverse(f'evidence_pack:{screen}')}?pcn={w.other_home.pcn.pk}",
                " [other PCN's practice]": f"{reverse(f'evidence_pack:{screen}')}"
                f"?pcn={w.home.pcn.pk}&practice={w.other_practice.pk}",
            }
        )
        for screen in ("index", "print", "csv")
    },
    f"{THEME_SCREENS}:suggestions": _consultation_admin(f"{THEME_SCREENS}:suggestions"),
    f"{THEME_SCREENS}:consultation_draft": _consultation_admin(
        f"{THEME_SCREENS}:consultation_draft"
    ),
    f"{THEME_CHOOSER}:chosen": lambda w: {
        " [other PCN's]": reverse(f"{THEME_CHOOSER}:chosen", args=[w.other_theme.pk])
    },
    f"{THEME_CHOOSER}:chosen_multiple": lambda w: {
        " [other PCN's]": reverse(f"{THEME_CHOOSER}:chosen_multiple") + f"?id={w.other_theme.pk}"
    },
    f"{THEME_CHOOSER}:choose_results": lambda w: {
        " [search]": reverse(f"{THEME_CHOOSER}:choose_results") + "?q=theme"
    },
    # The entry form, for a consultation of this PCN or the other's; and with the form's
    # consultation field the other PCN's consultation, on this PCN's form.
    "offline:add": lambda w: {
        "": reverse("offline:add"),
        " [this PCN]": f"{reverse('offline:add')}?consultation={w.open_consultation.pk}",
        " [other PCN]": f"{reverse('offline:add')}?consultation={w.other_consultation.pk}",
        " [this PCN, other PCN's consultation posted]": (
            f"{reverse('offline:add')}?consultation={w.open_consultation.pk}"
        ),
    },
    # A paper contribution of each PCN: what was entered, and its history.
    "offline:inspect": _paper_idea_admin("offline:inspect"),
    "offline:history": _paper_idea_admin("offline:history"),
    "offline:history_results": _paper_idea_admin("offline:history_results"),
    "letters:print": _update_admin("letters:print"),
    # A Place priority's links, of this PCN's Place and of the other PCN's Place.
    "place_vision:links": lambda w: {
        " [this Place]": reverse("place_vision:links", args=[w.place_priority.pk]),
        " [other Place]": reverse("place_vision:links", args=[w.other_place_priority.pk]),
    },
    "place_vision:draft": lambda w: {
        " [this Place]": reverse("place_vision:draft", args=[w.place_priority.pk]),
        " [other Place]": reverse("place_vision:draft", args=[w.other_place_priority.pk]),
    },
    **{
        f"place_vision:{screen}": (
            lambda w, screen=screen: {
                " [this Place]": reverse(f"place_vision:{screen}", args=[w.home.pcn.place_id]),
                " [other Place]": reverse(
                    f"place_vision:{screen}", args=[w.other_home.pcn.place_id]
                ),
            }
        )
        for screen in ("who_took_part", "who_took_part_csv")
    },
    # Who took part across an ICS: PCN A's ICS and PCN B's.
    **{
        f"ics_vision:{screen}": (
            lambda w, screen=screen: {
                " [this ICS]": reverse(
                    f"ics_vision:{screen}", args=[w.home.pcn.place.integrated_care_system_id]
                ),
                " [other ICS]": reverse(
                    f"ics_vision:{screen}",
                    args=[w.other_home.pcn.place.integrated_care_system_id],
                ),
            }
        )
        for screen in ("who_took_part", "who_took_part_csv")
    },
    "place_vision:unlink": lambda w: {
        " [this Place]": reverse(
            "place_vision:unlink", args=[w.place_priority.pk, w.place_link.pk]
        ),
        " [other Place]": reverse(
            "place_vision:unlink", args=[w.other_place_priority.pk, w.other_place_link.pk]
        ),
    },
    # An ICS priority's links, of this PCN's ICS and of the other PCN's ICS.
    "ics_vision:links": lambda w: {
        " [this ICS]": reverse("ics_vision:links", args=[w.ics_priority.pk]),
        " [other ICS]": reverse("ics_vision:links", args=[w.other_ics_priority.pk]),
    },
    "ics_vision:unlink": lambda w: {
        " [this ICS]": reverse("ics_vision:unlink", args=[w.ics_priority.pk, w.ics_link.pk]),
        " [other ICS]": reverse(
            "ics_vision:unlink", args=[w.other_ics_priority.pk, w.other_ics_link.pk]
        ),
    },
    # Outreach: each PCN's action; the add form, with this PCN's consultation or the other's.
    **{
        f"outreach:{screen}": _outreach_admin(f"outreach:{screen}")
        for screen in ("edit", "delete", "history", "history_results")
    },
    "outreach:add": lambda w: {
        "": reverse("outreach:add"),
        " [other PCN's consultation posted]": reverse("outreach:add"),
    },
    # The idea chooser of an update's editor: this PCN's published idea; the other PCN's idea.
    "idea_chooser:chosen": lambda w: {
        " [this PCN]": reverse("idea_chooser:chosen", args=[w.ideas["published"].pk]),
        " [other PCN]": reverse("idea_chooser:chosen", args=[w.ideas["other_pcn"].pk]),
    },
    **{
        f"moderation_{kind}s:{view}": (
            lambda w, kind=kind, view=view: {
                f" [pending {kind}]": reverse(
                    f"moderation_{kind}s:{view}",
                    args=[(w.ideas if kind == "idea" else w.comments)["pending"].pk],
                ),
                **(
                    {
                        " [other PCN's idea]": reverse(
                            f"moderation_ideas:{view}", args=[w.ideas["other_pcn"].pk]
                        )
                    }
                    if kind == "idea"
                    else {}
                ),
            }
        )
        for kind in ("idea", "comment")
        for view in ("inspect", "history", "history_results")
    },
}


def _snippet(model, other, query):
    """A snippet's screens: the listing is Wagtail's; the chooser is ours (it keeps to the
    person's PCNs: home/admin_views/). `other(world)` is PCN B's instance; `query` finds it."""
    base = f"/admin/snippets/home/{model}/"
    chooser = f"wagtailsnippetchoosers_home_{model}"
    return {
        base.removeprefix("/"): lambda w: {
            f"admin {model} list": base,
            f"admin edit other PCN's {model}": f"{base}edit/{other(w).pk}/",
            f"admin other PCN's {model} usage": f"{base}usage/{other(w).pk}/",
            f"admin other PCN's {model} history": f"{base}history/{other(w).pk}/",
        },
    }, {
        f"{chooser}:choose": lambda w: {"": reverse(f"{chooser}:choose")},
        f"{chooser}:choose_results": lambda w: {
            " [search]": reverse(f"{chooser}:choose_results") + f"?q={query.lower()}"
        },
        f"{chooser}:chosen": lambda w: {
            " [other PCN's]": reverse(f"{chooser}:chosen", args=[other(w).pk])
        },
        f"{chooser}:chosen_multiple": lambda w: {
            " [other PCN's]": reverse(f"{chooser}:chosen_multiple") + f"?id={other(w).pk}"
        },
        f"{chooser}:create": lambda w: {"": reverse(f"{chooser}:create")},
    }


_SNIPPETS = [
    _snippet("neighbourhood", lambda w: w.other_neighbourhood, "OTHERPCNNEIGHBOURHOOD"),
    _snippet("practice", lambda w: w.other_practice, "OTHERPCNPRACTICE"),
    _snippet("primarycarenetwork", lambda w: w.other_home.pcn, "Test"),
    _snippet("place", lambda w: w.other_home.pcn.place, "OTHERPCNPLACE"),
    _snippet(
        "integratedcaresystem",
        lambda w: w.other_home.pcn.place.integrated_care_system,
        "OTHERPCNICS",
    ),
]


def _page_admin(w, label, page):
    """The screens of one page, by the label of whose page it is ("other PCN's draft")."""
    revision = page.latest_revision_id
    return {
        f"admin edit {label}": f"/admin/pages/{page.pk}/edit/",
        f"admin preview {label}": f"/admin/pages/{page.pk}/edit/preview/",
        f"admin view {label} as a draft": f"/admin/pages/{page.pk}/view_draft/",
        f"admin history of {label}": f"/admin/pages/{page.pk}/history/",
        f"admin history results of {label}": f"/admin/pages/{page.pk}/history/results/",
        f"admin revisions of {label}": f"/admin/pages/{page.pk}/revisions/",
        f"admin a revision of {label}": f"/admin/pages/{page.pk}/revisions/{revision}/view/",
        f"admin compare revisions of {label}": (
            f"/admin/pages/{page.pk}/revisions/compare/earliest...latest/"
        ),
        f"admin usage of {label}": f"/admin/pages/{page.pk}/usage/",
        f"admin copy {label}": f"/admin/pages/{page.pk}/copy/",
        f"admin move {label}": f"/admin/pages/{page.pk}/move/",
        f"admin move {label} to this PCN": (
            f"/admin/pages/{page.pk}/move/{w.update_index.pk}/confirm/"
        ),
        f"admin move {label} to other PCN": (
            f"/admin/pages/{page.pk}/move/{w.other_update_index.pk}/confirm/"
        ),
        f"admin lock {label}": f"/admin/pages/{page.pk}/lock/",
        f"admin unlock {label}": f"/admin/pages/{page.pk}/unlock/",
        f"admin privacy of {label}": f"/admin/pages/{page.pk}/privacy/",
        f"admin delete {label}": f"/admin/pages/{page.pk}/delete/",
        f"admin workflow history of {label}": f"/admin/pages/{page.pk}/workflow_history/",
    }


def _workflow_admin(w, label, page):
    """A page waiting in its workflow: the screens of its approval."""
    state = WorkflowState.objects.get(object_id=str(page.pk), status="in_progress")
    task_state = state.current_task_state
    return {
        f"admin workflow history detail of {label}": (
            f"/admin/pages/{page.pk}/workflow_history/detail/{state.pk}/"
        ),
        f"admin cancel the workflow of {label}": (
            f"/admin/pages/workflow/confirm_cancellation/{page.pk}/"
        ),
        f"admin preview {label} in its workflow": (
            f"/admin/pages/workflow/preview/{page.pk}/{task_state.task_id}/"
        ),
        f"admin approve {label}": (
            f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"
        ),
        f"admin approve {label} with a comment": (
            f"/admin/pages/workflow/collect_action_data/{page.pk}/approve/{task_state.pk}/"
        ),
    }


def _other_task(w):
    return Task.objects.get(name=f"{w.other_home.pcn.name}: approval by a PCN lead")


def _other_workflow(w):
    return Workflow.objects.get(name=f"{w.other_home.pcn.name}: PCN lead approval")


def _uploads_admin(kind, chooser_kind):
    """Wagtail's image or document screens, for PCN B's upload (and A's, as a control)."""

    def samples(w):
        this = getattr(w, chooser_kind)
        other = getattr(w, f"other_{chooser_kind}")
        base = f"/admin/{kind}/"
        if kind == "images":
            edit, delete = f"{base}{{}}/", f"{base}{{}}/delete/"
        else:
            edit, delete = f"{base}edit/{{}}/", f"{base}delete/{{}}/"
        urls = {
            f"admin add {chooser_kind}": f"{base}add/",
            f"admin add several {kind}": f"{base}multiple/add/",
            f"admin edit this PCN's {chooser_kind}": edit.format(this.pk),
            f"admin edit other PCN's {chooser_kind}": edit.format(other.pk),
            f"admin delete other PCN's {chooser_kind}": delete.format(other.pk),
            f"admin other PCN's {chooser_kind} usage": f"{base}usage/{other.pk}/",
            f"admin {chooser_kind} chooser results": (
                f"{base}chooser/results/?q=otherpcn{chooser_kind}"
            ),
            f"admin {chooser_kind} chooser chosen other PCN's": (
                f"{base}chooser/chosen/{other.pk}/"
            ),
            f"admin {chooser_kind} chooser chosen several": (
                f"{base}chooser/chosen-multiple/?id={this.pk}&id={other.pk}"
            ),
        }
        if kind == "images":
            urls[f"admin other PCN's {chooser_kind} URL generator"] = (
                f"{base}{other.pk}/generate_url/"
            )
            urls["admin image chooser format of other PCN's"] = (
                f"{base}chooser/{other.pk}/select_format/"
            )
        else:
            urls["admin document chooser"] = f"{base}chooser/"
        return urls

    return samples


def _uploads_listing(kind, chooser_kind):
    """Our images or documents listing (its tag filter keeps to the person's uploads)."""
    return {
        f"pcn_admin:{kind}": lambda w: {
            "": reverse(f"pcn_admin:{kind}"),
            " [search]": reverse(f"pcn_admin:{kind}") + f"?q=otherpcn{chooser_kind}",
            " [other PCN's collection]": reverse(f"pcn_admin:{kind}")
            + f"?collection_id={w.other_collection.pk}",
        },
        f"pcn_admin:{kind}-results": lambda w: {"": reverse(f"pcn_admin:{kind}-results")},
    }


def _bulk(app_model, action, ids):
    return reverse("pcn_admin:bulk-action", args=[*app_model.split("/"), action]) + (
        "?" + "&".join(f"id={pk}" for pk in ids)
    )


def _uploads_api(kind, other):
    """The admin API's endpoints for images or documents, asked for PCN B's upload."""
    return {
        f"wagtailadmin_api:{kind}:listing": lambda w: {
            "": reverse(f"wagtailadmin_api:{kind}:listing"),
            " [search]": reverse(f"wagtailadmin_api:{kind}:listing")
            + f"?search=otherpcn{kind[:-1]}",
        },
        f"wagtailadmin_api:{kind}:detail": lambda w: {
            " [other PCN's]": reverse(f"wagtailadmin_api:{kind}:detail", args=[other(w).pk])
        },
        f"wagtailadmin_api:{kind}:find": lambda w: {
            " [other PCN's]": reverse(f"wagtailadmin_api:{kind}:find") + f"?id={other(w).pk}"
        },
    }


def _report(name, query=""):
    return lambda w: {"": reverse(f"pcn_admin:{name}") + query}


# The Wagtail admin screens replaced to keep each PCN to its own (home/admin_urls.py, the
# admin API's endpoints and the snippet choosers): our own rows, asked for PCN B's objects.
BOUNDARY_SAMPLE_URLS = {
    "pcn_admin:choose-page": lambda w: {
        "": reverse("pcn_admin:choose-page"),
        **{
            f" [{model._meta.label_lower}]": reverse("pcn_admin:choose-page")
            + f"?page_type={model._meta.label_lower}"
            for model in get_page_models()
            if model is not Page
        },
    },
    "pcn_admin:choose-page-child": lambda w: {
        " [other PCN's home]": reverse("pcn_admin:choose-page-child", args=[w.other_home.pk]),
        " [other PCN's updates]": reverse(
            "pcn_admin:choose-page-child", args=[w.other_update_index.pk]
        )
        + "?page_type=consultations.updatepage",
        " [this PCN's updates]": reverse("pcn_admin:choose-page-child", args=[w.update_index.pk])
        + "?page_type=consultations.updatepage",
    },
    "pcn_admin:choose-page-chosen-multiple": lambda w: {
        " [both PCNs' pages]": reverse("pcn_admin:choose-page-chosen-multiple")
        + f"?id={w.draft.pk}&id={w.other_draft.pk}&id={w.other_consultation.pk}"
    },
    "pcn_admin:bulk-action": lambda w: {
        " [delete, both PCNs' consultations]": _bulk(
            "wagtailcore/page", "delete", [w.open_consultation.pk, w.other_consultation.pk]
        ),
        " [delete, other PCN's pages]": _bulk(
            "wagtailcore/page", "delete", [w.other_draft.pk, w.other_update.pk]
        ),
        " [delete, all of other PCN's updates]": reverse(
            "pcn_admin:bulk-action", args=["wagtailcore", "page", "delete"]
        )
        + f"?id=all&childOf={w.other_update_index.pk}",
        " [publish, other PCN's draft]": _bulk("wagtailcore/page", "publish", [w.other_draft.pk]),
        " [unpublish, other PCN's update]": _bulk(
            "wagtailcore/page", "unpublish", [w.other_update.pk]
        ),
        " [move, other PCN's pages]": _bulk(
            "wagtailcore/page", "move", [w.other_update.pk, w.other_draft.pk]
        ),
        " [delete, other PCN's image]": _bulk("wagtailimages/image", "delete", [w.other_image.pk]),
        " [tag, other PCN's image]": _bulk("wagtailimages/image", "add_tags", [w.other_image.pk]),
        " [move, both PCNs' images]": _bulk(
            "wagtailimages/image", "add_to_collection", [w.image.pk, w.other_image.pk]
        ),
        " [delete, other PCN's document]": _bulk(
            "wagtaildocs/document", "delete", [w.other_document.pk]
        ),
        " [move, other PCN's document]": _bulk(
            "wagtaildocs/document", "add_to_collection", [w.other_document.pk]
        ),
        " [delete, other PCN's staff]": _bulk("engage/user", "delete", [w.other_staff.pk]),
        " [give a role, other PCN's staff]": _bulk(
            "engage/user", "assign_role", [w.other_staff.pk]
        ),
        " [deactivate, other PCN's staff]": _bulk(
            "engage/user", "set_active_state", [w.other_staff.pk]
        ),
        " [delete, other PCN's neighbourhood]": _bulk(
            "home/neighbourhood", "delete", [w.other_neighbourhood.pk]
        ),
        " [mark sent, this PCN's letter]": _bulk(
            "consultations/letter", "mark_sent", [w.letter.pk]
        ),
        " [mark sent, other PCN's letter]": _bulk(
            "consultations/letter", "mark_sent", [w.other_letter.pk]
        ),
        # Moderation decisions: all or nothing, on the posts the person moderates.
        " [approve, both PCNs' ideas]": _bulk(
            "consultations/idea", "approve", [w.ideas["pending"].pk, w.ideas["other_pcn"].pk]
        ),
        " [hide, other PCN's idea]": _bulk("consultations/idea", "hide", [w.ideas["other_pcn"].pk]),
    },
    "pcn_admin:locked-pages": _report("locked-pages"),
    "pcn_admin:locked-pages-results": _report("locked-pages-results"),
    "pcn_admin:workflow": _report("workflow"),
    "pcn_admin:workflow-results": _report("workflow-results"),
    "pcn_admin:workflow-tasks": _report("workflow-tasks"),
    "pcn_admin:workflow-tasks-results": _report("workflow-tasks-results"),
    "pcn_admin:site-history": lambda w: {
        "": reverse("pcn_admin:site-history"),
        " [CSV]": reverse("pcn_admin:site-history") + "?export=csv",
    },
    "pcn_admin:site-history-results": _report("site-history-results"),
    "pcn_admin:page-types-usage": _report("page-types-usage"),
    "pcn_admin:page-types-usage-results": _report("page-types-usage-results"),
    "pcn_admin:forms": _report("forms"),
    "pcn_admin:forms-results": _report("forms-results"),
    "pcn_admin:tag-autocomplete": lambda w: {
        " [a]": reverse("pcn_admin:tag-autocomplete") + "?term=a",
        " [this PCN's]": reverse("pcn_admin:tag-autocomplete") + "?term=THISPCN",
        " [other PCN's]": reverse("pcn_admin:tag-autocomplete") + "?term=OTHERPCN",
    },
    "pcn_admin:tag-model-autocomplete": lambda w: {
        " [other PCN's]": reverse("pcn_admin:tag-model-autocomplete", args=["taggit", "tag"])
        + "?term=OTHERPCN",
        " [not a tag model]": reverse(
            "pcn_admin:tag-model-autocomplete", args=["wagtailimages", "image"]
        )
        + "?term=OTHERPCN",
    },
    "wagtailadmin_api:pages:listing": lambda w: {
        "": reverse("wagtailadmin_api:pages:listing"),
        " [search]": reverse("wagtailadmin_api:pages:listing") + "?search=plan",
        " [below other PCN's home]": reverse("wagtailadmin_api:pages:listing")
        + f"?child_of={w.other_home.pk}",
    },
    "wagtailadmin_api:pages:detail": lambda w: {
        " [this PCN's draft]": reverse("wagtailadmin_api:pages:detail", args=[w.draft.pk]),
        " [other PCN's draft]": reverse("wagtailadmin_api:pages:detail", args=[w.other_draft.pk]),
    },
    "wagtailadmin_api:pages:find": lambda w: {
        " [other PCN's draft]": reverse("wagtailadmin_api:pages:find") + f"?id={w.other_draft.pk}"
    },
    "wagtailadmin_api:pages:action": lambda w: {
        " [publish other PCN's draft]": reverse(
            "wagtailadmin_api:pages:action", args=[w.other_draft.pk, "publish"]
        ),
        " [delete other PCN's update]": reverse(
            "wagtailadmin_api:pages:action", args=[w.other_update.pk, "delete"]
        ),
    },
    **_uploads_listing("images", "image"),
    **_uploads_listing("documents", "document"),
    "pcn_admin:image-chooser": lambda w: {"": reverse("pcn_admin:image-chooser")},
    **_uploads_api("images", lambda w: w.other_image),
    **_uploads_api("documents", lambda w: w.other_document),
    **{key: builder for _group, choosers in _SNIPPETS for key, builder in choosers.items()},
}
SAMPLE_URLS |= BOUNDARY_SAMPLE_URLS


# Representative screens of each group of Wagtail's own admin URLs: {label: URL}. PCN B's
# objects are asked for by PCN A's people everywhere: by id, in listings, searches, choosers,
# reports and bulk actions.
ADMIN_SAMPLES = {
    "admin/": lambda w: {"admin dashboard": "/admin/"},
    "admin/^.*/": lambda w: {"admin unknown screen": "/admin/no-such-screen/"},  # catch-all
    "admin/logout/": lambda w: {"admin logout": "/admin/logout/"},
    "admin/password_reset/": lambda w: {"admin password reset": "/admin/password_reset/"},
    "admin/account/": lambda w: {"admin account": "/admin/account/"},
    "admin/pages/": lambda w: {
        "admin page explorer": "/admin/pages/",
        "admin explore this PCN": f"/admin/pages/{w.home.pk}/",
        "admin explore other PCN": f"/admin/pages/{w.other_home.pk}/",
        "admin explore other PCN's updates": f"/admin/pages/{w.other_update_index.pk}/results/",
        "admin explorer search from the root": "/admin/pages/?q=plan",
        "admin explorer search of this PCN": f"/admin/pages/{w.home.pk}/?q=Mornings",
        "admin explorer search of the whole tree": (
            f"/admin/pages/{w.home.pk}/?q=Mornings&search_all=1"
        ),
        "admin page search": "/admin/pages/search/?q=plan",
        "admin page search results": "/admin/pages/search/results/?q=Mornings",
        "admin page type usage": "/admin/pages/usage/consultations/updatepage/",
        "admin page type usage results": ("/admin/pages/usage/consultations/updatepage/results/"),
        "admin choose where to add an update": "/admin/pages/create/consultations/updatepage",
        "admin add an update to other PCN": (
            f"/admin/pages/add/consultations/updatepage/{w.other_update_index.pk}/"
        ),
        "admin add a page below other PCN's home": (f"/admin/pages/{w.other_home.pk}/add_subpage/"),
        "admin edit this PCN's consultation": f"/admin/pages/{w.open_consultation.pk}/edit/",
        "admin edit other PCN's consultation": f"/admin/pages/{w.other_consultation.pk}/edit/",
        "admin unpublish this PCN's consultation": (
            f"/admin/pages/{w.open_consultation.pk}/unpublish/"
        ),
        "admin unpublish other PCN's consultation": (
            f"/admin/pages/{w.other_consultation.pk}/unpublish/"
        ),
        "admin delete this PCN's update": f"/admin/pages/{w.update.pk}/delete/",
        "admin convert other PCN's alias": f"/admin/pages/{w.other_update.pk}/convert_alias/",
        "admin set the position of other PCN's update": (
            f"/admin/pages/{w.other_update.pk}/set_position/"
        ),
        **_page_admin(w, "this PCN's draft", w.draft),
        **_page_admin(w, "other PCN's draft", w.other_draft),
        **_workflow_admin(w, "this PCN's draft", w.draft),
        **_workflow_admin(w, "other PCN's draft", w.other_draft),
    },
    "admin/choose-page/": lambda w: {
        "admin page chooser search": "/admin/choose-page/search/?q=plan",
        "admin page chooser search for updates": (
            "/admin/choose-page/search/?q=Mornings&page_type=consultations.updatepage"
        ),
    },
    "admin/choose-external-link/": lambda w: {"admin link chooser": "/admin/choose-external-link/"},
    "admin/choose-email-link/": lambda w: {"admin email chooser": "/admin/choose-email-link/"},
    "admin/choose-phone-link/": lambda w: {"admin phone chooser": "/admin/choose-phone-link/"},
    "admin/choose-anchor-link/": lambda w: {"admin anchor chooser": "/admin/choose-anchor-link/"},
    "admin/collections/": lambda w: {
        "admin collections": "/admin/collections/",
        "admin edit other PCN's collection": f"/admin/collections/{w.other_collection.pk}/",
        "admin privacy of other PCN's collection": (
            f"/admin/collections/{w.other_collection.pk}/privacy/"
        ),
    },
    # The other reports are ours (BOUNDARY_SAMPLE_URLS); this one was always the person's own.
    "admin/reports/": lambda w: {
        "admin aging pages report": "/admin/reports/aging-pages/",
        "admin aging pages report results": "/admin/reports/aging-pages/results/",
        "admin aging pages report as CSV": "/admin/reports/aging-pages/?export=csv",
    },
    "admin/dismissibles/": lambda w: {"admin dismissibles": "/admin/dismissibles/"},
    "admin/editing-sessions/": lambda w: {
        "admin editing session": "/admin/editing-sessions/release/999999/"
    },
    "admin/block-preview/": lambda w: {"admin block preview": "/admin/block-preview/"},
    "admin/forms/": lambda w: {
        "admin form submissions of other PCN's page": (
            f"/admin/forms/submissions/{w.other_update.pk}/"
        ),
    },
    "admin/redirects/": lambda w: {"admin redirects": "/admin/redirects/"},
    "admin/settings/": lambda w: {"admin settings": "/admin/settings/home/nothing/"},
    "admin/embeds/": lambda w: {"admin embed chooser": "/admin/embeds/chooser/"},
    "admin/snippets/": lambda w: {"admin snippets": "/admin/snippets/"},
    **{group: builder for listings, _choosers in _SNIPPETS for group, builder in listings.items()},
    "admin/sites/": lambda w: {
        "admin sites": "/admin/sites/",
        "admin edit other PCN's site": f"/admin/sites/edit/{w.other_home.get_site().pk}/",
    },
    "admin/users/": lambda w: {
        "admin users": "/admin/users/",
        "admin users search": "/admin/users/?q=otherpcnstaffuser",
        "admin edit a resident": f"/admin/users/edit/{w.people['other_resident'].pk}/",
        "admin edit other PCN's staff": f"/admin/users/edit/{w.other_staff.pk}/",
        "admin history of other PCN's staff": f"/admin/users/history/{w.other_staff.pk}/",
    },
    "admin/groups/": lambda w: {
        "admin groups": "/admin/groups/",
        "admin edit other PCN's staff group": (
            f"/admin/groups/edit/{w.other_home.pcn.staff_group_id}/"
        ),
    },
    "admin/sprite/": lambda w: {"admin icons": "/admin/sprite/"},
    "admin/jsi18n/": lambda w: {"admin translations": "/admin/jsi18n/"},
    "admin/images/": _uploads_admin("images", "image"),
    "admin/documents/": _uploads_admin("documents", "document"),
    "admin/workflows/": lambda w: {
        "admin workflows": "/admin/workflows/list/",
        "admin edit other PCN's workflow": f"/admin/workflows/edit/{_other_workflow(w).pk}/",
        "admin other PCN's workflow usage": f"/admin/workflows/usage/{_other_workflow(w).pk}/",
        "admin workflow tasks": "/admin/workflows/tasks/index/",
        "admin edit other PCN's workflow task": (
            f"/admin/workflows/tasks/edit/{_other_task(w).pk}/"
        ),
        "admin workflow task chooser": "/admin/workflows/task_chooser/",
    },
    "admin/failwhale/": lambda w: {},  # Wagtail's deliberate error page, for testing logging
    "admin/test404/": lambda w: {"admin test 404": "/admin/test404/"},
}


def _idea_form(w):
    return {
        "title": "A new idea title",
        "body": "A new idea body for the walk.",
        "neighbourhood": w.open_consultation.neighbourhoods.order_by("name").first().pk,
        "attribution": "name",
        "confirm": "1",
    }


def _offline_idea_form(consultation, *, neighbourhood=True):
    """Enter a paper contribution to `consultation` (with no neighbourhood if not
    `neighbourhood`, so that only the consultation can make the form invalid)."""

    def body(w):
        chosen = consultation(w)
        first = chosen.neighbourhoods.order_by("name").first()
        return {
            "consultation": chosen.pk,
            "channel": "paper",
            "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "title": "A paper idea for the walk",
            "body": "Typed in from a paper form.",
            "neighbourhood": first.pk if neighbourhood else "",
            "reply_by": "nothing",
        }

    return body


def _outreach_form(consultation):
    def body(w):
        return {
            "consultation": consultation(w).pk,
            "groups": ["age:under_25", "deprivation:1"],
            "description": "A walked session at the library",
            "held_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "channel": "meeting",
            "contributions": "7",
        }

    return body


def _decision(key):
    return lambda w: {"action": "approve", "reason": "", "note": "", "posts": [key(w)]}


# What a POST sends, by row label (the first match of a prefix wins).
POST_BODIES = [
    # Without an account (before the signed-in forms: a label's first matching prefix wins).
    (
        "page open consultation idea-create-no-account",
        lambda w: {**_idea_form(w), "email": "walker@example.org"},
    ),
    (
        "page open consultation comment-create-no-account",
        lambda w: {"body": "A comment without an account.", "email": "walker@example.org"},
    ),
    ("consultations:no-account-sent", lambda w: {"code": "123456"}),
    ("page open consultation idea-create", _idea_form),
    ("page open consultation idea-edit", _idea_form),
    ("page open consultation idea-flag", lambda w: {"reason": "spam", "details": ""}),
    ("page open consultation comment-flag", lambda w: {"reason": "spam", "details": ""}),
    ("page open consultation comment-create", lambda w: {"body": "A new comment."}),
    ("page open consultation comment-edit", lambda w: {"body": "An edited comment."}),
    ("consultations:preferences", lambda w: {}),
    ("consultations:about-you", lambda w: {"age_band": "25_34", "sex": "female"}),
    ("account_profile", lambda w: {"display_name": "New name"}),
    ("account_erase", lambda w: {"posts": "keep", "password": "correct-horse-battery"}),
    ("account_email", lambda w: {"action_add": "1", "email": "another@example.org"}),
    (
        "account_change_password",
        lambda w: {
            "oldpassword": "correct-horse-battery",
            "password1": "a-new-long-password-1",
            "password2": "a-new-long-password-1",
        },
    ),
    ("moderation_ideas:inspect", lambda w: {"action": "approve", "reason": "", "note": ""}),
    ("moderation_comments:inspect", lambda w: {"action": "approve", "reason": "", "note": ""}),
    (
        "pcn-setup",
        lambda w: {
            "name": "A walked PCN",
            "ods_code": "U77777",
            "place": str(w.home.pcn.place_id),
            "hostname": "walked.example.nhs.uk",
            "neighbourhoods": "Walkside",
            "practices": "Y77777, Walkside Surgery, Walkside",
        },
    ),
    ("offline:add [this PCN]", _offline_idea_form(lambda w: w.open_consultation)),
    ("offline:add [other PCN]", _offline_idea_form(lambda w: w.other_consultation)),
    (
        "offline:add [this PCN, other",
        _offline_idea_form(lambda w: w.other_consultation, neighbourhood=False),
    ),
    ("outreach:add [other", _outreach_form(lambda w: w.other_consultation)),
    ("outreach:add", _outreach_form(lambda w: w.reviewed_consultation)),
    ("outreach:edit", _outreach_form(lambda w: w.reviewed_consultation)),
    (
        f"{THEME_SCREENS}:add",
        lambda w: {"consultation": w.open_consultation.pk, "name": "A new theme"},
    ),
    (f"{THEME_SCREENS}:edit", lambda w: {"name": "Renamed theme", "summary": ""}),
    (
        f"{THEME_SCREENS}:ideas",
        lambda w: {"action": "remove", "ideas": [w.ideas["published"].pk]},
    ),
    (
        f"{THEME_SCREENS}:assign",
        lambda w: {"theme": w.theme.pk, "ideas": [w.ideas["published"].pk]},
    ),
    (f"{THEME_SCREENS}:suggestions", lambda w: {"action": "suggest"}),
    # Each priority cites that theme already: the form says so (400) to those who may link.
    ("place_vision:links [this Place]", lambda w: {"theme": w.theme.pk}),
    ("place_vision:links [other Place]", lambda w: {"theme": w.other_theme.pk}),
    ("ics_vision:links [this ICS]", lambda w: {"place_priority": w.place_priority.pk}),
    ("ics_vision:links [other ICS]", lambda w: {"place_priority": w.other_place_priority.pk}),
    ("place_vision:draft [this Place]", lambda w: {"action": "request"}),
    ("place_vision:draft [other Place]", lambda w: {"action": "request"}),
    (f"{THEME_SCREENS}:draft", lambda w: {"action": "request"}),
    (f"{THEME_SCREENS}:consultation_draft", lambda w: {"action": "request"}),
    # Bulk actions that would act on PCN B's objects (or move them into PCN A) if allowed.
    ("pcn_admin:bulk-action [move, other PCN's pages]", lambda w: {"chooser": w.update_index.pk}),
    ("pcn_admin:bulk-action [move, both", lambda w: {"collection": w.collection.pk}),
    ("pcn_admin:bulk-action [move, other PCN's doc", lambda w: {"collection": w.collection.pk}),
    ("pcn_admin:bulk-action [tag", lambda w: {"tags": "moved"}),
    (
        "pcn_admin:bulk-action [give a role",
        lambda w: {"role": w.home.pcn.staff_group_id},
    ),
    ("pcn_admin:bulk-action [deactivate", lambda w: {"mark_as_active": ""}),
    ("pcn_admin:bulk-action [approve", lambda w: {"reason": "", "note": ""}),
    ("pcn_admin:bulk-action [hide", lambda w: {"reason": "spam", "note": ""}),
    ("admin move other PCN's draft to this PCN", lambda w: {}),
    ("admin lock other PCN's draft", lambda w: {}),
    ("admin unlock other PCN's draft", lambda w: {}),
    (
        "admin privacy of other PCN's draft",
        lambda w: {"restriction_type": "password", "password": "let-me-in-please"},
    ),
    (
        "admin edit other PCN's image",
        lambda w: {"title": "Renamed", "collection": w.collection.pk},
    ),
    (
        "admin edit other PCN's document",
        lambda w: {"title": "Renamed", "collection": w.collection.pk},
    ),
]


def post_body(label, world) -> dict:
    for prefix, body in POST_BODIES:
        if label.startswith(prefix):
            return body(world)
    return {}


def make_request(world, role, url, *, method="get", data=None, csrf=False, check=None):
    """One request as one role, rolled back afterwards so each starts from the same world.

    Returns (response, body text). `check`, if given, runs after the request and before the
    rollback, to look at what the request changed. The cache is cleared first: allauth's and our rate limits
    live there and would otherwise count the walk's own requests.
    """
    cache.clear()
    user = world.people[role]
    with transaction.atomic():
        client = Client(enforce_csrf_checks=csrf, raise_request_exception=False)
        if not isinstance(user, AnonymousUser):
            # The first backend, whatever it is: a session naming a backend that is not in
            # AUTHENTICATION_BACKENDS is treated as signed out.
            client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
        # A page of another site (a Place's) comes as a full URL: send its host name.
        host = urlsplit(url).hostname
        extra = {"HTTP_HOST": host} if host else {}
        response = getattr(client, method)(url, data or {}, **extra)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if check is not None:
            check()  # sees what the request changed, before it is rolled back
        transaction.set_rollback(True)
    cache.clear()
    return response, body.decode("utf-8", "replace")


# Pages that show a person everything of their own, whatever its state: the data download
# holds the resident's withdrawn idea too (the right of access covers all of it).
OWN_DATA = {"account_data_download": {"WITHDRAWNIDEA": {"resident"}}}

# The open data API serves every PCN's published content to anyone (consultations/api/):
# PCN B's live, public consultation, theme, priority and update are open data there, though
# no page of PCN A's site may show them; so are the names of PCN B's Place and ICS (in their
# records, place-accountability/ and ics-accountability/). Its drafts, pending posts, private pages, people and uploads stay
# forbidden.
OPEN_DATA = (
    "OTHERPCNCONSULTATION",
    "OTHERPCNTHEME",
    "OTHERPCNPRIORITY",
    "OTHERPCNUPDATE",
    "OTHERPCNPLACE",
    "OTHERPCNICS",
)


def leaks(role, text, label: str = "") -> list[str]:
    """The marker words in the text that this role must not see on the page `label`."""
    own = OWN_DATA.get(label, {})
    open_data = OPEN_DATA if label.startswith("api-v1:") else ()
    return [
        word
        for word, allowed in SECRETS.items()
        if word in text
        and role not in allowed
        and role not in own.get(word, ())
        and word not in open_data
    ]
