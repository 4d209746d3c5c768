"""Learning-rate warm-up followed by linear or cosine decay (question 81, warm-up).

Usage: python scripts/figures/lr-warmup-schedules.py [OUTDIR]   (default: docs/assets/figures)
Writes lr-warmup-schedules-ru.svg and lr-warmup-schedules-en.svg.

The multiplier of the peak learning rate over TOTAL = 1000 steps with WARMUP = 100 warm-up steps,
as in transformers.get_linear_schedule_with_warmup / get_cosine_schedule_with_warmup; the dots
mark the steps quoted in the table of the page. `multiplier` is also imported by
tests/content/test_training_optimization.py.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import label_plot, main, save, setup  # noqa: E402

NAME = "lr-warmup-schedules"
WARMUP = 100
TOTAL = 1000
MARKED_STEPS = (0, 50, 100, 325, 550, 775, 1000)


def multiplier(step: int, kind: str, warmup: int = WARMUP, total: int = TOTAL) -> float:
    """Linear warm-up from 0, then linear or cosine decay to 0 at `total`."""
    if step < warmup:
        return step / warmup
    progress = (step - warmup) / (total - warmup)
    if kind == "linear":
        return max(0.0, 1.0 - progress)
    return 0.5 * (1.0 + math.cos(math.pi * progress))


LABELS = {
    "en": {
        "x": "optimizer step",
        "y": "learning rate / peak learning rate",
        "linear": "warm-up + linear decay",
        "cosine": "warm-up + cosine decay",
        "warmup": "warm-up phase (100 steps)",
        "title": "Learning-rate schedules with warm-up",
    },
    "ru": {
        "x": "шаг оптимизатора",
        "y": "скорость обучения / пиковая",
        "linear": "разогрев + линейный спад",
        "cosine": "разогрев + косинусный спад",
        "warmup": "фаза разогрева (100 шагов)",
        "title": "Расписания скорости обучения с разогревом",
    },
}

COLORS = {"linear": "#1f77b4", "cosine": "#d62728"}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    lab = LABELS[lang]
    steps = list(range(0, TOTAL + 1, 5))
    fig, ax = plt.subplots(figsize=(7.5, 4.2), facecolor="white")
    ax.set_facecolor("white")
    ax.axvspan(0, WARMUP, color="#e4e4e4", zorder=0, label=lab["warmup"])
    for kind in ("linear", "cosine"):
        ax.plot(steps, [multiplier(s, kind) for s in steps], color=COLORS[kind], lw=2.2, label=lab[kind])
        ax.plot(MARKED_STEPS, [multiplier(s, kind) for s in MARKED_STEPS], "o", color=COLORS[kind], ms=5)
    ax.set_xlim(0, TOTAL)
    ax.set_ylim(0, 1.08)
    ax.set_xticks(MARKED_STEPS)
    label_plot(ax, lab, title_size=13, loc="upper right")
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
