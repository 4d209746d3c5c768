"""A print view per section: every answered question of the section on one page, answers open.

``<section>/print/`` in each language, built from the questions' own Markdown
(so formulas, figures and code render as on their pages) with the template
``overrides/print.html``, which leaves out the navigation chrome: printing it
from the browser gives a PDF of the section.  Not in the navigation, not in
search.  Section pages link to it (overrides/guide/group.md).
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

from guide import catalog as _catalog
from guide import context
from guide.render import render

ANCHOR = re.compile(r"\{#([\w-]+)\}")
IN_PAGE_LINK = re.compile(r"\]\(#([\w-]+)\)")
HEADING = re.compile(r"^(#{2,5}) ", re.M)
FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1", re.S | re.M)


def print_src(section: _catalog.Group, lang: str) -> str:
    return f"{section.path}/print.{lang}.md"


def question_markdown(body: str, q: _catalog.Question) -> str:
    """A question's page body made to sit among others: anchors prefixed with its id, headings one
    level down, the answer block open."""
    def outside_code(text: str, fn) -> str:
        pieces, last = [], 0
        for m in FENCE.finditer(text):
            pieces += [fn(text[last:m.start()]), m.group(0)]
            last = m.end()
        return "".join(pieces + [fn(text[last:])])

    def rewrite(text: str) -> str:
        text = ANCHOR.sub(lambda m: f"{{#q{q.id}-{m.group(1)}}}", text)
        text = IN_PAGE_LINK.sub(lambda m: f"](#q{q.id}-{m.group(1)})", text)
        text = HEADING.sub(lambda m: "#" + m.group(1) + " ", text)
        return re.sub(r"^(/// answer \|[^\n]*)$", r"\1\n    open: true", text, flags=re.M)

    return outside_code(body, rewrite)


def section_markdown(config, cat: _catalog.Catalog, section: _catalog.Group, lang: str) -> str:
    questions = []
    for q in section.children:
        if q.answered(lang):
            source = (Path(config.docs_dir) / q.pages[lang].path).read_text(encoding="utf-8")
            _, body = _catalog.split_front_matter(source)
            questions.append((q, q.slug + ".md", question_markdown(body, q)))
    return render(config, "print.md", section=section, lang=lang, strings=context.labels(lang), questions=questions)


@event_priority(-200)
def on_files(files, config):
    cat = context.catalog(config)
    lang = context.language(config)
    prefix = cat.languages.prefix(lang)
    for section in cat.sections:
        if not any(q.answered(lang) for q in section.children):
            continue
        page = File.generated(config, print_src(section, lang), content=section_markdown(config, cat, section, lang),
                              inclusion=InclusionLevel.NOT_IN_NAV)
        page.dest_uri = f"{prefix}{section.path}/print/index.html"
        page.url = f"{prefix}{section.path}/print/"
        page.abs_dest_path = f"{config.site_dir}/{page.dest_uri}"
        files.append(page)
    return files
