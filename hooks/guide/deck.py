"""The study deck: each answered question's short answer, as the study tools need it.

The practice page shows the "In short" section of an answer, the Anki deck puts
it on the back of a card.  Both take it from the rendered page (so they show
exactly what the page shows), in two forms:

- ``html``: formulas as MathML (the site's KaTeX output), for the browser;
- ``tex``: formulas as ``\\(…\\)`` / ``\\[…\\]``, which Anki renders itself.

Links are made relative to the site root, so they work from any page (the
practice page adds its base URL, the Anki export the site URL).
"""

from __future__ import annotations

import html as html_lib
import posixpath
import re
from dataclasses import dataclass
from typing import Optional

from guide.math import MATH, render_math

SECTION = re.compile(r'<h2 id="short"[^>]*>.*?</h2>(?P<body>.*?)(?=<h2[\s>]|</details>)', re.S)
HREF = re.compile(r'(?P<attr>\b(?:href|src))="(?P<url>[^"#:?][^":]*?)"')


@dataclass(frozen=True)
class ShortAnswer:
    html: str        # MathML formulas, for the browser
    tex: str         # \(…\) formulas, for Anki


def short_section(content: str) -> Optional[str]:
    """The HTML of the page's "In short" section (between its heading and the next one)."""
    m = SECTION.search(content)
    return m.group("body").strip() if m else None


def root_relative(html: str, page_url: str) -> str:
    """Relative links and images of a page rewritten relative to the site root."""
    base = posixpath.dirname(page_url.rstrip("/") + "/x")

    def fix(m: re.Match) -> str:
        target = posixpath.normpath(posixpath.join(base, m.group("url")))
        if m.group("url").endswith("/") and not target.endswith("/"):
            target += "/"
        return f'{m.group("attr")}="{target.lstrip("./") if target != "." else ""}"'

    return HREF.sub(fix, html)


def tex_form(html: str) -> str:
    """Arithmatex spans unwrapped to the delimiters Anki renders: \\(…\\) and \\[…\\]."""
    def unwrap(m: re.Match) -> str:
        if m.group("inline") is not None:
            return f"\\({m.group('inline')}\\)"
        return f"\\[{m.group('display')}\\]"

    return MATH.sub(unwrap, html)


def short_answer(content: str, page_url: str, where: str) -> Optional[ShortAnswer]:
    """The short answer of a rendered question page (``content``: its HTML before KaTeX ran)."""
    section = short_section(content)
    if section is None:
        return None
    section = root_relative(section, page_url)
    return ShortAnswer(html=render_math(section, where, errors=[]), tex=tex_form(section))


def plain_text(html: str) -> str:
    """Text of an HTML fragment on one line (for the TSV export and descriptions)."""
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


# Filled per build by hooks/short_answers.py, read by hooks/questions_json.py and hooks/anki.py.
_answers: dict[tuple[str, str], ShortAnswer] = {}


def remember(lang: str, qid: str, answer: ShortAnswer) -> None:
    _answers[(lang, qid)] = answer


def recall(lang: str, qid: str) -> Optional[ShortAnswer]:
    return _answers.get((lang, qid))


def forget(lang: str) -> None:
    for key in [k for k in _answers if k[0] == lang]:
        del _answers[key]
