"""Attention masks and the weights they produce on a four-token toy example, RU and EN.

Usage: python scripts/figures/attention-masks.py [OUTDIR]   (default: docs/assets/figures)
Writes attention-masks-ru.svg and attention-masks-en.svg.

The sequence is "the cat sat <pad>" and SCORES are its already scaled scores q_i . k_j / sqrt(d_k).
Top row: which (query, key) pairs each mask allows; bottom row: softmax weights after masking.
Columns: no mask, padding mask (a BERT-style encoder), causal + padding mask (a GPT-style decoder).
Used by transformers/attention/attention-masking and bert-vs-gpt-attention; the functions below are
imported by tests/content/test_attention.py, which compares them with torch.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import label_cells, main, save, setup  # noqa: E402

NAME = "attention-masks"
TOKENS = ["the", "cat", "sat", "<pad>"]
SCORES = np.array([[2.0, 1.0, 0.0, 1.0],
                   [1.0, 3.0, 1.0, 0.0],
                   [0.0, 2.0, 2.0, 1.0],
                   [1.0, 0.0, 1.0, 2.0]])
REAL = np.array([True, True, True, False])  # the last position is padding
KINDS = ("none", "padding", "causal+padding")


def keep_mask(kind: str) -> np.ndarray:
    """Boolean (query, key) matrix, True = the query may attend to the key."""
    n = len(TOKENS)
    keep = np.ones((n, n), dtype=bool)
    if kind in ("padding", "causal+padding"):
        keep &= REAL[None, :]
    if kind == "causal+padding":
        keep &= np.tril(np.ones((n, n), dtype=bool))
    return keep


def weights(kind: str) -> np.ndarray:
    """Row-wise softmax of SCORES with the blocked pairs set to -inf."""
    masked = np.where(keep_mask(kind), SCORES, -np.inf)
    e = np.exp(masked - masked.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


TEXT = {
    "ru": {
        "titles": ["без маски", "маска паддинга\n(энкодер, как в BERT)", "каузальная + паддинг\n(декодер, как в GPT)"],
        "mask_row": "маска",
        "weight_row": "веса внимания",
        "key": "ключ (на кого смотрим)",
        "query": "запрос",
        "allowed": "можно",
        "blocked": "нельзя",
    },
    "en": {
        "titles": ["no mask", "padding mask\n(encoder, as in BERT)", "causal + padding\n(decoder, as in GPT)"],
        "mask_row": "mask",
        "weight_row": "attention weights",
        "key": "key (attended to)",
        "query": "query",
        "allowed": "allowed",
        "blocked": "blocked",
    },
}

ALLOWED, BLOCKED = "#4c78a8", "#d9d9d9"   # cell colours of the masks, also in the legend


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    from matplotlib.colors import ListedColormap

    plt.rcParams["font.sans-serif"] = ["DejaVu Sans"]  # one font name per text element keeps the SVG small
    t = TEXT[lang]
    n = len(TOKENS)
    fig, axes = plt.subplots(2, 3, figsize=(10.5, 7.2), facecolor="white")
    mask_cmap = ListedColormap([BLOCKED, ALLOWED])
    for col, kind in enumerate(KINDS):
        keep = keep_mask(kind)
        w = weights(kind)
        top, bottom = axes[0, col], axes[1, col]
        top.imshow(keep.astype(float), cmap=mask_cmap, vmin=0, vmax=1, interpolation="nearest")
        bottom.imshow(w, cmap="Blues", vmin=0, vmax=1, interpolation="nearest")
        label_cells(top, np.where(keep, "✓", "−∞"), np.where(keep, "white", "#555555"), fontsize=11)
        weight_labels = [[f"{v:.3f}" if k else "0" for v, k in zip(w_row, keep_row)]
                         for w_row, keep_row in zip(w, keep)]
        weight_colors = np.where(keep, np.where(w > 0.6, "white", "black"), "#888888")
        label_cells(bottom, weight_labels, weight_colors, fontsize=10)
        top.set_title(t["titles"][col], fontsize=11)
        for ax in (top, bottom):
            ax.set_xticks(range(n), TOKENS, fontsize=9)
            ax.set_yticks(range(n), TOKENS if col == 0 else [], fontsize=9)
            ax.tick_params(length=0)
        bottom.set_xlabel(t["key"], fontsize=9)
    axes[0, 0].set_ylabel(f"{t['mask_row']}\n{t['query']}", fontsize=10)
    axes[1, 0].set_ylabel(f"{t['weight_row']}\n{t['query']}", fontsize=10)
    legend = [plt.Rectangle((0, 0), 1, 1, color=ALLOWED), plt.Rectangle((0, 0), 1, 1, color=BLOCKED)]
    fig.legend(legend, [t["allowed"], t["blocked"]], loc="upper center", ncol=2, fontsize=10,
               frameon=False, bbox_to_anchor=(0.5, 0.0))
    fig.tight_layout()
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw, TEXT)
