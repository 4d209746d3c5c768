"""The contributor docs point only at things that exist.

README, both CONTRIBUTING files, the PR and issue templates, the scaffold script and the strings
files name repository paths (`hooks/guide/catalog.py`, `docs/<part>/...`) and link to each other's
sections; a renamed file or heading must not leave a contributor at a dead end.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", ROOT / "CONTRIBUTING.ru.md",
        ROOT / "scripts" / "new_question.py", *sorted((ROOT / ".github").rglob("*.md")),
        *sorted((ROOT / ".github").rglob("*.yml")), *sorted((ROOT / "hooks" / "strings").glob("*.yml"))]
TOP = ("docs", "hooks", "overrides", "scripts", "tests", "notebooks", ".github", ".ci")
# `hooks/guide/catalog.py`, `docs/assets/figures`, CONTRIBUTING.ru.md …; placeholders (<name>, …) and globs are skipped
PATH = re.compile(r"(?<![\w/.-])((?:" + "|".join(re.escape(t) for t in TOP) + r")/[\w./-]*[\w]|[A-Z][A-Za-z.]*\.md|mkdocs\.yml|Makefile|requirements\.txt|package\.json)(?![\w<*…])")
LINK = re.compile(r"\]\((?!https?:|mailto:)([^)\s]+)\)")


def github_anchor(heading: str) -> str:
    """The id GitHub gives a Markdown heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.S | re.M)
    return {github_anchor(h) for h in re.findall(r"^#{1,6}\s+(.+?)\s*$", text, flags=re.M)}


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(ROOT)) for d in DOCS])
def test_named_paths_exist(doc):
    text = doc.read_text(encoding="utf-8")
    missing = []
    for m in PATH.finditer(text):
        path = m.group(1).rstrip(".")
        if "<" in text[m.end():m.end() + 1] or re.search(r"[<>*]", path):
            continue
        if not (ROOT / path).exists():
            missing.append(path)
    assert missing == [], f"{doc.relative_to(ROOT)} names paths that do not exist: {sorted(set(missing))}"


@pytest.mark.parametrize("doc", [d for d in DOCS if d.suffix == ".md"], ids=lambda d: d.name)
def test_links_and_anchors_resolve(doc):
    broken = []
    prose = re.sub(r"^```.*?^```|`[^`\n]+`", "", doc.read_text(encoding="utf-8"), flags=re.S | re.M)  # examples aside
    for target in LINK.findall(prose):
        file, _, anchor = target.partition("#")
        path = doc if not file else (doc.parent / file)
        if not path.exists():
            broken.append(target)
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(target)
    assert broken == [], f"{doc.relative_to(ROOT)}: {broken}"
