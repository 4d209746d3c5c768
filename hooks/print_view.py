"""A print view per section: every answered question of the section on one page, answers open.

``<section>/print/`` in each language, with the template ``overrides/print.html``
(no navigation chrome): printing it from the browser gives a PDF of the section.
Not in the navigation, not in search; section pages link to it
(overrides/guide/group.md).

The view is assembled from the answers as their own pages rendered them (kept in
``on_page_content``), not converted from Markdown a second time: a print page is
populated after every question page of its language (it is appended to the files
last), so by then each answer's HTML is known.  Ids inside an answer get the
question's id as a prefix (``#short`` → ``#q32-short``) so the sections do not
collide; links and images keep working because a print view sits at the same
depth as the questions.
"""

from __future__ import annotations

import re

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, InclusionLevel

from guide import catalog as _catalog
from guide import context
from guide.render import render

ANSWER_OPEN = re.compile(r'<details class="answer"[^>]*>')
DETAILS = re.compile(r"<details\b[^>]*>|</details>")
ID = re.compile(r'\bid="([^"]+)"')
IN_PAGE = re.compile(r'\bhref="#([^"]+)"')

_answers: dict[tuple[str, str], str] = {}


def answer_block(content: str) -> str | None:
    """The page's answer: the outermost ``<details class="answer">`` element, nested details included."""
    start = ANSWER_OPEN.search(content)
    if not start:
        return None
    depth = 0
    for m in DETAILS.finditer(content, start.start()):
        depth += -1 if m.group(0) == "</details>" else 1
        if depth == 0:
            return content[start.start():m.end()]
    return None


def for_print(answer: str, qid: str) -> str:
    """An answer made to sit among others: open, its ids and in-page links prefixed with the question id."""
    answer = ANSWER_OPEN.sub('<details class="answer" open>', answer, count=1)
    answer = ID.sub(lambda m: f'id="q{qid}-{m.group(1)}"', answer)
    return IN_PAGE.sub(lambda m: f'href="#q{qid}-{m.group(1)}"', answer)


def print_src(section: _catalog.Group, lang: str) -> str:
    return f"{section.path}/print.{lang}.md"


def on_pre_build(config):
    lang = context.language(config)
    for key in [k for k in _answers if k[0] == lang]:
        del _answers[key]


@event_priority(-200)
def on_files(files, config):
    cat = context.catalog(config)
    lang = context.language(config)
    prefix = cat.languages.prefix(lang)
    strings = context.labels(lang)
    for section in cat.sections:
        if not any(q.answered(lang) for q in section.children):
            continue
        title = strings["print_title"].format(section=section.title(lang)).replace('"', "'")
        page = File.generated(config, print_src(section, lang), inclusion=InclusionLevel.NOT_IN_NAV,
                              content=f'---\ntemplate: print.html\ntitle: "{title}"\nsearch:\n  exclude: true\n---\n\n'
                                      f"# {section.title(lang)}\n")
        page.dest_uri = f"{prefix}{section.path}/print/index.html"
        page.url = f"{prefix}{section.path}/print/"
        page.abs_dest_path = f"{config.site_dir}/{page.dest_uri}"
        files.append(page)
    return files


@event_priority(-100)
def on_page_content(html, page, config, files):
    cat = context.catalog(config)
    lang = context.language(config)
    q = cat.question_for_path(page.file.src_uri)
    if q is not None:
        if q.answered(lang):
            answer = answer_block(html)
            if answer:
                _answers[(lang, q.id)] = for_print(answer, q.id)
        return html
    section = next((s for s in cat.sections if page.file.src_uri == print_src(s, lang)), None)
    if section is None:
        return html
    questions = [(q, _answers[(lang, q.id)]) for q in section.children if (lang, q.id) in _answers]
    return html + render(config, "print.html", section=section, lang=lang, strings=context.labels(lang),
                         questions=questions)
