"""Confusion matrix of a toy toxic-comment classifier with precision, recall and specificity, RU and EN.

Used by classic-nlp/metrics/precision-recall and classic-nlp/metrics/specificity.
Run: python scripts/figures/confusion-matrix-pr.py [OUTDIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

from matplotlib.patches import Rectangle

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

plt = setup()

NAME = "confusion-matrix-pr"

TP, FN, FP, TN = 80, 20, 40, 860

TEXT = {
    "ru": {
        "title": "1000 комментариев, из них 100 токсичных",
        "rows": [f"на самом деле\nтоксичный ({TP + FN})", f"на самом деле\nнормальный ({FP + TN})"],
        "cols": [f"модель: токсичный\n({TP + FP})", f"модель: нормальный\n({FN + TN})"],
    },
    "en": {
        "title": "1000 comments, 100 of them toxic",
        "rows": [f"actually toxic\n({TP + FN})", f"actually non-toxic\n({FP + TN})"],
        "cols": [f"predicted toxic\n({TP + FP})", f"predicted non-toxic\n({FN + TN})"],
    },
}

GREEN, RED = "#d8efd9", "#f7dada"
ORANGE, BLUE, PURPLE = "#d9822b", "#2b6cb0", "#7b3fa0"


def draw(lang: str, outdir: Path) -> Path:
    t = TEXT[lang]
    cells = {(0, 0): ("TP", TP, GREEN), (0, 1): ("FN", FN, RED),
             (1, 0): ("FP", FP, RED), (1, 1): ("TN", TN, GREEN)}

    fig, ax = plt.subplots(figsize=(8.2, 4.6))
    fig.patch.set_facecolor("white")
    for (row, col), (name, count, colour) in cells.items():
        y = 1 - row  # row 0 on top
        ax.add_patch(Rectangle((col, y), 1, 1, facecolor=colour, edgecolor="#555555", linewidth=1))
        ax.text(col + 0.5, y + 0.5, f"{name} = {count}", ha="center", va="center", fontsize=15)

    # precision: the "predicted positive" column
    ax.add_patch(Rectangle((0.04, 0.04), 0.92, 1.92, fill=False, edgecolor=ORANGE,
                           linewidth=2.5, linestyle="--"))
    ax.text(0.5, -0.16, f"precision = {TP} / ({TP} + {FP}) = {TP / (TP + FP):.3f}",
            ha="center", va="top", fontsize=11, color=ORANGE)
    # recall: the "actually positive" row; specificity: the "actually negative" row
    ax.add_patch(Rectangle((0.07, 1.07), 1.86, 0.86, fill=False, edgecolor=BLUE, linewidth=2.5))
    ax.text(2.06, 1.5, f"recall =\n{TP} / ({TP} + {FN}) = {TP / (TP + FN):.3f}",
            ha="left", va="center", fontsize=11, color=BLUE)
    ax.add_patch(Rectangle((0.07, 0.07), 1.86, 0.86, fill=False, edgecolor=PURPLE, linewidth=2.5,
                           linestyle=":"))
    ax.text(2.06, 0.5, f"specificity =\n{TN} / ({TN} + {FP}) = {TN / (TN + FP):.3f}",
            ha="left", va="center", fontsize=11, color=PURPLE)

    ax.set_xlim(-0.05, 3.1)
    ax.set_ylim(-0.45, 2.05)
    ax.set_xticks([0.5, 1.5])
    ax.set_xticklabels(t["cols"], fontsize=10)
    ax.xaxis.tick_top()
    ax.set_yticks([1.5, 0.5])
    ax.set_yticklabels(t["rows"], fontsize=10)
    ax.tick_params(length=0)
    for side in ax.spines.values():
        side.set_visible(False)
    ax.text(1.0, 2.42, t["title"], ha="center", va="bottom", fontsize=12)
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, TEXT)
