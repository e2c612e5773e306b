"""Roles and what each may do, as data.

A right is ``ALL`` (every row of the organization) or ``OWN`` (only the rows the model's
ownership rule gives the user: actions they own or that belong to a process they own).
A missing entry means no right. ``restrict()`` and ``can()`` read this table; nothing
else decides.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("QSE coordinator")
    MANAGEMENT = "management", _("Management")
    PROCESS_OWNER = "process_owner", _("Process owner")
    AUDITOR = "auditor", _("Auditor")
    CONTRIBUTOR = "contributor", _("Contributor")


ALL = "all"
OWN = "own"
VERBS = ("view", "add", "change", "archive")

_EVERYTHING = {verb: ALL for verb in VERBS}
_READ_ONLY = {"view": ALL}

# What a process owner may start and, on the events they own, carry on.
_EVENT_TREATMENT = (
    "event", "immediateaction", "whystep", "ishikawacause", "rootcause", "correctiveactionlink", "eightd", "a3report",
)

# "*" is the default for every model; a model label overrides it. The regulatory watch
# (compliance.*) keeps the default on purpose: coordinators keep the referential, qualify the
# inbox and evaluate; every other role reads. So do the question banks and the supplier
# register (audits.questionbank, bankquestion, supplier*): the coordinator keeps them, all read.
RIGHTS: dict[str, dict[str, dict[str, str]]] = {
    Role.ADMIN: {"*": _EVERYTHING},
    Role.COORDINATOR: {"*": _EVERYTHING, "qse.membership": _READ_ONLY},
    Role.MANAGEMENT: {
        "*": _READ_ONLY,
        "risks.risk": {"view": ALL, "add": ALL, "change": OWN},
        "improvement.actionplan": {"view": ALL, "add": ALL, "change": OWN},
        "improvement.action": {"view": ALL, "add": ALL, "change": OWN},
        **{label: {"view": ALL, "add": ALL, "change": OWN} for label in ("nonconformities.event", "nonconformities.eightd", "nonconformities.a3report")},
        "nonconformities.person": {},
        # Management sets strategic objectives and keeps its own up to date.
        "objectives.objective": {"view": ALL, "add": ALL, "change": OWN},
        "objectives.actiondependency": {"view": ALL, "add": ALL, "change": OWN},
        # Management records the review's conclusions and decisions (ISO 9.3 outputs); the
        # coordinator keeps the review itself and comments its inputs.
        "improvement.reviewdecision": {"view": ALL, "add": ALL, "change": ALL},
    },
    Role.PROCESS_OWNER: {
        "*": _READ_ONLY,
        "risks.risk": {"view": ALL, "add": ALL, "change": OWN},
        "risks.environmentalaspect": {"view": ALL, "add": ALL, "change": OWN},
        # A plan they own or that belongs to their process is theirs to keep up to date.
        "improvement.actionplan": {"view": ALL, "add": ALL, "change": OWN},
        "improvement.action": {"view": ALL, "add": ALL, "change": OWN},
        # Process owners lead the analysis of the events of their processes.
        **{f"nonconformities.{name}": {"view": ALL, "add": ALL, "change": OWN} for name in _EVENT_TREATMENT},
        # ... and remove a 5-whys answer or an Ishikawa cause entered by mistake (root causes stay).
        **{f"nonconformities.{name}": {"view": ALL, "add": ALL, "change": OWN, "archive": OWN}
           for name in ("whystep", "ishikawacause")},
        "nonconformities.person": {},
        # The objectives and indicators of their process are theirs to keep up to date, and they
        # enter the values of the indicators they (or their process) own.
        "objectives.objective": {"view": ALL, "add": ALL, "change": OWN},
        "objectives.indicator": {"view": ALL, "add": ALL, "change": OWN},
        "objectives.measurement": {"view": ALL, "add": OWN, "change": OWN},
        "objectives.actiondependency": {"view": ALL, "add": ALL, "change": OWN},
    },
    Role.AUDITOR: {
        "*": _READ_ONLY,
        "improvement.action": {"view": ALL, "add": ALL, "change": OWN},
        "nonconformities.event": {"view": ALL, "add": ALL, "change": OWN},
        "nonconformities.immediateaction": {"view": ALL, "add": ALL},
        "nonconformities.person": {},
        # Auditors plan audits and keep those they lead or are on the team of, with their
        # auditees and plan (issue 12).
        "audits.audit": {"view": ALL, "add": ALL, "change": OWN},
        "audits.auditee": {"view": ALL, "add": OWN, "change": OWN, "archive": OWN},
        "audits.scheduleitem": {"view": ALL, "add": OWN, "change": OWN, "archive": OWN},
    },
    Role.CONTRIBUTOR: {
        "*": _READ_ONLY,
        "improvement.action": {"view": ALL, "change": OWN},
        # Anyone reports what they see and records what they did on the spot.
        "nonconformities.event": {"view": ALL, "add": ALL, "change": OWN},
        "nonconformities.immediateaction": {"view": ALL, "add": ALL},
        "nonconformities.person": {},
    },
}


def right_for(role: str, model_label: str, verb: str) -> str | None:
    """The right ("all", "own" or None) a role has for a verb on a model."""
    table = RIGHTS.get(role, {})
    rights = table.get(model_label.lower(), table.get("*", {}))
    return rights.get(verb)


# Suggestions and improvement projects (issue 13): everyone proposes and supports an idea, and
# changes their own until the coordinator takes it up (the ownership rule says "until reviewed");
# a project leader keeps their project and its phases, whatever their role.
_IDEAS = {
    "improvement.suggestion": {"view": ALL, "add": ALL, "change": OWN},
    "improvement.suggestionsupport": {"view": ALL, "add": ALL},
    "improvement.projectphase": {"view": ALL, "add": OWN, "change": OWN},
}
for _role in (Role.MANAGEMENT, Role.PROCESS_OWNER, Role.AUDITOR, Role.CONTRIBUTOR):
    RIGHTS[_role].update(_IDEAS)
    RIGHTS[_role]["improvement.improvementproject"] = (
        {"view": ALL, "add": ALL, "change": OWN} if _role in (Role.MANAGEMENT, Role.PROCESS_OWNER)
        else {"view": ALL, "change": OWN}
    )

# The people of the organization (memberships, and invitations with them) are managed by its
# admins and read by coordinators; the others name people through the scoped people list.
for _role in (Role.MANAGEMENT, Role.PROCESS_OWNER, Role.AUDITOR, Role.CONTRIBUTOR):
    RIGHTS[_role]["qse.membership"] = {}

# Improvement teams (issue 13): whoever leads a team or owns its process runs it (its members,
# its sessions and their attendance), whatever their role; only coordinators create teams.
# Training topics and records keep the default: the coordinator's, read by everyone.
for _role in (Role.MANAGEMENT, Role.PROCESS_OWNER, Role.AUDITOR, Role.CONTRIBUTOR):
    RIGHTS[_role]["improvement.improvementteam"] = {"view": ALL, "change": OWN}
    for _label in ("improvement.teammember", "improvement.worksession", "improvement.sessionattendance"):
        RIGHTS[_role][_label] = {"view": ALL, "add": OWN, "change": OWN, "archive": OWN}

# Notifications and reminders are personal, whatever the role.
for _rights in RIGHTS.values():
    _rights["qse.notification"] = {"view": OWN, "change": OWN}
    _rights["qse.reminder"] = {"view": OWN}
    # A PDF is built with its requester's rights: only they may open it.
    _rights["qse.generatedreport"] = {"view": OWN}
    # A file is seen with the record it belongs to and added or removed by who may change that
    # record, whatever the role (``rights_from_parent``: can() and restrict() ask the record).
    _rights["qse.attachment"] = {verb: ALL for verb in VERBS}
    # A signature on a controlled document and a read acknowledgement are written only by the
    # signer's or the reader's own step (compliance.services_documents); nobody edits or removes them.
    for _label in ("compliance.documentsignature", "compliance.readacknowledgement"):
        _rights[_label] = {"view": ALL}

# An audit's checklist is answered by its lead auditor and its team, whatever their role (issue
# 12): they add and change the questions, answers, photos, sync changes and offline reservation
# of their audits (the models' ownership rule names them); coordinators keep everything.
for _role in (Role.MANAGEMENT, Role.PROCESS_OWNER, Role.AUDITOR, Role.CONTRIBUTOR):
    for _label in ("audits.auditquestion", "audits.auditanswer", "audits.auditphoto", "audits.answerop",
                   "audits.auditlease"):
        RIGHTS[_role][_label] = {"view": ALL, "add": OWN, "change": OWN}
