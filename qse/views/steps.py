"""A workflow step called from a page: what a refusal says and which status it answers.

The services refuse in three ways: a broken rule (``ValidationError``), a stale page
(``ConflictError``) and a missing right (``PermissionDenied``). Every page that runs a step
turns them into the same visible, translated message and HTTP status through this module;
only the wording of a conflict is the caller's (it names what changed).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from qse.services import ConflictError

REFUSALS = (ValidationError, ConflictError, PermissionDenied)
_STATUS = {ValidationError: 400, ConflictError: 409, PermissionDenied: 403}


def refusal_status(error: BaseException) -> int:
    return next((code for kind, code in _STATUS.items() if isinstance(error, kind)), 400)


def refusal_messages(error: BaseException, *, conflict: str) -> list[str]:
    """What to tell the person whose step was refused."""
    if isinstance(error, ValidationError):
        return list(dict.fromkeys(error.messages))  # one rule broken on two fields is said once
    if isinstance(error, ConflictError):
        return [str(conflict)]
    return [str(error) or _("You are not allowed to do this.")]


def run_step(step: Callable[[], object], *, conflict: str) -> tuple[str | None, int]:
    """Run the step; answer (None, 200), or the refusal's message and HTTP status."""
    try:
        step()
    except REFUSALS as error:
        return " ".join(refusal_messages(error, conflict=conflict)), refusal_status(error)
    return None, 200
