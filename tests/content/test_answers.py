"""What every answered question page shares, driven by the catalog.

A new section needs nothing here: once its pages are answered they are checked for
- the layout of the answer (anchors, headings, no H1, Russian digit grouping),
- figures of the page's own language that a script in scripts/figures draws,
- code that is the same in every language (comments and string labels may be translated),
- every ```python block running as written, with the numbers of its `print(...)  # ...`
  comments in what it printed,
- the same numbers on every language version of the page.

A section's own test file (tests/content/test_<section>.py) holds only its reference
computations: each number of a worked example recomputed with a reference library, and
`content_pages.assert_in_pages(...)` to find it on the pages.
"""
from __future__ import annotations

import pytest

import content_pages as cp
from content_pages import CATALOG, LANGS, single_thread_torch  # noqa: F401  (autouse: one torch thread per block)

PAGES = [pytest.param(q, lang, id=f"{q.id}.{lang}") for q in CATALOG.questions.values()
         for lang in LANGS if q.answered(lang)]
COMPLETE = [pytest.param(q, id=q.id) for q in CATALOG.questions.values() if all(q.answered(lang) for lang in LANGS)]
BLOCKS = [pytest.param(q, i, id=f"{q.id}#{i}") for q in CATALOG.questions.values()
          if all(q.answered(lang) for lang in LANGS)
          for i in range(len(cp.python_blocks(cp.text_of(q, LANGS[0]))))]


@pytest.mark.parametrize("q,lang", PAGES)
def test_answer_layout(q, lang):
    cp.assert_layout(q, lang)


@pytest.mark.parametrize("q,lang", PAGES)
def test_figures_are_ours_and_in_the_pages_language(q, lang):
    cp.assert_figures(q, lang)


@pytest.mark.parametrize("q", COMPLETE)
def test_code_is_the_same_in_every_language(q):
    cp.assert_same_code(q)


@pytest.mark.parametrize("q,i", BLOCKS)
def test_python_block_runs_and_prints_what_it_says(q, i):
    cp.run_block_everywhere(q, i)


@pytest.mark.parametrize("q", COMPLETE)
def test_numbers_agree_between_languages(q):
    cp.assert_same_numbers(q)
