"""Gradient norm of every layer's weight in a 30-layer tanh stack, with and without residual
connections (question 84, skip connections).

Usage: python scripts/figures/residual-gradient-norms.py [OUTDIR]   (default: docs/assets/figures)
Writes residual-gradient-norms-ru.svg and residual-gradient-norms-en.svg.

Model: DEPTH layers nn.Linear(WIDTH, WIDTH) with PyTorch's default initialisation, tanh, batch of
32 random inputs, MSE loss against a random target (torch.manual_seed(SEED)). Four variants:
  * plain:     h = tanh(W h + b)
  * plain+LN:  h = LN(tanh(W h + b))      (normalised, but no skip connection)
  * residual:  h = h + tanh(W h + b)
  * pre-LN:    h = h + tanh(W LN(h) + b)   (the arrangement of a pre-norm transformer)
We plot ||dL/dW_l||_F for l = 1..DEPTH. grad_norms() is the code of the page and is also imported
by tests/content/test_training_methods.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import label_plot, main, save, setup  # noqa: E402

NAME = "residual-gradient-norms"
DEPTH = 30
WIDTH = 64
SEED = 0
KINDS = ("plain", "plain+LN", "residual", "pre-LN")


def grad_norms(kind: str, depth: int = DEPTH, width: int = WIDTH, seed: int = SEED) -> list[float]:
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.manual_seed(seed)
    layers = [nn.Linear(width, width) for _ in range(depth)]
    x, target = torch.randn(32, width), torch.randn(32, width)
    h = x
    for layer in layers:
        if kind == "plain":
            h = torch.tanh(layer(h))
        elif kind == "plain+LN":
            h = F.layer_norm(torch.tanh(layer(h)), (width,))
        elif kind == "residual":
            h = h + torch.tanh(layer(h))
        else:
            h = h + torch.tanh(layer(F.layer_norm(h, (width,))))
    F.mse_loss(h, target).backward()
    return [layer.weight.grad.norm().item() for layer in layers]


LABELS = {
    "en": {
        "x": "layer (1 = closest to the input)",
        "y": r"gradient norm $\|\partial L / \partial W_l\|$",
        "title": f"{DEPTH} tanh layers of width {WIDTH}: gradients at initialisation",
        "plain": r"plain: $h \leftarrow \tanh(Wh + b)$",
        "plain+LN": r"plain + LayerNorm: $h \leftarrow \mathrm{LN}(\tanh(Wh + b))$",
        "residual": r"residual: $h \leftarrow h + \tanh(Wh + b)$",
        "pre-LN": r"pre-LN residual: $h \leftarrow h + \tanh(W\,\mathrm{LN}(h) + b)$",
    },
    "ru": {
        "x": "слой (1 — ближайший ко входу)",
        "y": r"норма градиента $\|\partial L / \partial W_l\|$",
        "title": f"{DEPTH} слоёв tanh ширины {WIDTH}: градиенты при инициализации",
        "plain": r"без skip: $h \leftarrow \tanh(Wh + b)$",
        "plain+LN": r"без skip, с LayerNorm: $h \leftarrow \mathrm{LN}(\tanh(Wh + b))$",
        "residual": r"residual: $h \leftarrow h + \tanh(Wh + b)$",
        "pre-LN": r"pre-LN residual: $h \leftarrow h + \tanh(W\,\mathrm{LN}(h) + b)$",
    },
}

STYLE = {"plain": ("#d62728", "o"), "plain+LN": ("#7f7f7f", "d"), "residual": ("#1f77b4", "s"), "pre-LN": ("#2ca02c", "^")}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    lab = LABELS[lang]
    fig, ax = plt.subplots(figsize=(7.5, 4.5), facecolor="white")
    ax.set_facecolor("white")
    layers = list(range(1, DEPTH + 1))
    for kind in KINDS:
        colour, marker = STYLE[kind]
        ax.semilogy(layers, grad_norms(kind), marker=marker, markersize=4, color=colour, lw=1.8,
                    label=lab[kind])
    ax.set_xlim(0.5, DEPTH + 0.5)
    label_plot(ax, lab, loc="lower right")
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, LABELS)
