"""Attention weights of one decoder state over three encoder states for four score functions, RU and EN.

Usage: python scripts/figures/attention-score-functions.py [OUTDIR]   (default: docs/assets/figures)
Writes attention-score-functions-ru.svg and attention-score-functions-en.svg.

Toy example of transformers/attention/attention-computation: encoder states h_1, h_2, h_3 (keys
and values), decoder state s (query). Score functions: dot (Luong), scaled dot (Vaswani),
general (Luong, s^T W h) and additive (Bahdanau, v^T tanh(W s + U h)). The functions below are
imported by tests/content/test_attention.py, which recomputes them with torch.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import label_cells, main, save, setup  # noqa: E402

NAME = "attention-score-functions"
H = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])  # encoder states h_1..h_3
S = np.array([2.0, 1.0])                            # decoder state
W_G = np.array([[1.0, 0.0], [0.0, -1.0]])           # Luong "general"
W_A = 0.5 * np.eye(2)                               # Bahdanau: W_a s
U_A = np.eye(2)                                     # Bahdanau: U_a h_j
V_A = np.array([1.0, -1.0])                         # Bahdanau: v_a
FUNCTIONS = ("dot", "scaled dot", "general", "additive")


def scores(name: str) -> np.ndarray:
    if name == "dot":
        return H @ S
    if name == "scaled dot":
        return H @ S / np.sqrt(H.shape[1])
    if name == "general":
        return H @ (W_G.T @ S)
    if name == "additive":
        return np.tanh(W_A @ S + H @ U_A.T) @ V_A
    raise ValueError(name)


def weights(name: str) -> np.ndarray:
    e = np.exp(scores(name) - scores(name).max())
    return e / e.sum()


TEXT = {
    "ru": {
        "rows": ["dot\n(Luong)", "scaled dot\n(Vaswani)", "general\n(Luong)", "additive\n(Bahdanau)"],
        "title": "Веса внимания состояния декодера s = (2, 1)\nпо трём состояниям энкодера",
        "xlabel": "состояние энкодера (ключ = значение)",
        "cbar": "вес после softmax",
    },
    "en": {
        "rows": ["dot\n(Luong)", "scaled dot\n(Vaswani)", "general\n(Luong)", "additive\n(Bahdanau)"],
        "title": "Attention weights of the decoder state s = (2, 1)\nover three encoder states",
        "xlabel": "encoder state (key = value)",
        "cbar": "weight after softmax",
    },
}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    plt.rcParams["font.sans-serif"] = ["DejaVu Sans"]  # one font name per text element keeps the SVG small
    t = TEXT[lang]
    w = np.array([weights(name) for name in FUNCTIONS])
    fig, ax = plt.subplots(figsize=(6.4, 4.6), facecolor="white")
    image = ax.imshow(w, cmap="Blues", vmin=0, vmax=1, interpolation="nearest")
    label_cells(ax, [[f"{v:.3f}" for v in row] for row in w], np.where(w > 0.6, "white", "black"), fontsize=11)
    ax.set_xticks(range(3), [f"$h_{j + 1}$ = ({H[j, 0]:.0f}, {H[j, 1]:.0f})" for j in range(3)], fontsize=10)
    ax.set_yticks(range(len(FUNCTIONS)), t["rows"], fontsize=10)
    ax.tick_params(length=0)
    ax.set_xlabel(t["xlabel"], fontsize=10)
    ax.set_title(t["title"], fontsize=11)
    cbar = fig.colorbar(image, ax=ax, fraction=0.046, pad=0.04)
    cbar.set_label(t["cbar"], fontsize=9)
    fig.tight_layout()
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw, TEXT)
