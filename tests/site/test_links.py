"""Every internal link and anchor in the built HTML resolves.

MkDocs' own validation (strict build) checks the links authors write in Markdown; this checks
what it cannot see: links the hooks, templates and theme generate, notebook pages, assets and
anchors in the final HTML.  Each page is read once, with regular expressions (the standard
library's HTML parser took most of the test's time on a 40 MB site).
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urljoin, urlparse

SITE_URL = "https://nlp-interview-guide.github.io/nlp-interview-guide/"
SITE_PATH = "/nlp-interview-guide/"


SCRIPT = re.compile(r"(<script\b[^>]*>).*?</script>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<([a-zA-Z][\w-]*)(\s[^>]*)?>")
ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")


class Page:
    """The links and the ids of one built page (script bodies and comments ignored)."""

    def __init__(self, html: str):
        self.links: list[str] = []
        self.ids: set[str] = set()
        html = SCRIPT.sub(lambda m: m.group(1) or "", html)
        for tag, attrs_text in TAG.findall(html):
            attrs = {m.group(1).lower(): unescape(next(v for v in m.groups()[1:] if v is not None))
                     for m in ATTR.finditer(attrs_text or "")}
            tag = tag.lower()
            for key in ("id", "name"):
                if attrs.get(key):
                    self.ids.add(attrs[key])
            if tag == "a" and attrs.get("href"):
                self.links.append(attrs["href"])
            if tag == "link" and attrs.get("href") and attrs.get("rel") not in ("alternate", "canonical"):
                self.links.append(attrs["href"])
            if tag in ("img", "script", "source") and attrs.get("src"):
                self.links.append(attrs["src"])


def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def test_internal_links_and_anchors_resolve(built_site):
    site = built_site.site
    cache: dict[Path, Page] = {}

    def parsed(path: Path) -> Page:
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
