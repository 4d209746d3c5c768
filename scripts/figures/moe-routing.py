"""Top-2 routing of one token in a Mixtral-style MoE layer (question 99).

Usage: python scripts/figures/moe-routing.py [OUTDIR]   (default: docs/assets/figures)
Writes moe-routing-ru.svg and moe-routing-en.svg.

The router logits of the worked example, (0.3, -1.2, 2.1, 0.0, -0.5, 1.6, 0.8, -2.0) over experts
0..7, give a softmax whose two largest entries are experts 2 and 5 (0.436 and 0.264); renormalised,
the gate weights are 0.622 and 0.378. Only those two SwiGLU experts run; the output is their
weighted sum. The functions below are imported by tests/content/test_llm_systems.py.
"""
from __future__ import annotations

import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import arrow, main, save, setup  # noqa: E402

NAME = "moe-routing"
LOGITS = (0.3, -1.2, 2.1, 0.0, -0.5, 1.6, 0.8, -2.0)
TOP_K = 2


def softmax(values) -> list[float]:
    m = max(values)
    exps = [math.exp(v - m) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def routing(logits=LOGITS, k: int = TOP_K):
    """(probabilities over all experts, chosen experts in order, renormalised gate weights)."""
    probs = softmax(logits)
    chosen = sorted(range(len(logits)), key=lambda i: -logits[i])[:k]
    gates = softmax([logits[i] for i in chosen])
    return probs, chosen, gates


LABELS = {
    "en": {
        "token": "token\nhidden state $x$",
        "router": "router: softmax$(x W_g)$",
        "expert": "expert {i}",
        "idle": "grey experts are not computed for this token",
        "out": "$y = {a:.3f}\\cdot E_{i}(x) + {b:.3f}\\cdot E_{j}(x)$",
        "note": "top-2: weights renormalised to sum to 1 ({p:.3f}, {q:.3f} → {a:.3f}, {b:.3f})",
        "title": "One MoE layer of Mixtral: 8 SwiGLU experts, 2 per token",
    },
    "ru": {
        "token": "скрытое состояние\nтокена $x$",
        "router": "роутер: softmax$(x W_g)$",
        "expert": "эксперт {i}",
        "idle": "серые эксперты для этого токена не считаются",
        "out": "$y = {a:.3f}\\cdot E_{i}(x) + {b:.3f}\\cdot E_{j}(x)$",
        "note": "top-2: веса нормируются на сумму 1 ({p:.3f}, {q:.3f} → {a:.3f}, {b:.3f})",
        "title": "Один MoE-слой Mixtral: 8 SwiGLU-экспертов, по 2 на токен",
    },
}
CHOSEN = "#f4b183"
IDLE = "#e6e6e6"
EDGE = "#333333"
ROUTE = "#c55a11"   # the path of the token through its two experts


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    from matplotlib.patches import Circle, FancyBboxPatch

    lab = LABELS[lang]
    probs, chosen, gates = routing()
    fig = plt.figure(figsize=(8.4, 4.8), facecolor="white")
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, 12)
    ax.set_ylim(-0.1, 7)
    ax.axis("off")

    def link(x0, y0, x1, y1, color=EDGE, lw=1.3):
        arrow(ax, (x0, y0), (x1, y1), color=color, lw=lw)

    # token
    ax.add_patch(FancyBboxPatch((0.15, 3.0), 2.1, 1.0, boxstyle="round,pad=0.05", fc="#c9d6e8", ec=EDGE))
    ax.text(1.2, 3.5, lab["token"], ha="center", va="center", fontsize=9)

    # router bars (an inset axes)
    bars = fig.add_axes([0.225, 0.33, 0.24, 0.38])
    colors = [CHOSEN if i in chosen else "#9db4d3" for i in range(len(probs))]
    bars.bar(range(len(probs)), probs, color=colors, edgecolor=EDGE, lw=0.6)
    for i in chosen:
        bars.text(i, probs[i] + 0.015, f"{probs[i]:.3f}", ha="center", fontsize=8.5)
    bars.set_xticks(range(len(probs)))
    bars.set_ylim(0, 0.52)
    bars.set_yticks([])
    bars.set_title(lab["router"], fontsize=9.5)
    for side in ("top", "right", "left"):
        bars.spines[side].set_visible(False)
    link(2.3, 3.5, 2.55, 3.5)

    # experts
    ex0, ew, eh = 7.0, 1.5, 0.5
    ys = [6.3 - i * 0.66 for i in range(len(probs))]
    for i, y in enumerate(ys):
        on = i in chosen
        ax.add_patch(FancyBboxPatch((ex0, y - eh / 2), ew, eh, boxstyle="round,pad=0.03",
                                    fc=CHOSEN if on else IDLE, ec=EDGE if on else "#999999", lw=1.2 if on else 0.8))
        ax.text(ex0 + ew / 2, y, lab["expert"].format(i=i), ha="center", va="center", fontsize=9,
                color="black" if on else "#888888")
    # token -> chosen experts, chosen experts -> sum
    sx, sy = 10.3, 3.5
    ax.add_patch(Circle((sx, sy), 0.25, fc="white", ec=EDGE, lw=1.3))
    ax.text(sx, sy - 0.02, "+", ha="center", va="center", fontsize=15)
    for i, g in zip(chosen, gates):
        link(5.75, 3.5, ex0 - 0.05, ys[i], color=ROUTE, lw=1.6)
        link(ex0 + ew + 0.05, ys[i], sx - 0.2, sy + (0.12 if ys[i] > sy else -0.12), color=ROUTE, lw=1.6)
        ax.text((ex0 + ew + sx) / 2 + 0.05, (ys[i] + sy) / 2 + (0.22 if ys[i] > sy else -0.22),
                f"× {g:.3f}", ha="center", va="center", fontsize=10, color=ROUTE)
    i, j = chosen
    link(sx + 0.25, sy, sx + 0.9, sy)
    ax.text(sx + 0.95, sy, "$y$", ha="left", va="center", fontsize=12)
    ax.text(0.25, 1.0, lab["out"].format(a=gates[0], b=gates[1], i=i, j=j), fontsize=10.5)
    ax.text(0.25, 0.55, lab["note"].format(p=probs[i], q=probs[j], a=gates[0], b=gates[1]), fontsize=9.5,
            color="#444444")
    ax.text(0.25, 0.15, lab["idle"], fontsize=9.5, color="#777777")
    ax.text(6.0, 6.75, lab["title"], ha="center", fontsize=11.5)
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw, LABELS)
