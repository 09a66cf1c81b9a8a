"""A letter's parts (``letters.LetterParts``) as an editable DOCX, with python-docx.

The layout is the usual one of an Indonesian official letter: letterhead over a rule, the
place and date, the number block (Nomor, Sifat, Lampiran, Perihal), the addressee (Yth.),
the body, the closing, the signature on the right, then the tembusan and the attachment list.
A report (Form A) has a centred title instead of the addressee block and no tembusan.
"""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

FONT = "Arial"


def _rule_below(paragraph):
    """A line under the letterhead (a paragraph bottom border)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "double"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _paragraph(doc, text="", *, bold=False, align=None, space_after=6, indent=None):
    paragraph = doc.add_paragraph()
    if text:
        paragraph.add_run(text).bold = bold
    paragraph.paragraph_format.space_after = Pt(space_after)
    if align is not None:
        paragraph.alignment = align
    if indent is not None:
        paragraph.paragraph_format.left_indent = indent
    return paragraph


def _lines(doc, lines, **kwargs):
    paragraph = _paragraph(doc, **kwargs)
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = kwargs.get("bold", False)
        if number < len(lines) - 1:
            run.add_break()
    return paragraph


def _number_block(doc, parts):
    rows = [("Nomor", parts.number or "…")]
    if parts.classification:
        rows.append(("Sifat", parts.classification))
    rows.append(("Lampiran", f"{len(parts.attachments)} berkas" if parts.attachments else "—"))
    rows.append(("Perihal", parts.subject))
    table = doc.add_table(rows=0, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text = label, ":", value
        cells[0].width, cells[1].width, cells[2].width = Cm(2.5), Cm(0.5), Cm(12)
    _paragraph(doc)


def _body(doc, blocks):
    for block in blocks:
        if block.kind == "heading":
            _paragraph(doc, block.lines[0], bold=True, space_after=4)
        elif block.kind == "list":
            for marker, text in block.lines:
                item = _paragraph(doc, f"{marker}\t{text}", space_after=2, indent=Cm(1))
                item.paragraph_format.first_line_indent = Cm(-0.6)
            doc.paragraphs[-1].paragraph_format.space_after = Pt(6)
        else:
            _lines(doc, block.lines, align=WD_ALIGN_PARAGRAPH.JUSTIFY)


def _signature(doc, parts):
    lines = ([parts.place_date] if parts.is_report else []) + parts.signer_title
    _lines(doc, lines, indent=Cm(9), space_after=48)
    _paragraph(doc, parts.signer_name or "(……………………………)", bold=True, indent=Cm(9))


def _numbered(doc, title, entries):
    _paragraph(doc, title, space_after=2)
    for number, entry in enumerate(entries, start=1):
        _paragraph(doc, f"{number}. {entry}", space_after=2, indent=Cm(0.5))


def build(parts):
    """The DOCX bytes of the letter."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(11)

    if parts.letterhead:
        head = _lines(doc, parts.letterhead, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        _rule_below(head)
    if parts.is_report:
        _paragraph(doc, parts.subject, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=2)
        _paragraph(doc, f"Nomor: {parts.number or '…'}", align=WD_ALIGN_PARAGRAPH.CENTER)
    else:
        _paragraph(doc, parts.place_date, align=WD_ALIGN_PARAGRAPH.RIGHT)
        _number_block(doc, parts)
        _lines(doc, ["Yth."] + parts.recipients + ["di", "Tempat"])
    _body(doc, parts.blocks)
    if parts.closing:
        _lines(doc, parts.closing, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _signature(doc, parts)
    if parts.copies and not parts.is_report:
        _numbered(doc, "Tembusan:", parts.copies)
    if parts.attachments:
        _paragraph(doc)
        _numbered(doc, "Daftar lampiran:", parts.attachments)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
