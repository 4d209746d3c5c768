"""Top-k versus top-p cut-offs on a peaked and on a flat distribution (question 88).

Usage: python scripts/figures/top-k-top-p-cutoffs.py [OUTDIR]   (default: docs/assets/figures)
Writes top-k-top-p-cutoffs-ru.svg and top-k-top-p-cutoffs-en.svg.

Peaked: softmax of PEAKED_LOGITS (top token 0.914). Flat: the logits of notebooks/sampling.py at T = 3.
Bars are sorted probabilities: blue bars are kept by top-p = 0.9, the dashed line is the top-k = 3 cut,
the orange line is the cumulative probability. tests/content/test_inference.py imports the numbers.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "top-k-top-p-cutoffs"
PEAKED_LOGITS = np.array([5.0, 2.0, 1.0, 0.5, 0.0, -0.5, -1.0, -1.5])
FLAT_LOGITS = np.array([2.2, 1.6, 1.1, 0.7, 0.2, -0.3, -1.0, -1.8]) / 3
TOP_K, TOP_P = 3, 0.9


def softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max())
    return e / e.sum()


def top_p_size(p: np.ndarray, top_p: float = TOP_P) -> int:
    """Size of the nucleus: the smallest prefix of the sorted probabilities reaching top_p."""
    cum = np.cumsum(np.sort(p)[::-1])
    return int(np.searchsorted(cum, top_p) + 1)


LABELS = {
    "en": {"peaked": "Peaked distribution", "flat": "Flat distribution",
           "sub": "top-k = {k} keeps {mk:.3f} of the mass,\ntop-p = {p} keeps {n} {tokens}",
           "x": "tokens sorted by probability", "y": "probability",
           "cum": "cumulative", "kept": "kept by top-p", "dropped": "dropped by top-p",
           "kcut": "top-k = 3 cut"},
    "ru": {"peaked": "Острое распределение", "flat": "Плоское распределение",
           "sub": "top-k = {k} сохраняет {mk:.3f} массы,\ntop-p = {p} оставляет {n} {tokens}",
           "x": "токены по убыванию вероятности", "y": "вероятность",
           "cum": "накопленная", "kept": "оставляет top-p", "dropped": "отбрасывает top-p",
           "kcut": "граница top-k = 3"},
}


def tokens_word(n: int, lang: str) -> str:
    if lang == "en":
        return "token" if n == 1 else "tokens"
    if n % 10 == 1 and n % 100 != 11:
        return "токен"
    return "токена" if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14) else "токенов"


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    lab = LABELS[lang]
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2), facecolor="white", sharey=True)
    for ax, key, z in ((axes[0], "peaked", PEAKED_LOGITS), (axes[1], "flat", FLAT_LOGITS)):
        p = np.sort(softmax(z))[::-1]
        n = top_p_size(p)
        x = np.arange(1, len(p) + 1)
        colors = ["#1f77b4" if i < n else "lightgray" for i in range(len(p))]
        ax.bar(x, p, color=colors, edgecolor="black", lw=0.5)
        ax.plot(x, np.cumsum(p), "o-", color="tab:orange", lw=1.5, ms=4, label=lab["cum"])
        ax.axhline(TOP_P, color="tab:red", ls=":", lw=1, label=f"p = {TOP_P}")
        ax.axvline(TOP_K + 0.5, color="black", ls="--", lw=1.2, label=lab["kcut"])
        ax.set_title(lab[key] + "\n" + lab["sub"].format(k=TOP_K, mk=p[:TOP_K].sum(), p=TOP_P, n=n,
                                                      tokens=tokens_word(n, lang)),
                     fontsize=11)
        ax.set_xticks(x)
        ax.set_xlabel(lab["x"], fontsize=10)
        ax.set_ylim(0, 1.05)
        ax.grid(True, axis="y", alpha=0.3)
    axes[0].set_ylabel(lab["y"], fontsize=11)
    from matplotlib.patches import Patch

    handles, _ = axes[0].get_legend_handles_labels()
    handles += [Patch(color="#1f77b4", label=lab["kept"]), Patch(color="lightgray", label=lab["dropped"])]
    axes[0].legend(handles=handles, fontsize=9, loc="center right")
    fig.tight_layout()
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
