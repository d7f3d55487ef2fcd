"""Test plumbing shared by every app: the factory registry and URL walking for generic tests."""
