"""Run as a script against a database: prints what the public pages of the site show.

    DATABASE_URL=... MEDIA_ROOT=... python tests/resilience/site_snapshot.py [add-document]

With "add-document", first stores a document in the media folder (so a backup has media to
carry). Prints JSON: each page's body with CSRF tokens blanked, and the document's bytes as a
SHA-256. Used by test_backup_restore.py to compare a site before and after a restore.
"""

import hashlib
import json
import os
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "engage.settings.dev")

import django

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.test import Client  # noqa: E402
from wagtail.documents.models import Document  # noqa: E402

from consultations.models import ConsultationPage, Idea, PostStatus  # noqa: E402

CSRF = re.compile(
    r'(name="csrfmiddlewaretoken" value=")[^"]+(")|(csrf[-_]token["\']? content=")[^"]+'
)


def normalise(html: str) -> str:
    return CSRF.sub(lambda m: (m.group(1) or m.group(3)) + "CSRF" + (m.group(2) or ""), html)


def main():
    if "add-document" in sys.argv:
        document = Document(title="Engagement plan")
        document.file.save("engagement-plan.txt", ContentFile(b"Our plan, version 1.\n"))
        document.save()
    client = Client(HTTP_HOST="localhost")
    consultation = (
        ConsultationPage.objects.live().filter(ideas__status=PostStatus.PUBLISHED).first()
    )
    idea = Idea.objects.filter(consultation=consultation, status=PostStatus.PUBLISHED).first()
    paths = {
        "home": "/",
        "consultation": consultation.url,
        "idea": consultation.url + consultation.reverse_subpage("idea-detail", args=[idea.pk]),
    }
    snapshot = {}
    for name, path in paths.items():
        response = client.get(path)
        snapshot[name] = {"path": path, "status": response.status_code}
        snapshot[name]["body"] = normalise(response.content.decode())
    document = Document.objects.get(title="Engagement plan")
    response = client.get(document.url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    snapshot["document"] = {
        "path": document.url,
        "status": response.status_code,
        "body": hashlib.sha256(body).hexdigest(),
    }
    print(json.dumps(snapshot))


if __name__ == "__main__":
    main()
