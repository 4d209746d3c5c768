"""Pages missing in the language being built are shown from another language.

mkdocs-static-i18n falls back to the default language only: a question that
exists in English alone would have no page in the Russian site, and every
link to it would break.  This hook (after i18n, priority below -100) gives
such a question a page in the current language whose source is the
version that exists; hooks/pages.py then shows the "translation missing"
notice, as it does for i18n's own fallbacks.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs_static_i18n.suffix import create_i18n_file

from guide import context


def missing_pages(cat, lang: str) -> list:
    """Questions with neither a page in ``lang`` nor one in the default language (i18n's fallback)."""
    return [q for q in cat.questions.values() if lang not in q.pages and cat.languages.default not in q.pages]


@event_priority(-200)
def on_files(files, config):
    cat = context.catalog(config)
    lang = context.language(config)
    for q in missing_pages(cat, lang):
        source = q.page(lang)                      # the version that exists
        stand_in = File(f"{q.key}.{lang}.md", config.docs_dir, config.site_dir, config.use_directory_urls)
        page = create_i18n_file(stand_in, lang, cat.languages.default, list(cat.languages.codes), config)
        page.abs_src_path = str(Path(config.docs_dir) / source.path)
        page.edit_uri = source.path
        files.append(page)
    return files
