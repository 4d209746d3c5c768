"""CBOW vs skip-gram: two small block diagrams side by side.

Usage: python scripts/figures/cbow-vs-skipgram.py [OUTDIR]
Writes cbow-vs-skipgram-ru.svg and cbow-vs-skipgram-en.svg (default OUTDIR: docs/assets/figures).
"""
from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import LINE, arrow, main, rounded_box, save, setup  # noqa: E402

plt = setup()
plt.rcParams["font.size"] = 11
plt.rcParams["mathtext.fontset"] = "dejavusans"

NAME = "cbow-vs-skipgram"

LABELS = {
    "en": {
        "cbow_title": "CBOW: context → centre word",
        "sg_title": "Skip-gram: centre word → context",
        "proj_cbow": "average of\ncontext vectors\n(rows of $W$)",
        "proj_sg": "centre vector\n$v_c$ (row of $W$)",
        "softmax": "output layer W′:\nsoftmax or\nnegative sampling",
        "cbow_note": "one prediction per window",
        "sg_note": "$2m$ predictions per window (one per pair)",
        "input": "input",
        "output": "output",
    },
    "ru": {
        "cbow_title": "CBOW: контекст → центральное слово",
        "sg_title": "Skip-gram: центральное слово → контекст",
        "proj_cbow": "среднее\nвекторов контекста\n(строки $W$)",
        "proj_sg": "вектор центра\n$v_c$ (строка $W$)",
        "softmax": "выходной слой W′:\nsoftmax или\nnegative sampling",
        "cbow_note": "одно предсказание на окно",
        "sg_note": "$2m$ предсказаний на окно (по одному на пару)",
        "input": "вход",
        "output": "выход",
    },
}

CONTEXT = ["$w_{t-2}$", "$w_{t-1}$", "$w_{t+1}$", "$w_{t+2}$"]
CENTRE = "$w_t$"

WORD = ("#e8f1fb", "#2b6cb0")   # (face, edge)
PROJ = ("#fdf2e3", "#c05621")
OUT = ("#eaf7ee", "#2f855a")


box = partial(rounded_box, rounding=0.08)  # this figure's boxes: a little less round


def panel(ax, lab, kind):
    ax.set_xlim(0, 10.8)
    ax.set_ylim(0, 10)
    ax.axis("off")
    ys = [8.4, 6.4, 4.4, 2.4]
    mid = 5.4
    in_x, proj_x, out_x, word_x = 0.9, 3.65, 6.85, 9.9
    if kind == "cbow":
        ax.set_title(lab["cbow_title"], fontsize=13, pad=4)
        for y, word in zip(ys, CONTEXT):
            box(ax, in_x, y, word, WORD, 1.6, 0.95)
            arrow(ax, (in_x + 0.8, y), (proj_x - 1.35, mid), shrink=2)
        box(ax, proj_x, mid, lab["proj_cbow"], PROJ, 2.7, 1.9, fontsize=10)
        arrow(ax, (proj_x + 1.35, mid), (out_x - 1.45, mid), shrink=2)
        box(ax, out_x, mid, lab["softmax"], OUT, 2.9, 1.9, fontsize=10)
        arrow(ax, (out_x + 1.45, mid), (word_x - 0.8, mid), shrink=2)
        box(ax, word_x, mid, CENTRE, WORD, 1.6, 0.95)
        ax.text(in_x, 9.5, lab["input"], ha="center", fontsize=10, color=LINE)
        ax.text(word_x, 6.4, lab["output"], ha="center", fontsize=10, color=LINE)
        ax.text(5.4, 0.7, lab["cbow_note"], ha="center", fontsize=12, style="italic")
    else:
        ax.set_title(lab["sg_title"], fontsize=13, pad=4)
        box(ax, in_x, mid, CENTRE, WORD, 1.6, 0.95)
        arrow(ax, (in_x + 0.8, mid), (proj_x - 1.35, mid), shrink=2)
        box(ax, proj_x, mid, lab["proj_sg"], PROJ, 2.7, 1.9, fontsize=10)
        arrow(ax, (proj_x + 1.35, mid), (out_x - 1.45, mid), shrink=2)
        box(ax, out_x, mid, lab["softmax"], OUT, 2.9, 1.9, fontsize=10)
        for y, word in zip(ys, CONTEXT):
            arrow(ax, (out_x + 1.45, mid), (word_x - 0.8, y), shrink=2)
            box(ax, word_x, y, word, WORD, 1.6, 0.95)
        ax.text(in_x, 6.4, lab["input"], ha="center", fontsize=10, color=LINE)
        ax.text(word_x, 9.5, lab["output"], ha="center", fontsize=10, color=LINE)
        ax.text(5.4, 0.7, lab["sg_note"], ha="center", fontsize=12, style="italic")


def draw(lang: str, outdir: Path) -> Path:
    lab = LABELS[lang]
    fig, axes = plt.subplots(2, 1, figsize=(8.5, 8.2))
    fig.patch.set_facecolor("white")
    panel(axes[0], lab, "cbow")
    panel(axes[1], lab, "sg")
    fig.tight_layout()
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw)
