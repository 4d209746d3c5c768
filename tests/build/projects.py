"""Fixture projects for tests/build: the real mkdocs.yml, hooks and theme over a tiny docs/ tree.

Each test builds its project with `mkdocs build --strict`, exactly as a contributor would
(through build_server.py, which forks from a process that has already imported MkDocs), and
reads what the build printed. Every project keeps its own cache folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

ANSWER = ("\n/// answer | Ответ\n\n## Коротко {#short}\n\n"
          + " ".join(["слово"] * 45) + " $x^2$\n\n$$\n\\frac{a}{b}\n$$\n///\n")


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def question(qid, body=ANSWER, title="Вопрос", **extra) -> str:
    meta = {"id": qid, "title": title, "difficulty": "junior", "tags": "[test]", **extra}
    return "---\n" + "\n".join(f"{k}: {v}" for k, v in meta.items()) + "\n---\n" + body


def error_lines(log: str) -> list[str]:
    return [line for line in log.splitlines() if line.startswith("ERROR")]


class Builder:
    """A build_server.py process; build() sends it one project at a time."""

    def __init__(self):
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("build_server.py"))],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)

    def build(self, project: Path, **env) -> tuple[int, str]:
        environ = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "GUIDE_NOTEBOOKS", "GUIDE_CACHE_DIR")}
        environ.update(NO_MKDOCS_2_WARNING="1", GUIDE_CACHE_DIR=str(project / ".cache"), **env)
        log = project / "build.log"
        request = {"config": str(project / "mkdocs.yml"), "site": str(project / "site"), "env": environ, "log": str(log)}
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        assert answer, "the build server stopped"
        return json.loads(answer)["code"], log.read_text(encoding="utf-8")

    def close(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


def make_project(root: Path, languages=("ru", "en"), copy_hooks: bool = False) -> Path:
    """A project at `root`: hooks (linked, or copied to be changed), theme, modules, mkdocs.yml, docs."""
    if copy_hooks:
        shutil.copytree(ROOT / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__"))
    else:
        (root / "hooks").symlink_to(ROOT / "hooks")
    for name in ("overrides", "node_modules"):
        (root / name).symlink_to(ROOT / name)
    (root / "mkdocs.yml").write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "notebooks").mkdir()
    docs = root / "docs"
    for lang in languages:
        write(docs, f"index.{lang}.md", "---\ntitle: Home\ndescription: A fixture home page for the tests.\n---\n# Home\n")
        write(docs, f"p/index.{lang}.md", "---\ntitle: Part\norder: 1\n---\nA part.\n")
        write(docs, f"p/s/index.{lang}.md", "---\ntitle: Section\norder: 1\n---\nA section.\n")
        write(docs, f"p/s/q.{lang}.md", question(1))
    return root

