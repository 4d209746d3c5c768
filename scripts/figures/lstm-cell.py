"""One LSTM cell: the cell-state path along the top, the four gates below (question e13).

Usage: python scripts/figures/lstm-cell.py [OUTDIR]   (default: docs/assets/figures)
Writes lstm-cell-ru.svg and lstm-cell-en.svg.
Data flows from left to right: c_{t-1} is multiplied by the forget gate and the gated candidate
is added, giving c_t; h_t is the output gate times tanh(c_t). The notation is that of question 28.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import LINE, arrow, diagram, main, rounded_box, save  # noqa: E402

NAME = "lstm-cell"

LABELS = {
    "en": {
        "cell": "cell state: one multiplication and one addition per step",
        "f": "forget\ngate",
        "i": "input\ngate",
        "g": "candidate",
        "o": "output\ngate",
        "concat": "$[x_t;\\, h_{t-1}]$ goes to every gate",
        "note": "$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$,   $h_t = o_t \\odot \\tanh(c_t)$",
    },
    "ru": {
        "cell": "состояние ячейки: одно умножение и одно сложение на шаг",
        "f": "забывающий\nгейт",
        "i": "входной\nгейт",
        "g": "кандидат",
        "o": "выходной\nгейт",
        "concat": "$[x_t;\\, h_{t-1}]$ идёт в каждый гейт",
        "note": "$c_t = f_t \\odot c_{t-1} + i_t \\odot g_t$,   $h_t = o_t \\odot \\tanh(c_t)$",
    },
}

GATE = ("#fdf2e3", "#c05621")      # sigmoid gates
CAND = ("#e8f1fb", "#2b6cb0")      # tanh
CELL = "#2f855a"
TOP, BOTTOM = 5.0, 1.0             # y of the cell-state line and of the [h; x] bus


def op(ax, x, y, symbol):
    from matplotlib.patches import Circle

    ax.add_patch(Circle((x, y), 0.28, facecolor="white", edgecolor=LINE, linewidth=1.3, zorder=3))
    ax.text(x, y - 0.02, symbol, ha="center", va="center", fontsize=13, zorder=4)


def draw(lang: str, outdir: Path) -> Path:
    lab = LABELS[lang]
    fig, ax = diagram((8.6, 5.4), (-0.6, 11.4), (-0.9, 6.3))

    # cell-state path along the top
    fx, ix, gx, tx = 2.2, 4.6, 6.5, 8.4             # x of ×f, input gate, candidate, tanh branch
    ax_plus = (ix + gx) / 2
    ax.plot([0.5, 10.4], [TOP, TOP], color=CELL, lw=2.6, zorder=1)
    arrow(ax, (10.3, TOP), (10.9, TOP), color=CELL, lw=2.6)
    ax.text(0.3, TOP, "$c_{t-1}$", ha="right", va="center", fontsize=13)
    ax.text(11.0, TOP + 0.05, "$c_t$", ha="left", va="center", fontsize=13)
    ax.text(5.5, TOP + 0.55, lab["cell"], ha="center", va="center", fontsize=10.5, color=CELL)
    op(ax, fx, TOP, "×")
    op(ax, ax_plus, TOP, "+")

    # the [h_{t-1}; x_t] bus along the bottom
    ax.plot([0.5, 9.0], [BOTTOM, BOTTOM], color=LINE, lw=1.4)
    ax.text(0.3, BOTTOM, "$h_{t-1}$", ha="right", va="center", fontsize=13)
    arrow(ax, (1.3, -0.55), (1.3, BOTTOM), lw=1.3)
    ax.text(1.3, -0.75, "$x_t$", ha="center", va="center", fontsize=13)
    ax.text(5.4, BOTTOM - 0.45, lab["concat"], ha="center", va="center", fontsize=10, color="#2d3748")

    # gates: forget, input, candidate, output
    gy = 2.45
    gates = [(fx, "σ", GATE, lab["f"], "$f_t$"), (ix, "σ", GATE, lab["i"], "$i_t$"),
             (gx, "tanh", CAND, lab["g"], "$g_t$"), (9.0, "σ", GATE, lab["o"], "$o_t$")]
    for x, act, colors, name, sym in gates:
        ax.plot([x, x], [BOTTOM, gy - 0.31], color=LINE, lw=1.3)
        rounded_box(ax, x, gy, act, colors, 1.3, 0.62, text_color="black", zorder=3)
        ax.text(x + 0.75, gy - 0.05, sym, ha="left", va="center", fontsize=12)
        ax.text(x + 0.12, gy - 0.75, name, ha="left", va="center", fontsize=9.5, color="#2d3748")

    arrow(ax, (fx, gy + 0.31), (fx, TOP - 0.28), lw=1.3)         # f_t -> ×
    mx, my = ax_plus, 3.85                                      # i_t × g_t
    op(ax, mx, my, "×")
    ax.plot([ix, ix, mx - 0.28], [gy + 0.31, my, my], color=LINE, lw=1.3)
    ax.plot([gx, gx, mx + 0.28], [gy + 0.31, my, my], color=LINE, lw=1.3)
    arrow(ax, (mx, my + 0.28), (ax_plus, TOP - 0.28), lw=1.3)  # -> +

    # output: h_t = o_t × tanh(c_t)
    ax.plot([tx, tx], [TOP, 4.55], color=CELL, lw=1.4)
    rounded_box(ax, tx, 4.2, "tanh", CAND, 0.9, 0.5, fontsize=10, text_color="black", zorder=3)
    hx, hy = 9.7, 3.35
    op(ax, hx, hy, "×")
    ax.plot([tx, tx, hx - 0.28], [3.95, hy, hy], color=LINE, lw=1.3)
    arrow(ax, (9.0, gy + 0.31), (9.0 + 0.5, hy - 0.2), lw=1.3)
    ax.plot([hx + 0.28, 10.6], [hy, hy], color=LINE, lw=1.3)
    arrow(ax, (10.6, hy), (10.9, hy), lw=1.3)
    ax.text(11.0, hy, "$h_t$", ha="left", va="center", fontsize=13)

    ax.text(5.4, -0.75, lab["note"], ha="center", va="center", fontsize=11, color="#1a202c")
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw)
