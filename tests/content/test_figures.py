"""Every figure is ours: made by a script in scripts/figures that still runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOCS, ROOT

SCRIPTS = sorted((ROOT / "scripts" / "figures").glob("[!_]*.py"))


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_figure_script_runs_and_writes_both_languages(script, tmp_path):
    proc = subprocess.run([sys.executable, str(script), str(tmp_path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    for lang in ("ru", "en"):
        out = tmp_path / f"{script.stem}-{lang}.svg"
        assert out.exists() and out.stat().st_size > 1000, out.name
        assert (DOCS / "assets" / "figures" / out.name).exists(), f"commit docs/assets/figures/{out.name}"


def test_every_committed_figure_has_its_script():
    names = {s.stem for s in SCRIPTS}
    orphans = [f.name for f in (DOCS / "assets" / "figures").glob("*.svg") if f.stem.rsplit("-", 1)[0] not in names]
    assert orphans == []
