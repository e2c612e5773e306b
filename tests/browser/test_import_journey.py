"""The plant's Document unique brought in through the import screens, in a real Chromium at
1366 px: upload, confirm the columns, confirm the values, the refused rows, then the result."""

from __future__ import annotations

from playwright.sync_api import expect

from improvement.models import Action
from qse.roles import Role
from risks.factories import RiskMatrixFactory
from risks.models import OccupationalRisk
from tests.browser.conftest import login, shoot
from tests.risks.test_duerp_spreadsheet import workbook

URL = "/risks/occupational-risks/import/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload_and_confirm_columns(page, *, wrong: bool, shots: bool) -> None:
    page.goto(URL)
    file = workbook(wrong=wrong)
    page.set_input_files("input[type=file]", {"name": file.name, "mimeType": XLSX, "buffer": file.getvalue()})
    if shots:
        shoot(page, "import-1-upload")
    with page.expect_navigation():
        page.get_by_role("button", name="Lire le fichier").click()
    expect(page.get_by_text("En-têtes trouvés à la ligne 4 du fichier.")).to_be_visible()
    column = page.get_by_label("Ce qui peut arriver")
    expect(column).to_have_value("")
    expect(page.get_by_label("G (1-4)")).to_have_value("gravity")
    column.select_option("situation")
    if shots:
        shoot(page, "import-2-columns")
    with page.expect_navigation():
        page.get_by_role("button", name="Suivant : vérifier les valeurs").click()


def test_the_plants_document_unique_goes_through_the_import_screens(page, browser_world):
    world = browser_world
    RiskMatrixFactory(organization=world.a.organization, is_default=True)
    for role, user in world.a.users.items():
        user.first_name, user.last_name = "Agent", role
        user.save()
    for role, name in ((Role.COORDINATOR, "Claire Martin"), (Role.PROCESS_OWNER, "Paul Durand")):
        user = world.a.users[role]
        user.first_name, user.last_name = name.split()
        user.save()
    login(page, world.a.users[Role.ADMIN])

    _upload_and_confirm_columns(page, wrong=True, shots=True)

    values = page.locator("table.values[data-column=hazard_family]")
    expect(values.get_by_label("Poussières de farine")).to_have_value("chemicals")
    expect(page.locator("table.values[data-column=work_unit]").get_by_label("Pétrissage")).to_have_value("+")
    shoot(page, "import-3-values")
    with page.expect_navigation():
        page.get_by_role("button", name="Importer", exact=True).click()

    errors = page.get_by_test_id("import-errors")
    expect(errors).to_be_visible()
    assert [row.split("\t")[:2] for row in errors.locator("tbody tr").all_inner_texts()] == [
        ["22", "Échéance"], ["28", "G (1-4)"], ["37", "Nb de salariés exposés"],
    ]
    shoot(page, "import-4-refused")
    assert not OccupationalRisk.objects.exists()

    _upload_and_confirm_columns(page, wrong=False, shots=False)
    expect(page.locator("table.values[data-column=hazard_family]").get_by_text("votre dernier import").first).to_be_visible()
    with page.expect_navigation():
        page.get_by_role("button", name="Importer", exact=True).click()

    assert page.url.endswith("/risks/occupational-risks/")
    expect(page.get_by_text("40 lignes importées.")).to_be_visible()
    expect(page.get_by_text("7 fiches manquantes ont été créées.")).to_be_visible()
    shoot(page, "import-5-result")
    assert OccupationalRisk.objects.filter(organization=world.a.organization).count() == 40
    assert Action.objects.filter(organization=world.a.organization, origin_id__isnull=False).count() == 40
