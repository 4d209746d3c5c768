"""Cross-encoder (BERT on a sentence pair) vs bi-encoder (SBERT), side by side (question e18).

Usage: python scripts/figures/cross-vs-bi-encoder.py [OUTDIR]   (default: docs/assets/figures)
Writes cross-vs-bi-encoder-ru.svg and cross-vs-bi-encoder-en.svg.
Data flows from the bottom up. The costs under the panels are for n = 10,000 sentences:
n(n-1)/2 forward passes for the cross-encoder, n for the bi-encoder (numbers also on the page).
"""
from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import LINE, arrow, diagram, main, rounded_box, save  # noqa: E402

NAME = "cross-vs-bi-encoder"
N = 10_000
PAIRS = N * (N - 1) // 2          # 49,995,000


def grouped(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", "\u00a0" if lang == "ru" else ",")


LABELS = {
    "en": {
        "cross": "Cross-encoder (BERT on the pair)",
        "bi": "Bi-encoder (SBERT)",
        "pair_input": "[CLS] sentence A [SEP] sentence B [SEP]",
        "bert": "BERT",
        "bert_shared": "BERT\n(same weights)",
        "cls": "[CLS] vector",
        "head": "classifier / regressor",
        "score": "similarity score",
        "a": "sentence A",
        "b": "sentence B",
        "pool": "mean pooling",
        "cos": "cosine(u, v)",
        "cross_cost": "one pass per pair:\n{pairs} passes for {n}\nsentences (~65 hours on a V100)",
        "bi_cost": "one pass per sentence:\n{n} passes, then cheap\ncosines (~5 seconds)",
    },
    "ru": {
        "cross": "Кросс-энкодер (BERT на паре)",
        "bi": "Би-энкодер (SBERT)",
        "pair_input": "[CLS] предложение A [SEP]\nпредложение B [SEP]",
        "bert": "BERT",
        "bert_shared": "BERT\n(общие веса)",
        "cls": "вектор [CLS]",
        "head": "классификатор / регрессор",
        "score": "оценка близости",
        "a": "предложение A",
        "b": "предложение B",
        "pool": "усреднение",
        "cos": "cosine(u, v)",
        "cross_cost": "проход на каждую пару:\n{pairs} проходов для {n}\nпредложений (~65 часов на V100)",
        "bi_cost": "проход на каждое предложение:\n{n} проходов, потом\nдешёвые косинусы (~5 секунд)",
    },
}

BERT = ("#e8f1fb", "#2b6cb0")
HEAD = ("#fdf2e3", "#c05621")
POOL = ("#eaf7ee", "#2f855a")
PLAIN = ("#f7fafc", "#718096")


box = partial(rounded_box, height=0.7, lw=1.3, fontsize=10.5)  # this figure's boxes


def cross_panel(ax, lab, lang):
    x = 3.0
    ys = [0.8, 2.3, 3.8, 5.1, 6.4]
    box(ax, x, ys[0], lab["pair_input"], PLAIN, width=5.4, height=0.9 if "\n" in lab["pair_input"] else 0.7,
        fontsize=9.5)
    box(ax, x, ys[1], lab["bert"], BERT, width=3.0, height=0.9, fontsize=12)
    box(ax, x, ys[2], lab["cls"], PLAIN, width=2.6)
    box(ax, x, ys[3], lab["head"], HEAD, width=4.4)
    box(ax, x, ys[4], lab["score"], PLAIN, width=2.8)
    for lo, hi, hl, hh in [(ys[0], ys[1], 0.45, 0.45), (ys[1], ys[2], 0.45, 0.35),
                           (ys[2], ys[3], 0.35, 0.35), (ys[3], ys[4], 0.35, 0.35)]:
        arrow(ax, (x, lo + hl), (x, hi - hh), head=11)
    ax.text(x, 7.5, lab["cross"], ha="center", va="center", fontsize=12.5, weight="bold")
    ax.text(x, -0.75, lab["cross_cost"].format(pairs=grouped(PAIRS, lang), n=grouped(N, lang)),
            ha="center", va="center", fontsize=9.5, color="#2d3748")


def bi_panel(ax, lab, lang):
    xs = (8.1, 11.3)
    ys = [0.8, 2.3, 3.8, 5.0]
    for x, name, vec in zip(xs, (lab["a"], lab["b"]), ("u", "v")):
        box(ax, x, ys[0], name, PLAIN, width=2.6)
        box(ax, x, ys[1], lab["bert_shared"], BERT, width=2.6, height=0.9, fontsize=10.5)
        box(ax, x, ys[2], lab["pool"], POOL, width=2.6)
        ax.text(x, ys[3], f"${vec}$", ha="center", va="center", fontsize=14)
        arrow(ax, (x, ys[0] + 0.35), (x, ys[1] - 0.45), head=11)
        arrow(ax, (x, ys[1] + 0.45), (x, ys[2] - 0.35), head=11)
        arrow(ax, (x, ys[2] + 0.35), (x, ys[3] - 0.25), head=11)
    ax.plot([xs[0] + 1.35, xs[1] - 1.35], [ys[1], ys[1]], color=LINE, lw=1.0, ls=(0, (3, 3)))
    cx, cy = sum(xs) / 2, 6.4
    box(ax, cx, cy, lab["cos"], HEAD, width=2.6)
    arrow(ax, (xs[0], ys[3] + 0.25), (cx - 0.6, cy - 0.35), head=11)
    arrow(ax, (xs[1], ys[3] + 0.25), (cx + 0.6, cy - 0.35), head=11)
    ax.text(cx, 7.5, lab["bi"], ha="center", va="center", fontsize=12.5, weight="bold")
    ax.text(cx, -0.75, lab["bi_cost"].format(n=grouped(N, lang)),
            ha="center", va="center", fontsize=9.5, color="#2d3748")


def draw(lang: str, outdir: Path) -> Path:
    lab = LABELS[lang]
    fig, ax = diagram((9.4, 5.9), (-0.2, 13.0), (-1.7, 8.0))
    cross_panel(ax, lab, lang)
    bi_panel(ax, lab, lang)
    ax.plot([6.2, 6.2], [-1.6, 7.8], color="#cbd5e0", lw=1.0)
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw)
