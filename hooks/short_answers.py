"""Keep each answered question's "In short" section for the study tools (guide/deck.py).

Read from the page's HTML in ``on_page_content`` (after Markdown, before the
formulas are rendered for the whole page), so the practice page and the Anki
deck show exactly what the page shows.
"""

from __future__ import annotations

from guide import context, deck


def on_pre_build(config):
    deck.forget(context.language(config))


def on_page_content(html, page, config, files):
    lang = context.language(config)
    q = context.catalog(config).question_for_path(page.file.src_uri)
    if q is not None and q.answered(lang):
        answer = deck.short_answer(html, page.url, f"docs/{page.file.src_uri}")
        if answer is not None:
            deck.remember(lang, q.id, answer)
    return html
