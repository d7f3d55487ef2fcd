"""The Django admin (reference data for platform administrators) opens every registered model's list and form."""

import pytest
from django.contrib import admin
from django.urls import reverse

from khizmat.tenancy.tests.factories import UserFactory

MODEL_ADMINS = [
    m
    for m in admin.site._registry
    if m._meta.app_label in {"tenancy", "reports", "billing", "fieldwork", "contracts"}
]


@pytest.mark.parametrize("model", MODEL_ADMINS, ids=lambda m: m._meta.label)
def test_admin_lists_and_add_forms_open(model, client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_add")).status_code == 200
