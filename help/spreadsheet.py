"""The help directory as a spreadsheet: the CSV export a coordinator can edit and import
again, cells that cannot run as formulas, and an import that reads the files Excel writes in
Sweden and Denmark (encodings, separators), names the line of each problem, and matches
rows so a second import changes instead of adding twice. The rules of one entry are in
help/service.py."""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass, field

from sqlmodel import Session

from accounts.rules import clean_text
from extensions import fold, utcnow

from .models import HelpService
from .service import FIELDS, HelpError, _clean, everything

# A spreadsheet reads a cell starting with one of these as a formula (or, for the quote,
# as the escape below); such a cell is written with a quote in front, which the import takes off.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


def spreadsheet_safe(value: str) -> str:
    """The cell as a spreadsheet shows it as text: "'+46 8 ..." for "+46 8 ..."."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def from_spreadsheet(value: str) -> str:
    """Undo spreadsheet_safe, and only that: a quote a person typed before a letter stays."""
    return value[1:] if value.startswith("'") and value[1:].startswith(_FORMULA_START) else value


def export_csv(session: Session) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for row in everything(session):
        data = {name: getattr(row, name) for name in FIELDS}
        data["last_verified"] = row.last_verified.isoformat() if row.last_verified else ""
        data["self_referral"], data["hidden"] = ("yes" if row.self_referral else "no"), ("yes" if row.hidden else "no")
        writer.writerow(
            {name: spreadsheet_safe(str(value)) if isinstance(value, str) else value for name, value in data.items()}
        )
    return out.getvalue()


@dataclass
class ImportProblem:
    line: int
    code: str


MAX_IMPORT_ROWS = 2000


def decode_csv(data: bytes) -> str | None:
    """The text of an uploaded file: UTF-16 when it starts with its byte-order mark (Excel's
    "Unicode text", tab-separated), UTF-8 (with or without the mark Excel adds), else
    Windows-1252, which Excel in Swedish and Danish saves by default. None if none fits."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            return None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def _separator(header_line: str) -> str:
    """Comma, semicolon (Excel's default in Swedish and Danish) or tab: whichever the line
    of column names uses."""
    return max((",", ";", "\t"), key=header_line.count)


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    problems: list[ImportProblem] = field(default_factory=list)


def _identity(country: str, kind: str, name: str) -> tuple[str, str, str]:
    """What makes two entries the same one: country, kind and name (in any case)."""
    return country, kind, fold(name)


def import_csv(session: Session, text: str) -> ImportResult:
    """Import every row, or none: the first problems are reported with the line of the file
    each row starts on. A row with an id changes that entry; a row without one changes the
    entry with the same country, kind and name, if there is one, so importing a file twice
    adds nothing twice. The text is cleaned of NUL and other control characters first."""
    text = clean_text(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    header_line = next((line for line in lines if line.strip()), "")
    try:
        reader = csv.reader(io.StringIO(text), delimiter=_separator(header_line))
        header, records, last_line = None, [], 0
        for record in reader:
            starts, last_line = last_line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue  # an empty line
            if header is None:
                header = [cell.strip().lower() for cell in record]
                header_at = starts
                continue
            records.append((starts, dict(zip(header, (from_spreadsheet(cell) for cell in record), strict=False))))
    except csv.Error:
        return ImportResult(problems=[ImportProblem(1, "csv_broken")])
    if header is None or not {"country", "kind", "name"} <= set(header):
        return ImportResult(problems=[ImportProblem(header_at if header else 1, "csv_header")])
    if len(records) > MAX_IMPORT_ROWS:
        return ImportResult(problems=[ImportProblem(1, "csv_too_many")])
    result, planned, seen, targets = ImportResult(), [], set(), set()
    existing_by_identity = {_identity(row.country, row.kind, row.name): row for row in everything(session)}
    for line, values in records:
        try:
            cleaned = _clean(values)
        except HelpError as error:
            result.problems.append(ImportProblem(line, error.code))
            continue
        existing = None
        raw_id = str(values.get("id") or "").strip()
        if raw_id:
            known = raw_id.isascii() and raw_id.isdigit() and len(raw_id) < 10
            existing = session.get(HelpService, int(raw_id)) if known else None
            if existing is None:
                result.problems.append(ImportProblem(line, "csv_unknown_id"))
                continue
        else:
            existing = existing_by_identity.get(_identity(cleaned["country"], cleaned["kind"], cleaned["name"]))
        same = _identity(cleaned["country"], cleaned["kind"], cleaned["name"])
        # Two rows may not end in one entry: neither by the same name, nor by an id and a name.
        if same in seen or (existing is not None and existing.id in targets):
            result.problems.append(ImportProblem(line, "csv_twice"))
            continue
        seen.add(same)
        if existing is not None:
            targets.add(existing.id)
        planned.append((existing, cleaned))
    if result.problems:
        result.problems = result.problems[:20]
        return result
    for existing, cleaned in planned:
        row = existing or HelpService(country=cleaned["country"], kind=cleaned["kind"], name=cleaned["name"])
        for key, value in cleaned.items():
            setattr(row, key, value)
        row.updated_at = utcnow()
        session.add(row)
        if existing is None:
            result.added += 1
        else:
            result.updated += 1
    session.commit()
    return result
