"""Auditors' independence (ISO 19011 4 e and 7.2.3): an auditor does not audit their own
process nor their own work. Pure: the service and the form ask the same function."""

from __future__ import annotations

from django.utils.translation import gettext as _


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def independence_errors(*, process, lead_auditor, auditors, auditees=()) -> dict[str, list[str]]:
    """Field errors for a team that would audit its own process or work (empty: independent).

    ``auditors`` and ``auditees`` are users; ``process`` the audited process (or None)."""
    errors: dict[str, list[str]] = {}
    owner_id = getattr(process, "owner_id", None)
    auditee_ids = {person.pk for person in auditees}
    members = [("lead_auditor", lead_auditor)] + [("auditors", member) for member in auditors]
    for field, person in members:
        if person is None:
            continue
        if owner_id and person.pk == owner_id:
            errors.setdefault(field, []).append(_(
                "{name} owns the audited process: an auditor cannot audit their own process.").format(name=_name(person)))
        if person.pk in auditee_ids:
            errors.setdefault(field, []).append(_(
                "{name} is an auditee of this audit: an auditor cannot audit their own work.").format(name=_name(person)))
    return errors


def auditee_errors(*, person, lead_auditor, auditors) -> dict[str, list[str]]:
    """An auditee who is on the audit team would audit their own work."""
    team_ids = {member.pk for member in auditors} | ({lead_auditor.pk} if lead_auditor else set())
    if person is not None and person.pk in team_ids:
        return {"person": [_("{name} is on the audit team: an auditor cannot audit their own work.").format(
            name=_name(person))]}
    return {}
