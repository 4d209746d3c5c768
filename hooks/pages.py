"""Generated parts of pages: question header, notices, lists with progress.

Everything here is derived from the catalog and rendered by the templates in
``overrides/guide/``; authors never write it by hand.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from mkdocs.plugins import event_priority

from guide import catalog as _catalog
from guide import context, git_history, notebook_tools
from guide.render import render


def link(from_src: str, to_docs_path: str) -> str:
    """Relative Markdown link from one source page to a docs path.

    Targets are given without a language suffix ("a/b.md"); the i18n plugin
    resolves them to the page of the language being built.
    """
    return posixpath.relpath(to_docs_path, posixpath.dirname(from_src) or ".")


def question_link(src: str, q: _catalog.Question) -> str:
    return link(src, f"{q.key}.md")


def group_link(src: str, group: _catalog.Group) -> str:
    return link(src, f"{group.path}/index.md")


def new_file_url(config, docs_path: str) -> str:
    folder, name = posixpath.split(f"docs/{docs_path}")
    return f"{context.repo_url(config, folder, 'new')}?filename={name}"


def notices(config, q: _catalog.Question, src: str, lang: str) -> list[dict]:
    """The notices above a question: missing or possibly outdated translation."""
    strings = context.labels(lang)
    if lang not in q.pages:
        wanted = f"{q.key}.{lang}.md"
        return [{"kind": "warning", "title": strings["missing_translation"],
                 "text": strings["missing_translation_text"].format(edit=new_file_url(config, wanted))}]
    repo = context.project_root(config)
    others = [p for other_lang, p in q.pages.items() if other_lang != lang]
    if any(git_history.is_outdated(repo, src, other.path) for other in others):
        return [{"kind": "warning", "title": strings["outdated"],
                 "text": strings["outdated_text"].format(edit=context.repo_url(config, f"docs/{src}", "edit"))}]
    return []


def question_page(markdown: str, page, config, files, cat: _catalog.Catalog, q: _catalog.Question, lang: str) -> str:
    strings = context.labels(lang)
    src = page.file.src_uri
    unanswered = None
    if not q.answered(lang) and lang in q.pages:
        unanswered = strings["no_answer_text"].format(contributing=context.repo_url(config, strings["contributing_file"]))
        unanswered += f" [{strings['edit']}]({context.repo_url(config, f'docs/{src}', 'edit')})"
    notebook = None
    if q.notebook and files.get_file_from_path(f"notebooks/{q.notebook}.ipynb"):
        notebook = {"url": link(src, f"notebooks/{q.notebook}.ipynb"),
                    "title": notebook_tools.language_title(q.notebook, lang)}
    return render(config, "question.md", q=q, lang=lang, strings=strings, body=markdown.rstrip(),
                  notices=notices(config, q, src, lang), unanswered=unanswered, notebook=notebook,
                  related=[(r, question_link(src, r)) for r in cat.related(q)])


def group_page(markdown: str, page, config, cat: _catalog.Catalog, group: _catalog.Group, lang: str) -> str:
    src = page.file.src_uri
    if group.kind == "section":
        rows = [(q, question_link(src, q)) for q in group.children]
    else:
        rows = [(g, group_link(src, g), cat.progress(cat.questions_in(g), lang)) for g in group.children]
    return render(config, "group.md", group=group, lang=lang, strings=context.labels(lang), body=markdown.rstrip(),
                  progress=cat.progress(cat.questions_in(group), lang), rows=rows)


def home_page(markdown: str, page, config, cat: _catalog.Catalog, lang: str) -> str:
    src = page.file.src_uri
    parts = [(part, group_link(src, part), cat.progress(cat.questions_in(part), lang),
              [(g, group_link(src, g), cat.progress(cat.questions_in(g), lang)) for g in part.children])
             for part in cat.parts]
    return render(config, "home.md", lang=lang, strings=context.labels(lang), body=markdown.rstrip(),
                  progress=cat.progress(cat.questions_in(), lang), parts=parts)


def description(cat: _catalog.Catalog, lang: str, q=None, group=None) -> str | None:
    if q is not None:
        section = cat.section_of(q)
        return f"{q.title(lang)} — {section.title(lang)}: {context.labels(lang)['description_suffix']}."
    if group is not None:
        return group.descriptions.get(lang)
    return None


@event_priority(-200)
def on_page_markdown(markdown, page, config, files):
    cat = context.catalog(config)
    lang = context.language(config)
    src = page.file.src_uri
    q = cat.question_for_path(src)
    if q is not None:
        page.meta.setdefault("description", description(cat, lang, q=q))
        return question_page(markdown, page, config, files, cat, q, lang)
    group = cat.group_for_path(src)
    if group is not None:
        if description(cat, lang, group=group):
            page.meta.setdefault("description", description(cat, lang, group=group))
        return group_page(markdown, page, config, cat, group, lang)
    if Path(src).name.split(".")[0] == "index" and "/" not in src:
        return home_page(markdown, page, config, cat, lang)
    return markdown
