"""ROC curve of ten scored examples, with two thresholds marked, RU and EN.

Used by classic-nlp/metrics/specificity.
Run: python scripts/figures/roc-specificity.py [OUTDIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

from sklearn.metrics import roc_auc_score, roc_curve

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

plt = setup()

NAME = "roc-specificity"

# 4 positives, 6 negatives (the same toy data as on the page)
Y_TRUE = [1, 1, 1, 1, 0, 0, 0, 0, 0, 0]
SCORES = [0.9, 0.8, 0.6, 0.4, 0.7, 0.45, 0.35, 0.2, 0.1, 0.05]
THRESHOLDS = (0.5, 0.3)

TEXT = {
    "ru": {
        "title": "ROC-кривая: 4 положительных и 6 отрицательных примеров",
        "xlabel": "FPR = 1 − specificity",
        "ylabel": "TPR = recall (sensitivity)",
        "random": "случайный классификатор",
        "point": "порог {t}: specificity = {s:.3f}, recall = {r:.2f}",
        "auc": "ROC AUC = {auc:.3f}",
    },
    "en": {
        "title": "ROC curve: 4 positive and 6 negative examples",
        "xlabel": "FPR = 1 − specificity",
        "ylabel": "TPR = recall (sensitivity)",
        "random": "random classifier",
        "point": "threshold {t}: specificity = {s:.3f}, recall = {r:.2f}",
        "auc": "ROC AUC = {auc:.3f}",
    },
}


def rates(threshold: float) -> tuple[float, float]:
    """(FPR, TPR) when everything with score >= threshold is called positive."""
    pred = [s >= threshold for s in SCORES]
    tp = sum(p and y for p, y in zip(pred, Y_TRUE))
    fp = sum(p and not y for p, y in zip(pred, Y_TRUE))
    return fp / Y_TRUE.count(0), tp / Y_TRUE.count(1)


def draw(lang: str, outdir: Path) -> Path:
    t = TEXT[lang]
    fpr, tpr, _ = roc_curve(Y_TRUE, SCORES)
    auc = roc_auc_score(Y_TRUE, SCORES)

    fig, ax = plt.subplots(figsize=(6.4, 5.2))
    fig.patch.set_facecolor("white")
    ax.plot([0, 1], [0, 1], linestyle="--", color="#999999", label=t["random"])
    ax.plot(fpr, tpr, color="#2b6cb0", linewidth=2.2)
    ax.fill_between(fpr, tpr, color="#2b6cb0", alpha=0.08)
    for threshold, colour in zip(THRESHOLDS, ("#d9822b", "#7b3fa0")):
        x, y = rates(threshold)
        ax.scatter([x], [y], s=70, color=colour, zorder=3,
                   label=t["point"].format(t=threshold, s=1 - x, r=y))
    ax.text(0.55, 0.3, t["auc"].format(auc=auc), fontsize=12, color="#2b6cb0")
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.05)
    ax.set_xlabel(t["xlabel"], fontsize=11)
    ax.set_ylabel(t["ylabel"], fontsize=11)
    ax.set_title(t["title"], fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right", fontsize=9)
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, TEXT)
