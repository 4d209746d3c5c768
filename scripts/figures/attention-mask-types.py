"""Attention masks of the four transformer layouts, side by side (questions 50 and 63).

Usage: python scripts/figures/attention-mask-types.py [OUTDIR]   (default: docs/assets/figures)
Writes attention-mask-types-ru.svg and attention-mask-types-en.svg.

Each panel is a 6 x 6 grid: row i is the query (the position that looks), column j the key
(the position it may see); a filled cell means position i may attend to position j.
  * encoder-only (BERT): every position sees every position;
  * decoder-only (GPT): position i sees positions 0..i (causal, lower triangle);
  * encoder-decoder (T5, BART), 3 source + 3 target tokens drawn as one matrix: the encoder rows
    see the whole source, the decoder rows see the whole source (cross-attention) and the target
    causally (decoder self-attention); the encoder never sees the target;
  * prefix LM (UniLM, UL2 S-mode), prefix of 3: bidirectional inside the prefix, causal after it.
The mask functions are imported by tests/content/test_pretraining.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "attention-mask-types"
N = 6        # tokens per panel
SPLIT = 3    # source / prefix length in the last two panels


def full_mask(n: int = N) -> np.ndarray:
    return np.ones((n, n), dtype=bool)


def causal_mask(n: int = N) -> np.ndarray:
    return np.tril(np.ones((n, n), dtype=bool))


def prefix_lm_mask(n: int = N, prefix: int = SPLIT) -> np.ndarray:
    mask = causal_mask(n)
    mask[:, :prefix] = True          # everyone sees the whole prefix ...
    mask[:prefix, prefix:] = False   # ... and the prefix never sees the continuation
    return mask


def encoder_decoder_mask(n: int = N, source: int = SPLIT) -> np.ndarray:
    """Encoder self-attention (top left), cross-attention (bottom left) and decoder
    self-attention (bottom right) as one matrix over [source; target]."""
    mask = np.zeros((n, n), dtype=bool)
    mask[:source, :source] = True                                  # encoder: bidirectional
    mask[source:, :source] = True                                  # cross-attention: all source
    mask[source:, source:] = causal_mask(n - source)               # decoder: causal
    return mask


PANELS = ("encoder", "decoder", "encdec", "prefix")
MASKS = {"encoder": full_mask, "decoder": causal_mask, "encdec": encoder_decoder_mask,
         "prefix": prefix_lm_mask}


def visible_counts() -> dict[str, int]:
    return {name: int(MASKS[name]().sum()) for name in PANELS}


LABELS = {
    "en": {
        "encoder": "Encoder-only (BERT)",
        "decoder": "Decoder-only (GPT)",
        "encdec": "Encoder–decoder (T5, BART)",
        "prefix": "Prefix LM (UniLM, UL2 S-mode)",
        "count": "{k} of {n} cells visible",
        "rows": "rows",
        "cols": "columns",
        "query": "queries (who attends)",
        "key": "keys (what is seen)",
        "source": "source",
        "target": "target",
        "prefix_part": "prefix",
        "cont": "continuation",
        "title": "Who may attend to whom: filled cell = allowed",
    },
    "ru": {
        "encoder": "Только энкодер (BERT)",
        "decoder": "Только декодер (GPT)",
        "encdec": "Энкодер–декодер (T5, BART)",
        "prefix": "Prefix LM (UniLM, UL2, режим S)",
        "count": "разрешено клеток: {k} из {n}",
        "rows": "строки",
        "cols": "столбцы",
        "query": "запросы (кто смотрит)",
        "key": "ключи (на кого смотрят)",
        "source": "вход",
        "target": "выход",
        "prefix_part": "префикс",
        "cont": "продолжение",
        "title": "Кто на кого может смотреть: закрашено — разрешено",
    },
}

ON, OFF, GRID = "#2b6cb0", "#edf2f7", "#ffffff"


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    from matplotlib.patches import PathPatch, Rectangle
    from matplotlib.path import Path as MplPath

    lab = LABELS[lang]
    fig, axes = plt.subplots(2, 2, figsize=(8.2, 8.4), facecolor="white")
    plain = [f"$x_{i}$" for i in range(1, N + 1)]
    split = [f"$x_{i}$" for i in range(1, SPLIT + 1)] + [f"$y_{i}$" for i in range(1, N - SPLIT + 1)]
    for ax, name in zip(axes.flat, PANELS):
        mask = MASKS[name]()
        # vector shapes only: one background square, one bar per row (every row's visible keys
        # are contiguous), white grid lines as a single path; keeps the SVG small
        ax.add_patch(Rectangle((-0.5, -0.5), N, N, facecolor=OFF, edgecolor="none"))
        for i in range(N):
            cols = np.flatnonzero(mask[i])
            ax.add_patch(Rectangle((cols[0] - 0.5, i - 0.5), len(cols), 1, facecolor=ON,
                                   edgecolor="none"))
        verts, codes = [], []
        for k in range(N + 1):
            verts += [(k - 0.5, -0.5), (k - 0.5, N - 0.5), (-0.5, k - 0.5), (N - 0.5, k - 0.5)]
            codes += [MplPath.MOVETO, MplPath.LINETO, MplPath.MOVETO, MplPath.LINETO]
        ax.add_patch(PathPatch(MplPath(verts, codes), edgecolor=GRID, linewidth=2.5, fill=False))
        ax.set_xlim(-0.5, N - 0.5)
        ax.set_ylim(N - 0.5, -0.5)
        ax.set_aspect("equal")
        ticks = split if name in ("encdec", "prefix") else plain
        ax.set_xticks(range(N), ticks, fontsize=11)
        ax.set_yticks(range(N), ticks, fontsize=11)
        ax.tick_params(which="both", length=0)
        ax.xaxis.tick_top()
        for spine in ax.spines.values():
            spine.set_visible(False)
        if name in ("encdec", "prefix"):
            ax.axhline(SPLIT - 0.5, color="#c05621", lw=2)
            ax.axvline(SPLIT - 0.5, color="#c05621", lw=2)
            first, second = ("source", "target") if name == "encdec" else ("prefix_part", "cont")
            ax.text(-1.35, (SPLIT - 1) / 2, lab[first], rotation=90, va="center", ha="center",
                    fontsize=10, color="#c05621")
            ax.text(-1.35, SPLIT + (N - SPLIT - 1) / 2, lab[second], rotation=90, va="center",
                    ha="center", fontsize=10, color="#c05621")
        ax.set_title(lab[name], fontsize=12, pad=26)
        ax.set_xlabel(lab["count"].format(k=int(mask.sum()), n=N * N), fontsize=11)
    fig.text(0.5, 0.005, f"{lab['rows']}: {lab['query']}  ·  {lab['cols']}: {lab['key']}", ha="center", fontsize=10.5,
             color="#4a5568")
    fig.suptitle(lab["title"], fontsize=13)
    fig.tight_layout(rect=(0.02, 0.02, 1, 0.97))
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw, LABELS)
