"""scripts/measure.py: the baseline project it builds for comparison is valid."""

from __future__ import annotations

import importlib.util

import yaml
from mkdocs.utils.yaml import get_yaml_loader

from conftest import ROOT

spec = importlib.util.spec_from_file_location("measure", ROOT / "scripts" / "measure.py")
measure = importlib.util.module_from_spec(spec)
spec.loader.exec_module(measure)


def test_baseline_is_plain_material_over_the_same_docs(tmp_path):
    with open(measure.baseline_config(tmp_path), encoding="utf-8") as f:
        config = yaml.load(f, Loader=get_yaml_loader())
    assert config["theme"]["name"] == "material" and config["plugins"] == ["search"]
    assert "hooks" not in config
    assert (tmp_path / "docs" / "index.ru.md").exists() and (tmp_path / "docs" / "index.en.md").exists()


def test_report_counts_pages_and_sizes(tmp_path):
    for rel in ("index.html", "p/s/q/index.html", "notebooks/n/index.html"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x" * 2048)
    out = measure.report(tmp_path)
    assert out["pages"] == 3
    assert out["largest_question_page"]["path"] == "p/s/q/index.html"
    assert out["largest_notebook_page"]["kb"] == 2.0
