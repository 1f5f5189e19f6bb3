from django.contrib import messages
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from wagtail import hooks

from engage.privacy import ERASE_LOG_ACTION, REMOVE_UNVERIFIED_LOG_ACTION
from engage.retention import RETENTION_LOG_ACTION


@hooks.register("register_log_actions")
def register_account_log_actions(actions):
    actions.register_action(ERASE_LOG_ACTION, "Erase account", "A resident deleted their account")
    actions.register_action(
        REMOVE_UNVERIFIED_LOG_ACTION,
        "Remove unconfirmed accounts",
        "Accounts whose email address was never confirmed were deleted",
    )
    actions.register_action(
        RETENTION_LOG_ACTION,
        "Apply retention periods",
        "Records past their retention period were removed or anonymised",
    )


@hooks.register("before_delete_snippet")
def refuse_to_delete_what_is_still_in_use(request, instances):
    """A snippet that rows of ours still point at, with on_delete=PROTECT or RESTRICT (a
    neighbourhood its ideas name, a PCN its home page names), is not deleted: the admin is
    sent back to the snippet's listing with a message saying what uses it.

    Wagtail's delete screens ask its reference index whether something is in use, and that
    index holds only Wagtail's own references (pages, snippets, images), not our ideas; the
    deletion would raise ProtectedError, a 500. Run for one snippet's delete screen and for
    the bulk delete, on the confirmation page and on the POST alike.
    """
    in_use = []
    for instance in instances:
        collector = Collector(using=router.db_for_write(type(instance)))
        try:
            collector.collect([instance])
        except (ProtectedError, RestrictedError) as error:
            users = (
                error.protected_objects
                if isinstance(error, ProtectedError)
                else error.restricted_objects
            )
            kinds = sorted({str(type(user)._meta.verbose_name_plural) for user in users})
            in_use.append(f"'{instance}' is still used by {', '.join(kinds)}")
    if not in_use:
        return None
    messages.error(request, f"Nothing was deleted: {'; '.join(in_use)}.")
    viewset = getattr(type(instances[0]), "snippet_viewset", None)
    return redirect(viewset.get_url_name("list") if viewset else "wagtailsnippets:index")
