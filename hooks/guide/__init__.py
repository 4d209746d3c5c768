"""Helpers of the build hooks.

The files directly in ``hooks/`` are the ones mkdocs.yml registers: each
handles MkDocs events for one job.  This package holds what they share and
what scripts and tests use without a build: the question catalog, the site's
languages and strings, the build context, git history, notebook execution
and template rendering.  Nothing here handles an MkDocs event.
"""
