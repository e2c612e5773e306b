"""The waste register as an inspector asks for it: one XLSX sheet per extract (site and
period), headed by the regulatory reference, the producer and the period, then one line per
removal with the fields of the order of 31 May 2021 and the register's checks.

Built with openpyxl in write-only mode (rows are streamed into the file, not held as cell
objects) into a spooled temporary file, so a long register costs little memory."""

from __future__ import annotations

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qse import exports
from qse.exports import neutralise
from risks import selectors_environment as selectors

SPOOL_BYTES = 4 * 1024 * 1024


def register_headers() -> list[str]:
    return [
        _("Date of removal"), _("Waste code"), _("Hazardous"), _("Usual name"), _("Waste (list of wastes)"),
        _("POP"), _("Quantity"), _("Unit"), _("Treatment code"), _("Treatment operation"), _("Carrier"),
        _("Carrier SIREN"), _("Carrier receipt number"), _("Destination facility"), _("Destination address"),
        _("Destination SIRET"), _("Traceability document (BSD, Trackdéchets)"), _("Checks"),
    ]


def register_row(line: dict) -> list:
    yes, no = _("yes"), _("no")
    return [
        line["removed_on"], line["code"], yes if line["is_hazardous"] else no, neutralise(line["description"]),
        line["label"], yes if line["is_pop"] else no, line["quantity"], line["unit"], line["treatment_code"],
        line["treatment"], neutralise(line["carrier_name"]), line["carrier_siren"], neutralise(line["carrier_receipt"]),
        neutralise(line["destination_name"]), neutralise(line["destination_address"]), line["destination_siret"],
        neutralise(line["tracking_number"]), " ; ".join(line["flags"]),
    ]


DATE_FORMAT = "DD/MM/YYYY"  # as a French inspector reads a date
WIDTHS = [12, 11, 10, 28, 40, 6, 10, 6, 9, 40, 24, 12, 18, 28, 36, 16, 24, 40]


def waste_register_workbook(*, extract, user, organization, file) -> int:
    """Write the extract's register into ``file``; returns the number of removals."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = exports.workbook(write_only=True)
    sheet = workbook.create_sheet(_("Waste register")[:31])
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "B7"
    bold = Font(bold=True)

    def strong(value):
        cell = WriteOnlyCell(sheet, value=value)
        cell.font = bold
        return cell

    sheet.append([strong(_("Chronological register of outgoing waste (environment code R541-43, order of 31 May 2021)"))])
    sheet.append([_("Waste producer"), neutralise(organization.name)])
    sheet.append([_("Site"), neutralise(str(extract.site))])
    def day(value, style=DATE_FORMAT):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = style
        return cell

    sheet.append([_("Period"), day(extract.start_on), day(extract.end_on)])
    sheet.append([_("Generated on"), day(timezone.localtime().replace(tzinfo=None, microsecond=0), "DD/MM/YYYY HH:MM")])
    sheet.append([strong(header) for header in register_headers()])
    count = 0
    for removal in selectors.waste_register_rows(user=user, extract=extract).iterator(chunk_size=2000):
        row = register_row(selectors.waste_register_line(removal))
        sheet.append([day(row[0]), *row[1:]])
        count += 1
    workbook.save(file)
    return count


def waste_register_response(*, extract, user, organization) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    waste_register_workbook(extract=extract, user=user, organization=organization, file=spool)
    spool.seek(0)
    name = f"{slugify(_('waste register'))}-{slugify(extract.site.code or extract.site.name)}-{extract.start_on}-{extract.end_on}.xlsx"
    return FileResponse(spool, as_attachment=True, filename=name,
                        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
