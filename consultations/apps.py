from django.apps import AppConfig


class ConsultationsConfig(AppConfig):
    name = "consultations"
    verbose_name = "Consultations"

    def ready(self):
        from wagtail.signals import page_published

        from consultations import signal_handlers
        from consultations.models import UpdatePage

        # Publishing happens in the admin, through workflows and from code; the signal is
        # the one place all of them meet. The handler only enqueues a task.
        page_published.connect(
            signal_handlers.update_published, sender=UpdatePage, dispatch_uid="engage-update"
        )
