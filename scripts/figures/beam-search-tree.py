"""Beam search of width 2 on the toy bigram model of notebooks/sampling.py (question 89).

Usage: python scripts/figures/beam-search-tree.py [OUTDIR]   (default: docs/assets/figures)
Writes beam-search-tree-ru.svg and beam-search-tree-en.svg.

Each node is a prefix with its probability. Blue: kept in the beam after its step; grey: pruned;
green: the best finished sequence; red dashed edges: the greedy path. Only prefixes kept in the beam
are expanded. tests/content/test_inference.py imports TABLE and beam_steps.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "beam-search-tree"
SYM = "ABC"
TABLE = {"": (0.5, 0.4, 0.1), "A": (0.4, 0.3, 0.3), "B": (0.05, 0.05, 0.9), "C": (0.5, 0.3, 0.2)}
WIDTH, LENGTH = 2, 3


def prob(seq: str) -> float:
    p, prev = 1.0, ""
    for c in seq:
        p *= TABLE[prev][SYM.index(c)]
        prev = c
    return p


def beam_steps(width: int = WIDTH, length: int = LENGTH):
    """For every step: the candidates (expansions of the current beam) and the kept prefixes."""
    beam, steps = [""], []
    for _ in range(length):
        candidates = [seq + c for seq in beam for c in SYM]
        kept = sorted(candidates, key=prob, reverse=True)[:width]
        steps.append((candidates, kept))
        beam = kept
    return steps


def greedy(length: int = LENGTH) -> str:
    seq = ""
    for _ in range(length):
        seq += max(SYM, key=lambda c: prob(seq + c))
    return seq


LABELS = {
    "en": {"start": "start", "title": "Beam search, width 2: greedy finds AAA (0.08), the beam finds BCA (0.18)",
           "kept": "kept in the beam", "pruned": "pruned", "best": "best sequence", "greedy": "greedy path",
           "step": "step {t}"},
    "ru": {"start": "начало", "title": "Beam search ширины 2: жадный поиск находит AAA (0.08), луч — BCA (0.18)",
           "kept": "остаётся в луче", "pruned": "отброшено", "best": "лучшая последовательность",
           "greedy": "путь жадного поиска", "step": "шаг {t}"},
}


def layout(steps):
    """y coordinate of every drawn prefix: leaves in alphabetical depth-first order, each parent at
    the mean of its children."""
    nodes = [[""]] + [sorted(cands) for cands, _ in steps]
    drawn = {seq for level in nodes for seq in level}
    y, rows = {}, [0]

    def visit(seq):
        kids = sorted(c for c in drawn if len(c) == len(seq) + 1 and c[:-1] == seq)
        if not kids:
            y[seq] = rows[0]
            rows[0] += 1
            return
        for kid in kids:
            visit(kid)
        y[seq] = sum(y[k] for k in kids) / len(kids)

    visit("")
    return nodes, y


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    lab = LABELS[lang]
    steps = beam_steps()
    nodes, y = layout(steps)
    kept = {seq for _, k in steps for seq in k}
    best = steps[-1][1][0]
    g = greedy()
    greedy_path = {g[:i] for i in range(len(g) + 1)}
    fig, ax = plt.subplots(figsize=(9.5, 5.6), facecolor="white")
    top = max(y.values())
    for level in range(1, len(nodes)):
        for seq in nodes[level]:
            parent = seq[:-1]
            on_greedy = seq in greedy_path and parent in greedy_path
            ax.plot([level - 1 + 0.18, level - 0.18], [top - y[parent], top - y[seq]],
                    color="#d62728" if on_greedy else "grey", ls="--" if on_greedy else "-",
                    lw=2 if on_greedy else 1, zorder=1)
    for level, seqs in enumerate(nodes):
        for seq in seqs:
            color = "#2ca02c" if seq == best else ("#9ecae1" if seq in kept or seq == "" else "#e0e0e0")
            text = lab["start"] if seq == "" else f"{seq}\n{prob(seq):.3g}"
            ax.text(level, top - y[seq], text, ha="center", va="center", fontsize=10, zorder=2,
                    bbox={"boxstyle": "round,pad=0.3", "fc": color, "ec": "black", "lw": 0.6})
    for t in range(1, len(nodes)):
        ax.text(t, top + 0.9, lab["step"].format(t=t), ha="center", fontsize=10, color="dimgray")
    ax.set_xlim(-0.5, len(nodes) - 0.5)
    ax.set_ylim(-0.8, top + 1.3)
    ax.axis("off")
    ax.set_title(lab["title"], fontsize=12)
    handles = [Patch(fc="#9ecae1", ec="black", label=lab["kept"]), Patch(fc="#e0e0e0", ec="black", label=lab["pruned"]),
               Patch(fc="#2ca02c", ec="black", label=lab["best"]),
               Line2D([0], [0], color="#d62728", ls="--", lw=2, label=lab["greedy"])]
    ax.legend(handles=handles, fontsize=9, loc="lower left", framealpha=0.95)
    fig.tight_layout()
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
