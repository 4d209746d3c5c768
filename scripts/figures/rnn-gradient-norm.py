"""Gradient norm vs distance in time for a tanh RNN (question 30, vanishing gradients).

Usage: python scripts/figures/rnn-gradient-norm.py [OUTDIR]   (default: docs/assets/figures)
Writes rnn-gradient-norm-ru.svg and rnn-gradient-norm-en.svg.

Model: h_t = tanh(W_h h_{t-1} + U x_t), hidden size 64, W_h = rho * Q with Q orthogonal,
so every singular value (and the spectral radius) of W_h equals rho.
We plot the spectral norm of dh_T / dh_{T-k} = prod_j diag(1 - h_j^2) W_h for k = 0..100:
  * dashed: the linear regime (state at zero, tanh' = 1) -> exactly rho**k;
  * solid: the same network driven by random inputs with standard deviation 0.05.
The functions below are also imported by tests/content/test_rnn_cnn.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import label_plot, main, save, setup  # noqa: E402

NAME = "rnn-gradient-norm"
HIDDEN = 64
STEPS = 100
INPUT_STD = 0.05
SEED = 0


def recurrent_matrix(rho: float, hidden: int = HIDDEN, seed: int = SEED) -> np.ndarray:
    """rho times a random orthogonal matrix: all singular values equal rho."""
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.standard_normal((hidden, hidden)))
    q = q * np.sign(np.diag(r))  # fix the sign convention so the result is unique
    return rho * q


def jacobian_norms(rho: float, input_std: float = INPUT_STD, steps: int = STEPS,
                   hidden: int = HIDDEN, seed: int = SEED) -> np.ndarray:
    """norms[k] = ||dh_T / dh_{T-k}||_2 for k = 0..steps (T = steps), h_0 = 0."""
    w = recurrent_matrix(rho, hidden, seed)
    rng = np.random.default_rng(seed + 1)
    u = rng.standard_normal((hidden, hidden)) / np.sqrt(hidden)
    xs = rng.standard_normal((steps, hidden)) * input_std
    states = [np.zeros(hidden)]
    for t in range(steps):
        states.append(np.tanh(w @ states[-1] + u @ xs[t]))
    jac = np.eye(hidden)
    norms = [1.0]
    for k in range(1, steps + 1):
        t = steps - k + 1                     # step t maps h_{t-1} -> h_t
        local = (1.0 - states[t] ** 2)[:, None] * w
        jac = jac @ local
        norms.append(float(np.linalg.norm(jac, 2)))
    return np.array(norms)


LABELS = {
    "en": {
        "x": "distance k (time steps back)",
        "y": r"gradient norm $\|\partial h_T / \partial h_{T-k}\|_2$",
        "lin": r"$\rho = {r}$: linear regime, $\rho^k$",
        "tanh": r"$\rho = {r}$: tanh RNN with random inputs",
        "title": "Gradient norm over time in a tanh RNN",
    },
    "ru": {
        "x": "расстояние k (шагов назад)",
        "y": r"норма градиента $\|\partial h_T / \partial h_{T-k}\|_2$",
        "lin": r"$\rho = {r}$: линейный режим, $\rho^k$",
        "tanh": r"$\rho = {r}$: tanh-RNN со случайными входами",
        "title": "Норма градиента во времени в tanh-RNN",
    },
}


COLORS = {0.9: "#1f77b4", 1.1: "#d62728"}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()  # matplotlib only when drawing: the test imports this module for its numbers
    lab = LABELS[lang]
    k = np.arange(STEPS + 1)
    fig, ax = plt.subplots(figsize=(7.5, 4.5), facecolor="white")
    ax.set_facecolor("white")
    for rho in (1.1, 0.9):
        ax.semilogy(k, rho ** k.astype(float), "--", color=COLORS[rho], lw=1.8,
                    label=lab["lin"].format(r=rho))
        ax.semilogy(k, jacobian_norms(rho), "-", color=COLORS[rho], lw=2.2,
                    label=lab["tanh"].format(r=rho))
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_xlim(0, STEPS)
    label_plot(ax, lab, title_size=13, loc="lower left")
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
