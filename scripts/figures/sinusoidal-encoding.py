"""Sinusoidal positional encoding (Vaswani et al., 2017) as a heatmap, plus three of its columns. RU and EN.

64 positions x 32 dimensions, PE(p, 2i) = sin(p / 10000^(2i/d)), PE(p, 2i+1) = cos(...), d = 32.
Used by transformers/positional-encoding/positional-embedding-approaches.
Run: python scripts/figures/sinusoidal-encoding.py [OUTDIR]
`sinusoidal`, `wavelength`, POSITIONS and DIM are also imported by tests/content/test_positional_encoding.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "sinusoidal-encoding"
POSITIONS = 64
DIM = 32
BASE = 10000.0
CURVES = (0, 8, 16)  # the sin columns 2i drawn as curves: i = 0, 4, 8


def sinusoidal(n_pos: int = POSITIONS, dim: int = DIM, base: float = BASE) -> np.ndarray:
    """(n_pos, dim) matrix: sin in the even columns, cos in the odd ones (interleaved layout)."""
    angles = np.arange(n_pos)[:, None] / base ** (np.arange(0, dim, 2) / dim)
    pe = np.empty((n_pos, dim))
    pe[:, 0::2] = np.sin(angles)
    pe[:, 1::2] = np.cos(angles)
    return pe


def wavelength(column: int, dim: int = DIM, base: float = BASE) -> float:
    """Period (in positions) of column `column`: 2*pi * base^(2i/d) with 2i = column rounded down to even."""
    return float(2 * np.pi * base ** ((column - column % 2) / dim))


TEXT = {
    "ru": {
        "title": f"Синусоидальное кодирование: {POSITIONS} позиции × {DIM} измерения",
        "x": "измерение (чётные — sin, нечётные — cos)",
        "y": "позиция p",
        "cbar": "значение",
        "curves": "Три столбца как функции позиции",
        "cx": "позиция p",
        "label": "столбец {c}: период {w:.1f}",
    },
    "en": {
        "title": f"Sinusoidal encoding: {POSITIONS} positions × {DIM} dimensions",
        "x": "dimension (even = sin, odd = cos)",
        "y": "position p",
        "cbar": "value",
        "curves": "Three columns as functions of position",
        "cx": "position p",
        "label": "column {c}: period {w:.1f}",
    },
}
COLOURS = ("#d62728", "#1f77b4", "#2ca02c")


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    t = TEXT[lang]
    pe = sinusoidal()
    fig, (left, right) = plt.subplots(1, 2, figsize=(10.5, 4.6), gridspec_kw={"width_ratios": [1.0, 1.15]})
    fig.patch.set_facecolor("white")
    image = left.imshow(pe, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto", interpolation="nearest")
    left.set_xlabel(t["x"], fontsize=10)
    left.set_ylabel(t["y"], fontsize=10)
    left.set_xticks(range(0, DIM, 4))
    left.set_yticks(range(0, POSITIONS, 8))
    left.set_title(t["title"], fontsize=11)
    cbar = fig.colorbar(image, ax=left, fraction=0.05, pad=0.03)
    cbar.set_label(t["cbar"], fontsize=9)
    p = np.arange(POSITIONS)
    for column, colour in zip(CURVES, COLOURS):
        left.axvline(column, color=colour, lw=1.2, ls="--")
        right.plot(p, pe[:, column], "-", color=colour, lw=1.8,
                   label=t["label"].format(c=column, w=wavelength(column)))
    right.set_xlim(0, POSITIONS - 1)
    right.set_ylim(-1.15, 1.6)
    right.axhline(0, color="grey", lw=0.7)
    right.set_xlabel(t["cx"], fontsize=10)
    right.set_title(t["curves"], fontsize=11)
    right.legend(fontsize=9, loc="upper right", framealpha=0.95)
    right.grid(True, alpha=0.3)
    fig.tight_layout()
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, TEXT)
