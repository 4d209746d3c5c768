"""Gradient norms at initialisation in Post-LN and Pre-LN encoders (question 42).

Usage: python scripts/figures/prenorm-postnorm-gradients.py [OUTDIR]   (default: docs/assets/figures)
Writes prenorm-postnorm-gradients-ru.svg and prenorm-postnorm-gradients-en.svg.

The experiment follows the set-up of Xiong et al. (2020): a stack of encoder layers
(nn.TransformerEncoderLayer, d_model 32, 4 heads, FFN 128, no dropout, float64) with every weight
matrix initialised by Xavier-uniform, random inputs, a linear head over 50 classes and a
cross-entropy loss on random labels. The Pre-LN stack has the final LayerNorm before the head, as
every Pre-LN model does. We record the Frobenius norm of the gradient of the second FFN matrix
(linear2.weight, W^{2,l} in the paper) of every layer, once, at initialisation.
  * left: per-layer norms of a 12-layer stack;
  * right: the norm of the last layer for 3, 6, 12 and 24 layers.
grad_norms() is also imported by tests/content/test_transformer_block.py, and the page of
question 42 runs the same code.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "prenorm-postnorm-gradients"
D_MODEL = 32
LAYERS = 12
DEPTHS = (3, 6, 12, 24)


def grad_norms(norm_first: bool, n_layers: int, d: int = D_MODEL, seed: int = 0):
    """Per-layer gradient norms of linear2.weight and the RMS of the residual stream at the top."""
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    layers = nn.ModuleList(
        nn.TransformerEncoderLayer(d, nhead=4, dim_feedforward=4 * d, dropout=0.0,
                                   batch_first=True, norm_first=norm_first, dtype=torch.float64)
        for _ in range(n_layers))
    for p in layers.parameters():
        if p.dim() == 2:
            nn.init.xavier_uniform_(p)
    final_ln = nn.LayerNorm(d, dtype=torch.float64) if norm_first else nn.Identity()
    head = nn.Linear(d, 50, dtype=torch.float64)
    x = torch.randn(8, 16, d, dtype=torch.float64)
    y = torch.randint(50, (8, 16))
    for layer in layers:
        x = layer(x)
    rms = x.pow(2).mean().sqrt().item()
    loss = nn.functional.cross_entropy(head(final_ln(x)).flatten(0, 1), y.flatten())
    loss.backward()
    return [layer.linear2.weight.grad.norm().item() for layer in layers], rms


LABELS = {
    "en": {
        "left": f"{LAYERS} layers: gradient norm per layer",
        "right": "Last layer vs depth",
        "x_left": "layer index $l$",
        "x_right": "number of layers $L$",
        "y": r"$\|\partial\, ℒ / \partial W^{2,l}\|_F$ at initialisation",
        "post": "Post-LN",
        "pre": "Pre-LN",
    },
    "ru": {
        "left": f"{LAYERS} слоёв: норма градиента по слоям",
        "right": "Последний слой и глубина",
        "x_left": "номер слоя $l$",
        "x_right": "число слоёв $L$",
        "y": r"$\|\partial\, ℒ / \partial W^{2,l}\|_F$ при инициализации",
        "post": "Post-LN",
        "pre": "Pre-LN",
    },
}

COLORS = {False: "#d62728", True: "#1f77b4"}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    lab = LABELS[lang]
    fig, (left, right) = plt.subplots(1, 2, figsize=(9.5, 4.0), facecolor="white")
    for norm_first in (False, True):
        name = lab["pre"] if norm_first else lab["post"]
        norms, _ = grad_norms(norm_first, LAYERS)
        left.plot(range(1, LAYERS + 1), norms, "o-", color=COLORS[norm_first], lw=2, label=name)
        last = [grad_norms(norm_first, depth)[0][-1] for depth in DEPTHS]
        right.plot(DEPTHS, last, "o-", color=COLORS[norm_first], lw=2, label=name)
        for depth, value in zip(DEPTHS, last):
            right.annotate(f"{value:.3f}", (depth, value), textcoords="offset points",
                           xytext=(0, 7), ha="center", fontsize=9, color=COLORS[norm_first])
    left.set_xticks(range(1, LAYERS + 1))
    left.set_xlabel(lab["x_left"], fontsize=11)
    left.set_ylabel(lab["y"], fontsize=11)
    left.set_title(lab["left"], fontsize=12)
    right.set_xscale("log", base=2)
    right.set_xticks(DEPTHS, [str(d) for d in DEPTHS])
    right.minorticks_off()
    right.set_xlabel(lab["x_right"], fontsize=11)
    right.set_title(lab["right"], fontsize=12)
    for ax in (left, right):
        ax.set_facecolor("white")
        ax.set_ylim(0, 0.55)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=10, loc="upper right", framealpha=0.95)
    fig.tight_layout()
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
