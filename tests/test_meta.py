"""Meta-tests: every domain model has the generic tests, history and a tenant policy."""

import importlib
import pkgutil

import pghistory.models
from django.apps import apps

import tests
from qse.models import ScopedModel
from qse.registry import declaration_for, declarations
from qse.testing import ObjectViewsTestCase
from qse.testing_children import ChildViewsTestCase

HISTORY_EXEMPT = {"qse.Notification"}  # messages, not records: no history needed


def _all_subclasses(cls):
    for subclass in cls.__subclasses__():
        yield subclass
        yield from _all_subclasses(subclass)


def test_every_declared_model_has_generic_view_and_api_tests():
    for module in pkgutil.walk_packages(tests.__path__, "tests."):
        if module.name.rsplit(".", 1)[-1].startswith("test_") and "browser" not in module.name:
            importlib.import_module(module.name)
    cases = [*_all_subclasses(ObjectViewsTestCase), *_all_subclasses(ChildViewsTestCase)]
    tested = {case.declaration.model for case in cases if case.declaration}
    children = {case.declaration.model for case in _all_subclasses(ChildViewsTestCase) if case.declaration}
    # A child record (declared with a parent) is tested by the child cases, nested under it.
    assert all(declaration_for(model).parent for model in children)
    missing = [d.model._meta.label for d in declarations() if d.model not in tested]
    assert not missing


def test_every_domain_model_keeps_its_history():
    untracked = [
        model._meta.label for model in apps.get_models()
        if issubclass(model, ScopedModel) and model._meta.label not in HISTORY_EXEMPT and not hasattr(model, "events")
    ]
    assert not untracked


# The apps of the four blocks (DESIGN.md): every model they define is a tenant record.
DOMAIN_APPS = {"context", "risks", "compliance", "objectives", "audits", "nonconformities", "improvement"}


def test_every_domain_model_is_scoped_by_the_shared_base():
    present = {config.label for config in apps.get_app_configs()} & DOMAIN_APPS
    assert {"context", "risks", "nonconformities", "improvement"} <= present  # never an empty sweep
    unscoped = [
        model._meta.label for model in apps.get_models()
        if model._meta.app_label in DOMAIN_APPS
        and not issubclass(model, pghistory.models.Event)  # the history rows, written by triggers
        and not issubclass(model, ScopedModel)
    ]
    assert not unscoped
