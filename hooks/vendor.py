"""Third-party files the site serves itself (no CDN): copied from node_modules once per build.

- the OpenType math font the MathML formulas are laid out with (overrides/assets/math/math.css);
- ts-fsrs, the spaced-repetition scheduler of the practice page (UMD build, global ``FSRS``).

Versions are pinned in package.json / package-lock.json and installed by ``npm ci``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.exceptions import PluginError

from guide import context

NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
FILES = {
    "assets/math/noto-sans-math.woff2": "@fontsource/noto-sans-math/files/noto-sans-math-latin-400-normal.woff2",
    "assets/javascripts/vendor/ts-fsrs.js": "ts-fsrs/dist/index.umd.js",
}


def on_post_build(config):
    if context.language(config) != context.default_language(config):
        return                                   # shared by every language, written once
    for target, source in FILES.items():
        path = NODE_MODULES / source
        if not path.exists():
            raise PluginError(f"{source} is missing from node_modules: run `npm ci` (make serve / make test do it)")
        destination = Path(config.site_dir) / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
