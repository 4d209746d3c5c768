"""Validate the content before anything is built.

Loads the catalog once at the start of each language build; any content
problem stops the build with one line: ``content error: <file>: <problem>``.
"""

from __future__ import annotations

from mkdocs.plugins import event_priority

from guide import context, git_history


@event_priority(100)
def on_pre_build(config):
    git_history.refresh()
    context.refresh_catalog(config)
