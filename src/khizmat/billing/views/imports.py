"""Placeholder: filled in by the billing web UI work."""

urlpatterns: list = []
