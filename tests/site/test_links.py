"""Every internal link and anchor in the built HTML resolves.

MkDocs' own validation (strict build) checks the links authors write in Markdown; this checks
what it cannot see: links the hooks, templates and theme generate, notebook pages, assets and
anchors in the final HTML.  Each page is parsed once.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

SITE_URL = "https://nlp-interview-guide.github.io/nlp-interview-guide/"
SITE_PATH = "/nlp-interview-guide/"


class _Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for key in ("id", "name"):
            if attrs.get(key):
                self.ids.add(attrs[key])
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in ("link",) and attrs.get("href") and attrs.get("rel") not in ("alternate", "canonical"):
            self.links.append(attrs["href"])
        if tag in ("img", "script", "source") and attrs.get("src"):
            self.links.append(attrs["src"])


def parse(path: Path) -> _Collector:
    c = _Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c


def test_internal_links_and_anchors_resolve(built_site):
    site = built_site.site
    cache: dict[Path, _Collector] = {}

    def parsed(path: Path) -> _Collector:
        if path not in cache:
            cache[path] = parse(path)
        return cache[path]

    broken = []
    pages = sorted(site.rglob("*.html"))
    for page in pages:
        page_url = "file://" + page.as_posix()
        collected = parsed(page)
        for href in collected.links:
            if href.startswith(SITE_URL):
                href = "file://" + site.as_posix() + "/" + href[len(SITE_URL):]
            elif href.startswith(SITE_PATH):          # root-absolute, e.g. on 404.html
                href = "file://" + site.as_posix() + "/" + href[len(SITE_PATH):]
            if re.match(r"^(?:mailto:|tel:|data:|javascript:)", href):
                continue
            target = urlparse(urljoin(page_url, href))
            if target.scheme not in ("file", ""):
                continue
            path = Path(unquote(target.path))
            if path.is_dir():
                path = path / "index.html"
            if not path.exists():
                broken.append(f"{page.relative_to(site)} → {href}")
                continue
            if target.fragment and path.suffix == ".html":
                ids = parsed(path).ids
                if unquote(target.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} → {href} (no such anchor)")
    assert broken == [], "\n".join(broken[:50])
