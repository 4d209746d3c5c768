#!/usr/bin/env python3
"""Execute the notebooks and refresh their Colab copies.

    python scripts/notebooks.py            # all notebooks
    python scripts/notebooks.py tfidf      # one (or several) by name
    python scripts/notebooks.py --force    # ignore the execution cache

Each notebook runs from a clean kernel; the first failing cell stops it with
one line naming the file and the cell.  Results are cached in
.cache/notebooks (the site build reuses them) and notebooks/ipynb/ gets the
per-language .ipynb files that "Open in Colab" loads from the repository.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "hooks"))

from guide import notebook_tools as tools  # noqa: E402
from guide import site  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", help="notebook names (default: all)")
    parser.add_argument("--force", action="store_true", help="execute even when the cache is fresh")
    args = parser.parse_args(argv)

    available = tools.names()
    wanted = args.names or available
    unknown = sorted(set(wanted) - set(available))
    if unknown:
        print(f"unknown notebook(s): {', '.join(unknown)} (have: {', '.join(available)})", file=sys.stderr)
        return 2
    total = time.monotonic()
    for name in wanted:
        path = tools.source_path(name)
        started = time.monotonic()
        try:
            if args.force:
                for old in tools.CACHE.glob(f"{name}-*.ipynb"):
                    old.unlink()
            tools.cached_execution(path)
        except tools.NotebookError as exc:
            print(f"notebook error: {exc}", file=sys.stderr)
            return 1
        print(f"{name}: ok in {time.monotonic() - started:.1f} s")
    for written in tools.write_colab_copies(wanted, site.languages(tools.ROOT / "mkdocs.yml").codes):
        print(f"updated {written.relative_to(tools.ROOT)}")
    print(f"{len(wanted)} notebook(s) in {time.monotonic() - total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
