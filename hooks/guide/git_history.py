"""Which translation may be out of date, from git history.

Rule (also in CONTRIBUTING): the page in language A is flagged when the
same question's page in language B was changed by a later commit than the
last commit that changed A.  Commits whose message contains
``[skip-translation]`` (typo fixes) are ignored.  Uncommitted edits, files
outside git and shallow clones produce no notices.
"""

from __future__ import annotations

import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Optional

SKIP_MARK = "[skip-translation]"


def parse_log(text: str) -> dict[str, int]:
    """``git log --format=%x00%ct %s --name-only`` → {path: age of its last change}.

    Commits are listed newest first, so the age is the position of the newest
    commit that touched the path (0 = the latest commit).  Positions, not
    timestamps: two commits made in the same second still have an order.
    """
    last: dict[str, int] = {}
    position = 0
    for record in text.split("\x00"):
        lines = [line for line in record.splitlines() if line.strip()]
        if not lines:
            continue
        position += 1
        stamp, _, subject = lines[0].partition(" ")
        if SKIP_MARK in subject or not stamp.isdigit():
            continue
        for path in lines[1:]:
            last.setdefault(path.strip(), position - 1)
    return last


@lru_cache(maxsize=4)
def last_changes(repo: str, head: str) -> dict[str, int]:
    try:
        out = subprocess.run(["git", "-C", repo, "log", "--format=%x00%ct %s", "--name-only", "--", "docs"],
                             capture_output=True, text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    return parse_log(out)


@lru_cache(maxsize=4)
def _head(repo: str) -> Optional[str]:
    try:
        return subprocess.run(["git", "-C", repo, "rev-parse", "HEAD"], capture_output=True, text=True,
                              check=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def outdated(changes: dict[str, int], path: str, other: str) -> bool:
    """Was ``path`` last changed before its translation ``other`` (both repo-relative)?"""
    mine, theirs = changes.get(path), changes.get(other)
    return mine is not None and theirs is not None and theirs < mine


def is_outdated(repo: Path, docs_path: str, other_docs_path: str) -> bool:
    head = _head(str(repo))
    if head is None:
        return False
    return outdated(last_changes(str(repo), head), f"docs/{docs_path}", f"docs/{other_docs_path}")


def refresh() -> None:
    """Forget cached history (called at the start of every build)."""
    _head.cache_clear()
    last_changes.cache_clear()
