"""TF-IDF weights of a four-document toy corpus (scikit-learn defaults), RU and EN.

Used by classic-nlp/tfidf-ml/tfidf-from-scratch and tfidf-normalization.
Run: python scripts/figures/tfidf-toy-heatmap.py [OUTDIR]
"""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

sys.path.insert(0, str(Path(__file__).parent))
from _figure import label_cells, main, save, setup  # noqa: E402

plt = setup()

NAME = "tfidf-toy-heatmap"

DOCS = [
    "the cat sat on the mat",
    "the dog sat on the log",
    "the cat chased the dog",
    "the dog slept",
]

TEXT = {
    "ru": {
        "title": "Веса TF-IDF (scikit-learn по умолчанию: smooth_idf, L2)",
        "xlabel": "слово (в скобках: df, idf)",
        "doc": "док.",
        "cbar": "вес после L2-нормировки",
    },
    "en": {
        "title": "TF-IDF weights (scikit-learn defaults: smooth_idf, L2)",
        "xlabel": "term (in brackets: df, idf)",
        "doc": "doc",
        "cbar": "weight after L2 normalisation",
    },
}


def draw(lang: str, outdir: Path) -> Path:
    t = TEXT[lang]
    vec = TfidfVectorizer()
    weights = vec.fit_transform(DOCS).toarray()
    terms = vec.get_feature_names_out()
    df = (weights > 0).sum(axis=0)

    fig, ax = plt.subplots(figsize=(9.0, 3.8))
    fig.patch.set_facecolor("white")
    image = ax.imshow(weights, cmap="Blues", vmin=0.0, vmax=0.8, aspect="auto")
    label_cells(ax, [[f"{v:.3f}" if v > 0 else "·" for v in row] for row in weights],
                np.where(weights > 0.55, "white", "black"), fontsize=9)
    ax.set_xticks(range(len(terms)))
    ax.set_xticklabels(
        [f"{term}\n({d}, {idf:.2f})" for term, d, idf in zip(terms, df, vec.idf_)], fontsize=9
    )
    ax.set_yticks(range(len(DOCS)))
    ax.set_yticklabels([f"{t['doc']} {i + 1}: «{d}»" if lang == "ru" else f"{t['doc']} {i + 1}: “{d}”"
                        for i, d in enumerate(DOCS)], fontsize=9)
    ax.set_xlabel(t["xlabel"], fontsize=10)
    ax.set_title(t["title"], fontsize=11)
    cbar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    cbar.set_label(t["cbar"], fontsize=9)
    return save(fig, NAME, lang, outdir)


if __name__ == "__main__":
    main(draw, TEXT)
