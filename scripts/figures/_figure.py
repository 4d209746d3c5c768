"""Shared pieces of the figure scripts in this folder: reproducible SVG output, the command line,
and the drawing helpers that several figures use (block-diagram boxes and arrows, vectors, value
labels on bars and heatmap cells, the usual finish of a plot).

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


# ----------------------------------------------------------------------------- drawing helpers
# Each is used by more than one script; like setup, they import matplotlib only when called.

INK = "#1a202c"    # text in the block diagrams
LINE = "#4a5568"   # their arrows and connectors


def diagram(figsize: tuple[float, float], xlim: tuple[float, float], ylim: tuple[float, float], **figure):
    """A figure with one axes for a drawing in data coordinates xlim × ylim, without axis lines or
    ticks; returns (fig, ax). `figure`: further arguments of plt.subplots (e.g. facecolor)."""
    fig, ax = setup().subplots(figsize=figsize, **figure)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.axis("off")
    return fig, ax


def arrow(ax, start, end, *, color: str = LINE, lw: float = 1.2, head: float = 12, shrink: float = 0) -> None:
    """A straight arrow with a filled head from `start` to `end` (data coordinates); `head` is the
    size of the head (mutation_scale), `shrink` how many points it stops short at each end."""
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=head,
                                 linewidth=lw, color=color, shrinkA=shrink, shrinkB=shrink))


def rounded_box(ax, x: float, y: float, text: str, colors: tuple[str, str], width: float, height: float, *,
                rounding: float = 0.1, lw: float = 1.4, fontsize: float = 11, text_color: str = INK,
                zorder: float | None = None) -> None:
    """A rounded box centred on (x, y) with `text` in its middle; colors = (face, edge). With a
    zorder, the text goes one level above the box."""
    from matplotlib.patches import FancyBboxPatch

    face, edge = colors
    ax.add_patch(FancyBboxPatch((x - width / 2, y - height / 2), width, height,
                                boxstyle=f"round,pad=0.02,rounding_size={rounding}",
                                linewidth=lw, facecolor=face, edgecolor=edge, zorder=zorder))
    ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=text_color,
            zorder=None if zorder is None else zorder + 1)


def vector(ax, xy, color: str, *, lw: float = 2.2, head: float = 16, label: str | None = None) -> None:
    """An arrow from the origin to `xy`; with a label, also a legend entry (a line of its colour)."""
    ax.annotate("", xy=xy, xytext=(0, 0),
                arrowprops={"arrowstyle": "-|>", "color": color, "lw": lw, "mutation_scale": head})
    if label is not None:
        ax.plot([], [], color=color, lw=lw, label=label)


def label_bars(ax, bars, fmt: str, fontsize: float) -> None:
    """Write each bar's height, formatted with `fmt` (e.g. ".3f"), just above it."""
    for bar in bars:
        ax.text(bar.get_x() + bar.get_width() / 2, bar.get_height() + 0.02, format(bar.get_height(), fmt),
                ha="center", fontsize=fontsize)


def label_cells(ax, labels, colors, fontsize: float) -> None:
    """Write labels[i][j] in the middle of cell (i, j) of an imshow heatmap (row i, column j),
    in colors[i][j]."""
    for i, row in enumerate(labels):
        for j, label in enumerate(row):
            ax.text(j, i, label, ha="center", va="center", fontsize=fontsize, color=colors[i][j])


def label_plot(ax, lab: dict[str, str], *, title_size: float = 12, legend_size: float = 10, **legend) -> None:
    """The usual finish of a single plot: axis labels lab["x"] and lab["y"], title lab["title"], a
    light grid, and the legend (`legend`: its placement, e.g. loc="lower right")."""
    ax.set_xlabel(lab["x"], fontsize=12)
    ax.set_ylabel(lab["y"], fontsize=12)
    ax.set_title(lab["title"], fontsize=title_size)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=legend_size, framealpha=0.95, **legend)
