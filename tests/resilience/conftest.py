"""A real SMTP server for the mail tests, that can be down, slow, slow to confirm, or up."""

import email
import socket
import socketserver
import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult


class _Handler(socketserver.StreamRequestHandler):
    """Just enough SMTP for Django's SMTP backend: greeting, EHLO, MAIL, RCPT, DATA, QUIT."""

    def handle(self):
        server = self.server
        try:
            if server.delay:
                time.sleep(server.delay)  # a server that answers too late
            self.wfile.write(b"220 test.localhost ESMTP\r\n")
            lines, in_data = [], False
            while line := self.rfile.readline():
                if in_data:
                    if line in (b".\r\n", b".\n"):
                        server.messages.append(email.message_from_bytes(b"".join(lines)))
                        lines, in_data = [], False
                        if server.confirm_delay:
                            time.sleep(server.confirm_delay)  # took it, confirms too late
                        self.wfile.write(b"250 Queued\r\n")
                    else:
                        lines.append(line[1:] if line.startswith(b"..") else line)
                    continue
                command = line[:4].upper()
                if command in (b"EHLO", b"HELO"):
                    self.wfile.write(b"250 test.localhost\r\n")
                elif command == b"DATA":
                    in_data = True
                    self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                elif command == b"QUIT":
                    self.wfile.write(b"221 Bye\r\n")
                    return
                else:
                    self.wfile.write(b"250 OK\r\n")
        except OSError:
            pass  # the client gave up on a slow server


class _Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


class MailServer:
    """An SMTP server on a fixed local port. Not started, connections to it are refused."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages: list = []
        self._server = None

    def start(self, *, delay: float = 0, confirm_delay: float = 0):
        """`delay`: seconds before it greets a client; `confirm_delay`: seconds between
        taking a message and saying so."""
        self.stop()
        self._server = _Server(("127.0.0.1", self.port), _Handler)
        self._server.delay = delay
        self._server.confirm_delay = confirm_delay
        self._server.messages = self.messages
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture
def mail_server():
    server = MailServer()
    yield server
    server.stop()


@pytest.fixture
def smtp_and_task_queue(settings, mail_server):
    """Production's mail and task set-up: Django's SMTP backend with a timeout, and the
    database task queue (django_tasks_db) worked by `manage.py db_worker`."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = mail_server.port
    settings.EMAIL_TIMEOUT = 1
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return mail_server


@pytest.fixture
def wagtail_baseline(transactional_db):
    """What Wagtail's data migrations make, which an earlier transactional test's flush
    removed: the default locale, the root page and the root collection (as in
    tests/browser/conftest.py)."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if not Page.objects.filter(depth=1).exists():
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.filter(depth=1).exists():
        Collection.add_root(name="Root")


def run_worker(*, now: bool = True) -> None:
    """Work the queue until it is empty, as `manage.py db_worker --batch` does. With `now`,
    retries scheduled for later are made due first (time passing, without waiting)."""
    if now:
        DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).update(
            run_after=timezone.now() - timedelta(seconds=1)
        )
    call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0", "--no-reload")


def postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip(
            "Real concurrency needs PostgreSQL: SQLite serialises every writer, so the race "
            "cannot happen. CI runs this suite on PostgreSQL too (DATABASE_URL=postgres://...)."
        )
