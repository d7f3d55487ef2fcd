"""Which factory builds which model. Apps register theirs in ``<app>/tests/factories.py``.

The generic tests (tests/test_tenant_isolation.py) build any model's row through this registry, so a new model
is covered as soon as it has a factory, and a meta-test fails when a model has none.
"""

import importlib

from django.apps import apps

FACTORIES: dict[type, type] = {}


def register(factory_class):
    FACTORIES[factory_class._meta.model] = factory_class
    return factory_class


def load_all_factories() -> dict[type, type]:
    for config in apps.get_app_configs():
        if config.name.startswith("khizmat."):
            try:
                importlib.import_module(f"{config.name}.tests.factories")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.tests.factories" and error.name != f"{config.name}.tests":
                    raise
    return FACTORIES


def factory_for(model):
    load_all_factories()
    return FACTORIES[model]
