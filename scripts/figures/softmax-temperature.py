"""Softmax with temperature on the eight-token example (question 87).

Usage: python scripts/figures/softmax-temperature.py [OUTDIR]   (default: docs/assets/figures)
Writes softmax-temperature-ru.svg and softmax-temperature-en.svg.

Left: p_i(T) = softmax(z / T) for T = 0.5, 1, 2 on the logits of notebooks/sampling.py.
Right: the entropy H(T) in nats for T from 0.1 to 10 (log scale), with its maximum ln 8.
tests/content/test_inference.py imports LOGITS, VOCAB, TEMPS, probs and entropy.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "softmax-temperature"
VOCAB = ["the", "a", "cat", "dog", "sat", "ran", "mat", "."]
LOGITS = np.array([2.2, 1.6, 1.1, 0.7, 0.2, -0.3, -1.0, -1.8])
TEMPS = (0.5, 1.0, 2.0)


def probs(T: float) -> np.ndarray:
    x = LOGITS / T
    e = np.exp(x - x.max())
    return e / e.sum()


def entropy(T: float) -> float:
    p = probs(T)
    return float(-(p * np.log(p)).sum())


LABELS = {
    "en": {"title_l": "softmax(z / T) for eight tokens", "y_l": "probability",
           "title_r": "Entropy grows with temperature", "x_r": "temperature T (log scale)",
           "y_r": "entropy H, nats", "max": r"maximum $\ln 8$ = {v:.3f}"},
    "ru": {"title_l": "softmax(z / T) для восьми токенов", "y_l": "вероятность",
           "title_r": "Энтропия растёт с температурой", "x_r": "температура T (логарифмическая шкала)",
           "y_r": "энтропия H, наты", "max": r"максимум $\ln 8$ = {v:.3f}"},
}
COLORS = {0.5: "#1f77b4", 1.0: "#2ca02c", 2.0: "#d62728"}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    lab = LABELS[lang]
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 4), facecolor="white",
                                 gridspec_kw={"width_ratios": [1.35, 1]})
    x = np.arange(len(VOCAB))
    width = 0.27
    for i, T in enumerate(TEMPS):
        ax.bar(x + (i - 1) * width, probs(T), width, color=COLORS[T], label=f"T = {T:g}")
    ax.set_xticks(x, VOCAB, fontsize=11)
    ax.set_ylabel(lab["y_l"], fontsize=11)
    ax.set_title(lab["title_l"], fontsize=12)
    ax.legend(fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)

    ts = np.logspace(-1, 1, 81)
    bx.semilogx(ts, [entropy(t) for t in ts], color="black", lw=2)
    bx.axhline(math.log(8), color="grey", ls="--", lw=1, label=lab["max"].format(v=math.log(8)))
    for T in TEMPS:
        bx.plot([T], [entropy(T)], "o", color=COLORS[T], ms=8)
        bx.annotate(f"{entropy(T):.3f}", (T, entropy(T)), textcoords="offset points",
                    xytext=(6, -14), fontsize=10)
    bx.set_xlabel(lab["x_r"], fontsize=11)
    bx.set_ylabel(lab["y_r"], fontsize=11)
    bx.set_title(lab["title_r"], fontsize=12)
    bx.set_ylim(0, 2.3)
    bx.legend(fontsize=10, loc="lower right")
    bx.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
