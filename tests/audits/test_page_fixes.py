"""What trying the audits pages as their users found: a button that would be refused, a person
shown by their login, a standard shown by its code."""

from audits.factories import AuditFactory, AuditorCompetenceFactory, AuditProgrammeFactory
from qse.roles import Role


def test_only_the_lead_auditor_is_offered_to_sign_as_lead_auditor(client, world):
    lead = world.a.users[Role.AUDITOR]
    audit = AuditFactory(organization=world.a.organization, lead_auditor=lead)
    client.force_login(world.a.users[Role.COORDINATOR])  # may change the audit, is not its lead
    page = client.get(audit.get_absolute_url()).content.decode()
    assert "?signer=auditee" in page and "?signer=lead" not in page
    client.force_login(lead)
    assert "?signer=lead" in client.get(audit.get_absolute_url()).content.decode()


def test_the_auditors_competences_list_people_by_their_name(client, world):
    auditor = world.a.users[Role.AUDITOR]
    auditor.first_name, auditor.last_name = "Sophie", "Lefèvre"
    auditor.save()
    AuditorCompetenceFactory(organization=world.a.organization, auditor=auditor)
    client.force_login(world.a.users[Role.COORDINATOR])
    page = client.get("/audits/competences/").content.decode()
    assert "Sophie Lefèvre" in page and f">{auditor.username}<" not in page


def test_the_programme_coverage_names_each_standard_by_its_label(client, world):
    programme = AuditProgrammeFactory(organization=world.a.organization)
    AuditFactory(organization=world.a.organization, programme=programme, clauses=["8.4"])
    client.force_login(world.a.users[Role.COORDINATOR])
    page = client.get(programme.get_absolute_url()).content.decode()
    assert "<strong>iso9001:2015</strong>" not in page and "<strong>ISO 9001:2015 (" in page
