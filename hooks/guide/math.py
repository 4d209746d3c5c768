"""KaTeX at build time: TeX in, MathML out, one persistent ``node`` process per build.

Used by hooks/katex.py for every page and by the study tools for the short
answers they ship (questions.json).  No MkDocs events here.

Why MathML and not KaTeX's HTML output: KaTeX's HTML costs about 2 KB per
formula, which put formula-rich answers at 150–200 KB per page; MathML is
about six times smaller, needs no JavaScript, is read by screen readers, and
every current browser lays it out.  The look comes from an OpenType math
font (Noto Sans Math) that the site serves itself; its stylesheet is
overrides/assets/math/math.css.
"""

from __future__ import annotations

import atexit
import html
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Optional

from mkdocs.exceptions import PluginError

ROOT = Path(__file__).resolve().parents[2]
KATEX_DIST = ROOT / "node_modules" / "katex" / "dist"
MATH_FONT = ROOT / "node_modules" / "@fontsource" / "noto-sans-math" / "files" / "noto-sans-math-latin-400-normal.woff2"
RENDERER = Path(__file__).with_name("katex_render.cjs")

MATH = re.compile(
    r'<span class="arithmatex">\\\((?P<inline>.*?)\\\)</span>'
    r'|<div class="arithmatex">\\\[(?P<display>.*?)\\\]</div>',
    re.S,
)


class KatexRenderer:
    """A persistent ``node`` process running :file:`katex_render.cjs`."""

    def __init__(self) -> None:
        self._proc: Optional[subprocess.Popen] = None

    def _start(self) -> subprocess.Popen:
        if not (KATEX_DIST / "katex.min.js").exists() or not MATH_FONT.exists():
            raise PluginError("KaTeX is not installed: run `npm ci` in the repository root (the README's commands do it)")
        if shutil.which("node") is None:
            raise PluginError("Node.js is needed to render formulas at build time: install it (the README says how)")
        self._proc = subprocess.Popen(
            ["node", str(RENDERER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, encoding="utf-8", bufsize=1,
        )
        atexit.register(self.close)
        return self._proc

    def render(self, items: list[dict]) -> list[dict]:
        proc = self._proc if self._proc and self._proc.poll() is None else self._start()
        proc.stdin.write(json.dumps({"items": items}) + "\n")
        proc.stdin.flush()
        line = proc.stdout.readline()
        if not line:
            raise PluginError("the KaTeX renderer stopped unexpectedly")
        return json.loads(line)["results"]

    def close(self) -> None:
        if self._proc and self._proc.poll() is None:
            self._proc.stdin.close()
            self._proc.wait(timeout=5)


renderer = KatexRenderer()


class LatexError(Exception):
    def __init__(self, where: str, tex: str, message: str, line: Optional[int] = None):
        self.line = (f"content error: {where}{f':{line}' if line else ''}: invalid LaTeX in formula "
                     f"`{' '.join(tex.split())}`: {message}")
        super().__init__(self.line)


def source_line(source: Optional[str], tex: str) -> Optional[int]:
    """Line of the Markdown source where a formula starts (its first line when the TeX was reflowed)."""
    if not source:
        return None
    for needle in (tex.strip(), tex.strip().splitlines()[0] if tex.strip() else ""):
        at = source.find(needle) if needle else -1
        if at >= 0:
            return source[:at].count("\n") + 1
    return None


SEMANTICS = re.compile(r'<semantics>|</semantics>|<annotation encoding="application/x-tex">.*?</annotation>'
                       r'| xmlns="http://www.w3.org/1998/Math/MathML"', re.S)


def slim_mathml(html: str) -> str:
    """MathML without KaTeX's TeX annotation, its <semantics> wrapper and the namespace, which an
    HTML page does not need: about a quarter of a formula's bytes. Browsers and screen readers use
    the presentation MathML that remains; the search index keeps the TeX (it reads pages before
    the formulas are rendered)."""
    return SEMANTICS.sub("", html)


def render_math(output: str, where: str, errors: Optional[list] = None, source: Optional[str] = None) -> str:
    """Replace every arithmatex span/div in ``output`` with KaTeX's MathML.

    A formula KaTeX rejects raises :class:`LatexError`, or, when ``errors``
    is a list, is appended to it (every bad formula of the page, each with
    the line of ``source`` it stands on) and left as TeX.
    """
    matches = list(MATH.finditer(output))
    if not matches:
        return output
    items = [{"tex": html.unescape(m.group("inline") if m.group("inline") is not None else m.group("display")),
              "display": m.group("display") is not None} for m in matches]
    results = renderer.render(items)
    pieces, last = [], 0
    for m, item, result in zip(matches, items, results):
        if "error" in result:
            problem = LatexError(where, item["tex"], result["error"], source_line(source, item["tex"]))
            if errors is None:
                raise problem
            errors.append(problem.line)
            pieces += [output[last:m.start()], f'<code class="katex-error">{html.escape(item["tex"])}</code>']
            last = m.end()
            continue
        rendered = slim_mathml(result["html"])
        if item["display"]:
            rendered = f'<div class="katex-block">{rendered}</div>'
        pieces += [output[last:m.start()], rendered]
        last = m.end()
    pieces.append(output[last:])
    return "".join(pieces)
