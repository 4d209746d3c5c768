#!/usr/bin/env python3
"""Measure a clean build: seconds, pages, site size, heaviest pages.

    python scripts/measure.py              # the project's build (both languages)
    python scripts/measure.py --baseline   # also: same Markdown, plain Material, no hooks/plugins

The baseline copies docs/ and builds it with a minimal mkdocs.yml (Material,
search, the same Markdown extensions) so the cost of the project's own hooks
and plugins can be compared.  Notebook execution and conversion are cached in
.cache/; pass --cold to clear them first (a first build on a fresh clone),
and --without-notebooks to also time a build without notebook pages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from mkdocs.utils.yaml import get_yaml_loader

ROOT = Path(__file__).resolve().parent.parent
MKDOCS = [sys.executable, "-m", "mkdocs"]


def build(config: Path, site: Path, notebooks: bool = True) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", GUIDE_NOTEBOOKS="on" if notebooks else "off")
    started = time.monotonic()
    proc = subprocess.run(MKDOCS + ["build", "--strict", "--clean", "-q", "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True, env=env)
    elapsed = time.monotonic() - started
    if proc.returncode:
        sys.exit(f"build failed:\n{proc.stdout}{proc.stderr}")
    return elapsed


def report(site: Path) -> dict:
    pages = sorted(site.rglob("index.html"))
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in pages}
    questions = {k: v for k, v in sizes.items() if k.count("/") >= 3 and "notebooks/" not in k
                 and not k.endswith(("/index/index.html", "/print/index.html"))}
    notebooks = {k: v for k, v in sizes.items() if "notebooks/" in k}
    total = sum(f.stat().st_size for f in site.rglob("*") if f.is_file())
    heaviest_q = max(questions.items(), key=lambda kv: kv[1]) if questions else ("-", 0)
    heaviest_nb = max(notebooks.items(), key=lambda kv: kv[1]) if notebooks else ("-", 0)
    return {"pages": len(pages), "site_mb": round(total / 2**20, 2),
            "largest_question_page": {"path": heaviest_q[0], "kb": round(heaviest_q[1] / 1024, 1)},
            "largest_notebook_page": {"path": heaviest_nb[0], "kb": round(heaviest_nb[1] / 1024, 1)}}


def baseline_config(tmp: Path) -> Path:
    with open(ROOT / "mkdocs.yml", encoding="utf-8") as f:       # MkDocs' loader knows !ENV
        project = yaml.load(f, Loader=get_yaml_loader())
    shutil.copytree(ROOT / "docs", tmp / "docs")
    for page in (tmp / "docs").rglob("*.md"):          # the study pages' own templates are not Material's
        text = page.read_text(encoding="utf-8")
        if "\ntemplate:" in text.split("\n---", 2)[0] + "\n":
            page.write_text(re.sub(r"^template:.*\n", "", text, count=1, flags=re.M), encoding="utf-8")
    config = {
        "site_name": project["site_name"], "docs_dir": str(tmp / "docs"),
        "theme": {"name": "material", "font": False},
        "plugins": ["search"], "markdown_extensions": project["markdown_extensions"],
        "validation": {"links": {"unrecognized_links": "ignore", "anchors": "ignore"}, "nav": {"omitted_files": "ignore"}},
    }
    path = tmp / "mkdocs.yml"
    path.write_text(yaml.dump(config, allow_unicode=True), encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", action="store_true", help="also build the same Markdown with plain Material")
    parser.add_argument("--cold", action="store_true", help="clear the notebook caches first (execution and conversion)")
    parser.add_argument("--without-notebooks", action="store_true", help="also build without notebook pages")
    args = parser.parse_args()
    if args.cold:
        shutil.rmtree(ROOT / ".cache", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        seconds = build(ROOT / "mkdocs.yml", tmp / "site")
        result = {"build_seconds": round(seconds, 2), **report(tmp / "site")}
        if args.without_notebooks:
            result["build_seconds_without_notebooks"] = round(build(ROOT / "mkdocs.yml", tmp / "site-nb", notebooks=False), 2)
        if args.baseline:
            base_seconds = build(baseline_config(tmp / "base"), tmp / "base-site")
            result["baseline_seconds"] = round(base_seconds, 2)
            result["ratio"] = round(seconds / base_seconds, 2)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
