"""BPE merge trees of the toy corpus low x5, lower x2, newest x6, widest x3 (question 68).

Usage: python scripts/figures/bpe-merge-tree.py [OUTDIR]   (default: docs/assets/figures)
Writes bpe-merge-tree-ru.svg and bpe-merge-tree-en.svg.

The merges are learned from scratch with the tie rule of Hugging Face `tokenizers` (among the
pairs with the highest count, the one with the smallest (id, id) wins; characters get ids in
code-point order, new tokens the next free id). tests/content/test_tokenizers.py imports
`learn_merges` and checks that it equals what `tokenizers.trainers.BpeTrainer` learns.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "bpe-merge-tree"
COUNTS = {"low": 5, "lower": 2, "newest": 6, "widest": 3}


def learn_merges(counts: dict[str, int] = COUNTS) -> list[tuple[str, str]]:
    """All BPE merges of `counts`, in order, with the tie rule of `tokenizers`."""
    ids = {c: i for i, c in enumerate(sorted(set("".join(counts))))}
    words = {w: list(w) for w in counts}
    merges = []
    while True:
        pairs: Counter = Counter()
        for w, symbols in words.items():
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] += counts[w]
        if not pairs:
            return merges
        a, b = min(pairs, key=lambda p: (-pairs[p], ids[p[0]], ids[p[1]]))
        merges.append((a, b))
        ids[a + b] = len(ids)
        for w, s in words.items():
            words[w] = apply_merge(s, a, b)


def apply_merge(symbols: list, a: str, b: str) -> list:
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
            out.append(a + b)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def tree(word: str, merges: list[tuple[str, str]]):
    """Nodes (text, step or 0 for a character, children) built by replaying the merges."""
    nodes = [(c, 0, ()) for c in word]
    for step, (a, b) in enumerate(merges, start=1):
        out, i = [], 0
        while i < len(nodes):
            if i + 1 < len(nodes) and nodes[i][0] == a and nodes[i + 1][0] == b:
                out.append((a + b, step, (nodes[i], nodes[i + 1])))
                i += 2
            else:
                out.append(nodes[i])
                i += 1
        nodes = out
    assert len(nodes) == 1, word
    return nodes[0]


def node_steps(node) -> list[int]:
    text, step, children = node
    return ([step] if step else []) + [s for child in children for s in node_steps(child)]


LABELS = {
    "en": {
        "title": "BPE merges of low ×5, lower ×2, newest ×6, widest ×3",
        "note": "a number is the merge step (1 = first merge)",
    },
    "ru": {
        "title": "Слияния BPE для low ×5, lower ×2, newest ×6, widest ×3",
        "note": "число — номер шага слияния (1 — первое слияние)",
    },
}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    lab = LABELS[lang]
    merges = learn_merges()
    fig, ax = plt.subplots(figsize=(9.0, 3.9), facecolor="white")
    ax.set_facecolor("white")
    x0 = 0.0

    def height(node):
        return 0 if not node[2] else 1 + max(height(c) for c in node[2])

    def place(node, leaves):
        text, step, children = node
        if not children:
            x = leaves.pop(0)
            return x, 0
        pts = [place(c, leaves) for c in children]
        x = sum(p[0] for p in pts) / len(pts)
        y = height(node)
        for (cx, cy) in pts:
            ax.plot([x, cx], [y, cy], color="#7f7f7f", lw=1.2, zorder=1)
        return x, y

    def label(node, leaves):
        text, step, children = node
        if not children:
            x = leaves.pop(0)
            ax.text(x, 0, text, ha="center", va="center", fontsize=12, zorder=3,
                    bbox=dict(boxstyle="round,pad=0.25", fc="#f2f2f2", ec="#7f7f7f"))
            return x
        xs = [label(c, leaves) for c in children]
        x = sum(xs) / len(xs)
        y = height(node)
        ax.text(x, y, text, ha="center", va="center", fontsize=12, zorder=3,
                bbox=dict(boxstyle="round,pad=0.25", fc="#dbe9f6", ec="#1f77b4"))
        ax.text(x + 0.1 * len(text) + 0.12, y + 0.3, str(step), ha="left", va="center",
                fontsize=10, color="#d62728", zorder=4)
        return x

    for word in COUNTS:
        root = tree(word, merges)
        leaves = [x0 + i for i in range(len(word))]
        place(root, list(leaves))
        label(root, list(leaves))
        x0 += len(word) + 1.2
    ax.set_xlim(-0.8, x0 - 0.6)
    ax.set_ylim(-0.6, 5.5)
    ax.axis("off")
    ax.set_title(lab["title"], fontsize=13)
    ax.text(0.5, -0.04, lab["note"], transform=ax.transAxes, ha="center", va="top", fontsize=10,
            color="#d62728")
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
