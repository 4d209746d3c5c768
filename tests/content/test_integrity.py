"""The content as a whole: every question of both seeds, once, in both languages."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

import catalog
from conftest import DOCS, ROOT

SECTIONS = {
    "classic-nlp/tfidf-ml": range(1, 9), "classic-nlp/metrics": range(9, 16),
    "classic-nlp/word2vec": range(16, 25), "classic-nlp/rnn-cnn": range(25, 32),
    "transformers/attention": range(32, 47), "transformers/model-types": range(47, 54),
    "transformers/positional-encoding": range(54, 60), "transformers/pretraining": range(60, 64),
    "transformers/tokenizers": range(64, 73), "transformers/training": range(73, 87),
    "transformers/inference": range(87, 91), "llm/llm-basics": range(91, 102),
    "llm/quantization": range(102, 105),
}


@pytest.fixture(scope="module")
def cat():
    return catalog.load_catalog(DOCS, {p.stem for p in (ROOT / "notebooks").glob("*.py")})


def test_every_seed_question_is_in_its_section(cat):
    for section, ids in SECTIONS.items():
        group = next(s for s in cat.sections if s.path == section)
        assert [q.id for q in group.children] == [str(i) for i in ids], section
    assert [q.id for q in cat.questions_in(next(s for s in cat.sections if s.path == "llm/analysis"))] == \
        [f"a{i}" for i in range(1, 6)]
    extra = next(p for p in cat.parts if p.key == "more-questions")
    assert sorted((q.id for q in cat.questions_in(extra)), key=catalog.id_sort_key) == [f"e{i}" for i in range(1, 26)]
    assert len(cat.questions) == 104 + 5 + 25


def test_every_question_exists_in_both_languages(cat):
    missing = [f"{q.id}: {lang}" for q in cat.questions.values() for lang in catalog.LANGUAGES if lang not in q.pages]
    assert missing == []


def test_every_part_and_section_page_exists_in_both_languages():
    for index in DOCS.rglob("index.ru.md"):
        assert index.with_name("index.en.md").exists(), index
    for index in DOCS.rglob("index.en.md"):
        assert index.with_name("index.ru.md").exists(), index


def test_extra_questions_link_to_core_questions(cat):
    for q in cat.questions.values():
        if q.id.startswith("e"):
            assert any(r.isdigit() for r in q.related), f"e-question {q.id} must link to a core question"


def test_classic_nlp_is_fully_answered_in_both_languages(cat):
    part = next(p for p in cat.parts if p.key == "classic-nlp")
    for lang in catalog.LANGUAGES:
        answered, total = cat.progress(cat.questions_in(part), lang)
        assert (answered, total) == (31, 31), lang


def test_pages_are_in_our_own_words():
    tool = ROOT.parent / "shared" / "tools" / "originality.py"
    if not tool.exists():
        pytest.skip("../shared/tools/originality.py is not beside the repository")
    proc = subprocess.run([sys.executable, str(tool), "docs", "--strict"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-1000:]


def test_table_headers_have_words():
    """Screen readers and axe-core need text in every header cell, not only a formula."""
    bad = []
    for page in DOCS.rglob("*.md"):
        lines = page.read_text(encoding="utf-8").splitlines()
        for header, rule in zip(lines, lines[1:]):
            if re.match(r"^\|[-: |]+\|$", rule) and header.startswith("|"):
                for cell in header.strip("|").split("|"):
                    if not re.search(r"\w", re.sub(r"\$[^$]*\$", "", cell)):
                        bad.append(f"{page.relative_to(DOCS)}: '{header}'")
                        break
    assert bad == [], "\n".join(bad)
