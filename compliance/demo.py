"""Demo regulatory watch of Usinage Précis du Rhône: the starter library loaded, the sites'
own texts (prefectoral orders, customer requirements) for a referential of 30+ texts, site
facts and applicability for both sites, evaluations in every status with their actions, a text
with a new version waiting for re-evaluation, watch sources with their poll history, an inbox
and the interlocutors. Deterministic (no clock but ``today``) and fast (bulk where possible)."""

from __future__ import annotations

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType
from django.utils import translation

from compliance import selectors, services
from compliance.choices import ApplicabilityStatus, ComplianceStatus, ItemStatus
from compliance.factories import (
    IcpeClassificationFactory,
    InterlocutorFactory,
    RequirementFactory,
    SiteProfileFactory,
    SourceFactory,
    WatchItemFactory,
)
from compliance.library import library_load
from compliance.models import Evaluation, PollRun, Text
from compliance.schedule import next_due
from improvement.choices import ActionOriginKind, ActionStatus
from improvement.factories import ActionFactory
from qse.tenancy import activate, scope_restored

# The sites' own texts (fictional acts and customers: not references to verify).
OWN_TEXTS = [
    ("prefectoral_order", "Arrêté préfectoral d'enregistrement n° 2016-DDPP-0412", "Enregistrement de l'atelier de travail mécanique des métaux (Lyon-Gerland)", ["E"], ["ICPE"], [
        ("Art. 4", "Tenir à jour le plan des réseaux de collecte des effluents", "Plan des réseaux daté", 24),
        ("Art. 9", "Contrôler annuellement les débitmètres de rejet", "Rapport de contrôle", 12)]),
    ("prefectoral_order", "Arrêté préfectoral complémentaire n° 2023-0087", "Prescriptions complémentaires : traitement de surfaces (Lyon-Gerland)", ["E"], ["ICPE", "eau"], [
        ("Art. 2", "Mesurer mensuellement le pH et le zinc en sortie de station", "Registre des analyses", 1)]),
    ("prefectoral_order", "Récépissé de déclaration n° 2014-38-117", "Déclaration de l'atelier de Vienne (rubrique 2560)", ["E"], ["ICPE"], [
        ("Annexe I", "Faire réaliser le contrôle périodique des installations soumises à déclaration", "Rapport de l'organisme agréé", 60)]),
    ("customer", "Exigences qualité fournisseurs AéroSud, rév. F", "Manuel qualité fournisseurs du client AéroSud", ["Q"], ["client", "aéronautique"], [
        ("§ 4.2", "Notifier au client toute modification de procédé spécial", "Demandes de dérogation", 12),
        ("§ 7.1", "Conserver les enregistrements de production 10 ans", "Archivage des dossiers de fabrication", 12)]),
    ("customer", "Cahier des charges HSE des entreprises intervenantes (client AutoMeca)", "Exigences HSE du site client pour nos équipes de maintenance", ["S"], ["client", "entreprises extérieures"], [
        ("§ 3", "Former nos intervenants à l'accueil sécurité du site client", "Attestations d'accueil", 12)]),
    ("standard", "EN 9100:2018", "Systèmes de management de la qualité — Exigences pour les organisations de l'aéronautique, l'espace et la défense", ["Q"], ["aéronautique"], [
        ("8.1.4", "Prévention des pièces contrefaites", "Procédure et contrôles à réception", 12),
        ("8.5.1.3", "Vérification de la production (FAI)", "Rapports de premier article", 12)]),
    ("other", "Convention de déversement des eaux industrielles (Métropole de Lyon)", "Autorisation et convention de rejet au réseau d'assainissement", ["E"], ["eau"], [
        ("Art. 6", "Transmettre chaque trimestre les résultats d'autosurveillance au service de l'eau", "Courriels d'envoi et résultats", 3)]),
    ("other", "Règlement du plan de prévention des risques d'inondation (PPRI) Rhône", "Prescriptions applicables aux bâtiments en zone bleue", ["E", "S"], ["inondation", "climat"], [
        ("Titre II", "Stocker les produits dangereux au-dessus de la cote de référence", "Plan de stockage", 12)]),
    ("other", "Contrat d'assurance dommages : recommandations de l'assureur", "Recommandations de prévention incendie de l'assureur", ["S"], ["incendie"], [
        ("Rec. 12", "Faire thermographier les armoires électriques chaque année", "Rapport de thermographie", 12),
        ("Rec. 15", "Maintenir le permis de feu pour tout travail par point chaud", "Permis de feu archivés", 12)]),
    ("customer", "Charte achats responsables (client RailNord)", "Exigences RSE du client pour ses fournisseurs", ["E", "S"], ["client", "RSE"], [
        ("§ 2", "Publier un bilan carbone simplifié annuel", "Bilan transmis au client", 12)]),
    ("other", "Accord d'entreprise sur la qualité de vie au travail 2025", "Engagements de l'accord QVT (télétravail, pauses, ergonomie)", ["S"], ["QVT"], [
        ("Art. 5", "Réaliser une étude ergonomique des postes de conditionnement", "Rapport d'étude", 24)]),
    ("other", "Protocole de sécurité chargement et déchargement (transporteurs)", "Protocole de sécurité des opérations de chargement", ["S"], ["entreprises extérieures", "logistique"], [
        ("—", "Remettre le protocole à chaque nouveau transporteur", "Protocoles signés", 12)]),
    ("standard", "ISO 50001:2018", "Systèmes de management de l'énergie (engagement volontaire)", ["E"], ["énergie"], [
        ("6.3", "Revue énergétique annuelle", "Revue énergétique", 12)]),
    ("customer", "Exigences de traçabilité lot (client MedTech Alpes)", "Traçabilité unitaire des pièces pour dispositifs médicaux", ["Q"], ["client", "traçabilité"], [
        ("§ 5", "Marquer chaque pièce d'un numéro de lot lisible", "Contrôle du marquage en fin de ligne", 6)]),
]
FACTS = {
    "LYO": (["usinage", "levage", "air comprimé", "peinture"], [("2560", "E", datetime.date(2016, 5, 12)),
                                                               ("2565", "A", datetime.date(2009, 11, 3)),
                                                               ("2910", "DC", datetime.date(2012, 2, 1))]),
    "VIE": (["usinage", "levage"], [("2560", "D", datetime.date(2014, 3, 17))]),
}
# Every status shows on each site; gaps lead to actions (some done).
STATUS_CYCLE = [ComplianceStatus.COMPLIANT] * 5 + [ComplianceStatus.PARTIAL, ComplianceStatus.COMPLIANT,
                                                   ComplianceStatus.NON_COMPLIANT, ComplianceStatus.TO_VERIFY,
                                                   ComplianceStatus.COMPLIANT, ComplianceStatus.NOT_EVALUATED]
SOURCES = [
    ("INRS — actualités", "feed", "https://www.inrs.fr/rss/?feed=actualites", ["S"], 360, [200, 304, 304, 200, 304]),
    ("Ministère de la Transition écologique", "feed", "https://www.ecologie.gouv.fr/rss-actualites.xml", ["E"], 720, [200, 200, 304, 200]),
    ("EUR-Lex — actes publiés au JO L", "feed", "https://eur-lex.europa.eu/EN/display-feed.rss?rssId=222", ["E", "S"], 1440, [200, 500, 200]),
    ("Légifrance (PISTE) — installations classées", "piste", "", ["E"], 1440, [401]),
    ("Veille clients et donneurs d'ordre", "manual", "", ["Q"], 10080, []),
]
ITEMS = [
    (0, "Décret relatif à la prévention des risques liés à la chaleur au travail", "new", ""),
    (0, "Nouvelles valeurs limites d'exposition professionnelle : arrêté publié", "new", ""),
    (0, "Webinaire INRS : prévenir les troubles musculosquelettiques", "not_relevant", "Information, pas d'obligation nouvelle"),
    (1, "Arrêté modifiant l'arrêté du 2 février 1998 (valeurs limites de rejet)", "relevant", ""),
    (1, "Consultation publique : projet de décret sur la réutilisation des eaux usées traitées", "new", ""),
    (1, "Appel à projets décarbonation de l'industrie", "not_relevant", "Hors obligations réglementaires"),
    (2, "Règlement (UE) modifiant l'annexe XVII du règlement REACH", "new", ""),
    (2, "Décision d'exécution : normes harmonisées machines", "new", ""),
    (4, "AéroSud : révision G du manuel qualité fournisseurs annoncée", "new", ""),
]
INTERLOCUTORS = [
    ("dreal", "M. Laurent Chabert", "DREAL Auvergne-Rhône-Alpes, UD Rhône", "LYO", "Autosurveillance des rejets, suivi de l'APC 2023", -120, 60),
    ("labour_inspector", "Mme Hélène Faure", "DREETS, inspection du travail section 7", "LYO", "DUERP et plan de prévention", -200, None),
    ("carsat", "Mme Agnès Vidal", "CARSAT Rhône-Alpes, contrôleur de sécurité", "VIE", "Bruit et manutentions", -45, 30),
    ("fire_service", "Capitaine Olivier Brun", "SDIS 69", "LYO", "Accès des secours, poteaux incendie", -300, None),
    ("certification_body", "M. Thomas Weber", "Organisme certificateur EN 9100 / ISO 14001", None, "Audit de surveillance", -150, 40),
    ("customer_quality", "Mme Isabelle Caron", "AéroSud, qualité fournisseurs", None, "Manuel qualité fournisseurs rév. F", -20, 90),
]


def seed_compliance(*, membership, users, sites, processes, today: datetime.date) -> None:
    """The demo watch of the main organization (as its coordinator)."""
    with scope_restored(), translation.override("fr"):
        activate(membership)
        coordinator = membership.user
        for library_id in ("fr-qse-core", "iso-standards"):
            library_load(library_id=library_id, acting_user=coordinator)
        _own_texts(membership.organization)
        _facts(sites)
        for site in sites.values():
            _applicability(site, coordinator, today)
        _evaluations(membership.organization, sites, users, coordinator, today)
        _sources(membership.organization, today)
        _interlocutors(membership.organization, sites, today)
        # Last: pghistory keeps a nested context's reason for the rest of the outer one.
        _new_version(membership.organization, coordinator)


def _own_texts(organization) -> None:
    for kind, reference, title, domains, themes, requirements in OWN_TEXTS:
        text = Text.objects.create(organization=organization, kind=kind, reference=reference, title=title,
                                   domains=domains, themes=themes, summary=title)
        text.versions.create(organization=organization, number=1, summary=title)
        for article, requirement, evidence, months in requirements:
            RequirementFactory(text=text, article=article, title=requirement, evidence_expected=evidence,
                               evaluation_interval_months=months, domains=domains, themes=themes)


def _facts(sites) -> None:
    for code, (activities, classifications) in FACTS.items():
        SiteProfileFactory(site=sites[code], activities=activities)
        for rubrique, regime, dated_on in classifications:
            IcpeClassificationFactory(site=sites[code], rubrique=rubrique, regime=regime, dated_on=dated_on)


def _applicability(site, coordinator, today) -> None:
    """What the facts suggest, recorded (the unknowns "for information", to be looked at)."""
    rows = []
    for suggestion in selectors.applicability_suggestions(site, user=coordinator):
        status = suggestion.suggested_status or ApplicabilityStatus.FOR_INFORMATION
        justification = "" if status == ApplicabilityStatus.APPLICABLE else "; ".join(suggestion.verdict.reasons)
        rows.append({"requirement": suggestion.requirement, "status": status, "justification": justification})
    services.applicabilities_apply(site=site, rows=rows, acting_user=coordinator, today=today)


def _evaluations(organization, sites, users, coordinator, today) -> None:
    from compliance.models import Applicability

    statuses = itertools.cycle(STATUS_CYCLE)
    owners = itertools.cycle([users["owner"], users["coordinator"], users["manager"]])
    applicable = (Applicability.objects.filter(organization=organization, status=ApplicabilityStatus.APPLICABLE)
                  .select_related("requirement", "site").order_by("site__code", "requirement__text__reference", "pk"))
    evaluations = []
    for index, decision in enumerate(applicable):
        status = next(statuses)
        evaluated_on = today - datetime.timedelta(days=20 + (index * 37) % 400)
        due = next_due(evaluated_on, decision.requirement.evaluation_interval_months)
        evaluations.append(Evaluation(
            organization=organization, requirement=decision.requirement, site=decision.site, status=status,
            evaluated_on=evaluated_on, evaluator=coordinator, next_due_on=due, created_by=coordinator,
            findings=_findings(status)))
    Evaluation.objects.bulk_create(evaluations)
    evaluation_type = ContentType.objects.get_for_model(Evaluation)
    gaps = [e for e in evaluations if e.status in (ComplianceStatus.NON_COMPLIANT, ComplianceStatus.PARTIAL)]
    for index, gap in enumerate(gaps):
        done = index % 3 == 0
        ActionFactory(organization=organization, plan=None, title=f"Mise en conformité : {gap.requirement.title}"[:200],
                      owner=next(owners), site=gap.site, origin_kind=ActionOriginKind.COMPLIANCE,
                      origin_type=evaluation_type, origin_id=gap.pk,
                      due_on=today + datetime.timedelta(days=-10 + 25 * (index % 5)),
                      status=ActionStatus.DONE if done else ActionStatus.IN_PROGRESS, progress=100 if done else 40)


def _findings(status: str) -> str:
    return {
        ComplianceStatus.COMPLIANT: "Preuves vues et à jour.",
        ComplianceStatus.PARTIAL: "Preuve incomplète : dernier enregistrement manquant.",
        ComplianceStatus.NON_COMPLIANT: "Aucune preuve disponible à la date de l'évaluation.",
        ComplianceStatus.TO_VERIFY: "À vérifier avec le responsable maintenance.",
        ComplianceStatus.NOT_EVALUATED: "",
    }[status]


def _new_version(organization, coordinator) -> None:
    text = Text.objects.get(library_key="am-1998-02-02", organization=organization)
    services.text_add_version(text=text, acting_user=coordinator, data={
        "modified_by_reference": "Arrêté du 28 février 2022",
        "summary": text.summary + "\nSurveillance renforcée des substances dangereuses dans l'eau (RSDE).",
        "change_note": "Programme de surveillance RSDE à intégrer dans l'autosurveillance.",
    })


def _sources(organization, today) -> None:
    now = datetime.datetime.combine(today, datetime.time(6, 0), tzinfo=datetime.UTC)
    sources = []
    for name, kind, address, domains, interval, statuses in SOURCES:
        failing = bool(statuses) and statuses[0] >= 400
        source = SourceFactory(
            organization=organization, name=name, kind=kind, address=address, domains=domains, interval_minutes=interval,
            last_polled_at=now if statuses else None, last_status=statuses[0] if statuses else None,
            last_items=0 if failing else (3 if statuses else None), error_count=1 if failing else 0,
            last_error="Les identifiants PISTE (client id et secret) ne sont pas renseignés pour cette source." if failing else "",
            next_poll_at=now + datetime.timedelta(minutes=interval))
        PollRun.objects.bulk_create([
            PollRun(organization=organization, source=source, started_at=now - datetime.timedelta(hours=6 * i),
                    duration_ms=180 + 40 * i, http_status=status, items_found=0 if status != 200 else 3,
                    items_new=2 if status == 200 and i == len(statuses) - 1 else 0,
                    error="" if status < 400 else f"Le serveur a répondu HTTP {status}.")
            for i, status in enumerate(statuses)])
        sources.append(source)
    related = Text.objects.get(organization=organization, library_key="am-1998-02-02")
    for index, (source_index, title, status, reason) in enumerate(ITEMS):
        WatchItemFactory(source=sources[source_index], title=title, status=status, reason=reason,
                         published_at=now - datetime.timedelta(days=index * 2),
                         text=related if status == ItemStatus.RELEVANT else None,
                         link=f"https://www.example.org/veille/{index}", guid=f"demo-{index}")


def _interlocutors(organization, sites, today) -> None:
    for kind, name, body, site, requires, last, following in INTERLOCUTORS:
        InterlocutorFactory(organization=organization, kind=kind, name=name, body=body,
                            site=sites[site] if site else None, requires=requires,
                            last_contact_on=today + datetime.timedelta(days=last),
                            next_visit_on=today + datetime.timedelta(days=following) if following else None)
