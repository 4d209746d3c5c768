"""The contributor's path, end to end: `make new …`, then the build and the content tests pass.

The repository is copied as a clone would have it (tracked and untracked-but-not-ignored files),
a question is scaffolded with scripts/new_question.py, the copy is built strictly, and its own
integrity tests run inside it.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from projects import ROOT


def clone(target: Path) -> Path:
    files = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                           capture_output=True, text=True, check=True).stdout.split("\0")
    for rel in filter(None, files):
        source = ROOT / rel
        if source.is_file():
            (target / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / rel)
    (target / "node_modules").symlink_to(ROOT / "node_modules")
    return target


def test_a_scaffolded_question_builds_and_passes_the_integrity_tests(tmp_path, builder):
    repo = clone(tmp_path / "repo")
    new = subprocess.run([sys.executable, "scripts/new_question.py", "--section", "classic-nlp/metrics",
                          "--difficulty", "middle", "--title-ru", "Что такое METEOR", "--title-en", "What METEOR measures",
                          "--tags", "metrics,meteor"], cwd=repo, capture_output=True, text=True, timeout=120)
    assert new.returncode == 0, new.stderr
    created = sorted((repo / "docs/classic-nlp/metrics").glob("what-meteor-measures.*.md"))
    assert [p.name for p in created] == ["what-meteor-measures.en.md", "what-meteor-measures.ru.md"]

    code, log = builder.build(repo, GUIDE_NOTEBOOKS="off")
    assert code == 0, log[-3000:]
    data = json.loads((repo / "site/en/questions.json").read_text(encoding="utf-8"))
    added = [q for q in data["questions"] if q["url"] == "en/classic-nlp/metrics/what-meteor-measures/"]
    assert len(added) == 1 and added[0]["answered"] is False
    page = (repo / "site/en/classic-nlp/metrics/what-meteor-measures/index.html").read_text(encoding="utf-8")
    assert "Not answered yet" in page

    tests = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                            "tests/content/test_integrity.py"], cwd=repo, capture_output=True, text=True, timeout=300)
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
