"""Navigation: catalog order and "(answered/total)" badges on parts and sections; the top-level
pages that are not the home page (practice, progress, tags) grouped under one tab, "study".

Runs after mkdocs-static-i18n (priority below -100), once per language.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Section
from mkdocs.structure.pages import Page

from guide import catalog as _catalog
from guide import context


def badge(answered: int, total: int) -> str:
    return f"({answered}/{total})"


def _index_src(section: Section):
    for child in section.children:
        if isinstance(child, Page) and child.file.name == "index":
            return child.file.src_uri
    return None


def _sort_key(item, cat: _catalog.Catalog):
    if isinstance(item, Page):
        if item.file.name == "index":
            return (0, 0, 0)
        q = cat.question_for_path(item.file.src_uri)
        return (2, *_catalog.id_sort_key(q.id)) if q else (3, 0, 0)
    src = _index_src(item)
    group = cat.group_for_path(src) if src else None
    return (1, group.order if group else 999, 0)


def _decorate(items: list, cat: _catalog.Catalog, lang: str) -> None:
    items.sort(key=lambda item: _sort_key(item, cat))
    for item in items:
        if not isinstance(item, Section):
            continue
        src = _index_src(item)
        group = cat.group_for_path(src) if src else None
        if group is not None:
            item.title = f"{group.title(lang)} {badge(*cat.progress(cat.questions_in(group), lang))}"
        _decorate(item.children, cat, lang)


def _pages(items: list) -> list[Page]:
    out = []
    for item in items:
        if isinstance(item, Page):
            out.append(item)
        elif isinstance(item, Section):
            out.extend(_pages(item.children))
    return out


def _group_study_pages(items: list, title: str) -> None:
    """Top-level pages other than the home page move into one section, placed last."""
    pages = [item for item in items if isinstance(item, Page) and item.file.name != "index"]
    if not pages:
        return
    for page in pages:
        items.remove(page)
    study = Section(title, pages)
    for page in pages:
        page.parent = study
    items.append(study)


@event_priority(-200)
def on_nav(nav, config, files):
    cat = context.catalog(config)
    lang = context.language(config)
    _decorate(nav.items, cat, lang)
    _group_study_pages(nav.items, context.labels(lang)["study_section"])
    nav.pages = _pages(nav.items)
    for prev, cur in zip([None] + nav.pages[:-1], nav.pages):
        cur.previous_page = prev
        if prev is not None:
            prev.next_page = cur
    if nav.pages:
        nav.pages[-1].next_page = None
    return nav
