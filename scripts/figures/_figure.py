"""Shared pieces of the figure scripts in this folder: reproducible SVG output and the command line.

A script imports it with
    sys.path.insert(0, str(Path(__file__).parent))
    from _figure import main, save, setup
so that it runs as `python scripts/figures/<name>.py [OUTDIR]` from any working directory.
Its name starts with "_": it draws no figure (tests/content/test_figures.py skips such files).
"""
from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path

LANGS = ("ru", "en")
DEFAULT_OUTDIR = Path("docs/assets/figures")  # relative to the working directory, as before


def setup():
    """Select the Agg backend and make the SVG output reproducible (fixed hash salt for the ids,
    text kept as text); returns matplotlib.pyplot. Safe to call more than once; matplotlib is
    imported only here, so modules that import a script for its numbers do not pay for it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "nlp-guide"
    plt.rcParams["svg.fonttype"] = "none"
    return plt


def save(fig, name: str, lang: str, outdir: Path, **savefig_kwargs) -> Path:
    """Write `fig` to OUTDIR/<name>-<lang>.svg without a date (byte-stable output), cropped
    to its content, and close it. Extra keyword arguments go to savefig (e.g. facecolor)."""
    import matplotlib.pyplot as plt

    path = outdir / f"{name}-{lang}.svg"
    fig.savefig(path, format="svg", metadata={"Date": None}, bbox_inches="tight", **savefig_kwargs)
    plt.close(fig)
    return path


def main(draw: Callable[[str, Path], Path], languages: Iterable[str] = LANGS,
         argv: list[str] | None = None) -> None:
    """The command line of a figure script: `[OUTDIR]` (default docs/assets/figures), created
    if needed; calls draw(lang, outdir) for each language in order and prints the paths."""
    setup()
    args = sys.argv[1:] if argv is None else argv
    outdir = Path(args[0]) if args else DEFAULT_OUTDIR
    outdir.mkdir(parents=True, exist_ok=True)
    for lang in languages:
        print(draw(lang, outdir))
