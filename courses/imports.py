"""Reading coordinators' import files: XLSX or CSV in UTF-8, UTF-8 with BOM or Windows-1250.

Polish Excel saves "CSV" in Windows-1250 with semicolons, and "CSV UTF-8" with a BOM;
the encoding and the delimiter are detected, never asked.
"""

import csv
import io
from dataclasses import dataclass

import openpyxl
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_ROWS = 10_000
XLSX_MAGIC = b"PK\x03\x04"


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the coordinator."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[list[str]]  # data rows; row i is line i + 2 of the file


def import_max_bytes() -> int:
    return getattr(settings, "IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES)


def import_max_rows() -> int:
    return getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def _text(content: bytes) -> str:
    if b"\x00" in content:
        raise ImportFileError(
            _(
                "The file is not a CSV text file or an XLSX workbook. Save it in "
                "Excel as “CSV UTF-8” or “Excel workbook (.xlsx)”."
            )
        )
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        _(
            "The file's characters cannot be read as UTF-8 or Windows-1250. Save it in "
            "Excel as “CSV UTF-8” or “Excel workbook (.xlsx)”."
        )
    )


def _csv_rows(text: str) -> list[list[str]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(";,\t", key=first_line.count)
    try:
        # newline="": the csv module reads the line ends itself (a lone \r too).
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:  # e.g. a NUL or a broken quote: not a CSV file
        raise ImportFileError(
            _(
                "The file is not a CSV text file or an XLSX workbook. Save it in "
                "Excel as “CSV UTF-8” or “Excel workbook (.xlsx)”."
            )
        ) from error


def _xlsx_rows(content: bytes) -> list[list[str]]:
    try:
        workbook = openpyxl.load_workbook(
            io.BytesIO(content), read_only=True, data_only=True
        )
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(
            _("The XLSX workbook is damaged and cannot be opened.")
        ) from error
    sheet = workbook.worksheets[0]
    rows = [
        ["" if value is None else str(value).strip() for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    workbook.close()
    return rows


def sheet_read(*, content: bytes) -> Sheet:
    """The header row and data rows of an uploaded file, blank lines dropped."""
    if len(content) > import_max_bytes():
        raise ImportFileError(
            _("The file is too large: the limit is %(limit)s.")
            % {"limit": filesizeformat(import_max_bytes())}
        )
    if content.startswith(XLSX_MAGIC):
        rows = _xlsx_rows(content)
    else:
        rows = _csv_rows(_text(content))
    rows = [[cell.strip() for cell in row] for row in rows]
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows or not any(rows[0]):
        raise ImportFileError(
            _("The file is empty: the first row must name the columns.")
        )
    if len(rows) - 1 > import_max_rows():
        raise ImportFileError(
            _("The file has too many rows: the limit is %(limit)s.")
            % {"limit": import_max_rows()}
        )
    return Sheet(headers=rows[0], rows=rows[1:])
