"""The demo's objectives: the cascade (policy axes, strategic and operational objectives),
18 indicators (manual with a year of values, and computed from the demo's actions and events),
a dashboard for the organization, each site and the production process, and an action plan
with dependencies and a critical path for the Gantt. Deterministic: values come from formulas."""

from __future__ import annotations

import datetime
import math
from decimal import Decimal

from improvement.choices import ActionStatus, Priority
from improvement.factories import ActionFactory, ActionPlanFactory
from objectives import kpi
from objectives.choices import (
    ChartKind,
    DashboardScope,
    Frequency,
    MeasurementOrigin,
    ObjectiveLevel,
    TileSize,
)
from objectives.models import (
    ActionDependency,
    Dashboard,
    DashboardTile,
    Indicator,
    Measurement,
    Objective,
    PolicyAxis,
)
from objectives.services import refresh_values
from objectives.smart import CRITERIA
from qse.tenancy import activate, scope_restored

AXES = [
    ("Satisfaire durablement nos clients aéronautiques et automobiles", "Qualité"),
    ("Zéro accident grave, des conditions de travail saines", "Santé et sécurité"),
    ("Réduire notre empreinte environnementale", "Environnement"),
]
# code, name, unit, frequency, direction, target, green, red, owner, process, site, source, parameter, start, slope, wave, chart
INDICATORS = [
    ("OTD", "Livraisons à l'heure", "%", "monthly", "higher", 96, 95, 90, "manager", "R1", None, "manual", "", 97.5, -0.45, 0.8, "line"),
    ("REB", "Taux de rebut usinage", "%", "monthly", "lower", 1.5, 1.5, 2.5, "owner", "R3", "LYO", "manual", "", 2.4, -0.07, 0.2, "line"),
    ("REB-V", "Taux de rebut usinage Vienne", "%", "monthly", "lower", 1.5, 1.5, 2.5, "owner", "R3", "VIE", "manual", "", 1.7, 0.02, 0.25, "line"),
    ("SAT", "Satisfaction client", "/10", "quarterly", "higher", 8.5, 8.5, 7.5, "manager", "R1", None, "manual", "", 8.1, 0.1, 0.2, "bar"),
    ("RECL", "Réclamations clients", "nb", "monthly", "lower", 2, 2, 5, "manager", "R1", None, "manual", "", 4, -0.15, 1.2, "bar"),
    ("ELEC", "Consommation d'électricité", "MWh", "monthly", "lower", 310, 320, 360, "coordinator", "M2", "LYO", "manual", "", 345, -1.8, 18, "line"),
    ("HUIL", "Consommation d'huile soluble", "L", "monthly", "lower", 900, 950, 1100, "owner", "R3", None, "manual", "", 1080, -12, 40, "line"),
    ("EAU", "Consommation d'eau", "m³", "monthly", "lower", 400, 420, 480, "owner", "S2", "VIE", "manual", "", 455, -2, 15, "line"),
    ("VALO", "Déchets valorisés", "%", "monthly", "higher", 85, 85, 75, "coordinator", "M2", None, "manual", "", 76, 0.7, 1.5, "line"),
    ("ABS", "Absentéisme", "%", "monthly", "lower", 3, 3, 5, "manager", "S3", None, "manual", "", 4.1, -0.05, 0.5, "line"),
    ("FORM", "Heures de formation par salarié", "h", "quarterly", "higher", 8, 8, 5, "manager", "S3", None, "manual", "", 6, 0.4, 0.3, "bar"),
    ("QHS", "Quarts d'heure sécurité réalisés", "nb", "monthly", "higher", 8, 8, 5, "coordinator", "M2", "LYO", "manual", "", 6, 0.2, 1, "bar"),
    ("ATH", "Actions réalisées dans les délais", "%", "monthly", "higher", 90, 90, 75, "coordinator", None, None, "actions_on_time", "", 0, 0, 0, "line"),
    ("RET", "Actions en retard", "nb", "monthly", "lower", 2, 2, 6, "coordinator", None, None, "late_actions", "", 0, 0, 0, "bar"),
    ("NCM", "Non-conformités majeures et critiques", "nb", "monthly", "lower", 0, 0, 2, "coordinator", None, None, "nc_by_severity", "3", 0, 0, 0, "bar"),
    ("CNQ", "Coût de la non-qualité", "€", "monthly", "lower", 5000, 5000, 15000, "coordinator", None, None, "non_quality_cost", "", 0, 0, 0, "bar"),
    ("TF", "Taux de fréquence (12 mois glissants)", "", "monthly", "lower", 10, 10, 20, "coordinator", None, None, "accident_frequency", "rolling", 0, 0, 0, "line"),
    ("TG", "Taux de gravité (12 mois glissants)", "", "monthly", "lower", 0.3, 0.3, 0.8, "coordinator", None, None, "accident_severity", "rolling", 0, 0, 0, "line"),
    # Fed by the other modules: the noise meter's readings, the waste register, a meter, the evaluations.
    ("BRUIT", "Bruit moyen à la presse P3", "dB(A)", "monthly", "lower", 80, 80, 85, "coordinator", "S2", "LYO", "sensor", "sono-p3", 0, 0, 0, "line"),
    ("VALO-R", "Taux de valorisation (registre des déchets)", "%", "monthly", "higher", 85, 85, 75, "coordinator", "M2", None, "waste_recovery_rate", "", 0, 0, 0, "line"),
    ("DD", "Part des déchets dangereux", "%", "monthly", "lower", 10, 10, 20, "coordinator", "M2", None, "waste_hazardous_share", "", 0, 0, 0, "bar"),
    ("DECH", "Déchets évacués", "t", "monthly", "lower", 20, 20, 30, "coordinator", "M2", None, "waste_tonnes", "", 0, 0, 0, "bar"),
    ("CPT", "Consommation du premier compteur", "", "monthly", "lower", 30000, 30000, 40000, "coordinator", "M2", None, "meter_consumption", "first-meter", 0, 0, 0, "line"),
    ("CONF", "Taux de conformité réglementaire", "%", "monthly", "higher", 95, 95, 85, "coordinator", "M2", None, "compliance_rate", "", 0, 0, 0, "line"),
]
# title, axis, owner, due months ahead, target, indicators, standards, smart (all confirmed unless False)
STRATEGIC = [
    ("Livrer à l'heure et sans défaut", 0, "manager", 13, "OTD ≥ 96 %, rebut < 1,5 %", ["OTD", "REB", "SAT"], ["iso9001:2015-6.2"], True),
    ("Diviser par deux les accidents avec arrêt", 1, "manager", 25, "TF < 10 à fin 2027", ["TF", "TG"], ["iso45001:2018-6.2"], True),
    ("Réduire de 10 % nos consommations d'énergie et de fluides", 2, "coordinator", 13, "-10 % par rapport à 2025", ["ELEC", "HUIL", "EAU"], ["iso14001:2015-6.2"], True),
    ("Faire vivre le système de management intégré", 0, "coordinator", 13, "Actions à l'heure ≥ 90 %", ["ATH", "RET"], ["iso9001:2015-6.2", "iso14001:2015-6.2", "iso45001:2018-6.2"], False),
]
# title, parent index, owner, process, site, service, target, indicators, plan index (None: none)
OPERATIONAL = [
    ("Ramener le rebut de Lyon-Gerland sous 1,5 %", 0, "owner", "R3", "LYO", "", "< 1,5 % sur 3 mois", ["REB"], 2),
    ("Réduire les réclamations clients", 0, "manager", "R1", None, "Service client", "≤ 2 par mois", ["RECL", "NCM"], None),
    ("Capoter les machines bruyantes de l'atelier", 1, "owner", "S2", "LYO", "", "< 80 dB(A) aux postes", [], "noise"),
    ("Un quart d'heure sécurité par équipe et par mois", 1, "coordinator", "M2", "LYO", "", "8 par mois", ["QHS"], None),
    ("Réduire la consommation d'huile soluble", 2, "owner", "R3", None, "", "900 L par mois", ["HUIL"], 0),
    ("Valoriser 85 % de nos déchets", 2, "coordinator", "M2", None, "", "85 %", ["VALO"], None),
]
# title, owner, duration (days), progress, status; the first starts 40 days ago, each other as
# soon as its links allow (a tight plan: its longest chain is the critical path)
NOISE_TASKS = [
    ("Cartographier le bruit de l'atelier (sonomètre)", "owner", 10, 100, ActionStatus.DONE),
    ("Choisir le capotage avec le fournisseur", "owner", 14, 100, ActionStatus.DONE),
    ("Commander les capotages", "manager", 5, 100, ActionStatus.DONE),
    ("Former les opérateurs aux nouveaux accès machine", "coordinator", 12, 40, ActionStatus.IN_PROGRESS),
    ("Poser le capotage du DMG n°4", "owner", 10, 0, ActionStatus.PLANNED),
    ("Poser le capotage du DMG n°5", "owner", 6, 0, ActionStatus.PLANNED),
    ("Mesurer l'exposition après travaux", "auditor", 3, 0, ActionStatus.PLANNED),
    ("Jalon : revue de fin de chantier", "coordinator", 1, 0, ActionStatus.PLANNED),
]
NOISE_LINKS = [(0, 1, 0), (1, 2, 0), (2, 4, 5), (4, 6, 1), (6, 7, 0), (2, 5, 5), (5, 6, 1), (0, 3, 10)]


def seed_objectives(*, membership, users, sites, processes, plans, today: datetime.date) -> None:
    """The objectives part of the demo, as the coordinator (``membership``)."""
    organization = membership.organization
    with scope_restored():
        activate(membership)
        indicators = {row[0]: _indicator(organization, row, users, sites, processes) for row in INDICATORS}
        _measurements(indicators, today)
        noise = _noise_plan(organization, users, sites, processes, today)
        axes = [PolicyAxis.objects.create(organization=organization, title=title, description=domain, order=i)
                for i, (title, domain) in enumerate(AXES)]
        strategic = [_strategic(organization, row, axes, users, indicators, today) for row in STRATEGIC]
        for row in OPERATIONAL:
            _operational(organization, row, strategic, users, sites, processes, indicators, plans, noise, today)
        _dashboards(organization, sites, processes, indicators)
        for indicator in indicators.values():
            if indicator.source != "manual":
                refresh_values(indicator=indicator, today=today)


def _indicator(organization, row, users, sites, processes) -> Indicator:
    code, name, unit, frequency, direction, target, green, red, owner, process, site, source, parameter, *_rest, chart = row
    if parameter == "first-meter":  # the environment demo's first meter, seeded before this part
        from risks.models import Meter

        parameter = str(Meter.objects.filter(organization=organization).order_by("pk").values_list("pk", flat=True).first() or "")
    return Indicator.objects.create(
        organization=organization, code=code, name=name, unit=unit, frequency=frequency, direction=direction,
        target=Decimal(str(target)), green_threshold=Decimal(str(green)), red_threshold=Decimal(str(red)),
        owner=users[owner], process=processes.get(process), site=sites.get(site) if site else None, source=source,
        source_parameter=parameter, chart_kind=ChartKind(chart),
        definition=f"{name} ({unit or 'taux'}) du périmètre {sites[site].name if site else 'toute l’organisation'}.",
        purpose="Suivre l'objectif qu'il mesure et déclencher les actions à temps.",
        formula="Valeur du mois saisie par le pilote" if source == "manual" else "Calculé par l'application",
    )


def _measurements(indicators, today) -> None:
    """Twelve periods (four quarters) of values up to the latest due, from each row's formula;
    the rebut series has one out-of-control month for the control chart."""
    rows = []
    for code, _name, unit, frequency, *_mid, source, _parameter, start, slope, wave, _chart in INDICATORS:
        if source != "manual":
            continue
        indicator = indicators[code]
        count = 4 if frequency == Frequency.QUARTERLY else 12
        last = kpi.expected_period(frequency, today)
        for index in range(count):
            period = kpi.shift_period(last, frequency, index - count + 1)
            value = start + slope * index + wave * math.sin(index * 1.3)
            if code == "REB" and index == 7:
                value += 1.4  # a bad batch: beyond the upper control limit
            value = max(round(value) if unit == "nb" else value, 0)  # counts are whole
            rows.append(Measurement(organization=indicator.organization, indicator=indicator, period_on=period,
                                    value=Decimal(f"{value:.2f}"), origin=MeasurementOrigin.MANUAL))
    Measurement.objects.bulk_create(rows)


def _smart(ok: bool) -> dict:
    fields = {}
    for key in CRITERIA:
        fields[f"is_{key}"] = True
        fields[f"{key}_justification"] = "Validé en revue de direction"
    if not ok:
        fields["achievable_justification"] = ""  # confirmed without a reason: the check says so
        fields["is_realistic"] = False
    return fields


def _strategic(organization, row, axes, users, indicators, today) -> Objective:
    title, axis, owner, months, target, codes, standards, ok = row
    objective = Objective.objects.create(
        organization=organization, level=ObjectiveLevel.STRATEGIC, axis=axes[axis], title=title, owner=users[owner],
        target=target, due_on=(today.replace(day=1) + datetime.timedelta(days=31 * months)).replace(day=1) - datetime.timedelta(days=1),
        standards=standards, **_smart(ok),
    )
    objective.indicators.set([indicators[c] for c in codes])
    return objective


def _operational(organization, row, strategic, users, sites, processes, indicators, plans, noise, today) -> None:
    title, parent, owner, process, site, service, target, codes, plan = row
    objective = Objective.objects.create(
        organization=organization, level=ObjectiveLevel.OPERATIONAL, parent=strategic[parent], title=title,
        owner=users[owner], process=processes[process], site=sites.get(site) if site else None, service=service,
        target=target, due_on=today + datetime.timedelta(days=200), **_smart(bool(codes)),
    )
    objective.indicators.set([indicators[c] for c in codes])
    if plan is not None:
        objective.action_plans.set([noise if plan == "noise" else plans[plan]])


def _noise_plan(organization, users, sites, processes, today):
    plan = ActionPlanFactory(organization=organization, title="Capotage des machines bruyantes (atelier DMG)",
                             owner=users["owner"], process=processes["S2"], site=sites["LYO"])
    actions, dates = [], {}
    for index, (title, owner, duration, progress, status) in enumerate(NOISE_TASKS):
        after = [dates[a][1] + datetime.timedelta(days=1 + lag) for a, b, lag in NOISE_LINKS if b == index]
        start = max(after) if after else today - datetime.timedelta(days=40)
        due = start + datetime.timedelta(days=duration - 1)
        dates[index] = (start, due)
        actions.append(ActionFactory(
            organization=organization, plan=plan, title=title, owner=users[owner], process=processes["S2"],
            site=sites["LYO"], start_on=start, due_on=due, progress=progress, status=status,
            done_on=due if status == ActionStatus.DONE else None, priority=Priority.HIGH,
            deliverable="Compte rendu de chantier",
            # two hours of the owner's time a day of the task; every third left unestimated
            # (the workload counts it at its default and marks it)
            estimated_hours=Decimal(2 * duration) if index % 3 != 2 else None,
        ))
    ActionDependency.objects.bulk_create([
        ActionDependency(organization=organization, predecessor=actions[a], successor=actions[b], lag_days=lag)
        for a, b, lag in NOISE_LINKS
    ])
    return plan


def _dashboards(organization, sites, processes, indicators) -> None:
    def compose(title, scope, codes, site=None, process=None):
        dashboard = Dashboard.objects.create(organization=organization, title=title, scope=scope, site=site, process=process)
        DashboardTile.objects.bulk_create([
            DashboardTile(organization=organization, dashboard=dashboard, indicator=indicators[code], order=i, size=size)
            for i, (code, size) in enumerate(codes)
        ])

    small, medium, large = TileSize.SMALL, TileSize.MEDIUM, TileSize.LARGE
    compose("Tableau de bord de direction", DashboardScope.ORGANIZATION, [
        ("OTD", large), ("TF", small), ("TG", small), ("ATH", small), ("RET", small), ("CNQ", medium), ("SAT", medium),
        ("ELEC", medium), ("VALO", medium),
    ])
    compose("Site de Lyon-Gerland", DashboardScope.SITE, [("REB", large), ("ELEC", medium), ("QHS", medium)], site=sites["LYO"])
    compose("Site de Vienne", DashboardScope.SITE, [("REB-V", large), ("EAU", medium), ("HUIL", medium)], site=sites["VIE"])
    compose("Usinage et production", DashboardScope.PROCESS, [("REB", medium), ("REB-V", medium), ("HUIL", large)],
            process=processes["R3"])

