"""WSGI entry point. Production settings by default: they refuse to start unconfigured."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings.production")

application = get_wsgi_application()
