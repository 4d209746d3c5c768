"""Bad input fails the real build with one line naming the file (and the line) and the problem,
never a traceback; and what a contributor may leave unfinished still builds."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from projects import ANSWER, error_lines, question, write

def test_fixture_project_builds(project, builder):
    code, log = builder.build(project)
    assert code == 0, log


# The fixture page: 6 lines of front matter, then ANSWER (its formulas on lines 12 and 15);
# anything appended to ANSWER starts on line 19.
BAD = {
    "broken front matter": ("docs/p/s/q.ru.md:4", lambda d: write(d, "p/s/q.ru.md", "---\nid: 1\ntitle: [oops\n---\n"),
                            "front matter is not valid YAML"),
    "missing front matter": ("docs/p/s/q.en.md:1", lambda d: write(d, "p/s/q.en.md", "Just text.\n"), "front matter is missing"),
    "unknown section": ("docs/p/nope/x.ru.md", lambda d: write(d, "p/nope/x.ru.md", question(2)), "unknown section 'nope'"),
    "unknown part": ("docs/zz/s/x.ru.md", lambda d: write(d, "zz/s/x.ru.md", question(2)), "unknown part 'zz'"),
    "duplicate id": ("docs/p/s/r.ru.md", lambda d: [write(d, f"p/s/r.{lang}.md", question(1)) for lang in ("ru", "en")],
                     "duplicate id 1"),
    "id mismatch": ("docs/p/s/q.en.md:2", lambda d: write(d, "p/s/q.en.md", question(7)), "'id' is '7' here but '1'"),
    "unknown difficulty": ("docs/p/s/q.ru.md:4", lambda d: write(d, "p/s/q.ru.md", question(1, difficulty="guru")),
                           "unknown difficulty 'guru'"),
    "old answer syntax": ("docs/p/s/q.ru.md:8", lambda d: write(d, "p/s/q.ru.md", question(1, body=ANSWER.replace(
                              "/// answer | Ответ\n", "/// details | Ответ\n    type: answer\n"))),
                          "the answer block is now written '/// answer | <summary>'"),
    "invalid latex": ("docs/p/s/q.ru.md:15", lambda d: write(d, "p/s/q.ru.md", question(1, body=ANSWER.replace("\\frac{a}{b}", "\\frac{a}{b"))),
                      "invalid LaTeX in formula `\\frac{a}{b`"),
    "script tag": ("docs/p/s/q.en.md:19", lambda d: write(d, "p/s/q.en.md", question(1, body=ANSWER + "\n<script>alert(1)</script>\n")),
                   "raw <script> tags are not allowed"),
    "event handler": ("docs/p/s/q.en.md:19", lambda d: write(d, "p/s/q.en.md", question(1, body=ANSWER + '\n<img src="a.png" onload="x()">\n')),
                      "event-handler attributes"),
    "javascript link": ("docs/p/s/q.en.md:19", lambda d: write(d, "p/s/q.en.md", question(1, body=ANSWER + "\n[x](javascript:alert(1))\n")),
                        "javascript: links are not allowed"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_fails_with_one_clear_line(project, builder, case):
    where, mutate, problem = BAD[case]
    mutate(project / "docs")
    code, log = builder.build(project)
    assert code != 0, f"{case}: the build passed"
    errors = error_lines(log)
    assert len(errors) == 1, f"{case}: expected one error line, got:\n{log}"
    assert f"content error: {where}: " in errors[0], errors[0]
    assert problem in errors[0], errors[0]
    assert "Traceback" not in log


def test_every_bad_formula_is_reported_with_its_line(project, builder):
    write(project / "docs", "p/s/q.ru.md", question(1, body=ANSWER.replace("$x^2$", "$x^{2$").replace("\\frac{a}{b}", "\\sqrt[3{x}")))
    code, log = builder.build(project)
    assert code != 0
    errors = error_lines(log)
    assert len(errors) == 2, log
    assert "docs/p/s/q.ru.md:12: invalid LaTeX in formula `x^{2`" in errors[0]
    assert "docs/p/s/q.ru.md:15: invalid LaTeX in formula `\\sqrt[3{x}`" in errors[1]
    assert "Traceback" not in log


def test_notebook_that_raises_fails_with_file_and_cell(project, builder):
    write(project, "notebooks/broken.py",
          '# %% [markdown] lang="en"\n# # Broken\n\n# %%\nx = 1\n\n# %%\n1 / 0\n')
    code, log = builder.build(project)
    assert code != 0
    errors = error_lines(log)
    assert len(errors) == 1, log
    assert "notebooks/broken.py" in errors[0] and "code cell 2" in errors[0] and "ZeroDivisionError" in errors[0]
    assert "Traceback" not in log


def test_missing_translation_shows_a_notice_and_does_not_count(project, builder):
    (project / "docs/p/s/q.en.md").unlink()
    code, log = builder.build(project)
    assert code == 0, log
    html = (project / "site/en/p/s/q/index.html").read_text(encoding="utf-8")
    assert "Translation missing" in html and "new/main/docs/p/s?filename=q.en.md" in html
    en = json.loads((project / "site/en/questions.json").read_text(encoding="utf-8"))
    ru = json.loads((project / "site/questions.json").read_text(encoding="utf-8"))
    assert en["questions"][0]["answered"] is False and ru["questions"][0]["answered"] is True
    assert "(0/1)" in (project / "site/en/index.html").read_text(encoding="utf-8")


def test_outdated_translation_notice_follows_git_history(project, builder):
    def git(*args):
        subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True,
                       env=dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@t", GIT_COMMITTER_NAME="t",
                                GIT_COMMITTER_EMAIL="t@t"))
    git("init", "-q")
    git("add", "docs")
    git("commit", "-qm", "Add the question", "--date", "2026-01-01T00:00:00")
    write(project / "docs", "p/s/q.en.md", question(1, body=ANSWER + "\nA new English paragraph.\n"))
    git("commit", "-qam", "Extend the English answer", "--date", "2026-01-02T00:00:00")
    code, log = builder.build(project)
    assert code == 0, log
    ru = (project / "site/p/s/q/index.html").read_text(encoding="utf-8")
    en = (project / "site/en/p/s/q/index.html").read_text(encoding="utf-8")
    assert "Перевод мог устареть" in ru
    assert "Translation may be out of date" not in en
