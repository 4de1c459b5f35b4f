"""Fixtures of the meetings tests: a real SMTP server on 127.0.0.1 that the kallelse e-mails are delivered to."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller


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
