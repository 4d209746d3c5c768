"""Absolute hreflang links in <head>.

mkdocs-static-i18n writes the alternate links relative to the page; search
engines want absolute URLs.  They are resolved against the page's canonical
URL, so they follow ``site_url``.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from mkdocs.plugins import event_priority

CANONICAL = re.compile(r'<link rel="canonical" href="([^"]+)">')
ALTERNATE = re.compile(r'<link rel="alternate" href="([^"]+)" hreflang="([^"]+)">')


def absolutize(output: str) -> str:
    canonical = CANONICAL.search(output)
    if not canonical:
        return output
    base = canonical.group(1)
    return ALTERNATE.sub(
        lambda m: f'<link rel="alternate" href="{urljoin(base, m.group(1))}" hreflang="{m.group(2)}">', output)


@event_priority(-200)
def on_post_page(output, page, config):
    return absolutize(output)
