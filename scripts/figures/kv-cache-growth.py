"""KV cache size against sequence length for MHA, GQA-8 and MQA (question 98).

Usage: python scripts/figures/kv-cache-growth.py [OUTDIR]   (default: docs/assets/figures)
Writes kv-cache-growth-ru.svg and kv-cache-growth-en.svg.

Shapes of LLaMA-2-7B: 32 layers, 32 query heads of size 128, fp16 (2 bytes), batch 1.
Cache bytes = 2 (K and V) * layers * kv_heads * head_dim * bytes * tokens. The dashed line is
the fp16 weights of LLaMA-2-7B (6,738,415,616 parameters * 2 bytes = 12.55 GiB); with MHA the
cache overtakes it at about 25,700 tokens. The functions are imported by
tests/content/test_llm_systems.py.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from _figure import main, save, setup  # noqa: E402

NAME = "kv-cache-growth"
LAYERS, HEAD_DIM, BYTES = 32, 128, 2
VARIANTS = (("MHA", 32), ("GQA-8", 8), ("MQA", 1))
N_PARAMS_7B = 6738415616
MAX_TOKENS = 32768
GIB = 2**30


def kv_bytes(kv_heads: int, tokens: int) -> int:
    return 2 * LAYERS * kv_heads * HEAD_DIM * BYTES * tokens


def weights_gib() -> float:
    return N_PARAMS_7B * BYTES / GIB


def crossover_tokens(kv_heads: int = 32) -> int:
    """Cached tokens at which the cache is as large as the fp16 weights, rounded to hundreds."""
    return int(round(N_PARAMS_7B * BYTES / kv_bytes(kv_heads, 1), -2))


LABELS = {
    "en": {
        "x": "cached tokens (batch 1)",
        "y": "KV cache, GiB (fp16)",
        "title": "KV cache of a LLaMA-2-7B-shaped model (32 layers, head size 128)",
        "line": "{name}: {kv} KV head{s}",
        "weights": "fp16 weights of LLaMA-2-7B: {w:.2f} GiB",
        "cross": "MHA cache = weights\nat ≈ {t:,} tokens",
    },
    "ru": {
        "x": "закэшированных токенов (батч 1)",
        "y": "KV-кэш, ГиБ (fp16)",
        "title": "KV-кэш модели с размерами LLaMA-2-7B (32 слоя, размер головы 128)",
        "line": "{name}: голов K/V — {kv}{s}",
        "weights": "веса LLaMA-2-7B в fp16: {w:.2f} ГиБ",
        "cross": "кэш MHA = весам\nпри ≈ {t:,} токенах",
    },
}
COLORS = {"MHA": "#d62728", "GQA-8": "#1f77b4", "MQA": "#2ca02c"}


def draw(lang: str, outdir: Path) -> Path:
    plt = setup()
    lab = LABELS[lang]
    sep = "\u00a0" if lang == "ru" else ","
    tokens = [0, MAX_TOKENS]
    fig, ax = plt.subplots(figsize=(7.2, 4.4), facecolor="white")
    for name, kv in VARIANTS:
        ax.plot(tokens, [kv_bytes(kv, t) / GIB for t in tokens], color=COLORS[name], lw=2.2,
                label=lab["line"].format(name=name, kv=kv, s="s" if lang == "en" and kv > 1 else ""))
        end = kv_bytes(kv, MAX_TOKENS) / GIB
        ax.annotate(f"{end:g}", (MAX_TOKENS, end), xytext=(4, 0), textcoords="offset points",
                    va="center", fontsize=9, color=COLORS[name])
    w = weights_gib()
    ax.axhline(w, color="#555555", ls="--", lw=1.3)
    ax.text(600, w + 0.35, lab["weights"].format(w=w), fontsize=9.5, color="#333333")
    cross = crossover_tokens()
    ax.plot([cross], [w], "o", color=COLORS["MHA"], ms=6)
    ax.annotate(lab["cross"].format(t=cross).replace(",", sep), (cross, w), xytext=(-20, -75),
                textcoords="offset points", fontsize=9.5,
                arrowprops=dict(arrowstyle="->", color="#555555", lw=1))
    ax.set_xlim(0, MAX_TOKENS * 1.07)
    ax.set_ylim(0, 17.5)
    ax.set_xticks([0, 4096, 8192, 16384, 24576, 32768])
    ax.set_xticklabels(["0", "4096", "8192", f"16{sep}384", f"24{sep}576", f"32{sep}768"])
    ax.set_xlabel(lab["x"])
    ax.set_ylabel(lab["y"])
    ax.set_title(lab["title"], fontsize=11)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize=9.5, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return save(fig, NAME, lang, outdir, facecolor="white")


if __name__ == "__main__":
    main(draw, LABELS)
