"""Cosine distance breaks the triangle inequality; angular distance does not. RU and EN.

Vectors a = (1, 0), b = (1, 1), c = (0, 1). Used by
classic-nlp/tfidf-ml/cosine-similarity-vs-distance (and text-similarity-metrics).
Run: python scripts/figures/cosine-triangle.py [OUTDIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from matplotlib.patches import Arc

sys.path.insert(0, str(Path(__file__).parent))
from _figure import label_bars, main, save, setup, vector  # noqa: E402

plt = setup()

NAME = "cosine-triangle"

VECTORS = {"a": np.array([1.0, 0.0]), "b": np.array([1.0, 1.0]), "c": np.array([0.0, 1.0])}
COLOURS = {"a": "#1f77b4", "b": "#2ca02c", "c": "#d62728"}

TEXT = {
    "ru": {
        "left": "Три вектора и углы между ними",
        "right": "Неравенство треугольника: d(a, c) ≤ d(a, b) + d(b, c)?",
        "cos_dist": "косинусное\nрасстояние 1 − cos",
        "ang_dist": "угловое\nрасстояние θ/π",
        "direct": "d(a, c)",
        "detour": "d(a, b) + d(b, c)",
        "broken": "нарушено",
        "holds": "выполнено",
    },
    "en": {
        "left": "Three vectors and the angles between them",
        "right": "Triangle inequality: d(a, c) ≤ d(a, b) + d(b, c)?",
        "cos_dist": "cosine distance\n1 − cos",
        "ang_dist": "angular distance\nθ/π",
        "direct": "d(a, c)",
        "detour": "d(a, b) + d(b, c)",
        "broken": "violated",
        "holds": "holds",
    },
}


def cos(u: np.ndarray, v: np.ndarray) -> float:
    return float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))


def draw(lang: str, outdir: Path) -> Path:
    t = TEXT[lang]
    a, b, c = VECTORS["a"], VECTORS["b"], VECTORS["c"]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.0, 4.2), gridspec_kw={"width_ratios": [1, 1.25]})
    fig.patch.set_facecolor("white")

    for name, vec in VECTORS.items():
        vector(left, vec, COLOURS[name], lw=2, head=10)
        left.text(vec[0] + 0.04, vec[1] + 0.04, f"{name} = ({vec[0]:g}, {vec[1]:g})",
                  color=COLOURS[name], fontsize=10)
    left.add_patch(Arc((0, 0), 0.6, 0.6, theta1=0, theta2=45, color="gray"))
    left.add_patch(Arc((0, 0), 0.9, 0.9, theta1=45, theta2=90, color="gray"))
    left.add_patch(Arc((0, 0), 1.3, 1.3, theta1=0, theta2=90, color="gray", ls="--"))
    left.text(0.33, 0.1, f"45°\ncos = {cos(a, b):.3f}", fontsize=8)
    left.text(0.12, 0.5, f"45°\ncos = {cos(b, c):.3f}", fontsize=8)
    left.text(0.68, 0.16, f"a, c: 90°, cos = {cos(a, c):.0f}", fontsize=8, color="dimgray")
    left.set_xlim(-0.1, 1.6)
    left.set_ylim(-0.1, 1.35)
    left.set_aspect("equal")
    left.grid(alpha=0.3)
    left.set_title(t["left"], fontsize=10)

    cos_direct = 1 - cos(a, c)
    cos_detour = (1 - cos(a, b)) + (1 - cos(b, c))
    ang = lambda u, v: float(np.arccos(np.clip(cos(u, v), -1, 1)) / np.pi)  # noqa: E731
    ang_direct = ang(a, c)
    ang_detour = ang(a, b) + ang(b, c)
    x = np.arange(2)
    width = 0.36
    bars1 = right.bar(x - width / 2, [cos_direct, ang_direct], width, label=t["direct"], color="#d62728")
    bars2 = right.bar(x + width / 2, [cos_detour, ang_detour], width, label=t["detour"], color="#7f7f7f")
    label_bars(right, [*bars1, *bars2], ".3f", fontsize=9)
    right.text(0, 1.12, t["broken"], ha="center", color="#d62728", fontsize=10, weight="bold")
    right.text(1, 1.12, t["holds"], ha="center", color="#2ca02c", fontsize=10, weight="bold")
    right.set_xticks(x)
    right.set_xticklabels([t["cos_dist"], t["ang_dist"]], fontsize=9)
    right.set_ylim(0, 1.25)
    right.legend(fontsize=9, loc="upper right", bbox_to_anchor=(1.0, 0.86))
    right.set_title(t["right"], fontsize=10)
    right.grid(axis="y", alpha=0.3)

    fig.tight_layout()
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, TEXT)
