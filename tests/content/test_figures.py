"""Every figure is ours: made by a script in scripts/figures that still runs and still draws exactly
the committed SVGs (the scripts are deterministic). All scripts share one process, so matplotlib is
imported once however many figures there are (each script then runs in a fork of that process, one per
core at a time)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DOCS, ROOT

SCRIPTS = sorted((ROOT / "scripts" / "figures").glob("[!_]*.py"))
FIGURES = DOCS / "assets" / "figures"
RUN_ALL = """
import os, runpy, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot, numpy  # imported once; every script runs in a fork with fresh drawing state
out = sys.argv[1]
running = set()
for script in sys.argv[2:]:
    if len(running) >= (os.cpu_count() or 1):         # one script per core at a time
        running.discard(os.wait()[0])
    pid = os.fork()
    if pid == 0:
        sys.argv = [script, out]
        try:
            runpy.run_path(script, run_name="__main__")
            code = 0
        except BaseException as exc:  # report the script, go on with the others
            print(f"FAILED {script}: {type(exc).__name__}: {exc}", file=sys.stderr)
            code = 1
        sys.stdout.flush(); sys.stderr.flush()
        os._exit(code)
    running.add(pid)
while running:
    running.discard(os.wait()[0])
"""


@pytest.fixture(scope="module")
def drawn(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("figures")
    proc = subprocess.run([sys.executable, "-c", RUN_ALL, str(out), *map(str, SCRIPTS)],
                          capture_output=True, text=True, timeout=600, cwd=ROOT)
    return out, proc.stderr


@pytest.mark.parametrize("script", SCRIPTS, ids=[s.stem for s in SCRIPTS])
def test_figure_script_draws_the_committed_svgs(drawn, script):
    out, errors = drawn
    failed = [line for line in errors.splitlines() if line.startswith(f"FAILED {script}")]
    assert not failed, failed[0]
    for lang in ("ru", "en"):
        made = out / f"{script.stem}-{lang}.svg"
        assert made.exists() and made.stat().st_size > 1000, made.name
        committed = FIGURES / made.name
        assert committed.exists(), f"commit docs/assets/figures/{made.name}"
        assert made.read_bytes() == committed.read_bytes(), \
            f"docs/assets/figures/{made.name} is not what {script.relative_to(ROOT)} draws: run the script"


def test_every_committed_figure_has_its_script():
    names = {s.stem for s in SCRIPTS}
    orphans = [f.name for f in FIGURES.glob("*.svg") if f.stem.rsplit("-", 1)[0] not in names]
    assert orphans == []
