from django.apps import AppConfig


class EngageConfig(AppConfig):
    name = "engage"
    verbose_name = "Engage"

    def ready(self):
        # First, before any other app's ready() could import them: libraries no request of
        # this site uses, left to load when something first does.
        from engage import deferred_imports

        deferred_imports.install()

        # Imported here, not at the top: Wagtail's admin views need every app loaded.
        from engage.retention import PLATFORM_RULES, retention_rule_register
        from engage.roles import admin_landing, landing_register
        from engage.spreadsheets import protect_wagtail_exports

        # Every CSV the Wagtail admin exports is safe to open in a spreadsheet.
        protect_wagtail_exports()

        # How long the platform keeps emails' records, unconfirmed accounts and the audit log.
        for rule in PLATFORM_RULES:
            retention_rule_register(rule)

        # An admin signs in to the Wagtail dashboard (after any role's own place).
        landing_register(admin_landing, order=30)
