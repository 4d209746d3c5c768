"""Helpers of the content tests in tests/content.

The checks every answered page shares run from test_answers.py, driven by the catalog. A section's
test file (test_<section>.py) only recomputes the numbers of its worked examples with a reference
library and finds them on the pages with assert_in_pages, e.g.

    SECTION = DOCS / "transformers" / "attention"
    assert_in_pages = functools.partial(content_pages.assert_in_pages, SECTION)

    def test_q37_shapes():
        import torch                      # heavy imports inside the tests, not at collection
        ...
        assert_in_pages("self-attention-shapes", 512, "0.125", fmt_math(32768))

Import it as ``from content_pages import ...``: pytest's default ("prepend") import mode puts this
folder on sys.path for the test modules in it, just as it does for ``from conftest import ...``.
(It is not called ``pages``: hooks/pages.py is on sys.path through tests/conftest.py.)
"""
from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import random
import re
import sys
from pathlib import Path

import pytest
import yaml

from guide import catalog, site

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FIGURES = DOCS / "assets" / "figures"
FIGURE_SCRIPTS = ROOT / "scripts" / "figures"
CATALOG = catalog.load_catalog(DOCS)
LANGS = CATALOG.languages.codes
STRINGS = {lang: site.strings(lang) for lang in LANGS}

ANSWER_SUMMARY = {lang: f"/// answer | {STRINGS[lang]['answer_summary']}" for lang in LANGS}
ANCHORS = ("short", "explanation", "example", "pitfalls", "follow-up", "references")


# --------------------------------------------------------------------------- lazy imports


class _Lazy:
    """A module imported on first use: collecting the tests stays fast (no torch, sklearn …)."""

    def __init__(self, name: str):
        self._name = name

    def __getattr__(self, attr: str):
        if attr.startswith("_"):        # pytest's introspection of module globals must not import torch
            raise AttributeError(attr)
        return getattr(importlib.import_module(self._name), attr)


def lazy(name: str):
    """``torch = lazy("torch")`` at module level instead of ``import torch``."""
    return _Lazy(name)


# --------------------------------------------------------------------------- reading pages


def read_page(section: Path, slug: str, lang: str) -> str:
    """The Markdown source of question `slug` of `section` in language `lang`."""
    return (section / f"{slug}.{lang}.md").read_text(encoding="utf-8")


def front_matter(text: str) -> dict:
    """The YAML front matter of a page; it must open the page and be closed by a `---` line."""
    m = re.match(r"^---\n(.*?)\n---\n", text, re.S)
    assert m, "front matter missing"
    return yaml.safe_load(m.group(1))


# --------------------------------------------------------------------------- number formatting


def fmt_int(n: int, lang: str) -> str:
    """An integer as written in running text / tables of a page: plain below 10000, otherwise
    grouped by thousands with the language's separator (hooks/strings): "30,000" in English,
    "30\u00a0000" (no-break space) in Russian."""
    if abs(n) < 10000:
        return str(n)
    return f"{n:,}".replace(",", STRINGS[lang]["thousands_separator"])


def fmt_math(n: int) -> str:
    """An integer as written inside $...$ (same in both languages): "30\\,000"."""
    return f"{n:,}".replace(",", "\\,") if abs(n) >= 10000 else str(n)


def load_figure(name: str):
    """The figure script scripts/figures/<name>.py as a module, for the numbers a test shares with it."""
    spec = importlib.util.spec_from_file_location(name.replace("-", "_") + "_fig", FIGURE_SCRIPTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def n_params(module) -> int:
    """The number of parameters of a torch module."""
    return sum(p.numel() for p in module.parameters())


def f3(x: float) -> str:
    """A decimal with three digits after the point, as the pages print most values."""
    return f"{x:.3f}"


# --------------------------------------------------------------------------- values on the pages


def assert_in_pages(section: Path, slug: str, *items: int | str) -> None:
    """Every item appears in both language versions of the page: an int formatted per
    language (fmt_int), a string verbatim. Reports every missing item of a page at once."""
    for item in items:
        if not isinstance(item, (int, str)):
            raise TypeError(f"expected int or str, got {item!r}")
    for lang in LANGS:
        text = read_page(section, slug, lang)
        needles = [fmt_int(item, lang) if isinstance(item, int) else item for item in items]
        missing = [needle for needle in needles if needle not in text]
        assert not missing, f"{missing!r} not found in {slug}.{lang}.md"


def assert_in_page(section: Path, slug: str, lang: str, *needles: str) -> None:
    """Every needle appears verbatim in the `lang` version of the page."""
    text = read_page(section, slug, lang)
    missing = [needle for needle in needles if needle not in text]
    assert not missing, f"{missing!r} not found in {slug}.{lang}.md"


def assert_in_each_page(section: Path, slug: str, per_lang: dict[str, list[str]]) -> None:
    """Language-specific needles: per_lang maps a language to what its page must contain."""
    for lang, needles in per_lang.items():
        assert_in_page(section, slug, lang, *needles)


def assert_figure_used(section: Path, name: str, slugs) -> None:
    """Figure `name` is shown on each page of `slugs`, in the page's language."""
    for lang in LANGS:
        for slug in slugs:
            assert f"../../assets/figures/{name}-{lang}.svg" in read_page(section, slug, lang), (slug, lang)


# --------------------------------------------------------------------------- code blocks

CODE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
PRINT_COMMENT = re.compile(r"\s*print\(.*\)\s*#\s*(.+)$")
PRINTED_NUMBER = re.compile(r"-?\d+\.\d+|\b\d+\b")


def python_blocks(text: str) -> list[str]:
    """The bodies of the ```python blocks of a page, in order (fences at the start of a line)."""
    return CODE.findall(text)


def run_python_block(slug: str, lang: str, i: int, block: str, check_comments: bool = True) -> str:
    """Run a code block in a fresh namespace (random, numpy and torch seeded with 0) and return
    what it printed; with check_comments, see assert_comments_printed."""
    random.seed(0)
    if "numpy" in sys.modules:
        sys.modules["numpy"].random.seed(0)
    if "torch" in sys.modules:
        sys.modules["torch"].manual_seed(0)
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(block, f"{slug}.{lang}.md#block{i}", "exec"), {"__name__": "__page__"})
    printed = out.getvalue()
    if check_comments:
        assert_comments_printed(f"{slug}.{lang}#{i}", block, printed)
    return printed


def assert_comments_printed(where: str, block: str, printed: str) -> None:
    """Every number in a "# ..." comment on a print line (decimals and integers) is in `printed`."""
    for line in block.splitlines():
        m = PRINT_COMMENT.match(line)
        if m:
            missing = [token for token in PRINTED_NUMBER.findall(m.group(1)) if token not in printed]
            assert not missing, f"{where}: the comment says {missing} but the code printed:\n{printed}"


def code_skeleton(block: str, *, blank_strings: bool = False) -> list[str]:
    """The lines of a code block without comments, docstrings and blank lines (indentation
    kept). blank_strings: also empty every double-quoted one-line string (translated labels)."""
    lines = []
    for line in block.splitlines():
        line = re.sub(r"\s*#.*$", "", line)
        line = re.sub(r'"""[^"]*"""', '""', line)
        if blank_strings:
            line = re.sub(r'f?"[^"\n]*"', '""', line)
        line = line.rstrip()
        if line.strip():
            lines.append(line)
    return lines


# --------------------------------------------------------------------------- generic checks
# Used by test_answers.py for every answered page; section files need not call them.

H1_OUTSIDE_CODE = re.compile(r"^# ", re.M)
FIGURE_REF = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<path>[^)\s]*assets/figures/(?P<name>[^)/\s]+)-(?P<lang>[a-z]{2})\.svg)\)")
# Numbers as pages write them: 0.875, 12, 29,312 (en), 29\u00a0312 (ru), 29\,312 (math).
NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:(?:,|\u00a0|\\,)\d{3})+|\d+(?:\.\d+)?)(?!\w)")
# Code that legitimately differs between languages (the example itself is language-specific).
LANGUAGE_SPECIFIC_CODE = {
    "static-vs-contextual-embeddings": "the Russian example is «ключ» (key / spring), the English one is 'bank'",
}


# The short answer is also a flash card (practice page, Anki deck): it may not point elsewhere on the page.
POINTS_ELSEWHERE = re.compile(
    r"\b(?:see|shown|code|example|table|figure|answer|BERT) (?:below|above)\b|\bbelow:"
    r"|(?:см\.|код|пример\w*|таблиц\w*|рисун\w*|BERT) (?:ниже|выше)\b|\b[Нн]иже (?:разобран|показан|приведен)",
)


def text_of(q: catalog.Question, lang: str) -> str:
    return (DOCS / q.pages[lang].path).read_text(encoding="utf-8")


def without_code(text: str) -> str:
    return re.sub(r"^(`{3,}|~{3,}).*?^\1", "", text, flags=re.S | re.M)


def assert_layout(q: catalog.Question, lang: str) -> None:
    """The answer block with the six anchored sections, closed at the end of the page; no H1."""
    text = text_of(q, lang)
    where = q.pages[lang].path
    assert f"{ANSWER_SUMMARY[lang]}\n" in text, f"{where}: the answer opens with '{ANSWER_SUMMARY[lang]}'"
    fences = re.findall(r"```python", text)
    assert len(fences) == len(python_blocks(text)), f"{where}: every ```python fence starts a line"
    for anchor in ANCHORS:
        heading = f"## {STRINGS[lang]['headings'][anchor]} {{#{anchor}}}"
        assert len(re.findall(rf"^{re.escape(heading)}$", text, flags=re.M)) == 1, f"{where}: one '{heading}' heading"
    positions = [text.index(f"{{#{anchor}}}") for anchor in ANCHORS]
    assert positions == sorted(positions), f"{where}: sections in the order {ANCHORS}"
    assert text.rstrip().endswith("///"), f"{where}: the answer block closes at the end of the page"
    assert not H1_OUTSIDE_CODE.search(without_code(text)), f"{where}: no H1 inside a question page"
    short = text.split("{#short}", 1)[1].split("\n## ", 1)[0]
    found = POINTS_ELSEWHERE.search(short)
    assert not found, f"{where}: the short answer is a flash card too; it cannot refer to '{found and found.group(0)}'"
    if STRINGS[lang]["thousands_separator"] != ",":  # e.g. Russian: a no-break space, never a comma
        prose = re.sub(r"\$[^$]*\$", "", without_code(text))
        bad = re.findall(r"\d,\d{3}(?!\d)", prose)
        assert not bad, f"{where}: thousands are grouped with {STRINGS[lang]['thousands_separator']!r} here: {bad}"


def assert_figures(q: catalog.Question, lang: str) -> None:
    """Every figure on the page is drawn by a script of ours, exists in every language, has alt
    text, and the page shows the version in its own language."""
    where = q.pages[lang].path
    for m in FIGURE_REF.finditer(text_of(q, lang)):
        name = m.group("name")
        assert m.group("alt").strip(), f"{where}: figure {name} needs alt text"
        assert m.group("lang") == lang, f"{where}: shows the {m.group('lang')} version of {name}"
        assert (FIGURE_SCRIPTS / f"{name}.py").is_file(), f"{where}: no scripts/figures/{name}.py"
        for other in LANGS:
            assert (FIGURES / f"{name}-{other}.svg").is_file(), f"{where}: missing {name}-{other}.svg"


def assert_same_code(q: catalog.Question) -> None:
    """As many ```python blocks in every language, with the same code once comments and
    one-line string literals (printed labels) are blanked out."""
    blocks = {lang: python_blocks(text_of(q, lang)) for lang in LANGS}
    counts = {lang: len(b) for lang, b in blocks.items()}
    assert len(set(counts.values())) == 1, f"question {q.id}: python blocks per language {counts}"
    if q.slug in LANGUAGE_SPECIFIC_CODE:
        return
    for i, group in enumerate(zip(*blocks.values())):
        skeletons = {code_skeleton(b, blank_strings=True) == code_skeleton(group[0], blank_strings=True) for b in group}
        assert skeletons == {True}, f"question {q.id}, block {i}: the code differs between languages"


def run_block_everywhere(q: catalog.Question, i: int) -> None:
    """Run block i of the first language; run the other languages' block too when its code
    differs. The numbers in each language's print comments must be in what was printed."""
    printed: dict[tuple, str] = {}
    for lang in LANGS:
        block = python_blocks(text_of(q, lang))[i]
        key = tuple(code_skeleton(block))
        if key not in printed:
            printed[key] = run_python_block(q.slug, lang, i, block, check_comments=False)
        assert_comments_printed(f"{q.pages[lang].path}#{i}", block, printed[key])


def numbers(text: str) -> set[str]:
    """The numbers of a page (front matter and link targets aside), thousands separators removed."""
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"\]\([^)]*\)|https?://\S+", " ", text)
    return {re.sub(r",|\u00a0|\\,", "", m.group(1)) for m in NUMBER.finditer(text)}


def assert_same_numbers(q: catalog.Question) -> None:
    """Every number on one language's page is on the other's: a worked example says the same."""
    found = {lang: numbers(text_of(q, lang)) for lang in LANGS}
    for lang in LANGS[1:]:
        only_first, only_here = found[LANGS[0]] - found[lang], found[lang] - found[LANGS[0]]
        assert not only_first and not only_here, (
            f"question {q.id}: numbers only in {q.pages[LANGS[0]].path}: {sorted(only_first)}; "
            f"only in {q.pages[lang].path}: {sorted(only_here)}")


# --------------------------------------------------------------------------- torch


@pytest.fixture(autouse=True)
def single_thread_torch():
    """Tiny tensors: one thread is faster (no contention on small machines); restored
    afterwards. Autouse in the modules that import it."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)
