"""Printable statement-of-support forms for paper collection, one per member state.

The layout follows Annex III of Regulation (EU) 2019/788: the initiative's registered
details, the certification sentence, the columns of part A or part B for the member state
(``form_columns`` and ``id_documents`` in ``data/rules.json``), and the privacy statement
for paper collection. Every text is a translatable string: the form is built in the
language the visitor chose, and so are the initiative's title and objectives, as registered
in that language (``Initiative.translations``). Where the Commission registered none in that
language, the form gives the registration language's and says so.

Nothing here stores or reads a signatory's data: the form is blank.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import font_roboto
from django.conf.locale import LANG_INFO
from django.utils import formats, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries
from fpdf import FPDF
from fpdf.enums import Align, MethodReturnValue, XPos, YPos

from reclaim.eci import rules
from reclaim.eci.models import Initiative

# Ten signatories fit on one landscape A4 sheet with rows tall enough to write in by hand
# and the whole privacy statement still on the same side, as the Commission's own forms do.
DEFAULT_ROWS = 10
# Rows that do not fit on one page continue on the next, each page a complete form; 30 rows
# make three pages, as many as one person hands round on a clipboard.
MAX_ROWS = 30
# A generous cap so a request cannot ask for a book.
MAX_SHEETS = 20

# Languages Django can name (for the note on a title not registered in the form's language).
_KNOWN_LANGUAGES = frozenset(LANG_INFO)

# Annex II of the regulation caps the registered objectives at 1,100 characters; a longer
# value is bad data, and cutting it keeps the form on its page.
MAX_OBJECTIVES = 1100

COLUMN_LABELS: dict[str, Promise] = {
    "first_names": gettext_lazy("Full first names"),
    "family_names": gettext_lazy("Family names"),
    "residence": gettext_lazy("Residence (street, number, postal code, city, country)"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "id_number": gettext_lazy("Personal identification number or document number"),
    "date_and_signature": gettext_lazy("Date and signature"),
}

# Relative widths of the columns: residence and the ID documents need the room.
COLUMN_WEIGHTS: dict[str, float] = {
    "first_names": 1.2,
    "family_names": 1.2,
    "residence": 2.4,
    "date_of_birth": 0.8,
    "id_number": 2.0,
    "date_and_signature": 1.2,
}

PART_TITLES: dict[str, Promise] = {
    "A": gettext_lazy("Statement of support form – part A"),
    "B": gettext_lazy("Statement of support form – part B"),
}

# What the privacy statement says is collected, per part.
PART_DATA: dict[str, Promise] = {
    "A": gettext_lazy("full first names, family names, residence address and date of birth"),
    "B": gettext_lazy(
        "full first names, family names and personal identification number or document number"
    ),
}

CERTIFICATION = gettext_lazy(
    "I hereby certify that the information I have provided in this form is correct and that "
    "I have not already supported this proposed citizens' initiative."
)

PAGE_MARGIN = 10.0  # mm
NUMBER_WIDTH = 8.0  # mm, the row-number column
MIN_ROW_HEIGHT = 8.0  # mm: the least room for a handwritten line
MAX_ROW_HEIGHT = 13.0  # mm: beyond this the sheet looks empty
LINE = 0.2  # mm, table rules
LABEL_WIDTH = 58.0  # mm, the labels of the initiative's details


@dataclass(frozen=True)
class _Style:
    bold: bool
    size: float  # pt
    leading: float  # mm from one line to the next


FORM_TITLE = _Style(bold=True, size=12, leading=6)
INTRO = _Style(bold=False, size=7.5, leading=4)
LABEL = _Style(bold=True, size=8, leading=3.8)
VALUE = _Style(bold=False, size=8, leading=3.8)
CERTIFY = _Style(bold=True, size=8.5, leading=4.2)
HINT = _Style(bold=False, size=7.5, leading=3.6)
HEADING = _Style(bold=True, size=7.5, leading=3.4)
NOTE = _Style(bold=False, size=6.5, leading=3.0)
ROW_NUMBER = _Style(bold=False, size=8, leading=4)
PRIVACY = _Style(bold=False, size=6.5, leading=2.9)
CELL_PADDING = 1.0  # mm above and below the text of a heading


def _use(pdf: FPDF, style: _Style) -> None:
    pdf.set_font("Roboto", "B" if style.bold else "", style.size)


def _write(pdf: FPDF, style: _Style, width: float, text: str, new_x: XPos = XPos.LMARGIN) -> None:
    """Set ``text`` at the cursor, wrapped to ``width`` (0: to the right margin)."""
    _use(pdf, style)
    pdf.multi_cell(width, style.leading, text, align=Align.L, new_x=new_x, new_y=YPos.NEXT)


def _height(pdf: FPDF, style: _Style, width: float, text: str) -> float:
    """How tall ``text`` would be, set as _write() sets it."""
    _use(pdf, style)
    lines = pdf.multi_cell(
        width,
        style.leading,
        text,
        align=Align.L,
        dry_run=True,
        output=MethodReturnValue.LINES,
    )
    assert isinstance(lines, list)
    return len(lines) * style.leading


def _months(count: int) -> str:
    return ngettext("%(count)d month", "%(count)d months", count) % {"count": count}


class UnknownCountry(LookupError):
    pass


def find_country(code: str) -> rules.Country:
    """The member state for an ISO code or the EU's code (EL for Greece), any case."""
    try:
        return rules.load().country(code.upper())
    except KeyError:
        raise UnknownCountry(code) from None


def filename(initiative: Initiative, country: rules.Country, language: str) -> str:
    key = initiative.register_key()
    reference = f"ECI-{key[0]}-{key[1]}" if key else initiative.slug
    return f"{reference}-{country.iso}-{language}.pdf"


@dataclass(frozen=True)
class _Column:
    id: str
    heading: str
    note: str
    width: float


class _FormPDF(FPDF):
    """A PDF whose every page starts with the initiative's details and the certification."""

    def __init__(self, draw_header: Callable[[FPDF], None]) -> None:
        super().__init__(orientation="landscape", unit="mm", format="A4")
        self._draw_header = draw_header

    def header(self) -> None:
        self._draw_header(self)


def build_form_pdf(
    initiative: Initiative,
    country_iso: str,
    language: str,
    rows_per_sheet: int | None = None,
    sheets: int = 1,
) -> bytes:
    """The blank form for signatories who are nationals of ``country_iso``, in ``language``.

    Raises UnknownCountry for a code that is not a member state.
    """
    country = find_country(country_iso)
    rows = rows_per_sheet or DEFAULT_ROWS
    rows = max(1, min(MAX_ROWS, rows))
    sheets = max(1, min(MAX_SHEETS, sheets))
    with translation.override(language):
        return _Builder(initiative, country, language).build(rows, sheets)


class _Builder:
    def __init__(self, initiative: Initiative, country: rules.Country, language: str) -> None:
        self.initiative = initiative
        self.country = country
        self.language = language
        self.country_name = str(countries.name(country.iso))
        self.part = country.data_part
        self.columns: list[_Column] = []

    # --- texts ---------------------------------------------------------------------------

    def registered_text(self) -> tuple[str, str, str]:
        """Title, objectives and their language: this form's, or the registration's."""
        title, objectives, language = self.initiative.registered_text(self.language)
        objectives = objectives.strip()
        if len(objectives) > MAX_OBJECTIVES:
            objectives = objectives[: MAX_OBJECTIVES - 1].rstrip() + "…"
        return title, objectives, language

    def collection_period(self) -> str:
        start, end = self.initiative.collection_start, self.initiative.collection_end
        if start is None or end is None:
            return _("Not fixed yet: see the Commission's register.")
        return _("From %(start)s to %(end)s") % {
            "start": formats.date_format(start, "DATE_FORMAT"),
            "end": formats.date_format(end, "DATE_FORMAT"),
        }

    def representative(self) -> str:
        name = self.initiative.representative_name.strip()
        email = self.initiative.representative_email.strip()
        if not name and not email:
            return _("See the Commission's register.")
        return ", ".join(part for part in (name, email) if part)

    def untranslated_note(self, text_language: str) -> str:
        if text_language not in _KNOWN_LANGUAGES:
            return _(
                "No version in this language was registered: the title and objectives are "
                "given as registered."
            )
        name = translation.get_language_info(text_language)["name_translated"]
        return _(
            "No version in this language was registered: the title and objectives are given "
            "as registered in %(language)s."
        ) % {"language": name}

    def details(self) -> list[tuple[str, str, bool]]:
        """Label, value and whether the value is set in bold."""
        initiative = self.initiative
        title, objectives, text_language = self.registered_text()
        if text_language != self.language:
            # Annex III wants the registered text; a translation of our own would not be.
            objectives = f"{objectives}\n{self.untranslated_note(text_language)}"
        return [
            (
                _("Member state"),
                _(
                    "All signatories on this form must be nationals of %(country)s and at "
                    "least %(age)s years old."
                )
                % {"country": self.country_name, "age": self.country.min_age},
                False,
            ),
            (_("Commission registration number"), initiative.registration_number, False),
            (
                _("Date of registration"),
                formats.date_format(initiative.registered_on, "DATE_FORMAT"),
                False,
            ),
            (_("Web address in the Commission's register"), initiative.register_url, False),
            (_("Collection period"), self.collection_period(), False),
            (
                _("Organisers' representative (name and email address)"),
                self.representative(),
                False,
            ),
            (_("Title"), title, True),
            (_("Subject matter and objectives"), objectives, False),
        ]

    def id_note(self) -> str:
        documents = "; ".join(self.country.id_documents)
        if len(self.country.id_documents) > 1:
            return _("Write the type of document too. Accepted: %(documents)s") % {
                "documents": documents
            }
        return _("Accepted: %(documents)s") % {"documents": documents}

    def privacy(self) -> list[str]:
        context = {
            "country": self.country_name,
            "register": self.initiative.register_url,
            "data": str(PART_DATA[self.part]),
        }
        return [
            _(
                "Who is responsible: the group of organisers of this citizens' initiative is "
                "the controller of the personal data on this form, represented by its "
                "representative, whose contact details are in the Commission's register "
                "(%(register)s). While it verifies the statements, the competent authority "
                "of %(country)s is the controller."
            )
            % context,
            _(
                "What and why: your %(data)s are collected only so that the competent "
                "authority of %(country)s can verify and certify the number of valid "
                "statements of support for this initiative, as Regulation (EU) 2019/788 "
                "requires. The organisers pass this form to that authority and to nobody "
                "else. Your data are never used for any other purpose."
            )
            % context,
            _(
                "How long: this form is destroyed at the latest %(after_submission)s after "
                "the initiative is submitted to the Commission, or %(after_start)s after the "
                "collection started, whichever comes first; if the initiative is withdrawn, "
                "within %(after_withdrawal)s of the withdrawal. It is kept longer only where "
                "legal or administrative proceedings about the initiative require it."
            )
            % self.destruction_periods(),
            _(
                "Your rights: you may ask the representative for access to your data, for "
                "its correction and for its erasure. You may complain at any time to a data "
                "protection authority, in particular in the member state where you live or "
                "work or where you believe the infringement took place."
            ),
        ]

    def destruction_periods(self) -> dict[str, str]:
        """The regulation's destruction deadlines for statements, from the rules data."""
        general = rules.load().general
        return {
            name: _months(int(general[f"destroy_statements_months_{name}"]))
            for name in ("after_submission", "after_start", "after_withdrawal")
        }

    # --- layout ----------------------------------------------------------------------------

    def build(self, rows: int, sheets: int) -> bytes:
        pdf = _FormPDF(self.draw_header)
        pdf.add_font("Roboto", "", font_roboto.Roboto)
        pdf.add_font("Roboto", "B", font_roboto.RobotoBold)
        pdf.set_margins(PAGE_MARGIN, PAGE_MARGIN, PAGE_MARGIN)
        # Pages are laid out by hand below, so a sheet never splits mid-row.
        pdf.set_auto_page_break(False)
        pdf.set_line_width(LINE)
        title = str(PART_TITLES[self.part])
        pdf.set_title(f"{title} · {self.initiative.registration_number} · {self.country_name}")
        pdf.set_subject(self.registered_text()[0])
        pdf.set_lang(self.language)
        pdf.set_creator("reclaim")
        pdf.set_author(
            _("The organisers of %(registration)s")
            % {"registration": self.initiative.registration_number}
        )
        self.columns = self.layout_columns(pdf)
        for _sheet in range(sheets):
            pdf.add_page()
            self.draw_sheet(pdf, rows)
        return bytes(pdf.output())

    def layout_columns(self, pdf: FPDF) -> list[_Column]:
        ids = rules.load().form_columns[self.part]
        total = sum(COLUMN_WEIGHTS[i] for i in ids)
        room = pdf.epw - NUMBER_WIDTH
        return [
            _Column(
                id=i,
                heading=str(COLUMN_LABELS[i]),
                note=self.id_note() if i == "id_number" else "",
                width=room * COLUMN_WEIGHTS[i] / total,
            )
            for i in ids
        ]

    def draw_header(self, pdf: FPDF) -> None:
        pdf.set_xy(PAGE_MARGIN, PAGE_MARGIN)
        _write(pdf, FORM_TITLE, 0, str(PART_TITLES[self.part]).upper())
        _write(
            pdf,
            INTRO,
            0,
            _("For a proposed European citizens' initiative, Regulation (EU) 2019/788, Annex III"),
        )
        pdf.ln(1.5)
        for label, value, bold in self.details():
            top = pdf.y
            _write(pdf, LABEL, LABEL_WIDTH, label)
            label_bottom = pdf.y
            pdf.set_xy(PAGE_MARGIN + LABEL_WIDTH, top)
            _write(pdf, LABEL if bold else VALUE, 0, value)
            pdf.set_y(max(pdf.y, label_bottom) + 0.6)
        pdf.ln(1)
        _write(pdf, CERTIFY, 0, str(CERTIFICATION))
        _write(
            pdf, HINT, 0, _("All fields are required. Please write clearly, in capital letters.")
        )
        pdf.ln(1.5)

    def heading_height(self, pdf: FPDF) -> float:
        return 2 * CELL_PADDING + max(
            _height(pdf, HEADING, column.width, column.heading)
            + (_height(pdf, NOTE, column.width, column.note) if column.note else 0)
            for column in self.columns
        )

    def draw_headings(self, pdf: FPDF, height: float) -> None:
        top = pdf.y
        pdf.set_fill_color(235, 235, 240)
        pdf.rect(PAGE_MARGIN, top, pdf.epw, height, style="DF")
        pdf.set_xy(PAGE_MARGIN, top + CELL_PADDING)
        _use(pdf, HEADING)
        pdf.multi_cell(NUMBER_WIDTH, HEADING.leading, _("No."), align=Align.C)
        x = PAGE_MARGIN + NUMBER_WIDTH
        for column in self.columns:
            pdf.line(x, top, x, top + height)
            pdf.set_xy(x, top + CELL_PADDING)
            _write(pdf, HEADING, column.width, column.heading, new_x=XPos.LEFT)
            if column.note:
                _write(pdf, NOTE, column.width, column.note, new_x=XPos.LEFT)
            x += column.width
        pdf.set_xy(PAGE_MARGIN, top + height)

    def draw_rows(self, pdf: FPDF, first: int, count: int, height: float) -> None:
        _use(pdf, ROW_NUMBER)
        for number in range(first, first + count):
            top = pdf.y
            pdf.rect(PAGE_MARGIN, top, pdf.epw, height)
            pdf.set_xy(PAGE_MARGIN, top)
            pdf.cell(NUMBER_WIDTH, height, str(number), align=Align.C)
            x = PAGE_MARGIN + NUMBER_WIDTH
            for column in self.columns:
                pdf.line(x, top, x, top + height)
                x += column.width
            pdf.set_xy(PAGE_MARGIN, top + height)

    def privacy_height(self, pdf: FPDF) -> float:
        return (
            2.0
            + HEADING.leading
            + sum(_height(pdf, PRIVACY, pdf.epw, text) for text in self.privacy())
        )

    def draw_privacy(self, pdf: FPDF) -> None:
        pdf.ln(2)
        _write(pdf, HEADING, 0, _("Privacy statement for paper collection"))
        for text in self.privacy():
            _write(pdf, PRIVACY, 0, text)

    def draw_sheet(self, pdf: FPDF, rows: int) -> None:
        """Headings, rows and the privacy statement; the header came with the page.

        Every page is a complete form, privacy statement included, because sheets are
        separated as soon as they are handed out: rows that do not fit go to a new page.
        """
        bottom = pdf.h - PAGE_MARGIN
        heading = self.heading_height(pdf)
        privacy = self.privacy_height(pdf)
        room = bottom - pdf.y - heading - privacy
        row_height = max(MIN_ROW_HEIGHT, min(MAX_ROW_HEIGHT, room / rows))
        # The epsilon keeps a row that fits exactly from being lost to rounding.
        per_page = max(1, int((room + 0.01) // row_height))
        for first in range(1, rows + 1, per_page):
            if first > 1:
                pdf.add_page()
            self.draw_headings(pdf, heading)
            self.draw_rows(pdf, first, min(per_page, rows - first + 1), row_height)
            self.draw_privacy(pdf)
