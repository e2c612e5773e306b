"""Who may do what, written by hand from the product's intent (DESIGN.md), as plain data.

This module is the tests' answer key. It must never import ``qse.roles`` (or anything that
reads it): a wrong cell in the production table has to disagree with this one and fail a test
(``tests/test_role_table.py``; ``tests/test_role_mutation.py`` proves every cell is watched).

The intent, role by role:
- admin: everything;
- coordinator: everything but managing memberships (they read them);
- the People page (memberships and invitations) is the admins' and the coordinators' only: the
  other roles name people through the scoped people list, not through memberships (issue 9);
- management: reads everything; creates and changes its own risks, plans, actions and events
  (and the 8D / A3 it leads or champions);
- process owner: reads everything; creates risks, plans, actions, events and their analysis,
  and changes what they own or what belongs to their processes (removing a 5-whys answer or
  an Ishikawa cause of such an event included);
- auditor: reads everything; records events and immediate actions (the findings of the audits
  module to come), adds actions and changes their own;
- contributor: reads everything; reports events and immediate actions, updates their own
  actions;
- objectives (issue 11): management sets strategic objectives and keeps its own up to date;
  a process owner creates objectives and indicators and changes those they own or that belong
  to their process, enters (and corrects) the values of those indicators only, and links the
  actions of the plans they run (dependencies); policy axes and dashboards are the
  coordinator's (everyone reads them);
- management reviews (issue 13): the coordinator prepares the review, collects and comments its
  inputs and keeps its attendees and minutes; management records the conclusions and decisions
  (and corrects any of them, whoever typed it during the meeting); every other role reads them;
- nobody but coordinators and admins sees the people (accident victims);
- sensors (devices) are set up, their tokens issued and their readings pushed by a person
  only by coordinators and admins; every role reads them and their figures;
- the environmental performance records (waste register, meters and readings, production
  volumes, emission factors, GHG inventories, their data and results) are kept by coordinators
  and admins and read by every other role: they are the plant's measured figures, with no
  owner of their own (issue 14);
- audits (issue 12): an auditor plans audits and keeps those they lead or are on the team of,
  with their auditees and audit plan (adding, correcting and removing a line); programmes,
  auditors' competences and findings (made by the findings' service from the answers) are the
  coordinator's; management and process owners read them;
- notifications, reminders and generated reports are personal, whatever the role;
- periodic checks and controlled documents are kept by coordinators and admins and read by
  everyone; a signature on a document version and a read acknowledgement are written by the
  signer's or the reader's own step (a workflow guard names the person) and never changed or
  removed, by anyone (issue 10);
- question banks and the supplier register (issue 12): the coordinator keeps the banks (loads
  the library, copies and edits them) and the suppliers with their figures, certifications and
  shared requirements; every other role reads them (an auditor reads the banks and writes the
  questions of their own audit's checklist, not the organization's reference questions;
  management and process owners read the evaluation; the ranking is read by all, purchasing
  included);
- an audit's checklist (its questions, answers, photos, the changes devices sync and the offline
  reservation) is answered by the audit's lead auditor and audit team, whatever their role: they
  add and change those of their audits; everyone else reads them; coordinators keep everything
  (issue 12);
- improvement teams (issue 13): the coordinator creates a team; its leader and the owner of its
  process, whatever their role, change it and run it: add, change and remove its members, plan,
  change and archive its work sessions and record their attendance; every other role reads them.
  Training topics and training records are the coordinator's, read by every role (the matrix is
  the team's shared evidence of competence, ISO 7.2; a record holds no more than a name and dates);
- suggestions (issue 13): every role proposes an improvement and supports a colleague's (once);
  the author changes their own suggestion only while it awaits review (submitted): once the
  coordinator takes it up, the assessment (impact, effort, decision) is the coordinator's; a
  support is never changed or removed;
- improvement projects (issue 13): management and process owners start projects; whoever leads a
  project (any role) keeps it and its phases up to date (adds and changes phases of their own
  projects only); coordinators and admins keep every project;
- nobody changes or archives an archived record; nobody but coordinators and admins archives
  (but for the analysis items above).

A right is ``ALL`` (every row of the organization the member may see), ``OWN`` (the rows the
ownership rule below gives the user) or absent (none). Explicit per-object grants
(django-guardian) come on top and are tested in tests/qse/test_permissions.py.
"""

from __future__ import annotations

ALL = "all"
OWN = "own"
VERBS = ("view", "add", "change", "archive")

ADMIN, COORDINATOR, MANAGEMENT = "admin", "coordinator", "management"
PROCESS_OWNER, AUDITOR, CONTRIBUTOR = "process_owner", "auditor", "contributor"
ROLES = (ADMIN, COORDINATOR, MANAGEMENT, PROCESS_OWNER, AUDITOR, CONTRIBUTOR)

# Every model the role table speaks of (lower-case labels). A new domain model must be added
# here by hand (tests/test_role_table.py fails otherwise).
QSE = ("qse.site", "qse.process", "qse.attachment", "qse.membership")
PERSONAL = ("qse.notification", "qse.reminder", "qse.generatedreport")
CONTEXT = (
    "context.contextissue", "context.swotitem", "context.interestedparty", "context.partyexpectation",
    "context.policystatement", "context.climatedecision",
)
RISKS = (
    "risks.riskmatrix", "risks.risk", "risks.environmentalaspect", "risks.workunit",
    "risks.occupationalrisk", "risks.duerpversion",
    # Environmental performance (issue 14): the waste register and its extracts, meters,
    # readings, production volumes, emission factors, GHG inventories, activity data, results.
    "risks.wasteremoval", "risks.wasteregisterextract", "risks.meter", "risks.meterreading",
    "risks.productionvolume", "risks.emissionfactor", "risks.ghginventory", "risks.ghgactivity", "risks.ghgresult",
)
IMPROVEMENT = (
    "improvement.actionplan", "improvement.action", "improvement.improvementteam", "improvement.teammember",
    "improvement.managementreview", "improvement.reviewinput", "improvement.reviewdecision",
    "improvement.worksession", "improvement.sessionattendance", "improvement.trainingtopic",
    "improvement.trainingrecord",
    "improvement.suggestion", "improvement.suggestionsupport", "improvement.improvementproject",
    "improvement.projectphase",
)
NONCONFORMITIES = (
    "nonconformities.event", "nonconformities.person", "nonconformities.immediateaction",
    "nonconformities.hoursworked", "nonconformities.whystep", "nonconformities.ishikawacause",
    "nonconformities.rootcause", "nonconformities.correctiveactionlink", "nonconformities.reportingpoint",
    "nonconformities.eightd", "nonconformities.a3report",
)
OBJECTIVES = (
    "objectives.policyaxis", "objectives.objective", "objectives.indicator", "objectives.measurement",
    "objectives.dashboard", "objectives.dashboardtile", "objectives.actiondependency", "objectives.device",
)
COMPLIANCE_CONTROLS = (
    "compliance.checktype", "compliance.periodiccheck", "compliance.checkreport", "compliance.checkobservation",
    "compliance.controlleddocument", "compliance.documentversion", "compliance.documentsignature",
    "compliance.readacknowledgement",
)
# Written only by their signer's or reader's step, read by everyone, never changed (issue 10).
SIGNED_RECORDS = ("compliance.documentsignature", "compliance.readacknowledgement")
# The regulatory watch (issue 10): the coordinator keeps the referential, qualifies the inbox and
# evaluates compliance; every other role reads it (management reads the evaluations and the
# watch before the review, process owners the requirements of their sites).
COMPLIANCE = (
    "compliance.text", "compliance.textversion", "compliance.requirement", "compliance.siteprofile",
    "compliance.icpeclassification", "compliance.applicability", "compliance.evaluation",
    "compliance.interlocutor", "compliance.source", "compliance.pollrun", "compliance.watchitem",
)
# Audits and suppliers (issue 12).
AUDITS = (
    "audits.supplier", "audits.auditprogramme", "audits.audit", "audits.auditquestion", "audits.auditanswer",
    "audits.auditphoto", "audits.auditee", "audits.scheduleitem", "audits.auditorcompetence", "audits.finding",
    # Question banks and the supplier register's records (issue 12): kept by coordinators.
    "audits.questionbank", "audits.bankquestion", "audits.supplierfigure", "audits.suppliercertification",
    "audits.supplierrequirement",
    "audits.answerop", "audits.auditlease",
)
LABELS = (
    QSE + PERSONAL + CONTEXT + RISKS + IMPROVEMENT + NONCONFORMITIES + OBJECTIVES + COMPLIANCE + COMPLIANCE_CONTROLS
    + AUDITS
)

# The ownership rule of each model that has one: the user named by any of these field paths
# owns the row. Models not listed have no owner (``OWN`` gives nothing on them).
OWNERSHIP: dict[str, tuple[str, ...]] = {
    "qse.process": ("owner",),
    "qse.notification": ("recipient",),
    "qse.reminder": ("recipient",),
    "qse.generatedreport": ("requested_by",),
    "risks.risk": ("owner", "process__owner"),
    "risks.environmentalaspect": ("owner", "process__owner"),
    "improvement.actionplan": ("owner", "process__owner"),
    "improvement.action": ("owner", "process__owner"),
    "nonconformities.immediateaction": ("event__owner", "event__process__owner", "done_by"),
    "nonconformities.whystep": ("event__owner", "event__process__owner"),
    "nonconformities.ishikawacause": ("event__owner", "event__process__owner"),
    "nonconformities.rootcause": ("event__owner", "event__process__owner"),
    "nonconformities.correctiveactionlink": ("event__owner", "event__process__owner"),
    "nonconformities.eightd": ("leader", "champion", "event__owner"),
    "nonconformities.a3report": ("owner", "event__owner"),
    "objectives.objective": ("owner", "process__owner"),
    "objectives.indicator": ("owner", "process__owner"),
    "objectives.measurement": ("indicator__owner", "indicator__process__owner"),
    "objectives.actiondependency": ("successor__owner", "successor__process__owner"),
    "audits.audit": ("lead_auditor", "auditors"),
    "audits.auditee": ("audit__lead_auditor", "audit__auditors"),
    "audits.scheduleitem": ("audit__lead_auditor", "audit__auditors"),
    "audits.finding": ("audit__lead_auditor", "audit__auditors"),
    "audits.auditquestion": ("audit__lead_auditor", "audit__auditors"),
    "audits.auditanswer": ("question__audit__lead_auditor", "question__audit__auditors"),
    "audits.auditphoto": ("question__audit__lead_auditor", "question__audit__auditors"),
    "audits.answerop": ("audit__lead_auditor", "audit__auditors"),
    "audits.auditlease": ("audit__lead_auditor", "audit__auditors"),
    "improvement.improvementteam": ("leader", "process__owner"),
    "improvement.teammember": ("team__leader", "team__process__owner"),
    "improvement.worksession": ("team__leader", "team__process__owner"),
    "improvement.sessionattendance": ("session__team__leader", "session__team__process__owner"),
    "improvement.suggestionsupport": ("supporter",),
    "improvement.improvementproject": ("leader",),
    "improvement.projectphase": ("project__leader",),
}

# After triage an event belongs to its person in charge and the owner of its process; the
# person who reported it owns it only while it awaits triage (issue 8, section 2). The second
# case of nonconformities.Event.ownership, an open event nobody has taken in charge yet, is
# checked by tests/nonconformities/test_event_reporter.py. Who verifies an action's
# effectiveness is a workflow guard, not a cell of this table (tests/improvement/test_effectiveness.py).
OWNERSHIP["nonconformities.event"] = ("owner", "process__owner")
OWNED_WHILE = {"nonconformities.event": {"detected_by": ("status", "reported")}}
# The author of a suggestion owns it only while it awaits review (issue 13).
OWNED_WHILE["improvement.suggestion"] = {"author": ("status", "submitted")}

# The field that places a row on a site: a member limited to some sites sees the rows of those
# sites and the organization-wide ones (no site). Models not listed are organization-wide.
SITE_FIELD: dict[str, str] = {
    "improvement.actionplan": "site",
    "improvement.action": "site",
    "risks.risk": "site",
    "risks.environmentalaspect": "site",
    "risks.workunit": "site",
    "risks.occupationalrisk": "work_unit__site",
    "risks.wasteremoval": "site",
    "risks.wasteregisterextract": "site",
    "risks.meter": "site",
    "risks.meterreading": "meter__site",
    "risks.productionvolume": "site",
    "risks.ghginventory": "site",
    "risks.ghgactivity": "inventory__site",
    "risks.ghgresult": "inventory__site",
    "nonconformities.event": "site",
    "nonconformities.person": "site",
    "nonconformities.hoursworked": "site",
    "nonconformities.reportingpoint": "site",
    "nonconformities.immediateaction": "event__site",
    "nonconformities.whystep": "event__site",
    "nonconformities.ishikawacause": "event__site",
    "nonconformities.rootcause": "event__site",
    "nonconformities.correctiveactionlink": "event__site",
    "nonconformities.eightd": "event__site",
    "nonconformities.a3report": "event__site",
    "objectives.device": "site",
    "compliance.periodiccheck": "site",
    "compliance.checkreport": "periodic_check__site",
    "compliance.checkobservation": "report__periodic_check__site",
    "compliance.controlleddocument": "site",
    "compliance.documentversion": "document__site",
    "compliance.documentsignature": "document_version__document__site",
    "compliance.readacknowledgement": "document_version__document__site",
    "compliance.siteprofile": "site",
    "compliance.icpeclassification": "site",
    "compliance.applicability": "site",
    "compliance.evaluation": "site",
    "compliance.interlocutor": "site",
    "objectives.objective": "site",
    "objectives.indicator": "site",
    "objectives.measurement": "indicator__site",
    "objectives.dashboard": "site",
    "objectives.dashboardtile": "dashboard__site",
    "objectives.actiondependency": "successor__site",
    "audits.audit": "site",
    "audits.auditquestion": "audit__site",
    "audits.auditanswer": "question__audit__site",
    "audits.auditphoto": "question__audit__site",
    "audits.auditee": "audit__site",
    "audits.scheduleitem": "audit__site",
    "audits.finding": "audit__site",
    "audits.answerop": "audit__site",
    "audits.auditlease": "audit__site",
    "improvement.improvementteam": "site",
    "improvement.teammember": "team__site",
    "improvement.worksession": "team__site",
    "improvement.sessionattendance": "session__team__site",
    "improvement.suggestion": "site",
    "improvement.suggestionsupport": "suggestion__site",
    "improvement.improvementproject": "site",
    "improvement.projectphase": "project__site",
}

# An attachment's row is judged by the record it belongs to (issue 8, section 2): it is seen
# when that record may be seen, and added or removed when that record may be changed, whatever
# the role: every role's "qse.attachment" cells are "all", and the record decides per row.
RIGHTS_FROM_PARENT: dict[str, tuple[str, dict[str, str]]] = {
    "qse.attachment": ("target", {"view": "view", "add": "change", "change": "change", "archive": "change"}),
}

# --- the table -------------------------------------------------------------------------------
EVERYTHING = {"view": ALL, "add": ALL, "change": ALL, "archive": ALL}
READ = {"view": ALL}
NOTHING: dict[str, str] = {}
CREATE_AND_CHANGE_OWN = {"view": ALL, "add": ALL, "change": OWN}
# The rows of the audits one answers (lead auditor or team member), and only those.
AUDIT_TEAM_WORK = {
    label.replace(".", "__"): {"view": ALL, "add": OWN, "change": OWN}
    for label in ("audits.auditquestion", "audits.auditanswer", "audits.auditphoto", "audits.answerop",
                  "audits.auditlease")
}
# Personal rows: one's own notifications (read, mark read), reminders and PDFs.
PERSONAL_RIGHTS = {
    "qse.notification": {"view": OWN, "change": OWN},
    "qse.reminder": {"view": OWN},
    "qse.generatedreport": {"view": OWN},
}


def _reader(**exceptions: dict) -> dict[str, dict[str, str]]:
    """A role that reads every model, sees no victim, and has the given exceptions."""
    table = {label: READ for label in LABELS}
    table["nonconformities.person"] = NOTHING
    table["qse.membership"] = NOTHING
    table["qse.attachment"] = EVERYTHING  # the record a file belongs to decides (RIGHTS_FROM_PARENT)
    table.update(PERSONAL_RIGHTS)
    table.update({label.replace("__", "."): rights for label, rights in exceptions.items()})
    return table


# A team's leader or process owner runs it, whatever their role (issue 13).
_TEAM_RUN = {"view": ALL, "add": OWN, "change": OWN, "archive": OWN}
_TEAMS = {
    "improvement__improvementteam": {"view": ALL, "change": OWN},
    "improvement__teammember": _TEAM_RUN,
    "improvement__worksession": _TEAM_RUN,
    "improvement__sessionattendance": _TEAM_RUN,
}

_EVENT_ANALYSIS = (
    "nonconformities__event", "nonconformities__immediateaction", "nonconformities__whystep",
    "nonconformities__ishikawacause", "nonconformities__rootcause", "nonconformities__correctiveactionlink",
    "nonconformities__eightd", "nonconformities__a3report",
)

# Everyone proposes and supports ideas and keeps the phases of the projects they lead (issue 13).
_IDEAS = {
    "improvement__suggestion": CREATE_AND_CHANGE_OWN,
    "improvement__suggestionsupport": {"view": ALL, "add": ALL},
    "improvement__projectphase": {"view": ALL, "add": OWN, "change": OWN},
}

EXPECTED: dict[str, dict[str, dict[str, str]]] = {
    ADMIN: {**{label: EVERYTHING for label in LABELS}, **PERSONAL_RIGHTS, **{label: READ for label in SIGNED_RECORDS}},
    COORDINATOR: {
        **{label: EVERYTHING for label in LABELS}, **PERSONAL_RIGHTS, "qse.membership": READ,
        **{label: READ for label in SIGNED_RECORDS},
    },
    MANAGEMENT: _reader(
        **_TEAMS,
        **_IDEAS,
        improvement__improvementproject=CREATE_AND_CHANGE_OWN,
        risks__risk=CREATE_AND_CHANGE_OWN,
        improvement__actionplan=CREATE_AND_CHANGE_OWN,
        improvement__action=CREATE_AND_CHANGE_OWN,
        nonconformities__event=CREATE_AND_CHANGE_OWN,
        nonconformities__eightd=CREATE_AND_CHANGE_OWN,
        nonconformities__a3report=CREATE_AND_CHANGE_OWN,
        objectives__objective=CREATE_AND_CHANGE_OWN,
        objectives__actiondependency=CREATE_AND_CHANGE_OWN,
        improvement__reviewdecision={"view": ALL, "add": ALL, "change": ALL},
        **AUDIT_TEAM_WORK,
    ),
    PROCESS_OWNER: _reader(
        **_TEAMS,
        **_IDEAS,
        improvement__improvementproject=CREATE_AND_CHANGE_OWN,
        risks__risk=CREATE_AND_CHANGE_OWN,
        # The environmental aspects of their process are theirs to assess, as its risks are
        # (aspects had no owner rule, so process owners could only read them: fixed in issue 8).
        risks__environmentalaspect=CREATE_AND_CHANGE_OWN,
        # A plan owned by them or belonging to their process is theirs to keep up to date
        # (roles.py gave process owners read-only plans: fixed in issue 8).
        improvement__actionplan=CREATE_AND_CHANGE_OWN,
        improvement__action=CREATE_AND_CHANGE_OWN,
        **{name: CREATE_AND_CHANGE_OWN for name in _EVENT_ANALYSIS if "why" not in name and "ishikawa" not in name},
        # Leading the analysis of their events includes removing a 5-whys answer or an Ishikawa
        # cause entered by mistake (roles.py refused it while the page offered it: fixed in issue 8).
        nonconformities__whystep={**CREATE_AND_CHANGE_OWN, "archive": OWN},
        nonconformities__ishikawacause={**CREATE_AND_CHANGE_OWN, "archive": OWN},
        objectives__objective=CREATE_AND_CHANGE_OWN,
        objectives__indicator=CREATE_AND_CHANGE_OWN,
        # Only to the indicators they or their process own: "add" is judged on the new value's indicator.
        objectives__measurement={"view": ALL, "add": OWN, "change": OWN},
        objectives__actiondependency=CREATE_AND_CHANGE_OWN,
        **AUDIT_TEAM_WORK,
    ),
    AUDITOR: _reader(
        **_TEAMS,
        **_IDEAS,
        # A project is started by management, a process owner or the coordinator; whoever leads it keeps it.
        improvement__improvementproject={"view": ALL, "change": OWN},
        improvement__action=CREATE_AND_CHANGE_OWN,
        nonconformities__event=CREATE_AND_CHANGE_OWN,
        nonconformities__immediateaction={"view": ALL, "add": ALL},
        audits__audit=CREATE_AND_CHANGE_OWN,
        audits__auditee={"view": ALL, "add": OWN, "change": OWN, "archive": OWN},
        audits__scheduleitem={"view": ALL, "add": OWN, "change": OWN, "archive": OWN},
        **AUDIT_TEAM_WORK,
    ),
    CONTRIBUTOR: _reader(
        **_TEAMS,
        **_IDEAS,
        # A project is started by management, a process owner or the coordinator; whoever leads it keeps it.
        improvement__improvementproject={"view": ALL, "change": OWN},
        improvement__action={"view": ALL, "change": OWN},
        nonconformities__event=CREATE_AND_CHANGE_OWN,
        nonconformities__immediateaction={"view": ALL, "add": ALL},
        **AUDIT_TEAM_WORK,
    ),
}


def expected_right(role: str, label: str, verb: str) -> str | None:
    """The right the product intends a role to have for a verb on a model (None: none)."""
    return EXPECTED[str(role)][label.lower()].get(verb)


def _value(obj, path: str):
    """The id (or value) at the end of a field path, walked in memory; None on a missing link."""
    *parents, last = path.split("__")
    for name in parents:
        obj = getattr(obj, name, None)
        if obj is None:
            return None
    field = getattr(type(obj), last, None)
    if field is not None and hasattr(field, "field") and field.field.many_to_many:
        return {member.pk for member in getattr(obj, last).all()}  # a team: the ids of its members
    if field is not None and hasattr(field, "field") and field.field.is_relation:
        return getattr(obj, f"{last}_id")
    return getattr(obj, last, None)


def _names(obj, path: str, user) -> bool:
    """Does the field path name ``user``? A many-to-many path (an audit's team) names each member."""
    *parents, last = path.split("__")
    holder = obj
    for name in parents:
        holder = getattr(holder, name, None)
        if holder is None:
            return False
    if holder._meta.get_field(last).many_to_many:
        return holder.pk is not None and user.pk in {member.pk for member in getattr(holder, last).all()}
    return _value(obj, path) == user.pk


def is_owner(user, obj) -> bool:
    """Does the hand-written ownership rule give ``obj`` to ``user``?"""
    label = obj._meta.label_lower
    if any(_names(obj, path, user) for path in OWNERSHIP.get(label, ())):
        return True
    for path, (field, value) in OWNED_WHILE.get(label, {}).items():
        if _value(obj, path) == user.pk and _value(obj, field) == value:
            return True
    return False


def expected_allowed(role: str, verb: str, obj=None, user=None, model=None) -> bool:
    """May a member with this role ``verb`` this object (or, given a model, any of them)?
    Sites, archiving and grants are left to the caller: this is the role and ownership part."""
    label = (model or type(obj))._meta.label_lower
    right = expected_right(role, label, verb)
    if obj is None:
        return right is not None
    if label in RIGHTS_FROM_PARENT:
        path, verbs = RIGHTS_FROM_PARENT[label]
        return right is not None and expected_allowed(role, verbs[verb], getattr(obj, path), user)
    if right == OWN:
        return is_owner(user, obj)
    return right == ALL
