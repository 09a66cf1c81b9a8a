"""HTML → PDF with WeasyPrint, reading only the app's own static files (CSS, fonts) and
embedded ``data:`` images: nothing in a document SIPANSOS hands out comes from the network or
from elsewhere on the server's disk."""

from pathlib import Path
from tempfile import TemporaryFile
from urllib.parse import urlsplit
from urllib.request import url2pathname

from flask import current_app
from weasyprint import HTML
from weasyprint.urls import URLFetcher


class StaticOnly(URLFetcher):
    """Lets the renderer read the app's own static files and embedded images, nothing else."""

    def __init__(self, root):
        super().__init__(allowed_protocols={"file", "data"})
        self.root = Path(root).resolve()

    def fetch(self, url, headers=None):
        if url.startswith("file:"):
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not path.is_relative_to(self.root):
                raise ValueError(f"not a static file of the app: {url}")
        return super().fetch(url, headers)


def render_pdf(html):
    """``(file, pages)``: the PDF of ``html`` in an open temporary file (at 0), its page count."""
    static = current_app.static_folder
    document = HTML(
        string=html, base_url=Path(static).as_uri() + "/", url_fetcher=StaticOnly(static)
    ).render()
    pdf = TemporaryFile()
    try:
        document.write_pdf(pdf)
    except BaseException:
        pdf.close()
        raise
    pdf.seek(0)
    return pdf, len(document.pages)
