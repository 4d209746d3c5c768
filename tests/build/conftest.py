"""Fixtures of the fixture-project builds (helpers in projects.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from projects import Builder, make_project


@pytest.fixture(scope="session")
def builder():
    b = Builder()
    yield b
    b.close()


@pytest.fixture
def project(tmp_path) -> Path:
    return make_project(tmp_path)
