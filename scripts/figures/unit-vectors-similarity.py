"""Cosine, dot product, Euclidean and Hamming distance for unit vectors. RU and EN.

A query q = (0.6, 0.8) and three unit vectors a, b, c on the unit circle: cosine and dot product
are equal, the chord length (Euclidean distance) is sqrt(2 - 2 cos), so all three rank a, b, c
the same way; Hamming distance on the raw coordinates ranks c first. Used by
more-questions/embeddings/similarity-normalized-embeddings.
Run: python scripts/figures/unit-vectors-similarity.py [OUTDIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import label_bars, main, save, setup, vector  # noqa: E402

plt = setup()

NAME = "unit-vectors-similarity"

QUERY = np.array([0.6, 0.8])
VECTORS = {"a": np.array([0.8, 0.6]), "b": np.array([0.0, 1.0]), "c": np.array([-0.6, 0.8])}
COLOURS = {"q": "#000000", "a": "#1f77b4", "b": "#2ca02c", "c": "#d62728"}
LABEL_OFFSETS = {"q": (0.05, 0.06), "a": (0.06, -0.08), "b": (-0.22, 0.07), "c": (-0.45, 0.07)}

TEXT = {
    "ru": {
        "left": "Единичные векторы: хорда = √(2 − 2·cos)",
        "right": "Три меры для пар (q, a), (q, b), (q, c)",
        "cos": "cos = скалярное\nпроизведение",
        "euclid": "евклидово\nрасстояние",
        "hamming": "Хэмминг по\nкоординатам",
        "higher": "↑ ближе",
        "lower": "↓ ближе",
    },
    "en": {
        "left": "Unit vectors: chord = √(2 − 2·cos)",
        "right": "Three measures for the pairs (q, a), (q, b), (q, c)",
        "cos": "cos = dot\nproduct",
        "euclid": "Euclidean\ndistance",
        "hamming": "Hamming on\ncoordinates",
        "higher": "↑ closer",
        "lower": "↓ closer",
    },
}


def measures() -> dict[str, dict[str, float]]:
    """cos (= dot product), Euclidean distance and raw-coordinate Hamming distance to the query."""
    out = {}
    for name, v in VECTORS.items():
        out[name] = {
            "cos": float(QUERY @ v),
            "euclid": float(np.linalg.norm(QUERY - v)),
            "hamming": float(np.mean(QUERY != v)),
        }
    return out


def draw(lang: str, outdir: Path) -> Path:
    t = TEXT[lang]
    m = measures()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4.4), gridspec_kw={"width_ratios": [1, 1.2]})
    fig.patch.set_facecolor("white")

    left.set_title(t["left"], fontsize=10)
    phi = np.linspace(0, 2 * np.pi, 200)
    left.plot(np.cos(phi), np.sin(phi), color="lightgray", lw=1)
    for name, vec in {"q": QUERY, **VECTORS}.items():
        vector(left, vec, COLOURS[name], lw=2, head=10)
        dx, dy = LABEL_OFFSETS[name]
        left.text(vec[0] + dx, vec[1] + dy, f"{name} ({vec[0]:g}, {vec[1]:g})",
                  color=COLOURS[name], fontsize=9)
    for name, vec in VECTORS.items():
        left.plot([QUERY[0], vec[0]], [QUERY[1], vec[1]], ls="--", color=COLOURS[name], lw=1.2)
        mid = (QUERY + vec) / 2
        x_shift = -0.3 if name == "c" else 0.0  # keep the label of the long chord off the arrow of b
        left.text(mid[0] * 1.1 + x_shift, mid[1] * 1.1 + 0.02, f"{m[name]['euclid']:.3f}", color=COLOURS[name],
                  fontsize=9, ha="center", bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5})
    left.set_xlim(-1.15, 1.5)
    left.set_ylim(-0.15, 1.3)
    left.set_aspect("equal")
    left.grid(alpha=0.3)

    right.set_title(t["right"], fontsize=10)
    groups = ["cos", "euclid", "hamming"]
    x = np.arange(len(groups))
    width = 0.25
    for k, name in enumerate(VECTORS):
        values = [m[name][g] for g in groups]
        bars = right.bar(x + (k - 1) * width, values, width, color=COLOURS[name], label=f"(q, {name})")
        label_bars(right, bars, ".3g", fontsize=8)
    right.set_xticks(x)
    right.set_xticklabels([t[g] for g in groups], fontsize=9)
    right.text(0, 1.32, t["higher"], ha="center", fontsize=9, color="dimgray")
    right.text(1, 1.32, t["lower"], ha="center", fontsize=9, color="dimgray")
    right.text(2, 1.32, t["lower"], ha="center", fontsize=9, color="dimgray")
    right.set_ylim(0, 1.45)
    right.legend(fontsize=9, loc="upper left", bbox_to_anchor=(0.0, 0.92))
    right.grid(axis="y", alpha=0.3)

    fig.tight_layout()
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, TEXT)
