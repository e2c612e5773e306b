"""The inventory's current calculation in the shape of the French regulatory GHG report
(BEGES, method v5): the six categories and their items with tCO2e, then the detail lines
with the factor each used (code, value, year, source)."""

from __future__ import annotations

import io

from django.http import HttpResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qse import exports
from qse.exports import neutralise
from risks import selectors_environment as selectors


def beges_workbook(*, inventory, user, organization) -> bytes:
    from openpyxl.styles import Font

    workbook = exports.workbook()
    sheet = workbook.active
    sheet.title = "BEGES"
    bold = Font(bold=True)
    sheet.append([_("Greenhouse-gas emissions report (BEGES categories, method v5)")])
    sheet.append([_("Organization"), neutralise(organization.name)])
    sheet.append([_("Scope"), neutralise(str(inventory))])
    sheet.append([_("Reporting year"), inventory.year])
    sheet.append([_("Calculation"), inventory.calculation])
    sheet.append([])
    sheet.append([_("Category"), _("Item"), _("Label"), _("Scope"), "t CO2e"])
    for row in (sheet[1], sheet[7]):
        for cell in row:
            cell.font = bold
    total = 0
    for category in selectors.beges_table(user=user, inventory=inventory):
        sheet.append([category["code"], "", category["label"], category["scope"], float(category["tonnes"])])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for item in category["items"]:
            sheet.append(["", item["item"], item["label"], category["scope"], float(item["tonnes"])])
        total += category["tonnes"]
    sheet.append(["", "", _("Total"), "", float(total)])
    for column, width in zip("ABCDE", (10, 8, 60, 8, 14), strict=True):
        sheet.column_dimensions[column].width = width
    _detail_sheet(workbook.create_sheet(_("Detail")[:31]), inventory, user)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _detail_sheet(sheet, inventory, user) -> None:
    sheet.append([_("Item"), _("Source"), _("Label"), _("Site"), _("Quantity"), _("Unit"), _("Factor"),
                  _("kg CO2e per unit"), _("Factor year"), _("Factor source"), "kg CO2e"])
    for line in selectors.ghg_lines(user=user, inventory=inventory):
        sheet.append([line.item, line.get_source_display(), neutralise(line.label),
                      neutralise(line.emission_site.name) if line.emission_site else "", float(line.quantity), line.unit,
                      line.factor_code, float(line.factor_value), line.factor_year, neutralise(line.factor_source),
                      float(line.kg_co2e)])


def beges_response(*, inventory, user, organization) -> HttpResponse:
    content = beges_workbook(inventory=inventory, user=user, organization=organization)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="beges-{inventory.year}-{slugify(str(inventory))}.xlsx"'
    return response
