"""Reliability diagrams before and after temperature scaling (open question a4).

Usage: python scripts/figures/reliability-diagram.py [OUTDIR]   (default: docs/assets/figures)
Writes reliability-diagram-ru.svg and reliability-diagram-en.svg.

Synthetic overconfident classifier, as on the page: 4 classes, "true" logits z ~ N(0, 1.5^2), labels drawn
from softmax(z), model logits 2.5 * z; 4000 validation and 4000 test examples (seed 0). T is fitted on the
validation NLL; the bars are the accuracy per confidence bin on the test half (15 equal-width bins).
tests/content/test_analysis.py imports synthetic, fit_temperature, ece and reliability.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "reliability-diagram"
N_BINS = 15
N, K, SCALE = 4000, 4, 2.5


def synthetic(seed: int = 0):
    """Model logits and labels: the first N rows are validation, the next N test."""
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 1.5, size=(2 * N, K))
    y = (softmax(z, axis=1).cumsum(1) < rng.random((2 * N, 1))).sum(1)
    return SCALE * z, y


def nll(logits: np.ndarray, y: np.ndarray, T: float) -> float:
    return float(-log_softmax(logits / T, axis=1)[np.arange(len(y)), y].mean())


def fit_temperature(logits: np.ndarray, y: np.ndarray) -> float:
    return float(minimize_scalar(lambda t: nll(logits, y, t), bounds=(0.05, 20), method="bounded").x)


def reliability(conf: np.ndarray, correct: np.ndarray, n_bins: int = N_BINS):
    """Per non-empty bin (lo, hi]: share of samples, mean confidence, accuracy, bin centre."""
    edges = np.linspace(0, 1, n_bins + 1)
    rows = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        in_bin = (conf > lo) & (conf <= hi)
        if in_bin.any():
            rows.append((in_bin.mean(), conf[in_bin].mean(), correct[in_bin].mean(), (lo + hi) / 2))
    return rows


def ece(conf: np.ndarray, correct: np.ndarray, n_bins: int = N_BINS) -> float:
    return float(sum(w * abs(acc - c) for w, c, acc, _ in reliability(conf, correct, n_bins)))


def test_predictions(T: float):
    logits, y = synthetic()
    p = softmax(logits[N:] / T, axis=1)
    return p.max(1), p.argmax(1) == y[N:]


LABELS = {
    "en": {"before": "Before: T = 1, ECE = {e:.4f}", "after": "After temperature scaling: T = {t:.3f}, ECE = {e:.4f}",
           "x": "confidence (top-class probability)", "y": "accuracy in the bin",
           "acc": "accuracy", "gap": "gap to the diagonal", "diag": "perfect calibration"},
    "ru": {"before": "До: T = 1, ECE = {e:.4f}", "after": "После temperature scaling: T = {t:.3f}, ECE = {e:.4f}",
           "x": "уверенность (вероятность лучшего класса)", "y": "доля верных в бине",
           "acc": "доля верных ответов", "gap": "отклонение от диагонали", "diag": "идеальная калибровка"},
}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    lab = LABELS[lang]
    logits, y = synthetic()
    T = fit_temperature(logits[:N], y[:N])
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.4), facecolor="white", sharey=True)
    width = 1 / N_BINS
    for ax, t, title in ((axes[0], 1.0, lab["before"]), (axes[1], T, lab["after"])):
        conf, ok = test_predictions(t)
        rows = reliability(conf, ok)
        centres = [r[3] for r in rows]
        accs = [r[2] for r in rows]
        confs = [r[1] for r in rows]
        ax.bar(centres, accs, width=width, color="#1f77b4", edgecolor="black", lw=0.5, label=lab["acc"])
        ax.bar(centres, np.array(confs) - np.array(accs), bottom=accs, width=width, color="#d62728",
               alpha=0.35, edgecolor="#d62728", lw=0.5, label=lab["gap"])
        ax.plot([0, 1], [0, 1], "--", color="grey", lw=1.2, label=lab["diag"])
        ax.set_title(title.format(t=t, e=ece(conf, ok)), fontsize=11)
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel(lab["x"], fontsize=10)
        ax.grid(True, alpha=0.3)
    axes[0].set_ylabel(lab["y"], fontsize=11)
    axes[0].legend(fontsize=9, loc="upper left")
    fig.tight_layout()
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
