"""Notebook pages: one rendered page per notebook and language.

mkdocs-static-i18n recreates the file list and drops mkdocs-jupyter's
notebook files (i18n issue #198), so this hook runs after it and adds the
notebooks itself: the cached executed notebook, projected to the language
being built, wrapped as a mkdocs-jupyter ``NotebookFile`` with a destination
of its own per language (``notebooks/<name>/`` and ``en/notebooks/<name>/``).

It also slims the rendered page: mkdocs-jupyter inlines JupyterLab's CSS and
a MathJax/Mermaid loader; we drop them, style cells with the site's own CSS,
hand the math to the site's KaTeX, and add download / Colab links.
"""

from __future__ import annotations

import base64
import os
import posixpath
import re
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.toc import get_toc
from pymdownx.slugs import slugify
from mkdocs_jupyter.plugin import NotebookFile

from guide import context
from guide import notebook_tools as tools
from guide.render import render

log = get_plugin_logger("notebooks")

def notebook_src_uri(name: str) -> str:
    return f"notebooks/{name}.ipynb"


@event_priority(-200)
def on_config(config):
    """One conversion cache per language.

    mkdocs-jupyter evicts every cache entry its current build did not use;
    with one shared folder the English build would evict the Russian
    entries and the next build would convert everything again.
    """
    jupyter = config.plugins.get("mkdocs-jupyter")
    if jupyter is not None:
        # A build without notebooks would evict everything: give it a folder of its own.
        folder = context.language(config) if enabled() else "unused"
        jupyter.config["cache_dir"] = str(tools.CACHE.parent / "mkdocs-jupyter" / folder)
    return config


def enabled() -> bool:
    """GUIDE_NOTEBOOKS=off builds the site without notebook pages (used by scripts/measure.py)."""
    return os.environ.get("GUIDE_NOTEBOOKS", "on") != "off"


@event_priority(-200)
def on_files(files, config):
    if not enabled():
        return files
    lang = context.language(config)
    prefix = context.languages(config).prefix(lang)
    out_dir = tools.CACHE / lang          # files are at out_dir/notebooks/<name>.ipynb
    (out_dir / "notebooks").mkdir(parents=True, exist_ok=True)
    sources = context.notebooks_dir(config)
    for name in tools.names(sources):
        try:
            executed = tools.cached_execution(tools.source_path(name, sources), log=log.info)
        except tools.NotebookError as exc:
            raise PluginError(f"notebook error: {exc}") from None
        target = tools.language_copy(name, lang)
        text = tools.dumps(tools.for_language(executed, lang))
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        file = File(notebook_src_uri(name), src_dir=str(out_dir), dest_dir=config.site_dir,
                    use_directory_urls=config.use_directory_urls)
        nb_file = NotebookFile(file, **config)
        nb_file.dest_uri = f"{prefix}notebooks/{name}/index.html"
        nb_file.abs_dest_path = str(Path(config.site_dir) / nb_file.dest_uri)
        nb_file.url = f"{prefix}notebooks/{name}/"
        existing = files.get_file_from_path(nb_file.src_uri)
        if existing is not None:
            files.remove(existing)
        files.append(nb_file)
    return files


def is_notebook_page(page) -> bool:
    return isinstance(page.file, NotebookFile)


STYLE = re.compile(r"<style[^>]*>.*?</style>", re.S)
SCRIPT = re.compile(r"<script[^>]*>.*?</script>", re.S)
# Markup the site does not use: copy buttons needing JupyterLab's JS (and the
# hidden copy of every cell's source they read), empty collapsers and prompts,
# random cell ids, whitespace-only highlight spans.
CLUTTER = [
    (re.compile(r'<div class="zeroclipboard-container">.*?</clipboard-copy>\s*</div>', re.S), ""),
    (re.compile(r'<div class="clipboard-copy-txt"[^>]*>.*?</div>', re.S), ""),
    (re.compile(r'<div class="jp-Collapser[^"]*">\s*</div>'), ""),
    (re.compile(r'<div class="jp-(?:Input|Output)Prompt[^"]*">\s*</div>'), ""),
    (re.compile(r' id="cell-id=[^"]*"'), ""),
    (re.compile(r'<span class="w">(\s*)</span>'), r"\1"),
    (re.compile(r"<!--.*?-->", re.S), ""),
    (re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S), ""),
    # Names are not coloured by Material's code theme: the span only adds weight.
    (re.compile(r'<span class="n">([^<]*)</span>'), r"\1"),
    # Code in Material's own markup, so it gets the site's code colours and copy button styling.
    (re.compile(r'<div class="highlight-ipynb[^"]*"><pre>(?:<span></span>)?(.*?)</pre></div>', re.S),
     r'<div class="highlight"><pre><code>\1</code></pre></div>'),
]
IMAGE = re.compile(r'<img([^>]*?) src="data:image/(png|jpeg|gif);base64,([^"]+)"')
MARKDOWN_CELL = re.compile(r'(<div class="[^"]*jp-RenderedMarkdown[^"]*"[^>]*>)(.*?)(</div>)', re.S)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\$)")


HEADING = re.compile(r'<h([1-6])([^>]*?)\sid="[^"]*"([^>]*)>(.*?)</h\1>', re.S)
_slugify = slugify(case="lower")


def heading_ids(html: str) -> tuple[str, list[dict]]:
    """Give notebook headings Unicode ids (nbconvert drops Cyrillic) and the matching TOC."""
    seen: set[str] = set()
    flat: list[tuple[int, str, str]] = []

    def rename(m):
        level, inner = int(m.group(1)), m.group(4)
        text = re.sub(r"<[^>]+>", "", inner).strip()
        base = _slugify(text, "-") or f"section-{len(flat) + 1}"
        # The TOC entry keeps the heading's math markup so KaTeX renders it there too.
        label = re.sub(r'<(?!/?span\b)[^>]+>', "", inner).strip()
        ident, n = base, 1
        while ident in seen:
            n += 1
            ident = f"{base}_{n}"
        seen.add(ident)
        flat.append((level, ident, label))
        return f'<h{level}{m.group(2)} id="{ident}"{m.group(3)}>{inner}</h{level}>'

    html = HEADING.sub(rename, html)
    root: list[dict] = []
    stack: list[dict] = []
    for level, ident, text in flat:
        token = {"level": level, "id": ident, "name": text, "children": []}
        while stack and stack[-1]["level"] >= level:
            stack.pop()
        (stack[-1]["children"] if stack else root).append(token)
        stack.append(token)
    return html, root


def extract_images(html: str, name: str) -> tuple[str, list[tuple[str, bytes]]]:
    """Move base64 images out of the page into files next to it (lazy-loaded)."""
    images: list[tuple[str, bytes]] = []

    def replace(m):
        filename = f"{name}-{len(images) + 1}.{'jpg' if m.group(2) == 'jpeg' else m.group(2)}"
        images.append((filename, base64.b64decode(m.group(3))))
        return f'<img{m.group(1)} loading="lazy" src="{filename}"'

    return IMAGE.sub(replace, html), images


def slim(html: str) -> str:
    """Drop inlined CSS/JS and mark markdown-cell math for the KaTeX hook."""
    html = STYLE.sub("", html)
    html = SCRIPT.sub("", html)
    for pattern, replacement in CLUTTER:
        html = pattern.sub(replacement, html)

    def math(m):
        body = DISPLAY_MATH.sub(lambda d: f'<div class="arithmatex">\\[{d.group(1)}\\]</div>', m.group(2))
        body = INLINE_MATH.sub(lambda i: f'<span class="arithmatex">\\({i.group(1)}\\)</span>', body)
        return m.group(1) + body + m.group(3)

    return MARKDOWN_CELL.sub(math, html)


def actions(page, config, lang: str) -> str:
    """Download / Colab buttons and links back to the questions that use the notebook."""
    name = Path(page.file.src_uri).stem
    # Colab opens the committed per-language copy from the repository.
    colab = context.repo_url(config, f"notebooks/ipynb/{name}.{lang}.ipynb").replace(
        "https://github.com/", "https://colab.research.google.com/github/")
    questions = [(q, posixpath.relpath(q.url(lang), page.url) + "/")
                 for q in context.catalog(config).questions.values() if q.notebook == name]
    return render(config, "notebook-actions.html", name=name, colab=colab, questions=questions, lang=lang,
                  strings=context.labels(lang))


@event_priority(-200)
def on_page_content(html, page, config, files):
    if not is_notebook_page(page):
        return html
    name = Path(page.file.src_uri).stem
    page.edit_url = context.repo_url(config, f"notebooks/{name}.py", "edit")
    html, _images[page.file.abs_dest_path] = extract_images(slim(html), name)
    html, toc = heading_ids(html)
    page.toc = get_toc(toc)
    return actions(page, config, context.language(config)) + html


_images: dict[str, list[tuple[str, bytes]]] = {}


def on_post_page(output, page, config):
    for filename, data in _images.pop(page.file.abs_dest_path, []):
        target = Path(page.file.abs_dest_path).parent / filename
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    return output


@event_priority(-200)
def on_nav(nav, config, files):
    label = context.labels(context.language(config))
    for item in nav.items:
        if getattr(item, "children", None) and all(is_notebook_page(c) for c in item.children if hasattr(c, "file")):
            item.title = label["nb_section"]
    return nav


def on_post_build(config):
    """Ship each language's executed notebook next to its page for download."""
    if not enabled():
        return
    lang = context.language(config)
    site = context.language_dir(config)
    for name in tools.names(context.notebooks_dir(config)):
        source = tools.language_copy(name, lang)
        target = site / "notebooks" / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
