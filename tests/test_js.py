"""The browser code's pure logic, tested in Node (tests/js/*.test.cjs, Node's built-in runner)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_js_unit_tests_pass():
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed (it also renders the formulas): install it as the README says")
    proc = subprocess.run([node, "--test", *sorted(str(p) for p in (ROOT / "tests" / "js").glob("*.test.cjs"))],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
