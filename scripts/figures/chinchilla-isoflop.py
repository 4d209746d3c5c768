"""Chinchilla iso-compute (IsoFLOP) curves from the fitted loss L(N, D) (question 93, scaling laws).

Usage: python scripts/figures/chinchilla-isoflop.py [OUTDIR]   (default: docs/assets/figures)
Writes chinchilla-isoflop-ru.svg and chinchilla-isoflop-en.svg.

For a fixed training budget C (FLOPs) and C = 6 N D, the number of tokens is D = C / (6 N), so the
loss of Hoffmann et al. (2022), approach 3, L(N, D) = E + A / N^alpha + B / D^beta with their
published (rounded) constants becomes a function of N alone. Each curve is one budget; the dot is
its minimum (closed form below), the square is the "20 tokens per parameter" rule of thumb.
Gopher (280B parameters, 300B tokens) is drawn at its own budget 6 N D = 5.04e23.
The functions are also imported by tests/content/test_llm_basics.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import label_plot, main, save, setup  # noqa: E402

NAME = "chinchilla-isoflop"
E, A, B, ALPHA, BETA = 1.69, 406.4, 410.7, 0.34, 0.28
BUDGETS = (1.2e22, 5.88e23, 3.79e25)      # a 10B model, Chinchilla, Llama 3 405B (all as 6 N D)
GOPHER = (280e9, 300e9)


def loss(n, d):
    """Fitted pre-training loss (nats per token) for n parameters and d tokens."""
    return E + A / np.power(n, ALPHA) + B / np.power(d, BETA)


def optimum(c: float) -> tuple[float, float]:
    """Compute-optimal (N, D) for budget c under C = 6 N D (Hoffmann et al., eq. 4)."""
    a, b = BETA / (ALPHA + BETA), ALPHA / (ALPHA + BETA)
    g = (ALPHA * A / (BETA * B)) ** (1 / (ALPHA + BETA))
    return g * (c / 6) ** a, (c / 6) ** b / g


def rule_of_thumb(c: float, tokens_per_param: float = 20.0) -> tuple[float, float]:
    """N and D with D = 20 N and C = 6 N D, i.e. N = sqrt(C / 120)."""
    n = (c / (6 * tokens_per_param)) ** 0.5
    return n, tokens_per_param * n


LABELS = {
    "en": {
        "x": "parameters N",
        "y": "fitted loss L(N, C / 6N)",
        "budget": "C = {c}",
        "opt": "minimum of the fitted loss",
        "rule": "20 tokens per parameter",
        "gopher": "Gopher: 280B, 300B tokens",
        "title": "Iso-compute curves of the Chinchilla fit (approach 3)",
    },
    "ru": {
        "x": "параметров N",
        "y": "аппроксимация лосса L(N, C / 6N)",
        "budget": "C = {c}",
        "opt": "минимум аппроксимации",
        "rule": "20 токенов на параметр",
        "gopher": "Gopher: 280B, 300B токенов",
        "title": "Кривые равного бюджета для аппроксимации Chinchilla (подход 3)",
    },
}
COLORS = ("#1f77b4", "#d62728", "#2ca02c")


def sci(c: float) -> str:
    mant, exp = f"{c:.3g}".split("e")
    return rf"${mant} \cdot 10^{{{int(exp)}}}$"


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    lab = LABELS[lang]
    fig, ax = plt.subplots(figsize=(6.4, 4.4), facecolor="white")
    ax.set_facecolor("white")
    for c, color in zip(BUDGETS, COLORS):
        n_opt, _ = optimum(c)
        ns = np.logspace(np.log10(n_opt) - 1.3, np.log10(n_opt) + 1.3, 60)
        ax.semilogx(ns, loss(ns, c / (6 * ns)), color=color, lw=2, label=lab["budget"].format(c=sci(c)))
        ax.plot(n_opt, loss(n_opt, c / (6 * n_opt)), "o", color=color, ms=7)
        n_rule, d_rule = rule_of_thumb(c)
        ax.plot(n_rule, loss(n_rule, d_rule), "s", color=color, ms=7, mfc="white", mew=1.8)
    ax.plot(*GOPHER[:1], loss(*GOPHER), "*", color="black", ms=12)
    ax.annotate(lab["gopher"], (GOPHER[0], loss(*GOPHER)), textcoords="offset points", xytext=(-10, 8),
                ha="right", fontsize=10)
    ax.plot([], [], "o", color="grey", label=lab["opt"])
    ax.plot([], [], "s", color="grey", mfc="white", mew=1.8, label=lab["rule"])
    label_plot(ax, lab, legend_size=9.5, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw, LABELS)
