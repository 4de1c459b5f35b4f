"""A real SMTP server on 127.0.0.1 that the e-mails of the kallelse and the bevakningar are delivered to, and the
queue's worker run in-process: fixtures shared by every test that sends mail (imported by tests/conftest.py)."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from safety_pages.models.mail import NOTICE_BACKEND


class _Inbox:
    """Keeps every message the server accepted, parsed as a mail client would."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, message))
        return "250 Message accepted for delivery"


class SmtpServer:
    """aiosmtpd on a free port of 127.0.0.1; `stop()` and `start()` take it down and bring it back on that port."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.inbox = _Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.inbox.messages

    def to(self, address):
        return [message for recipients, message in self.messages if address in recipients]


@pytest.fixture
def smtp_server(settings):
    """Django sends through SMTP to this server (the test settings' in-memory outbox is replaced)."""
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def _run_worker(rounds=None):
    """The queued tasks, run in-process by the worker of `manage.py db_worker` (its `run_task`: claim, run, record
    the result) until none is ready, or for `rounds` passes over what is ready at each pass' start. The command's
    loop itself is not used: it closes the database connection between tasks, which would end the test's
    transaction."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name=NOTICE_BACKEND,
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    passes = 0
    while rounds is None or passes < rounds:
        ready = list(DBTaskResult.objects.ready().filter(backend_name=NOTICE_BACKEND).order_by("enqueued_at"))
        if not ready:
            return
        for result in ready:
            result.claim(worker.worker_id)
            worker.run_task(result)
        passes += 1


@pytest.fixture
def run_tasks():
    """Runs the queued tasks in-process (see `_run_worker`)."""
    return _run_worker
