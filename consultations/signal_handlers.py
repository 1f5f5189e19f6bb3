from django.db import transaction

from consultations.notifications import notify_update_published


def update_published(sender, instance, **kwargs):
    """Tell residents about a "You said, we did" update once it is safely saved."""
    update_id = instance.pk
    transaction.on_commit(lambda: notify_update_published.enqueue(update_id=update_id))
