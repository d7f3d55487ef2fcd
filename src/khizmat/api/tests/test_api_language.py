"""One language per answer: an API error reads in the caller's language throughout, DRF's own messages included
(DRF ships no Kyrgyz or Uzbek catalog; ours carries its messages: api/drf_strings.py)."""

import pytest
from rest_framework.test import APIClient

from khizmat.api.tests.factories import token_key
from khizmat.tenancy.roles import Role

REQUESTS = [
    ("get", "/api/v1/applications/", None, False),  # no token: 401
    ("get", "/api/v1/no-such-endpoint/", None, True),  # unmatched path: 404
    ("get", "/api/v1/applications/999999/", None, True),  # no such object: 404
    ("get", "/api/v1/applications/?page=-5", None, True),  # bad paging: 400
    ("post", "/api/v1/applications/", {}, True),  # required fields: 400
]


def _strings(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key != "code":
                yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif isinstance(node, str):
        yield node


@pytest.mark.parametrize("language", ["ky", "uz", "uz-cyrl", "ru"])
def test_an_error_answer_is_in_one_language(org_a, member, language):
    token = token_key(member(org_a, Role.MANAGER))
    english, translated = [], []
    for method, path, body, authenticated in REQUESTS:
        for language_code, into in (("en", english), (language, translated)):
            client = APIClient()
            if authenticated:
                client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
            response = getattr(client, method)(path, body, format="json", HTTP_ACCEPT_LANGUAGE=language_code)
            assert response["Content-Language"] == language_code, path
            into.append(sorted(_strings(response.json())))
    untranslated = [
        text for en, other in zip(english, translated, strict=True) for text in set(en) & set(other)
    ]
    assert untranslated == []
