"""One search index per language.

mkdocs-static-i18n merges both languages into /search/search_index.json,
so every reader would download the other language's pages too.  After the
last language is built, split it: /search/search_index.json keeps the
default language and /search/search_index.<lang>.json each other one.
The page shim in overrides/main.html asks for its own language's file, and
the search worker (search-i18n.js) still filters by language as a safeguard.
"""

from __future__ import annotations

import json
from pathlib import Path

from mkdocs.plugins import event_priority

from guide import context


def split(index: dict, languages: list[str], default: str) -> dict[str, dict]:
    """{lang: index with only that language's documents}."""
    def lang_of(location: str) -> str:
        first = location.split("/")[0]
        return first if first in languages and first != default else default

    return {lang: {**index, "docs": [d for d in index["docs"] if lang_of(d["location"]) == lang]}
            for lang in languages}


@event_priority(-300)
def on_post_build(config):
    # After i18n (-100) has written the merged index of every language.
    path = Path(config.site_dir) / "search" / "search_index.json"
    if not context.site_complete(config) or not path.exists():
        return
    langs = context.languages(config)
    default = langs.default
    parts = split(json.loads(path.read_text(encoding="utf-8")), list(langs.codes), default)
    for lang, index in parts.items():
        target = path if lang == default else path.with_name(f"search_index.{lang}.json")
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
