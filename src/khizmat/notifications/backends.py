"""Pluggable SMS gateways. ``SMS_BACKEND`` names the class; the console backend is the default.

A backend's ``send(phone, text)`` returns the gateway's message id, or raises :class:`SmsError` with a reason that
the staff can read.
"""

import json
import logging
import string
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("khizmat.sms")


class SmsError(Exception):
    pass


class ConsoleBackend:
    """Development and pilots without a gateway: writes each SMS to the log and to ``SMS_FILE`` if set."""

    def send(self, phone: str, text: str) -> str:
        logger.info("SMS to %s: %s", phone, text)
        path = getattr(settings, "SMS_FILE", "")
        if path:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(json.dumps({"phone": phone, "text": text}, ensure_ascii=False) + "\n")
        return ""


class HttpBackend:
    """A generic HTTP SMS gateway: POST to ``SMS_HTTP_URL`` with a JSON payload built from ``SMS_HTTP_PAYLOAD``.

    The payload template is JSON whose string values may contain ``$phone``, ``$text`` and ``$sender``, e.g.
    ``{"to": "$phone", "message": "$text", "from": "$sender"}``. ``SMS_HTTP_AUTH_HEADER`` is sent as the
    ``Authorization`` header (``Bearer …`` or ``Basic …``). A 2xx answer is success; ``SMS_HTTP_ID_FIELD`` names the
    field of a JSON answer that carries the gateway's message id.
    """

    def __init__(self):
        self.url = settings.SMS_HTTP_URL
        self.payload = settings.SMS_HTTP_PAYLOAD
        self.auth = settings.SMS_HTTP_AUTH_HEADER
        self.sender = settings.SMS_SENDER
        self.id_field = settings.SMS_HTTP_ID_FIELD
        self.timeout = settings.SMS_HTTP_TIMEOUT

    def _body(self, phone: str, text: str) -> bytes:
        values = {"phone": phone, "text": text, "sender": self.sender}

        def fill(node):
            if isinstance(node, str):
                return string.Template(node).safe_substitute(values)
            if isinstance(node, dict):
                return {key: fill(value) for key, value in node.items()}
            if isinstance(node, list):
                return [fill(value) for value in node]
            return node

        return json.dumps(fill(json.loads(self.payload)), ensure_ascii=False).encode("utf-8")

    def send(self, phone: str, text: str) -> str:
        if not self.url:
            raise SmsError("SMS_HTTP_URL is not set")
        request = urllib.request.Request(self.url, data=self._body(phone, text), method="POST")
        request.add_header("Content-Type", "application/json; charset=utf-8")
        if self.auth:
            request.add_header("Authorization", self.auth)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                raw = response.read(65536)
        except urllib.error.HTTPError as error:
            raise SmsError(
                f"gateway answered {error.code}: {error.read(300).decode('utf-8', 'replace')}"
            ) from error
        except (urllib.error.URLError, TimeoutError, OSError) as error:
            raise SmsError(f"gateway unreachable: {getattr(error, 'reason', error)}") from error
        if not self.id_field:
            return ""
        try:
            return str(json.loads(raw).get(self.id_field, ""))[:100]
        except (ValueError, AttributeError):
            return ""


def get_backend():
    return import_string(settings.SMS_BACKEND)()
