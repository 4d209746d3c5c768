"""Math: every formula of every page becomes MathML at build time (guide/math.py).

Formulas are rendered in ``on_post_page`` (after the search plugin has read
the page), so the search index keeps plain TeX instead of markup.  Every
invalid formula of a page is reported with its file and line, then the build
stops.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger

from guide import context
from guide.math import MATH, render_math

log = get_plugin_logger("katex")

_errors: list[str] = []


def on_pre_build(config):
    _errors.clear()


def _source(page, config) -> tuple[str, Optional[str]]:
    """How errors name the page's source file, and its text (to find a formula's line)."""
    src = page.file.src_uri
    if src.startswith("notebooks/") and src.endswith(".ipynb"):          # hooks/notebooks.py
        path = context.notebooks_dir(config) / f"{Path(src).stem}.py"
        where = f"notebooks/{path.name}"
    else:
        path = Path(page.file.abs_src_path) if page.file.abs_src_path else None
        where = f"docs/{src}"
    text = path.read_text(encoding="utf-8") if path and path.exists() else None
    return where, text


ELLIPSIS = re.compile(r'(<span class="md-ellipsis">)(.*?)(</span>)', re.S)
TEX_IN_TEXT = re.compile(r"\\\((.+?)\\\)")


def toc_math(output: str) -> str:
    """Formulas in headings reach the navigation and the table of contents as plain text (\\(…\\)):
    mark them like the content's, so they are rendered too."""
    def mark(m: re.Match) -> str:
        if "arithmatex" in m.group(2):          # already marked (notebook pages keep their TOC's markup)
            return m.group(0)
        return m.group(1) + TEX_IN_TEXT.sub(
            lambda t: f'<span class="arithmatex">\\({t.group(1)}\\)</span>', m.group(2)) + m.group(3)

    return ELLIPSIS.sub(mark, output)


@event_priority(-200)
def on_post_page(output, page, config):
    output = toc_math(output)
    if not MATH.search(output):
        return output
    if page.meta.get("template") == "print.html":      # its formulas are its questions', reported there
        return render_math(output, f"docs/{page.file.src_uri}", [], None)
    where, source = _source(page, config)
    return render_math(output, where, _errors, source)


def on_post_build(config):
    """Report every bad formula of this language's build (one line each), then fail."""
    if _errors:
        for line in _errors[:-1]:
            log.error(line)
        raise PluginError(_errors[-1])
