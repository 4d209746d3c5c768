"""Write each language's deck for download: downloads/<site>.<lang>.apkg and .tsv (guide/anki.py)."""

from __future__ import annotations

import time
from urllib.parse import urljoin

from guide import anki, context, deck


def file_stem(lang: str) -> str:
    return f"{anki.SITE_KEY}.{lang}"


def on_post_build(config):
    lang = context.language(config)
    strings = context.labels(lang)
    cat = context.catalog(config)
    table = anki.rows(cat.questions_in(), lang, lambda q: deck.recall(lang, q.id),
                      lambda q: urljoin(config.site_url or "", q.url(lang)))
    target = context.language_dir(config) / "downloads"
    anki.write_apkg(target / f"{file_stem(lang)}.apkg", table, lang, strings, time.time())
    (target / f"{file_stem(lang)}.tsv").write_text(anki.tsv(table, strings), encoding="utf-8")
