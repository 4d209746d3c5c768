"""An encoder block with Post-LN (Vaswani et al., 2017) and with Pre-LN, side by side (question 42).

Usage: python scripts/figures/prenorm-postnorm-block.py [OUTDIR]   (default: docs/assets/figures)
Writes prenorm-postnorm-block-ru.svg and prenorm-postnorm-block-en.svg.
Data flows from the bottom up; the residual (skip) paths are drawn on the left of each block.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import INK, LINE, arrow, main, rounded_box, save, setup  # noqa: E402

NAME = "prenorm-postnorm-block"
FACES = {"attn": ("#fdf2e3", "#c05621"), "ffn": ("#e8f1fb", "#2b6cb0"), "ln": ("#eaf7ee", "#2f855a"),
         "final": ("#eaf7ee", "#2f855a")}
X = 5.6        # centre of the main path
SKIP_X = 1.5   # x of the residual path

LABELS = {
    "en": {
        "post": "Post-LN (Vaswani et al., 2017; BERT)",
        "pre": "Pre-LN (GPT-2, Llama, most LLMs)",
        "attn": "Multi-head attention",
        "ffn": "Feed-forward network",
        "ln": "LayerNorm",
        "final": "final LayerNorm (once, after the last block)",
        "input": "input $x_l$",
        "output": "output $x_{l+1}$",
        "post_note": "the residual stream itself is normalised:\n"
                     "$x_{l+1} = \\mathrm{LN}(x + F(x))$",
        "pre_note": "the residual stream is never normalised:\n"
                    "$x_{l+1} = x + F(\\mathrm{LN}(x))$",
    },
    "ru": {
        "post": "Post-LN (Vaswani et al., 2017; BERT)",
        "pre": "Pre-LN (GPT-2, Llama, большинство LLM)",
        "attn": "Multi-head attention",
        "ffn": "Полносвязный блок (FFN)",
        "ln": "LayerNorm",
        "final": "финальный LayerNorm (один раз, после последнего блока)",
        "input": "вход $x_l$",
        "output": "выход $x_{l+1}$",
        "post_note": "нормализуется сам остаточный поток:\n"
                     "$x_{l+1} = \\mathrm{LN}(x + F(x))$",
        "pre_note": "остаточный поток не нормализуется:\n"
                    "$x_{l+1} = x + F(\\mathrm{LN}(x))$",
    },
}


def column(ax, lab, steps):
    """The main path from the bottom up, each step joined to the next by an arrow. A step is
    (kind, y): a text ("input", "output") or a box ("attn", "ffn", "ln"); an adder is
    ("add", y, y_from), its residual path leaving the main line at y_from."""
    half_height = {"input": 0.25, "output": 0.25, "add": 0.28}       # boxes: 0.4
    start = None                                                      # where the next arrow starts
    for kind, y, *skip_from in steps:
        half = half_height.get(kind, 0.4)
        if start is not None:
            arrow(ax, (X, start), (X, y - half))
        if kind in ("input", "output"):
            ax.text(X, y, lab[kind], ha="center", va="center", fontsize=11)
        elif kind == "add":
            add(ax, y)
            skip(ax, skip_from[0], y)
        else:
            rounded_box(ax, X, y, lab[kind], FACES[kind], 6.0, 0.8, rounding=0.12)
        start = y + half


def add(ax, y):
    from matplotlib.patches import Circle

    ax.add_patch(Circle((X, y), 0.28, facecolor="white", edgecolor=LINE, linewidth=1.3))
    ax.text(X, y - 0.02, "+", ha="center", va="center", fontsize=14, color=INK)


def skip(ax, y_from, y_to):
    """Residual path: from the main line at y_from, left, up, and into the adder at y_to."""
    ax.plot([X, SKIP_X, SKIP_X], [y_from, y_from, y_to], color="#718096", lw=1.4)
    arrow(ax, (SKIP_X, y_to), (X - 0.28, y_to))


def post_ln(ax, lab):
    column(ax, lab, [("input", 0.5), ("attn", 2.0), ("add", 3.3, 1.05), ("ln", 4.4), ("ffn", 5.9),
                     ("add", 7.2, 4.95), ("ln", 8.3), ("output", 9.6)])
    ax.text(X - 0.5, -0.9, lab["post_note"], ha="center", va="center", fontsize=10.5, color="#2d3748")


def pre_ln(ax, lab):
    column(ax, lab, [("input", 0.5), ("ln", 1.8), ("attn", 3.1), ("add", 4.3, 1.0), ("ln", 5.5), ("ffn", 6.8),
                     ("add", 8.0, 4.85), ("output", 9.6)])
    ax.text(X, 10.45, lab["final"], ha="center", va="center", fontsize=9.5, color="#2f855a",
            style="italic")
    ax.text(X - 0.5, -0.9, lab["pre_note"], ha="center", va="center", fontsize=10.5, color="#2d3748")


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    plt.rcParams["mathtext.fontset"] = "dejavusans"
    lab = LABELS[lang]
    fig, axes = plt.subplots(1, 2, figsize=(10.5, 6.6), facecolor="white")
    for ax, title, painter in ((axes[0], lab["post"], post_ln), (axes[1], lab["pre"], pre_ln)):
        ax.set_xlim(0, 9.6)
        ax.set_ylim(-1.7, 11.2)
        ax.axis("off")
        ax.set_title(title, fontsize=12.5)
        painter(ax, lab)
    fig.tight_layout()
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw, LABELS)
