"""PDF documents from HTML templates (WeasyPrint), with the fonts shipped in static files.

DejaVu Sans covers Uzbek Latin (ʻ ʼ), Uzbek and Kyrgyz Cyrillic (ў қ ғ ҳ ң ө ү), so receipts render the same on a
server without any system fonts.
"""

from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string


def _font_url(name: str) -> str:
    path = finders.find(f"core/fonts/{name}")
    if path is None:  # collected static files in production
        from django.conf import settings

        path = str(Path(settings.STATIC_ROOT) / "core" / "fonts" / name)
    return Path(path).as_uri()


def render_pdf(template_name: str, context: dict, *, request=None) -> bytes:
    from weasyprint import HTML  # imported lazily: it loads Pango

    html = render_to_string(
        template_name,
        {
            **context,
            "font_regular": _font_url("DejaVuSans.ttf"),
            "font_bold": _font_url("DejaVuSans-Bold.ttf"),
        },
        request=request,
    )
    return HTML(string=html).write_pdf()


def qr_svg(data: str, *, scale: int = 4) -> str:
    """An inline SVG QR code (segno), usable in HTML pages and in PDFs."""
    import segno

    return segno.make_qr(data, error="m").svg_inline(scale=scale)
