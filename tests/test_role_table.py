"""The role table against the hand-written answer key (tests/role_expectations.py), on real rows.

For every role, model and verb: ``can(user, verb, Model)``, ``can(user, verb, row)`` and
``Model.objects.restrict(user, verb)`` are compared with the key, on one row nobody of the
roles owns and, for models with an owner, one row per role owned through each ownership path.
In process, no HTTP: about 800 cells in a few seconds. tests/test_role_mutation.py proves that
flipping any one cell of qse/roles.py makes this comparison fail.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from compliance import factories as cp_factories
from context import factories as context_factories
from improvement.factories import ActionFactory, ActionPlanFactory
from nonconformities import factories as nc_factories
from nonconformities.choices import EventStatus
from qse.factories import MembershipFactory, ProcessFactory, SiteFactory, UserFactory
from qse.models import Membership, ScopedModel
from qse.permissions import can
from qse.tenancy import activate, scope_restored
from risks.factories import RiskFactory, RiskMatrixFactory
from tests import role_expectations as key

TODAY = datetime.date(2026, 11, 23)
_numbers = itertools.count(1)


# --- rows ------------------------------------------------------------------------------------

@dataclass
class Rows:
    """Probe rows of organization A: per model, (row, the user it was made to belong to or None)."""

    stranger: object
    by_label: dict = field(default_factory=dict)

    def add(self, label, row, owner=None):
        self.by_label.setdefault(label, []).append((row, owner))


class Maker:
    """Builds one row of any model of the table, each person link given or the stranger's."""

    def __init__(self, world, stranger):
        self.world, self.stranger, self.organization = world, stranger, world.a.organization
        self._processes = {}
        self._matrix = None

    def person(self, people, path):
        return people.get(path, self.stranger)

    def process(self, owner):
        """A process owned by ``owner`` (the world's own process belongs to its process owner)."""
        if owner.pk not in self._processes:
            self._processes[owner.pk] = ProcessFactory(organization=self.organization, code=f"P{next(_numbers)}", owner=owner)
        return self._processes[owner.pk]

    def matrix(self):
        if self._matrix is None:
            self._matrix = RiskMatrixFactory(organization=self.organization)
        return self._matrix

    def event(self, people, site, prefix="", status=EventStatus.OPEN):
        get = lambda path: self.person(people, prefix + path)  # noqa: E731
        return nc_factories.EventFactory(
            organization=self.organization, site=site, owner=get("owner"), detected_by=get("detected_by"),
            process=self.process(get("process__owner")), status=status,
        )

    def make(self, label: str, people: dict | None = None, site="default", **extra):
        """A row of ``label``; ``people`` maps ownership paths to users (others: the stranger)."""
        people = people or {}
        site = self.world.a.site if site == "default" else site
        return getattr(self, "make_" + label.replace(".", "_"))(people, site, **extra)

    # qse
    def make_qse_site(self, people, site):
        return SiteFactory(organization=self.organization, code=f"S{next(_numbers)}")

    def make_qse_process(self, people, site):
        return ProcessFactory(organization=self.organization, code=f"Q{next(_numbers)}", owner=self.person(people, "owner"))

    def make_qse_membership(self, people, site):
        return MembershipFactory(user=UserFactory(), organization=self.organization, role="contributor")

    def make_qse_attachment(self, people, site):
        from qse.models import Attachment

        return Attachment.objects.create(
            organization=self.organization, content_type=ContentType.objects.get_for_model(type(self.world.a.site)),
            object_id=self.world.a.site.pk, file="attachments/probe.pdf", original_name="probe.pdf",
            mime_type="application/pdf", size=10, sha256="0" * 64,
        )

    def make_qse_notification(self, people, site):
        from qse.models import Notification

        return Notification.objects.create(organization=self.organization, recipient=self.person(people, "recipient"), title="Sonde")

    def make_qse_reminder(self, people, site):
        from qse.models import Reminder
        from qse.reminders import registered_kinds

        kind = next(iter(registered_kinds()))
        return Reminder.objects.create(organization=self.organization, recipient=self.person(people, "recipient"), kind=kind,
                                       occurrence=TODAY + datetime.timedelta(days=next(_numbers)))

    def make_qse_generatedreport(self, people, site):
        from qse.models import GeneratedReport

        return GeneratedReport.objects.create(
            organization=self.organization, kind="probe", content_type=ContentType.objects.get_for_model(type(site)),
            object_id=next(_numbers), requested_by=self.person(people, "requested_by"),
        )

    # context
    def make_context_contextissue(self, people, site):
        return context_factories.ContextIssueFactory(organization=self.organization)

    def make_context_swotitem(self, people, site):
        return context_factories.SwotItemFactory(organization=self.organization)

    def make_context_interestedparty(self, people, site):
        return context_factories.InterestedPartyFactory(organization=self.organization)

    def make_context_partyexpectation(self, people, site):
        party = context_factories.InterestedPartyFactory(organization=self.organization)
        return context_factories.PartyExpectationFactory(party=party)

    def make_context_policystatement(self, people, site):
        return context_factories.PolicyStatementFactory(organization=self.organization, version_number=next(_numbers))

    def make_context_climatedecision(self, people, site):
        return context_factories.ClimateDecisionFactory(organization=self.organization)

    # risks
    def make_risks_riskmatrix(self, people, site):
        return RiskMatrixFactory(organization=self.organization, is_default=False)

    def make_risks_risk(self, people, site):
        return RiskFactory(matrix=self.matrix(), site=site, owner=self.person(people, "owner"),
                           process=self.process(self.person(people, "process__owner")))

    def make_risks_environmentalaspect(self, people, site):
        from risks.models import EnvironmentalAspect

        return EnvironmentalAspect.objects.create(
            organization=self.organization, site=site, activity="Usinage", aspect="Copeaux", impact="Déchets",
            severity=2, frequency=2, control=2, score=8, owner=self.person(people, "owner"),
            process=self.process(self.person(people, "process__owner")),
        )

    def make_risks_workunit(self, people, site):
        from risks.models import WorkUnit

        return WorkUnit.objects.create(organization=self.organization, site=site, name=f"Unité {next(_numbers)}")

    def make_risks_occupationalrisk(self, people, site):
        from risks.models import OccupationalRisk

        return OccupationalRisk.objects.create(
            organization=self.organization, work_unit=self.make_risks_workunit(people, site), hazard_family="bruit",
            situation="Bruit", matrix=self.matrix(), gravity=1, probability=1, score=1, level="low",
        )

    def make_risks_duerpversion(self, people, site):
        from risks.models import DuerpVersion

        return DuerpVersion.objects.create(organization=self.organization, number=next(_numbers), published_on=TODAY,
                                           published_by=self.stranger)

    # risks: environmental performance (issue 14)
    def make_risks_wasteremoval(self, people, site):
        from risks.models import WasteRemoval

        return WasteRemoval.objects.create(
            organization=self.organization, site=site or self.world.a.site, removed_on=TODAY, waste_code="150101",
            description="Cartons", quantity=1, tonnes=1, treatment_code="R3", carrier_name="Transports Sonde",
            destination_name="Centre de tri", destination_address="1 rue du Tri",
        )

    def make_risks_wasteregisterextract(self, people, site):
        from risks.models import WasteRegisterExtract

        return WasteRegisterExtract.objects.create(organization=self.organization, site=site or self.world.a.site,
                                                   start_on=TODAY, end_on=TODAY)

    def make_risks_meter(self, people, site):
        from risks.models import Meter

        return Meter.objects.create(organization=self.organization, site=site or self.world.a.site,
                                    name=f"Compteur {next(_numbers)}", kind="electricity", unit="kWh")

    def make_risks_meterreading(self, people, site):
        from risks.models import MeterReading

        return MeterReading.objects.create(organization=self.organization, meter=self.make_risks_meter(people, site),
                                           read_on=TODAY, value=100)

    def make_risks_productionvolume(self, people, site):
        from risks.models import ProductionVolume

        month = datetime.date(1990, 1, 1) + datetime.timedelta(days=31 * next(_numbers))
        return ProductionVolume.objects.create(organization=self.organization, site=site or self.world.a.site,
                                               month=month.replace(day=1), quantity=10)

    def make_risks_emissionfactor(self, people, site):
        from risks.models import EmissionFactor

        return EmissionFactor.objects.create(organization=self.organization, code=f"sonde-{next(_numbers)}", name="Sonde",
                                             activity="electricity", unit="kWh", value=0.05, year=2024, source="Sonde")

    def make_risks_ghginventory(self, people, site):
        from risks.models import GhgInventory

        return GhgInventory.objects.create(organization=self.organization, site=site, year=2000 + next(_numbers))

    def make_risks_ghgactivity(self, people, site):
        from risks.models import GhgActivity

        return GhgActivity.objects.create(organization=self.organization, inventory=self.make_risks_ghginventory(people, site),
                                          kind="commuting", description="Trajets", quantity=1000,
                                          factor=self.make_risks_emissionfactor(people, site))

    def make_risks_ghgresult(self, people, site):
        from risks.models import GhgResult

        return GhgResult.objects.create(
            organization=self.organization, inventory=self.make_risks_ghginventory(people, site), calculation=1, scope=2,
            item="2.1", source="meter", label="Compteur", quantity=1000, unit="kWh", factor_code="electricity-fr",
            factor_value=0.052, factor_year=2022, factor_source="Sonde", kg_co2e=52,
        )

    # improvement
    def make_improvement_actionplan(self, people, site):
        return ActionPlanFactory(organization=self.organization, site=site, owner=self.person(people, "owner"),
                                 process=self.process(self.person(people, "process__owner")))

    def make_improvement_action(self, people, site):
        return ActionFactory(organization=self.organization, plan=None, site=site, owner=self.person(people, "owner"),
                             process=self.process(self.person(people, "process__owner")))

    # nonconformities
    def make_nonconformities_event(self, people, site, status=EventStatus.OPEN):
        return self.event(people, site, status=status)

    def make_nonconformities_person(self, people, site):
        return nc_factories.PersonFactory(organization=self.organization, site=site)

    def make_nonconformities_hoursworked(self, people, site):
        site = site or self.world.a.site
        month = datetime.date(1990, 1, 1) + datetime.timedelta(days=31 * next(_numbers))
        return nc_factories.HoursWorkedFactory(site=site, month=month.replace(day=1))

    def make_nonconformities_reportingpoint(self, people, site):
        return nc_factories.ReportingPointFactory(site=site or self.world.a.site)

    def make_nonconformities_immediateaction(self, people, site):
        return nc_factories.ImmediateActionFactory(event=self.event(people, site, "event__"), done_by=self.person(people, "done_by"))

    def make_nonconformities_whystep(self, people, site):
        return nc_factories.WhyStepFactory(event=self.event(people, site, "event__"))

    def make_nonconformities_ishikawacause(self, people, site):
        return nc_factories.IshikawaCauseFactory(event=self.event(people, site, "event__"))

    def make_nonconformities_rootcause(self, people, site):
        return nc_factories.RootCauseFactory(event=self.event(people, site, "event__"))

    def make_nonconformities_correctiveactionlink(self, people, site):
        from nonconformities.models import CorrectiveActionLink

        action = ActionFactory(organization=self.organization, plan=None, owner=self.stranger)
        return CorrectiveActionLink.objects.create(organization=self.organization, event=self.event(people, site, "event__"),
                                                   action=action)

    def make_nonconformities_eightd(self, people, site):
        return nc_factories.EightDFactory(event=self.event(people, site, "event__"), leader=self.person(people, "leader"),
                                          champion=self.person(people, "champion"))

    def make_nonconformities_a3report(self, people, site):
        return nc_factories.A3ReportFactory(event=self.event(people, site, "event__"), owner=self.person(people, "owner"))

    # objectives
    def make_objectives_device(self, people, site):
        from objectives.sensors_factories import DeviceFactory

        return DeviceFactory(organization=self.organization, site=site)
    # compliance: periodic checks and documents under control
    def _periodic_check(self, site):
        from compliance.factories_controls import PeriodicCheckFactory

        site = site or self.world.a.site
        return PeriodicCheckFactory(organization=self.organization, site=site,
                                    check_type=self.make_compliance_checktype({}, site))

    def make_compliance_checktype(self, people, site):
        from compliance.factories_controls import CheckTypeFactory

        return CheckTypeFactory(organization=self.organization)

    def make_compliance_periodiccheck(self, people, site):
        return self._periodic_check(site)

    def make_compliance_checkreport(self, people, site):
        from compliance.factories_controls import CheckReportFactory

        return CheckReportFactory(organization=self.organization, periodic_check=self._periodic_check(site))

    def make_compliance_checkobservation(self, people, site):
        from compliance.factories_controls import CheckObservationFactory

        return CheckObservationFactory(organization=self.organization, report=self.make_compliance_checkreport(people, site))

    def make_compliance_controlleddocument(self, people, site):
        from compliance.factories_controls import ControlledDocumentFactory

        return ControlledDocumentFactory(organization=self.organization, site=site, owner=self.stranger)

    def make_compliance_documentversion(self, people, site):
        from compliance.factories_controls import DocumentVersionFactory

        return DocumentVersionFactory(organization=self.organization,
                                      document=self.make_compliance_controlleddocument(people, site))

    def make_compliance_documentsignature(self, people, site):
        from compliance.models import DocumentSignature

        return DocumentSignature.objects.create(
            organization=self.organization, document_version=self.make_compliance_documentversion(people, site),
            signer=self.stranger, meaning="reviewed", signed_at=datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC),
        )

    def make_compliance_readacknowledgement(self, people, site):
        from compliance.models import ReadAcknowledgement

        return ReadAcknowledgement.objects.create(
            organization=self.organization, document_version=self.make_compliance_documentversion(people, site),
            reader=self.stranger, acknowledged_at=datetime.datetime(2026, 11, 23, 9, tzinfo=datetime.UTC),
        )


    # compliance
    def make_compliance_text(self, people, site):
        return cp_factories.TextFactory(organization=self.organization)

    def make_compliance_textversion(self, people, site):
        return cp_factories.TextVersionFactory(text=cp_factories.TextFactory(organization=self.organization))

    def make_compliance_requirement(self, people, site):
        return cp_factories.RequirementFactory(text=cp_factories.TextFactory(organization=self.organization))

    def make_compliance_siteprofile(self, people, site):
        return cp_factories.SiteProfileFactory(site=site or SiteFactory(organization=self.organization,
                                                                        code=f"P{next(_numbers)}"))

    def make_compliance_icpeclassification(self, people, site):
        return cp_factories.IcpeClassificationFactory(site=site or self.world.a.site)

    def make_compliance_applicability(self, people, site):
        requirement = self.make_compliance_requirement(people, site)
        return cp_factories.ApplicabilityFactory(requirement=requirement, site=site or self.world.a.site)

    def make_compliance_evaluation(self, people, site):
        requirement = self.make_compliance_requirement(people, site)
        return cp_factories.EvaluationFactory(requirement=requirement, site=site or self.world.a.site,
                                              evaluator=self.stranger)

    def make_compliance_interlocutor(self, people, site):
        return cp_factories.InterlocutorFactory(organization=self.organization, site=site)

    def make_compliance_source(self, people, site):
        return cp_factories.SourceFactory(organization=self.organization)

    def make_compliance_pollrun(self, people, site):
        return cp_factories.PollRunFactory(source=cp_factories.SourceFactory(organization=self.organization))

    def make_compliance_watchitem(self, people, site):
        return cp_factories.WatchItemFactory(source=cp_factories.SourceFactory(organization=self.organization))
    def indicator(self, people, site, prefix=""):
        from objectives.factories import IndicatorFactory

        get = lambda path: self.person(people, prefix + path)  # noqa: E731
        return IndicatorFactory(organization=self.organization, code=f"K{next(_numbers)}", site=site, owner=get("owner"),
                                process=self.process(get("process__owner")))

    def make_objectives_policyaxis(self, people, site):
        from objectives.factories import PolicyAxisFactory

        return PolicyAxisFactory(organization=self.organization)

    def make_objectives_objective(self, people, site):
        from objectives.factories import ObjectiveFactory, PolicyAxisFactory

        return ObjectiveFactory(organization=self.organization, axis=PolicyAxisFactory(organization=self.organization),
                                site=site, owner=self.person(people, "owner"),
                                process=self.process(self.person(people, "process__owner")))

    def make_objectives_indicator(self, people, site):
        return self.indicator(people, site)

    def make_objectives_measurement(self, people, site):
        from objectives.factories import MeasurementFactory

        return MeasurementFactory(indicator=self.indicator(people, site, "indicator__"))

    def make_objectives_dashboard(self, people, site):
        from objectives.factories import DashboardFactory

        if site is None:
            return DashboardFactory(organization=self.organization)
        return DashboardFactory(organization=self.organization, scope="site", site=site)

    def make_objectives_dashboardtile(self, people, site):
        from objectives.factories import DashboardTileFactory

        dashboard = self.make_objectives_dashboard(people, site)
        return DashboardTileFactory(dashboard=dashboard, indicator=self.indicator({}, site))

    def make_objectives_actiondependency(self, people, site):
        from objectives.factories import ActionDependencyFactory

        first = ActionFactory(organization=self.organization, plan=None, owner=self.stranger)
        second = ActionFactory(organization=self.organization, plan=None, site=site, owner=self.person(people, "successor__owner"),
                               process=self.process(self.person(people, "successor__process__owner")))
        return ActionDependencyFactory(predecessor=first, successor=second)

    # audits (issue 12)
    def _audit(self, people, site, prefix=""):
        from audits.factories import AuditFactory

        audit = AuditFactory(organization=self.organization, site=site,
                             lead_auditor=self.person(people, prefix + "lead_auditor"))
        if prefix + "auditors" in people:
            audit.auditors.add(people[prefix + "auditors"])
        return audit

    def make_audits_auditee(self, people, site):
        from audits.factories import AuditeeFactory

        return AuditeeFactory(audit=self._audit(people, site, "audit__"), person=self.stranger)

    def make_audits_scheduleitem(self, people, site):
        from audits.factories import ScheduleItemFactory

        return ScheduleItemFactory(audit=self._audit(people, site, "audit__"))

    def make_audits_auditorcompetence(self, people, site):
        from audits.factories import AuditorCompetenceFactory

        return AuditorCompetenceFactory(organization=self.organization, auditor=self.stranger)

    def make_audits_finding(self, people, site):
        from audits.factories import AuditAnswerFactory, AuditQuestionFactory
        from audits.models import Finding

        audit = self._audit(people, site, "audit__")
        answer = AuditAnswerFactory(question=AuditQuestionFactory(audit=audit), result="minor_nc")
        event = nc_factories.EventFactory(organization=self.organization, site=site, event_type="audit_finding")
        return Finding.objects.create(organization=self.organization, audit=audit, answer=answer, event=event,
                                      result="minor_nc", clause="8.4")

    def make_audits_supplier(self, people, site):
        from audits.factories import SupplierFactory

        return SupplierFactory(organization=self.organization)

    def make_audits_questionbank(self, people, site):
        from audits.factories_banks import QuestionBankFactory

        return QuestionBankFactory(organization=self.organization)

    def make_audits_bankquestion(self, people, site):
        from audits.factories_banks import BankQuestionFactory, QuestionBankFactory

        return BankQuestionFactory(bank=QuestionBankFactory(organization=self.organization))

    def make_audits_supplierfigure(self, people, site):
        from audits.factories_banks import SupplierFigureFactory

        return SupplierFigureFactory(supplier=self.make_audits_supplier(people, site))

    def make_audits_suppliercertification(self, people, site):
        from audits.factories_banks import SupplierCertificationFactory

        return SupplierCertificationFactory(supplier=self.make_audits_supplier(people, site))

    def make_audits_supplierrequirement(self, people, site):
        from audits.factories_banks import SupplierRequirementFactory

        return SupplierRequirementFactory(supplier=self.make_audits_supplier(people, site))

    def make_audits_auditprogramme(self, people, site):
        from audits.factories import AuditProgrammeFactory

        return AuditProgrammeFactory(organization=self.organization)

    def make_audits_audit(self, people, site):
        return self._audit(people, site)

    def make_audits_auditquestion(self, people, site):
        from audits.factories import AuditQuestionFactory

        return AuditQuestionFactory(audit=self._audit(people, site, "audit__"))

    def make_audits_auditanswer(self, people, site):
        from audits.factories import AuditAnswerFactory, AuditQuestionFactory

        return AuditAnswerFactory(question=AuditQuestionFactory(audit=self._audit(people, site, "question__audit__")))

    def make_audits_auditphoto(self, people, site):
        from audits.factories import AuditPhotoFactory, AuditQuestionFactory

        return AuditPhotoFactory(question=AuditQuestionFactory(audit=self._audit(people, site, "question__audit__")))

    def make_audits_answerop(self, people, site):
        from audits.factories import AnswerOpFactory

        return AnswerOpFactory(audit=self._audit(people, site, "audit__"), user=self.stranger)

    def make_audits_auditlease(self, people, site):
        from audits.factories import AuditLeaseFactory

        return AuditLeaseFactory(audit=self._audit(people, site, "audit__"), user=self.stranger)

    # improvement teams (issue 13)
    def _team(self, people, site, prefix=""):
        from improvement.factories import ImprovementTeamFactory

        return ImprovementTeamFactory(organization=self.organization, site=site,
                                      leader=self.person(people, prefix + "leader"),
                                      process=self.process(self.person(people, prefix + "process__owner")))

    def make_improvement_improvementteam(self, people, site):
        return self._team(people, site)

    def make_improvement_teammember(self, people, site):
        from improvement.factories import TeamMemberFactory

        return TeamMemberFactory(team=self._team(people, site, "team__"), user=self.stranger)

    # management reviews (issue 13)
    def make_improvement_managementreview(self, people, site):
        from improvement.factories import ManagementReviewFactory

        return ManagementReviewFactory(organization=self.organization)

    def make_improvement_reviewinput(self, people, site):
        from improvement.factories import ReviewInputFactory

        return ReviewInputFactory(review=self.make_improvement_managementreview(people, site))

    def make_improvement_reviewdecision(self, people, site):
        from improvement.factories import ReviewDecisionFactory

        return ReviewDecisionFactory(review=self.make_improvement_managementreview(people, site))

    def _session(self, people, site, prefix=""):
        from improvement.factories import WorkSessionFactory

        return WorkSessionFactory(team=self._team(people, site, prefix + "team__"))

    def make_improvement_worksession(self, people, site):
        return self._session(people, site)

    def make_improvement_sessionattendance(self, people, site):
        from improvement.factories import SessionAttendanceFactory

        return SessionAttendanceFactory(session=self._session(people, site, "session__"), person=self.stranger)

    def make_improvement_trainingtopic(self, people, site):
        from improvement.factories import TrainingTopicFactory

        return TrainingTopicFactory(organization=self.organization)

    def make_improvement_trainingrecord(self, people, site):
        from improvement.factories import TrainingRecordFactory, TrainingTopicFactory

        return TrainingRecordFactory(topic=TrainingTopicFactory(organization=self.organization), person=self.stranger)


    # suggestions and improvement projects (issue 13)
    def make_improvement_suggestion(self, people, site, status="submitted"):
        from improvement.factories import SuggestionFactory

        return SuggestionFactory(organization=self.organization, site=site, status=status,
                                 author=self.person(people, "author"))

    def make_improvement_suggestionsupport(self, people, site):
        from improvement.factories import SuggestionFactory, SuggestionSupportFactory

        suggestion = SuggestionFactory(organization=self.organization, site=site, author=self.stranger)
        return SuggestionSupportFactory(suggestion=suggestion, supporter=self.person(people, "supporter"))

    def _project(self, people, site, prefix=""):
        from improvement.factories import ImprovementProjectFactory

        return ImprovementProjectFactory(organization=self.organization, site=site,
                                         leader=self.person(people, prefix + "leader"))

    def make_improvement_improvementproject(self, people, site):
        return self._project(people, site)

    def make_improvement_projectphase(self, people, site):
        from improvement.factories import ProjectPhaseFactory

        return ProjectPhaseFactory(project=self._project(people, site, "project__"))


def build_rows(world) -> Rows:
    """One row per model that none of the role users owns, and for each model with an owner one
    row per (role user, ownership path) owned through that path only."""
    stranger = UserFactory(username="stranger")
    maker = Maker(world, stranger)
    rows = Rows(stranger)
    for label in key.LABELS:
        rows.add(label, maker.make(label))
        for user in world.a.users.values():
            for path in key.OWNERSHIP.get(label, ()):
                rows.add(label, maker.make(label, {path: user}), owner=user)
    for user in world.a.users.values():  # the reporter of an event awaiting triage owns it
        rows.add("nonconformities.event", maker.make("nonconformities.event", {"detected_by": user},
                                                     status=EventStatus.REPORTED), owner=user)
    for user in world.a.users.values():  # the author of a suggestion owns it until it is reviewed
        rows.add("improvement.suggestion", maker.make("improvement.suggestion", {"author": user}), owner=user)
        rows.add("improvement.suggestion", maker.make("improvement.suggestion", {"author": user},
                                                      status="under_review"))
    return rows


# --- the comparison --------------------------------------------------------------------------

def _model(label):
    return apps.get_model(label)


def _membership(world, role):
    return Membership.objects.select_related("organization").get(user=world.a.users[role], organization=world.a.organization)


def mismatches(world, rows: Rows, roles=key.ROLES, labels=key.LABELS) -> list[str]:
    """Every (role, model, verb) where the code disagrees with the answer key, described."""
    found = []
    with scope_restored():
        for role in roles:
            membership = _membership(world, role)
            activate(membership)
            user = membership.user
            for label in labels:
                found += _cell_mismatches(role, user, label, rows.by_label[label])
    return found


def _cell_mismatches(role, user, label, probes, verbs=key.VERBS) -> list[str]:
    model = _model(label)
    found = []
    for verb in verbs:
        wanted_model = key.expected_allowed(role, verb, model=model)
        if can(user, verb, model) != wanted_model:
            found.append(f"{role} {label} {verb}: can(model) is {not wanted_model}")
        wanted = {row.pk for row, _owner in probes if key.expected_allowed(role, verb, row, user)}
        said = {row.pk for row, _owner in probes if can(user, verb, row)}
        if said != wanted:
            found.append(f"{role} {label} {verb}: can(row) allows {sorted(said)}, expected {sorted(wanted)}")
        if hasattr(model.objects, "restrict"):
            listed = set(model.objects.restrict(user, verb).filter(pk__in=[row.pk for row, _ in probes]).values_list("pk", flat=True))
            if listed != wanted:
                found.append(f"{role} {label} {verb}: restrict() gives {sorted(listed)}, expected {sorted(wanted)}")
    return found


@pytest.fixture
def rows(world):
    return build_rows(world)


# --- tests -----------------------------------------------------------------------------------

def test_the_answer_key_covers_every_role_and_every_domain_model():
    domain = {m._meta.label_lower for m in apps.get_models() if issubclass(m, ScopedModel)}
    assert domain | {"qse.membership"} == set(key.LABELS)
    assert set(key.EXPECTED) == set(key.ROLES)
    for role, table in key.EXPECTED.items():
        assert set(table) == set(key.LABELS), role
        assert all(set(rights) <= set(key.VERBS) for rights in table.values()), role


def test_the_answer_key_names_the_site_and_owner_fields_the_models_have():
    for label, path in key.SITE_FIELD.items():
        assert getattr(_model(label), "site_field", None) == path, label
    sited = {m._meta.label_lower for m in apps.get_models() if getattr(m, "site_field", None)}
    assert sited == set(key.SITE_FIELD)


def test_every_role_has_exactly_the_rights_the_product_intends_on_every_model(world, rows):
    found = mismatches(world, rows)
    assert not found, "\n".join(found)


def test_the_probe_rows_exercise_every_right(world, rows):
    """Each model has a row nobody owns, and every ownership path has a row per role."""
    for label in key.LABELS:
        probes = rows.by_label[label]
        assert any(owner is None for _row, owner in probes), label
        owned = [row for row, owner in probes if owner is not None]
        assert len(owned) == len(world.a.users) * (len(key.OWNERSHIP.get(label, ())) + len(key.OWNED_WHILE.get(label, {}))), label
        assert all(key.is_owner(owner, row) for row, owner in probes if owner is not None), label


@pytest.mark.parametrize("label", sorted(key.SITE_FIELD))
def test_a_member_limited_to_a_site_sees_that_site_and_organization_wide_rows_only(world, label):
    maker = Maker(world, UserFactory(username="stranger"))
    other_site = SiteFactory(organization=world.a.organization, code="ZZ")
    here, elsewhere = maker.make(label, site=world.a.site), maker.make(label, site=other_site)
    direct = "__" not in key.SITE_FIELD[label]
    nowhere = maker.make(label, site=None) if direct and _model(label)._meta.get_field(key.SITE_FIELD[label]).null else None
    membership = _membership(world, key.COORDINATOR)
    membership.sites.set([world.a.site])
    with scope_restored():
        activate(Membership.objects.get(pk=membership.pk))
        user = membership.user
        visible = set(_model(label).objects.restrict(user, "view").values_list("pk", flat=True))
        assert here.pk in visible and elsewhere.pk not in visible
        assert can(user, "view", here) and not can(user, "view", elsewhere)
        if nowhere is not None:
            assert nowhere.pk in visible and can(user, "view", nowhere)


def test_a_member_limited_to_a_site_still_sees_organization_wide_models(world):
    maker = Maker(world, UserFactory(username="stranger"))
    membership = _membership(world, key.COORDINATOR)
    membership.sites.set([world.a.site])
    rows = {label: maker.make(label) for label in key.LABELS if label not in key.SITE_FIELD and label not in dict(key.PERSONAL_RIGHTS)}
    with scope_restored():
        activate(Membership.objects.get(pk=membership.pk))
        for label, row in rows.items():
            assert can(membership.user, "view", row), label


def test_the_reporter_no_longer_owns_an_event_after_triage(world):
    contributor = world.a.users[key.CONTRIBUTOR]
    maker = Maker(world, UserFactory(username="stranger"))
    triaged = maker.make("nonconformities.event", {"detected_by": contributor}, status=EventStatus.OPEN)
    with scope_restored():
        activate(_membership(world, key.CONTRIBUTOR))
        assert not can(contributor, "change", triaged)
        assert not _model("nonconformities.event").objects.restrict(contributor, "change").filter(pk=triaged.pk).exists()
