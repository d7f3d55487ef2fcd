"""``/healthz/``: the framework's ceiling in the benchmarks; answers anyone, without the database."""

from django.urls import reverse


def test_healthz_answers_ok_anonymously_without_a_query(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert "sessionid" not in response.cookies


def test_healthz_needs_no_login_and_no_membership(client, db, django_user_model):
    user = django_user_model.objects.create_user(username="nobody", password="khizmat-test-pass")
    client.force_login(user)  # a user without any organization still gets the answer
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_refuses_writes(client):
    assert client.post(reverse("core:healthz")).status_code == 405
