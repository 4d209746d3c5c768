"""Offline reading: write the service worker (guide/service-worker.js) to the site root.

Once the whole site is written (every language), the worker gets
- VERSION: a digest of the site's pages, catalogs and assets, so every deploy that
  changes anything has a new cache and the old one is deleted;
- PRECACHE: what a reader needs offline after one visit — each language's home,
  practice and progress pages, its catalog (questions.json, with the short answers)
  and search index, and the scripts, styles and fonts those pages load.
Other pages are kept as the reader visits them.  guide.js registers the worker.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from mkdocs.plugins import event_priority

from guide import context

WORKER = Path(__file__).parent / "guide" / "service-worker.js"
PAGES = ("", "practice/", "progress/", "questions.json", "short-answers.json")
ASSET_DIRS = ("assets/javascripts", "assets/stylesheets", "assets/math", "assets/images")
SKIP = (".map",)


def search_indexes(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in (site / "search").glob("search_index*.json"))


def precache(site: Path, prefixes: list[str], lunr_languages: list[str]) -> list[str]:
    """Site-relative paths to store on install (each must exist)."""
    paths = [f"{prefix}{page}" for prefix in prefixes for page in PAGES]
    paths += search_indexes(site)
    for folder in ASSET_DIRS:
        for file in sorted((site / folder).rglob("*")):
            rel = file.relative_to(site).as_posix()
            if not file.is_file() or rel.endswith(SKIP):
                continue
            if "/lunr/" in rel and not any(rel.endswith(f"/lunr.{name}.min.js") for name in lunr_languages):
                continue                               # lunr languages (and segmenters) this site does not use
            paths.append(rel)
    return paths


def version(site: Path) -> str:
    """A digest of everything a reader sees (downloads aside: their timestamps change every build)."""
    digest = hashlib.sha256()
    for file in sorted(site.rglob("*")):
        rel = file.relative_to(site).as_posix()
        if file.is_file() and not rel.startswith(("downloads/", "sw.js")) and "/downloads/" not in rel:
            digest.update(rel.encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def worker(version_: str, paths: list[str]) -> str:
    text = WORKER.read_text(encoding="utf-8")
    return text.replace("{{VERSION}}", version_).replace("{{PRECACHE}}", json.dumps(paths, ensure_ascii=False))


@event_priority(-400)
def on_post_build(config):
    if not context.site_complete(config):
        return
    site = Path(config.site_dir)
    langs = context.languages(config)
    lunr = ["stemmer.support", "multi", *langs.codes]
    paths = [p for p in precache(site, [langs.prefix(lang) for lang in langs.codes], lunr)
             if (site / p).is_file() or (site / p / "index.html").is_file()]
    (site / "sw.js").write_text(worker(version(site), paths), encoding="utf-8")
