"""Helpers shared by the section tests in tests/content (test_tfidf_ml, test_metrics,
test_word2vec, test_rnn_cnn): reading a question page, number formatting, checks that values
appear in both language versions, question-page layout and front-matter parity, and running the
```python blocks of the pages.

Plain functions; the section-specific ones take the section folder first, so a test module binds
them once, e.g. ``page = functools.partial(content_pages.read_page, SECTION)``.

Import it as ``from content_pages import ...``: pytest's default ("prepend") import mode puts this
folder on sys.path for the test modules in it, just as it does for ``from conftest import ...``.
(It is not called ``pages``: hooks/pages.py, on sys.path through tests/conftest.py, already is,
and tests/hooks/test_small_hooks.py imports that one as ``pages``.)
"""
from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FIGURES = DOCS / "assets" / "figures"
FIGURE_SCRIPTS = ROOT / "scripts" / "figures"
LANGS = ("ru", "en")

ANSWER_SUMMARY = {"ru": "/// answer | Ответ", "en": "/// answer | Answer"}
ANCHORS = ("short", "explanation", "example", "pitfalls", "follow-up", "references")
DIFFICULTIES = {"junior", "middle", "senior"}
SHARED_META = ("id", "difficulty", "tags", "related", "notebook")


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
    grouped by thousands, "30,000" in English and "30\u00a0000" (no-break space) in Russian."""
    if abs(n) < 10000:
        return str(n)
    s = f"{n:,}"
    return s if lang == "en" else s.replace(",", "\u00a0")


def fmt_math(n: int) -> str:
    """An integer as written inside $...$ (same in both languages): "30\\,000"."""
    return f"{n:,}".replace(",", "\\,") if abs(n) >= 10000 else str(n)


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


# --------------------------------------------------------------------------- page layout


def assert_question_layout(section: Path, qid: int, slug: str, *,
                           hash_lines_in_code: bool = False) -> dict[str, dict]:
    """The layout every question page shares, in both languages, and the parity of their
    front matter. Returns the front matter per language for section-specific checks.

    hash_lines_in_code: the code blocks have lines starting with "# " (Python comments at
    column 0), so the "no H1" rule is applied to the prose only; otherwise to the whole page.
    """
    metas = {}
    for lang in LANGS:
        text = read_page(section, slug, lang)
        meta = metas[lang] = front_matter(text)
        where = f"{slug}.{lang}.md"
        assert meta["id"] == qid, where
        assert meta["difficulty"] in DIFFICULTIES, where
        assert qid not in meta["related"], where
        assert f"{ANSWER_SUMMARY[lang]}\n" in text, where
        for anchor in ANCHORS:
            assert text.count(f"{{#{anchor}}}") == 1, (where, anchor)
            assert re.search(rf"^## .+ \{{#{anchor}\}}$", text, flags=re.M), (where, anchor)
        assert text.rstrip().endswith("///"), where
        checked = re.sub(r"```.*?```", "", text, flags=re.S) if hash_lines_in_code else text
        assert not re.search(r"^# ", checked, flags=re.M), f"no H1 inside a question page: {where}"
        if lang == "ru":  # Russian pages group thousands with a no-break space, never a comma
            assert not re.search(r"\d,\d{3}(?!\d)", re.sub(r"\$[^$]*\$", "", text)), where
    ru, en = metas["ru"], metas["en"]
    for key in SHARED_META:
        assert ru.get(key) == en.get(key), (slug, key)
    assert ru["title"] != en["title"], slug
    return metas


def assert_figure_used(section: Path, name: str, slugs: Iterable[str]) -> None:
    """Figure `name` has its script and both language SVGs, and each page of `slugs` shows
    the SVG of its own language."""
    assert (FIGURE_SCRIPTS / f"{name}.py").is_file(), name
    for lang in LANGS:
        assert (FIGURES / f"{name}-{lang}.svg").is_file(), (name, lang)
        for slug in slugs:
            assert f"../../assets/figures/{name}-{lang}.svg" in read_page(section, slug, lang), (slug, lang)


# --------------------------------------------------------------------------- code blocks

CODE = re.compile(r"```python\n(.*?)```", re.S)
CODE_AT_LINE_START = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
PRINT_COMMENT = re.compile(r"\s*print\(.*\)\s*#\s*(.+)$")
PRINTED_NUMBER = re.compile(r"-?\d+\.\d+|\b\d+\b")


def python_blocks(text: str) -> list[str]:
    """The bodies of the ```python blocks of a page, in order."""
    return CODE.findall(text)


def python_block_params(section: Path, slugs: Iterable[str]) -> list:
    """Every ```python block of the section's pages as a pytest param (slug, lang, i, block),
    with the id "slug.lang#i"."""
    return [
        pytest.param(slug, lang, i, block, id=f"{slug}.{lang}#{i}")
        for slug in slugs
        for lang in LANGS
        for i, block in enumerate(python_blocks(read_page(section, slug, lang)))
    ]


def assert_every_page_has_code(section: Path, slugs: Iterable[str]) -> None:
    """Each language version of each page has a ```python block, and every block opens and
    closes with a fence at the start of a line."""
    for slug in slugs:
        for lang in LANGS:
            text = read_page(section, slug, lang)
            blocks = python_blocks(text)
            assert blocks, (slug, lang)
            assert blocks == CODE_AT_LINE_START.findall(text), (slug, lang, "fence not at line start")


def run_python_block(slug: str, lang: str, i: int, block: str) -> str:
    """Run a code block in a fresh namespace and return what it printed. Every number in a
    "# ..." comment on a print line (decimals and integers) must be among the printed text."""
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(block, f"{slug}.{lang}.md#block{i}", "exec"), {"__name__": "__page__"})
    printed = out.getvalue()
    for line in block.splitlines():
        m = PRINT_COMMENT.match(line)
        if m:
            for token in PRINTED_NUMBER.findall(m.group(1)):
                assert token in printed, (f"{slug}.{lang}#{i}", token, printed)
    return printed


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


def assert_same_code(section: Path, slugs: Iterable[str], *, blank_strings: bool = False,
                     adapt: Callable[[str, str, str], str] | None = None) -> None:
    """Comments (and with blank_strings, string labels) may be translated; the code itself must
    be the same in both languages: as many blocks, with equal skeletons. adapt(slug, lang,
    block) may first rewrite what a page legitimately says in its own language."""
    for slug in slugs:
        blocks = {lang: python_blocks(read_page(section, slug, lang)) for lang in LANGS}
        assert len(blocks["ru"]) == len(blocks["en"]), slug
        for i, pair in enumerate(zip(*(blocks[lang] for lang in LANGS))):
            skeletons = [code_skeleton(adapt(slug, lang, block) if adapt else block, blank_strings=blank_strings)
                         for lang, block in zip(LANGS, pair)]
            assert skeletons[0] == skeletons[1], (slug, i)


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
