"""Clipping a 2-D gradient by norm and by value (question 82, gradient clipping).

Usage: python scripts/figures/gradient-clipping.py [OUTDIR]   (default: docs/assets/figures)
Writes gradient-clipping-ru.svg and gradient-clipping-en.svg.

The gradient G = (4, 1) and the threshold C = 2: clipping by norm rescales G onto the circle of
radius C (same direction), clipping by value clamps each component to [-C, C] (the square), which
turns the vector. `clip_by_norm`, `clip_by_value` and `angle_deg` are also imported by
tests/content/test_training_optimization.py, which compares them with torch.nn.utils.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup, vector  # noqa: E402

NAME = "gradient-clipping"
G = (4.0, 1.0)
C = 2.0


def clip_by_norm(g, c=C):
    norm = math.hypot(*g)
    factor = min(1.0, c / norm)
    return tuple(v * factor for v in g)


def clip_by_value(g, c=C):
    return tuple(max(-c, min(c, v)) for v in g)


def angle_deg(g) -> float:
    return math.degrees(math.atan2(g[1], g[0]))


LABELS = {
    "en": {
        "g": "gradient g = (4, 1), |g| = {n:.3f}",
        "norm": "by norm: ({x:.2f}, {y:.2f}), angle {a:.1f}°",
        "value": "by value: ({x:.0f}, {y:.0f}), angle {a:.1f}°",
        "circle": "|g| ≤ 2",
        "square": "|g_i| ≤ 2",
        "title": "Clipping a gradient with threshold 2",
    },
    "ru": {
        "g": "градиент g = (4, 1), |g| = {n:.3f}",
        "norm": "по норме: ({x:.2f}, {y:.2f}), угол {a:.1f}°",
        "value": "по значению: ({x:.0f}, {y:.0f}), угол {a:.1f}°",
        "circle": "|g| ≤ 2",
        "square": "|g_i| ≤ 2",
        "title": "Клиппинг градиента с порогом 2",
    },
}

BY_NORM, BY_VALUE = "#1f77b4", "#ff7f0e"   # each clipping: its region and its result


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    from matplotlib.patches import Circle, Rectangle

    lab = LABELS[lang]
    by_norm, by_value = clip_by_norm(G), clip_by_value(G)
    fig, ax = plt.subplots(figsize=(7.5, 4.6), facecolor="white")
    ax.set_facecolor("white")
    ax.add_patch(Circle((0, 0), C, fill=False, ls="--", lw=1.4, color=BY_NORM))
    ax.add_patch(Rectangle((-C, -C), 2 * C, 2 * C, fill=False, ls=":", lw=1.6, color=BY_VALUE))
    ax.text(-1.35, 1.55, lab["circle"], color=BY_NORM, fontsize=10)
    ax.text(-1.9, 2.12, lab["square"], color=BY_VALUE, fontsize=10)
    arrows = [
        (G, "#555555", lab["g"].format(n=math.hypot(*G))),
        (by_norm, BY_NORM, lab["norm"].format(x=by_norm[0], y=by_norm[1], a=angle_deg(by_norm))),
        (by_value, BY_VALUE, lab["value"].format(x=by_value[0], y=by_value[1], a=angle_deg(by_value))),
    ]
    for vec, color, label in arrows:
        vector(ax, vec, color, label=label)
    ax.axhline(0, color="#bbbbbb", lw=0.8)
    ax.axvline(0, color="#bbbbbb", lw=0.8)
    ax.set_xlim(-2.4, 4.6)
    ax.set_ylim(-2.4, 2.6)
    ax.set_aspect("equal")
    ax.set_xlabel("$g_1$", fontsize=12)
    ax.set_ylabel("$g_2$", fontsize=12)
    ax.set_title(lab["title"], fontsize=13)
    ax.legend(fontsize=10, loc="lower right", framealpha=0.95)
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
