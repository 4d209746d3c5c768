"""Generated parts of pages: question header, notices, lists with progress.

Everything here is derived from the catalog; authors never write it by hand.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.plugins import event_priority

import catalog as _catalog
import context
import git_history
import notebook_tools


def link(from_src: str, to_docs_path: str) -> str:
    """Relative Markdown link from one source page to a docs path.

    Targets are given without a language suffix ("a/b.md"); the i18n plugin
    resolves them to the page of the language being built.
    """
    return posixpath.relpath(to_docs_path, posixpath.dirname(from_src) or ".")


def status_html(answered: bool, lang: str) -> str:
    label = context.labels(lang)
    kind, text = ("answered", label["answered"]) if answered else ("open", label["unanswered"])
    mark = "✓" if answered else "○"
    return f'<span class="q-status q-status--{kind}"><span aria-hidden="true">{mark}</span> {text}</span>'


def progress_html(answered: int, total: int) -> str:
    pct = round(100 * answered / total) if total else 0
    return (f'<span class="q-progress" data-answered="{answered}" data-total="{total}">'
            f'<span class="q-progress__bar" style="width: {pct}%"></span>'
            f'<span class="q-progress__text">{answered}/{total}</span></span>')


def learned_mark(q: _catalog.Question, lang: str) -> str:
    """Shown by guide.js when the reader marked the question as learned."""
    return f' <span class="q-learned-mark" data-question-id="{q.id}" hidden>· {context.labels(lang)["learned_mark"]}</span>'


def question_header(q: _catalog.Question, lang: str) -> str:
    label = context.labels(lang)
    tags = " ".join(f'<span class="q-tag">{t}</span>' for t in q.tags)
    button = (f'<button type="button" class="q-learned" data-question-id="{q.id}" aria-pressed="false" hidden '
              f'data-on="{label["learned_on"]}" data-off="{label["learned_off"]}">{label["learned_off"]}</button>')
    return (f'<p class="q-meta"><span class="q-id">#{q.id}</span> '
            f'<span class="q-level q-level--{q.difficulty}" title="{label["level"]}">{label["difficulty"][q.difficulty]}</span> '
            f'{tags} {status_html(q.answered(lang), lang)} {button}</p>\n\n')


def admonition(kind: str, title: str, text: str) -> str:
    return f'!!! {kind} "{title}"\n\n    {text}\n\n'


def question_table(src: str, questions: list[_catalog.Question], lang: str) -> str:
    label = context.labels(lang)
    rows = [f"| # | {label['question']} | {label['level']} | {label['status']} |", "|---|---|---|---|"]
    for q in questions:
        target = link(src, f"{q.part}/{q.section}/{q.slug}.md")
        rows.append(f"| {q.id} | [{q.title(lang)}]({target}) | {label['difficulty'][q.difficulty]} | "
                    f"{status_html(q.answered(lang), lang)}{learned_mark(q, lang)} |")
    return "\n".join(rows) + "\n"


def group_table(src: str, cat: _catalog.Catalog, groups: list[_catalog.Group], lang: str) -> str:
    label = context.labels(lang)
    rows = [f"| {label['section']} | {label['progress']} |", "|---|---|"]
    for g in groups:
        rows.append(f"| [{g.title(lang)}]({link(src, g.path + '/index.md')}) | "
                    f"{progress_html(*cat.progress(cat.questions_in(g), lang))} |")
    return "\n".join(rows) + "\n"


repo_url = context.repo_url


def new_file_url(config, docs_path: str) -> str:
    folder, name = posixpath.split(f"docs/{docs_path}")
    return f"{repo_url(config, folder, 'new')}?filename={name}"


def question_page(markdown: str, page, config, files, cat: _catalog.Catalog, q: _catalog.Question, lang: str) -> str:
    label = context.labels(lang)
    src = page.file.src_uri
    out = [question_header(q, lang)]
    if context.source_language(src) != lang:
        wanted = src.rsplit(".", 2)[0] + f".{lang}.md"
        out.append(admonition("warning", label["missing_translation"],
                              label["missing_translation_text"].format(edit=new_file_url(config, wanted))))
    else:
        others = [p for other_lang, p in q.pages.items() if other_lang != lang]
        repo = Path(config.config_file_path).parent
        if any(git_history.is_outdated(repo, src, other.path) for other in others):
            out.append(admonition("warning", label["outdated"],
                                  label["outdated_text"].format(edit=repo_url(config, f"docs/{src}", "edit"))))
    out.append(markdown.rstrip() + "\n\n")
    if not q.answered(lang) and context.source_language(src) == lang:
        text = label["no_answer_text"].format(contributing=repo_url(config, label["contributing_file"]))
        out.append(admonition("info", label["no_answer"],
                              f"{text} [{label['edit']}]({repo_url(config, f'docs/{src}', 'edit')})"))
    if q.notebook and files.get_file_from_path(f"notebooks/{q.notebook}.ipynb"):
        url = link(src, f"notebooks/{q.notebook}.ipynb")
        title = notebook_tools.language_title(q.notebook, lang)
        out.append(admonition("example", label["notebook"], label["notebook_text"].format(title=title, url=url)))
    related = cat.related(q)
    if related:
        out.append(f"## {label['related']} {{#related}}\n\n")
        for r in related:
            out.append(f"- [{r.title(lang)}]({link(src, f'{r.part}/{r.section}/{r.slug}.md')})\n")
    return "".join(out)


def group_page(markdown: str, page, cat: _catalog.Catalog, group: _catalog.Group, lang: str) -> str:
    src = page.file.src_uri
    answered, total = cat.progress(cat.questions_in(group), lang)
    intro = f'<p class="q-summary">{progress_html(answered, total)}</p>\n\n'
    listing = question_table(src, group.children, lang) if group.kind == "section" \
        else group_table(src, cat, group.children, lang)
    return intro + markdown.rstrip() + "\n\n" + listing


def home_page(markdown: str, page, cat: _catalog.Catalog, lang: str) -> str:
    label = context.labels(lang)
    src = page.file.src_uri
    answered, total = cat.progress(cat.questions_in(), lang)
    out = [markdown.rstrip(), "\n\n",
           f'<p class="q-summary q-summary--total">{label["total"]}: {progress_html(answered, total)}</p>\n\n',
           f'<p class="q-learned-summary" data-catalog="questions.json" data-template="{label["learned_summary"]}" hidden></p>\n\n']
    for part in cat.parts:
        a, t = cat.progress(cat.questions_in(part), lang)
        out.append(f"## [{part.title(lang)}]({link(src, part.path + '/index.md')}) ({a}/{t}) {{#part-{part.key}}}\n\n")
        out.append(group_table(src, cat, part.children, lang) + "\n")
    return "".join(out)


def _description(page, cat, lang, q=None, group=None) -> str:
    if q is not None:
        section = next(s for s in cat.sections if s.path == f"{q.part}/{q.section}")
        return f"{q.title(lang)} — {section.title(lang)}: {context.labels(lang)['description_suffix']}."
    if group is not None and group.descriptions.get(lang):
        return group.descriptions[lang]
    return page.meta.get("description") or ""


@event_priority(-200)
def on_page_markdown(markdown, page, config, files):
    cat = context.catalog(config)
    lang = context.language(config)
    src = page.file.src_uri
    q = cat.question_for_path(src)
    if q is not None:
        page.meta.setdefault("description", _description(page, cat, lang, q=q))
        return question_page(markdown, page, config, files, cat, q, lang)
    group = cat.group_for_path(src)
    if group is not None:
        page.meta.setdefault("description", _description(page, cat, lang, group=group))
        return group_page(markdown, page, cat, group, lang)
    if src.split(".")[0] == "index":
        return home_page(markdown, page, cat, lang)
    return markdown
