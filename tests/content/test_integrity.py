"""The content as a whole: invariants that hold however many questions there are.

Nothing here counts questions or names id ranges: `make new …` followed by
`make test` must pass (tests/scripts/test_contributor_path.py walks it).
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from conftest import DOCS, ROOT
from guide import catalog


@pytest.fixture(scope="module")
def cat() -> catalog.Catalog:
    return catalog.load_catalog(DOCS, notebooks={p.stem for p in (ROOT / "notebooks").glob("*.py")})


def test_ids_are_unique_and_fit_their_series(cat):
    # load_catalog refuses duplicates and ids outside their section's series; check the result too
    assert len(cat.questions) == len({q.id for q in cat.questions.values()})
    for section in cat.sections:
        for q in section.children:
            if section.series:
                assert re.fullmatch(rf"{section.series}[1-9]\d*", q.id), (section.path, q.id)
            else:
                assert q.id.isdigit(), (section.path, q.id)


def test_every_part_and_section_has_content(cat):
    assert cat.parts
    for part in cat.parts:
        assert part.children, f"part {part.path} has no sections"
        for section in part.children:
            assert section.children, f"section {section.path} has no questions"


def test_every_page_exists_in_every_language(cat):
    missing = [f"{q.key}: {lang}" for q in cat.questions.values() for lang in cat.languages.codes if lang not in q.pages]
    missing += [f"{g.path}/index: {lang}" for g in [*cat.parts, *cat.sections] for lang in cat.languages.codes
                if lang not in g.titles]
    assert missing == []


def test_pages_are_in_our_own_words():
    tool = ROOT.parent / "shared" / "tools" / "originality.py"
    if not tool.exists():
        pytest.skip("../shared/tools/originality.py is not beside the repository")
    proc = subprocess.run([sys.executable, str(tool), "docs", "--strict"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-1000:]


def test_table_headers_have_text():
    """Screen readers and axe-core need text in every header cell: not empty, not only a formula
    (a token such as "." counts)."""
    bad = []
    for page in DOCS.rglob("*.md"):
        lines = page.read_text(encoding="utf-8").splitlines()
        for header, rule in zip(lines, lines[1:]):
            if re.match(r"^\|[-: |]+\|$", rule) and header.startswith("|"):
                for cell in header.strip("|").split("|"):
                    if not re.sub(r"\$[^$]*\$", "", cell).strip():
                        bad.append(f"{page.relative_to(DOCS)}: '{header}'")
                        break
    assert bad == [], "\n".join(bad)


def test_related_links_go_both_ways(cat):
    """A page that names another in `related` is named back: a reader who lands on either finds the other
    (the "More questions" part links the deeper main pages, and those link back)."""
    one_way = [f"{cat.questions[other].page(cat.languages.default).path}: add {q.id} to 'related' "
               f"({q.page(cat.languages.default).path} lists {other})"
               for q in cat.questions.values() for other in q.related if q.id not in cat.questions[other].related]
    assert one_way == [], "\n".join(one_way)
