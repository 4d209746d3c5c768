"""Builds fixture projects for tests/build, forking from a process that has imported MkDocs.

Importing MkDocs, Material, the i18n and Jupyter plugins and pymdown-extensions
costs about a second, more than a tiny fixture build itself.  This server pays it
once: it reads one JSON request per line on stdin ({"config", "site", "env",
"log"}), forks, and the child runs `mkdocs build --strict --clean` exactly as the
command line does, with its output in the "log" file; the parent answers
{"code": <exit code>}.  Each build runs in its own child process, so nothing a
build loads (hooks, caches, the KaTeX renderer) leaks into the next one; the
project's own code (hooks/) is never imported here.
"""

from __future__ import annotations

import json
import os
import sys

import mkdocs.__main__  # noqa: F401  the imports worth sharing
import mkdocs.commands.build  # noqa: F401
import material.plugins.search.plugin  # noqa: F401
import mkdocs_jupyter.plugin  # noqa: F401
import mkdocs_static_i18n.plugin  # noqa: F401
import pydantic  # noqa: F401
import pymdownx.arithmatex  # noqa: F401
import pymdownx.blocks.details  # noqa: F401
import pymdownx.superfences  # noqa: F401


def build(request: dict) -> int:
    pid = os.fork()
    if pid == 0:                                   # the child: one build, then exit
        code = 1
        try:
            log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(log, 1)
            os.dup2(log, 2)
            os.chdir(os.path.dirname(request["config"]))
            os.environ.clear()
            os.environ.update(request["env"])
            from mkdocs.__main__ import cli
            try:
                cli.main(["build", "--strict", "--clean", "-f", request["config"], "-d", request["site"]],
                         prog_name="mkdocs", standalone_mode=True)
                code = 0
            except SystemExit as exit_:
                code = exit_.code if isinstance(exit_.code, int) else 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            print(json.dumps({"code": build(json.loads(line))}), flush=True)


if __name__ == "__main__":
    main()
