from django.db import transaction

from consultations.notifications import (
    notify_ics_update_published,
    notify_place_update_published,
    notify_update_published,
)


def update_published(sender, instance, **kwargs):
    """Tell residents about a "You said, we did" update once it is safely saved."""
    update_id = instance.pk
    transaction.on_commit(lambda: notify_update_published.enqueue(update_id=update_id))


def place_update_published(sender, instance, **kwargs):
    """Tell the residents behind a Place's "You said, we did" update, once it is saved."""
    update_id = instance.pk
    transaction.on_commit(lambda: notify_place_update_published.enqueue(update_id=update_id))


def ics_update_published(sender, instance, **kwargs):
    """Tell the residents behind an integrated care system's "You said, we did" update, once
    it is saved."""
    update_id = instance.pk
    transaction.on_commit(lambda: notify_ics_update_published.enqueue(update_id=update_id))
