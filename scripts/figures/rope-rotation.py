"""RoPE on one 2-D pair: the query and the key are rotated by their positions, the angle between them
depends only on the offset m - n. RU and EN.

Pair frequency theta = 1 rad per position (the fastest pair, i = 0), q = k = (1, 0) before rotation.
Left: positions (m, n) = (3, 1); right: (12, 10). Both have the angle 2 rad and q.k = cos 2 = -0.416.
Used by transformers/positional-encoding/rotary-embeddings.
Run: python scripts/figures/rope-rotation.py [OUTDIR]
The functions below are also imported by tests/content/test_positional_encoding.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup, vector  # noqa: E402

NAME = "rope-rotation"
THETA = 1.0
PAIRS = ((3, 1), (12, 10))
VECTOR = np.array([1.0, 0.0])


def rotate(x: np.ndarray, position: int, theta: float = THETA) -> np.ndarray:
    """Rotate the 2-D vector x by the angle position * theta (counterclockwise)."""
    a = position * theta
    return np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]]) @ x


def score(m: int, n: int) -> float:
    """Dot product of the rotated query (position m) and the rotated key (position n)."""
    return float(rotate(VECTOR, m) @ rotate(VECTOR, n))


TEXT = {
    "ru": {
        "title": "RoPE на одной паре координат: θ = 1 рад на позицию, q = k = (1, 0)",
        "panel": "запрос на позиции m = {m}, ключ на позиции n = {n}",
        "q": "q, повёрнут на {m} рад",
        "k": "k, повёрнут на {n} рад",
        "angle": "угол между ними {d} рад",
        "dot": "q·k = cos {d} = {s:.3f}",
    },
    "en": {
        "title": "RoPE on one pair of coordinates: θ = 1 rad per position, q = k = (1, 0)",
        "panel": "query at position m = {m}, key at position n = {n}",
        "q": "q, rotated by {m} rad",
        "k": "k, rotated by {n} rad",
        "angle": "angle between them {d} rad",
        "dot": "q·k = cos {d} = {s:.3f}",
    },
}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    from matplotlib.patches import Arc

    t = TEXT[lang]
    fig, axes = plt.subplots(1, 2, figsize=(10.0, 5.0))
    fig.patch.set_facecolor("white")
    circle = np.linspace(0, 2 * np.pi, 200)
    for ax, (m, n) in zip(axes, PAIRS):
        ax.plot(np.cos(circle), np.sin(circle), color="lightgrey", lw=1)
        ax.axhline(0, color="lightgrey", lw=0.8)
        ax.axvline(0, color="lightgrey", lw=0.8)
        q, k = rotate(VECTOR, m), rotate(VECTOR, n)
        for vec, colour, label in ((q, "#d62728", t["q"].format(m=m)), (k, "#1f77b4", t["k"].format(n=n))):
            vector(ax, vec, colour, label=label)
        start = np.degrees(n * THETA) % 360
        ax.add_patch(Arc((0, 0), 0.55, 0.55, theta1=start, theta2=start + np.degrees((m - n) * THETA),
                         color="black", lw=1.3))
        ax.text(0, -1.32, t["angle"].format(d=m - n) + "\n" + t["dot"].format(d=m - n, s=score(m, n)),
                ha="center", va="top", fontsize=10)
        ax.set_title(t["panel"].format(m=m, n=n), fontsize=10.5)
        ax.legend(fontsize=9, loc="upper right", framealpha=0.95)
        ax.set_xlim(-1.5, 1.5)
        ax.set_ylim(-1.75, 1.55)
        ax.set_aspect("equal")
        ax.set_xticks([-1, 0, 1])
        ax.set_yticks([-1, 0, 1])
    fig.suptitle(t["title"], fontsize=11.5)
    fig.tight_layout()
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, TEXT)
