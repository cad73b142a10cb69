"""The one PDF page style: A4 in the CJK font (RENFANG_PDF_FONT), page numbers, paragraphs across the page.

Community notices, decisions, commitments and payment notices all start from :class:`ChinesePdf`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from fpdf import FPDF
from fpdf.enums import XPos, YPos


def para(pdf: FPDF, height: float, text: str, **kwargs: Any) -> None:
    """A paragraph across the page; the next one starts at the left margin below it."""
    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, **kwargs)


class ChinesePdf(FPDF):
    def __init__(self, font: str | None = None) -> None:
        super().__init__(orientation="P", unit="mm", format="A4")
        # the Noto CJK collection: index 2 is Simplified Chinese (SC)
        self.add_font("cjk", fname=font or settings.RENFANG_PDF_FONT, collection_font_number=2)
        self.set_font("cjk", size=11)
        self.set_auto_page_break(auto=True, margin=15)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 6, f"{self.page_no()}/{{nb}}", align="C")
