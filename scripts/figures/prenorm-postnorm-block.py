"""An encoder block with Post-LN (Vaswani et al., 2017) and with Pre-LN, side by side (question 42).

Usage: python scripts/figures/prenorm-postnorm-block.py [OUTDIR]   (default: docs/assets/figures)
Writes prenorm-postnorm-block-ru.svg and prenorm-postnorm-block-en.svg.
Data flows from the bottom up; the residual (skip) paths are drawn on the left of each block.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "prenorm-postnorm-block"

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

FACES = {"attn": ("#fdf2e3", "#c05621"), "ffn": ("#e8f1fb", "#2b6cb0"), "ln": ("#eaf7ee", "#2f855a"),
         "final": ("#eaf7ee", "#2f855a")}
X = 5.6        # centre of the main path
SKIP_X = 1.5   # x of the residual path


def box(ax, y, kind, text, width=6.0, height=0.8):
    from matplotlib.patches import FancyBboxPatch

    face, edge = FACES[kind]
    ax.add_patch(FancyBboxPatch((X - width / 2, y - height / 2), width, height,
                                boxstyle="round,pad=0.02,rounding_size=0.12",
                                linewidth=1.4, facecolor=face, edgecolor=edge))
    ax.text(X, y, text, ha="center", va="center", fontsize=11, color="#1a202c")


def add(ax, y):
    from matplotlib.patches import Circle

    ax.add_patch(Circle((X, y), 0.28, facecolor="white", edgecolor="#4a5568", linewidth=1.3))
    ax.text(X, y - 0.02, "+", ha="center", va="center", fontsize=14, color="#1a202c")


def arrow(ax, start, end):
    from matplotlib.patches import FancyArrowPatch

    ax.add_patch(FancyArrowPatch(start, end, arrowstyle="-|>", mutation_scale=12,
                                 linewidth=1.2, color="#4a5568", shrinkA=0, shrinkB=0))


def skip(ax, y_from, y_to):
    """Residual path: from the main line at y_from, left, up, and into the adder at y_to."""
    ax.plot([X, SKIP_X, SKIP_X], [y_from, y_from, y_to], color="#718096", lw=1.4)
    arrow(ax, (SKIP_X, y_to), (X - 0.28, y_to))


def post_ln(ax, lab):
    # bottom to top: input, attention, add, LN, FFN, add, LN, output
    ys = {"in": 0.5, "attn": 2.0, "add1": 3.3, "ln1": 4.4, "ffn": 5.9, "add2": 7.2, "ln2": 8.3, "out": 9.6}
    ax.text(X, ys["in"], lab["input"], ha="center", va="center", fontsize=11)
    arrow(ax, (X, ys["in"] + 0.25), (X, ys["attn"] - 0.4))
    box(ax, ys["attn"], "attn", lab["attn"])
    arrow(ax, (X, ys["attn"] + 0.4), (X, ys["add1"] - 0.28))
    add(ax, ys["add1"])
    skip(ax, 1.05, ys["add1"])
    arrow(ax, (X, ys["add1"] + 0.28), (X, ys["ln1"] - 0.4))
    box(ax, ys["ln1"], "ln", lab["ln"])
    arrow(ax, (X, ys["ln1"] + 0.4), (X, ys["ffn"] - 0.4))
    box(ax, ys["ffn"], "ffn", lab["ffn"])
    arrow(ax, (X, ys["ffn"] + 0.4), (X, ys["add2"] - 0.28))
    add(ax, ys["add2"])
    skip(ax, 4.95, ys["add2"])
    arrow(ax, (X, ys["add2"] + 0.28), (X, ys["ln2"] - 0.4))
    box(ax, ys["ln2"], "ln", lab["ln"])
    arrow(ax, (X, ys["ln2"] + 0.4), (X, ys["out"] - 0.25))
    ax.text(X, ys["out"], lab["output"], ha="center", va="center", fontsize=11)
    ax.text(X - 0.5, -0.9, lab["post_note"], ha="center", va="center", fontsize=10.5, color="#2d3748")


def pre_ln(ax, lab):
    ys = {"in": 0.5, "ln1": 1.8, "attn": 3.1, "add1": 4.3, "ln2": 5.5, "ffn": 6.8, "add2": 8.0, "out": 9.6}
    ax.text(X, ys["in"], lab["input"], ha="center", va="center", fontsize=11)
    arrow(ax, (X, ys["in"] + 0.25), (X, ys["ln1"] - 0.4))
    box(ax, ys["ln1"], "ln", lab["ln"])
    arrow(ax, (X, ys["ln1"] + 0.4), (X, ys["attn"] - 0.4))
    box(ax, ys["attn"], "attn", lab["attn"])
    arrow(ax, (X, ys["attn"] + 0.4), (X, ys["add1"] - 0.28))
    add(ax, ys["add1"])
    skip(ax, 1.0, ys["add1"])
    arrow(ax, (X, ys["add1"] + 0.28), (X, ys["ln2"] - 0.4))
    box(ax, ys["ln2"], "ln", lab["ln"])
    arrow(ax, (X, ys["ln2"] + 0.4), (X, ys["ffn"] - 0.4))
    box(ax, ys["ffn"], "ffn", lab["ffn"])
    arrow(ax, (X, ys["ffn"] + 0.4), (X, ys["add2"] - 0.28))
    add(ax, ys["add2"])
    skip(ax, 4.85, ys["add2"])
    arrow(ax, (X, ys["add2"] + 0.28), (X, ys["out"] - 0.25))
    ax.text(X, ys["out"], lab["output"], ha="center", va="center", fontsize=11)
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
