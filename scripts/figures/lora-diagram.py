"""LoRA as a diagram: the frozen weight W0 next to the trainable low-rank path B·A (question 91).

Usage: python scripts/figures/lora-diagram.py [OUTDIR]   (default: docs/assets/figures)
Writes lora-diagram-ru.svg and lora-diagram-en.svg.

The input x (k features) goes through two paths: the frozen W0 (d x k) and the adapter,
first A (r x k, random start) and then B (d x r, zero start), scaled by alpha / r.
The two outputs are added: h = W0 x + (alpha / r) B A x. The boxes are drawn to scale for
d = k = 8 and r = 2 cells, so the adapter is visibly thin.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import arrow, diagram, main, save  # noqa: E402

NAME = "lora-diagram"
D, K, R = 8, 8, 2          # cells of the drawing (not real sizes)
CELL = 0.32

LABELS = {
    "en": {
        "w": "$W_0$\n$d \\times k$\nfrozen",
        "a": "$A$: $r \\times k$\ntrainable, random start",
        "b": "$B$: $d \\times r$\ntrainable, starts at 0",
        "x": "input $x$ ($k$ features)",
        "h": "$h = W_0 x + \\frac{\\alpha}{r} B A x$",
        "scale": "$\\times\\, \\alpha / r$",
        "merge": "after training: $W = W_0 + \\frac{\\alpha}{r} B A$ (same shape, no extra latency)",
        "params": "trainable: $r(d + k)$ instead of $d k$",
    },
    "ru": {
        "w": "$W_0$\n$d \\times k$\nзаморожена",
        "a": "$A$: $r \\times k$\nобучается, случайный старт",
        "b": "$B$: $d \\times r$\nобучается, старт с нуля",
        "x": "вход $x$ ($k$ признаков)",
        "h": "$h = W_0 x + \\frac{\\alpha}{r} B A x$",
        "scale": "$\\times\\, \\alpha / r$",
        "merge": "после обучения: $W = W_0 + \\frac{\\alpha}{r} B A$ (та же форма, без задержки)",
        "params": "обучаемых: $r(d + k)$ вместо $d k$",
    },
}

FROZEN = "#c9d6e8"
TRAINABLE = "#f4b183"
EDGE = "#333333"


def draw(lang: str, outdir: Path) -> Path:
    from matplotlib.patches import Circle, Rectangle

    lab = LABELS[lang]
    fig, ax = diagram((7.5, 5.2), (0, 10), (-0.7, 7.2), facecolor="white")

    def link(x0, y0, x1, y1):
        arrow(ax, (x0, y0), (x1, y1), color=EDGE, lw=1.4, head=14, shrink=2)

    # frozen W0: a d x k square on the left
    wx, wy = 1.2, 2.0
    ax.add_patch(Rectangle((wx, wy), K * CELL, D * CELL, fc=FROZEN, ec=EDGE, lw=1.4))
    ax.text(wx + K * CELL / 2, wy + D * CELL / 2, lab["w"], ha="center", va="center", fontsize=12)

    # A: r x k (short and wide), B: d x r (tall and thin) on the right
    ax_, ay = 5.6, 1.85
    ax.add_patch(Rectangle((ax_, ay), K * CELL, R * CELL, fc=TRAINABLE, ec=EDGE, lw=1.4))
    ax.text(ax_ + K * CELL + 0.15, ay + R * CELL / 2, lab["a"], ha="left", va="center", fontsize=10)
    bx, by = ax_ + (K - R) * CELL / 2, 3.25
    ax.add_patch(Rectangle((bx, by), R * CELL, D * CELL, fc=TRAINABLE, ec=EDGE, lw=1.4))
    ax.text(bx + R * CELL + 0.15, by + D * CELL / 2, lab["b"], ha="left", va="center", fontsize=10)
    ax.text(bx - 0.12, by + D * CELL - 0.35, lab["scale"], ha="right", va="center", fontsize=11)

    # input, sum and output
    x_mid = (wx + K * CELL / 2 + ax_ + K * CELL / 2) / 2
    ax.text(x_mid, 0.45, lab["x"], ha="center", va="center", fontsize=11)
    link(x_mid, 0.7, wx + K * CELL / 2, wy - 0.05)
    link(x_mid, 0.7, ax_ + K * CELL / 2, ay - 0.05)
    link(ax_ + K * CELL / 2, ay + R * CELL + 0.02, bx + R * CELL / 2, by - 0.03)
    sy = 6.15
    ax.add_patch(Circle((x_mid, sy), 0.22, fc="white", ec=EDGE, lw=1.4))
    ax.text(x_mid, sy - 0.01, "+", ha="center", va="center", fontsize=15)
    link(wx + K * CELL / 2, wy + D * CELL + 0.03, x_mid - 0.2, sy - 0.12)
    link(bx + R * CELL / 2, by + D * CELL + 0.03, x_mid + 0.2, sy - 0.12)
    ax.text(x_mid, 6.85, lab["h"], ha="center", va="center", fontsize=13)

    ax.text(0.1, -0.05, lab["params"], ha="left", va="center", fontsize=10, color="#444444")
    ax.text(0.1, -0.5, lab["merge"], ha="left", va="center", fontsize=10, color="#444444")
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw, LABELS)
