"""Bad input fails the real build with one line naming the file and the problem.

Each case builds a tiny project (the real mkdocs.yml, hooks and theme, a
fixture docs/ tree) with `mkdocs build --strict`, exactly as a contributor
would, and reads what the build printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, run_mkdocs

ANSWER = ("\n/// answer | Ответ\n\n## Коротко {#short}\n\n"
          + " ".join(["слово"] * 45) + " $x^2$\n\n$$\n\\frac{a}{b}\n$$\n///\n")


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def question(qid, body=ANSWER, **extra) -> str:
    meta = {"id": qid, "title": "Вопрос", "difficulty": "junior", "tags": "[test]", **extra}
    return "---\n" + "\n".join(f"{k}: {v}" for k, v in meta.items()) + "\n---\n" + body


@pytest.fixture
def project(tmp_path) -> Path:
    for name in ("hooks", "overrides", "node_modules"):
        (tmp_path / name).symlink_to(ROOT / name)
    (tmp_path / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    docs = tmp_path / "docs"
    for lang in ("ru", "en"):
        write(docs, f"index.{lang}.md", "---\ntitle: Home\ndescription: A fixture home page for the tests.\n---\n# Home\n")
        write(docs, f"p/index.{lang}.md", "---\ntitle: Part\norder: 1\n---\nA part.\n")
        write(docs, f"p/s/index.{lang}.md", "---\ntitle: Section\norder: 1\n---\nA section.\n")
        write(docs, f"p/s/q.{lang}.md", question(1))
    return tmp_path


def build(project: Path) -> tuple[int, str]:
    proc = run_mkdocs(project / "mkdocs.yml", project / "site", cache=project / ".cache")
    return proc.returncode, proc.stdout + proc.stderr


def error_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("ERROR")]


def test_fixture_project_builds(project):
    code, log = build(project)
    assert code == 0, log


BAD = {
    "broken front matter": ("docs/p/s/q.ru.md", lambda d: write(d, "p/s/q.ru.md", "---\nid: 1\ntitle: [oops\n---\n"),
                            "front matter is not valid YAML"),
    "missing front matter": ("docs/p/s/q.en.md", lambda d: write(d, "p/s/q.en.md", "Just text.\n"), "front matter is missing"),
    "unknown section": ("docs/p/nope/x.ru.md", lambda d: write(d, "p/nope/x.ru.md", question(2)), "unknown section 'nope'"),
    "unknown part": ("docs/zz/s/x.ru.md", lambda d: write(d, "zz/s/x.ru.md", question(2)), "unknown part 'zz'"),
    "duplicate id": ("docs/p/s/r.ru.md", lambda d: [write(d, f"p/s/r.{lang}.md", question(1)) for lang in ("ru", "en")],
                     "duplicate id 1"),
    "id mismatch": ("docs/p/s/q.en.md", lambda d: write(d, "p/s/q.en.md", question(7)), "'id' is '7' here but '1'"),
    "unknown difficulty": ("docs/p/s/q.ru.md", lambda d: write(d, "p/s/q.ru.md", question(1, difficulty="guru")),
                           "unknown difficulty 'guru'"),
    "invalid latex": ("docs/p/s/q.ru.md", lambda d: write(d, "p/s/q.ru.md", question(1, body=ANSWER.replace("\\frac{a}{b}", "\\frac{a}{b"))),
                      "invalid LaTeX in formula `\\frac{a}{b`"),
    "script tag": ("docs/p/s/q.en.md", lambda d: write(d, "p/s/q.en.md", question(1, body=ANSWER + "\n<script>alert(1)</script>\n")),
                   "raw <script> tags are not allowed"),
    "event handler": ("docs/p/s/q.en.md", lambda d: write(d, "p/s/q.en.md", question(1, body=ANSWER + '\n<img src="a.png" onload="x()">\n')),
                      "event-handler attributes"),
    "javascript link": ("docs/p/s/q.en.md", lambda d: write(d, "p/s/q.en.md", question(1, body=ANSWER + "\n[x](javascript:alert(1))\n")),
                        "javascript: links are not allowed"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_fails_with_one_clear_line(project, case):
    path, mutate, problem = BAD[case]
    mutate(project / "docs")
    code, log = build(project)
    assert code != 0, f"{case}: the build passed"
    errors = error_lines(log)
    assert len(errors) == 1, f"{case}: expected one error line, got:\n{log}"
    assert path in errors[0] or path.removeprefix("docs/") in errors[0], errors[0]
    assert problem in errors[0], errors[0]
    assert "Traceback" not in log


def test_notebook_that_raises_fails_with_file_and_cell(project):
    write(project, "notebooks/broken.py",
          '# %% [markdown] lang="en"\n# # Broken\n\n# %%\nx = 1\n\n# %%\n1 / 0\n')
    code, log = build(project)
    assert code != 0
    errors = error_lines(log)
    assert len(errors) == 1, log
    assert "notebooks/broken.py" in errors[0] and "code cell 2" in errors[0] and "ZeroDivisionError" in errors[0]
    assert "Traceback" not in log


def test_missing_translation_shows_a_notice_and_does_not_count(project):
    (project / "docs/p/s/q.en.md").unlink()
    code, log = build(project)
    assert code == 0, log
    html = (project / "site/en/p/s/q/index.html").read_text(encoding="utf-8")
    assert "Translation missing" in html and "new/main/docs/p/s?filename=q.en.md" in html
    en = json.loads((project / "site/en/questions.json").read_text(encoding="utf-8"))
    ru = json.loads((project / "site/questions.json").read_text(encoding="utf-8"))
    assert en["questions"][0]["answered"] is False and ru["questions"][0]["answered"] is True
    assert "(0/1)" in (project / "site/en/index.html").read_text(encoding="utf-8")


def test_outdated_translation_notice_follows_git_history(project):
    def git(*args):
        subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True,
                       env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                                GIT_COMMITTER_EMAIL="t@t"))
    git("init", "-q")
    git("add", "docs")
    git("commit", "-qm", "Add the question", "--date", "2026-01-01T00:00:00")
    write(project / "docs", "p/s/q.en.md", question(1, body=ANSWER + "\nA new English paragraph.\n"))
    git("commit", "-qam", "Extend the English answer", "--date", "2026-01-02T00:00:00")
    code, log = build(project)
    assert code == 0, log
    ru = (project / "site/p/s/q/index.html").read_text(encoding="utf-8")
    en = (project / "site/en/p/s/q/index.html").read_text(encoding="utf-8")
    assert "Перевод мог устареть" in ru
    assert "Translation may be out of date" not in en
