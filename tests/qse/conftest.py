"""Fixtures of the shared machinery's tests."""

import pytest


@pytest.fixture
def sent(django_capture_on_commit_callbacks):
    """Run a request (or a command), then what it does on commit (its e-mails), as a real
    commit would: the test's transaction never commits."""
    def run(function):
        with django_capture_on_commit_callbacks(execute=True):
            return function()
    return run
