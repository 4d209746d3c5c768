"""One batch padded to its longest sequence vs the same sequences packed, and the block-diagonal
causal mask of a packed row (question 80, padding alternatives).

Usage: python scripts/figures/padding-vs-packing.py [OUTDIR]   (default: docs/assets/figures)
Writes padding-vs-packing-ru.svg and padding-vs-packing-en.svg.

The batch is the first 8 lengths of the page's seeded distribution
(numpy default_rng(0), lognormal(4.5, 0.8), rounded, clipped to [8, 512]).
Packing: first-fit decreasing into rows of ROW tokens, no sequence is cut.
The functions below are also imported by tests/content/test_training_methods.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "padding-vs-packing"
BATCH = 8
ROW = 256
MASK_LENGTHS = (3, 2, 4)


def batch_lengths(n: int = BATCH) -> list[int]:
    rng = np.random.default_rng(0)
    lengths = np.clip(rng.lognormal(4.5, 0.8, 1024).round().astype(int), 8, 512)
    return [int(v) for v in lengths[:n]]


def pack_rows(lengths, capacity: int = ROW) -> list[list[int]]:
    """First-fit decreasing: indices of the sequences in each row."""
    rows: list[list[int]] = []
    used: list[int] = []
    for i in sorted(range(len(lengths)), key=lambda i: -lengths[i]):
        for r, u in enumerate(used):
            if u + lengths[i] <= capacity:
                rows[r].append(i)
                used[r] += lengths[i]
                break
        else:
            rows.append([i])
            used.append(lengths[i])
    return rows


def summary() -> dict[str, int]:
    lengths = batch_lengths()
    rows = pack_rows(lengths)
    real = sum(lengths)
    return {"real": real, "longest": max(lengths), "padded_slots": len(lengths) * max(lengths),
            "packed_rows": len(rows), "packed_slots": len(rows) * ROW}


LABELS = {
    "en": {
        "pad": "Padding to the longest sequence: {n} rows × {w} = {s} slots, {p} of them padding ({q:.1f}%)",
        "pack": "Packing into rows of {w}: {n} rows = {s} slots, {p} of them empty ({q:.1f}%)",
        "mask": "Causal mask of a packed row\nof 3 + 2 + 4 tokens",
        "pos": "position_ids",
        "tokens": "tokens",
        "padding": "padding",
    },
    "ru": {
        "pad": "Паддинг до самой длинной: {n} строк × {w} = {s} ячеек, из них паддинг {p} ({q:.1f}%)",
        "pack": "Упаковка в строки по {w}: {n} строк = {s} ячеек, пусто {p} ({q:.1f}%)",
        "mask": "Каузальная маска строки\nиз 3 + 2 + 4 токенов",
        "pos": "position_ids",
        "tokens": "токены",
        "padding": "паддинг",
    },
}

COLORS = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2", "#b279a2", "#eeca3b", "#9d755d"]
PAD = "#e6e6e6"


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    from matplotlib.patches import Rectangle

    lab = LABELS[lang]
    lengths = batch_lengths()
    rows = pack_rows(lengths)
    s = summary()
    fig = plt.figure(figsize=(9.5, 6.4), facecolor="white")
    ax_pad = fig.add_axes([0.06, 0.56, 0.62, 0.36])
    ax_pack = fig.add_axes([0.06, 0.08, 0.62, 0.36])
    ax_mask = fig.add_axes([0.74, 0.14, 0.24, 0.36])

    longest = s["longest"]
    for r, n in enumerate(lengths):
        ax_pad.add_patch(Rectangle((0, r), n, 0.8, facecolor=COLORS[r], edgecolor="white"))
        ax_pad.add_patch(Rectangle((n, r), longest - n, 0.8, facecolor=PAD, edgecolor="white", hatch="//"))
        ax_pad.text(n / 2, r + 0.4, str(n), ha="center", va="center", fontsize=9, color="white")
    ax_pad.set_xlim(0, ROW)
    ax_pad.set_ylim(len(lengths), -0.2)
    ax_pad.set_yticks([])
    ax_pad.set_title(lab["pad"].format(n=len(lengths), w=longest, s=s["padded_slots"],
                                       p=s["padded_slots"] - s["real"],
                                       q=100 * (s["padded_slots"] - s["real"]) / s["padded_slots"]),
                     fontsize=10, loc="left")

    for r, members in enumerate(rows):
        x = 0
        for i in members:
            ax_pack.add_patch(Rectangle((x, r), lengths[i], 0.8, facecolor=COLORS[i], edgecolor="white"))
            ax_pack.text(x + lengths[i] / 2, r + 0.4, str(lengths[i]), ha="center", va="center",
                         fontsize=9, color="white")
            x += lengths[i]
        ax_pack.add_patch(Rectangle((x, r), ROW - x, 0.8, facecolor=PAD, edgecolor="white", hatch="//"))
    ax_pack.set_xlim(0, ROW)
    ax_pack.set_ylim(len(lengths), -0.2)
    ax_pack.set_yticks([])
    ax_pack.set_xlabel(lab["tokens"], fontsize=10)
    ax_pack.set_title(lab["pack"].format(w=ROW, n=len(rows), s=s["packed_slots"],
                                         p=s["packed_slots"] - s["real"],
                                         q=100 * (s["packed_slots"] - s["real"]) / s["packed_slots"]),
                      fontsize=10, loc="left")

    pos = [p for n in MASK_LENGTHS for p in range(n)]
    seq = [k for k, n in enumerate(MASK_LENGTHS) for _ in range(n)]
    total = len(pos)
    for q in range(total):
        for k in range(total):
            allowed = seq[q] == seq[k] and pos[k] <= pos[q]
            ax_mask.add_patch(Rectangle((k, q), 1, 1, edgecolor="white",
                                        facecolor=COLORS[seq[q]] if allowed else PAD))
    ax_mask.set_xlim(0, total)
    ax_mask.set_ylim(total, 0)
    ax_mask.set_aspect("equal")
    ax_mask.set_xticks([k + 0.5 for k in range(total)], [str(p) for p in pos], fontsize=9)
    ax_mask.set_yticks([])
    ax_mask.set_xlabel(lab["pos"], fontsize=10)
    ax_mask.set_title(lab["mask"], fontsize=10)
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw, LABELS)
