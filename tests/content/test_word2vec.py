"""Checks for the WORD2VEC section (questions 16-24).

Every number in the worked examples is computed twice, with our own small code and with a
reference library (torch, numpy/scipy, scikit-learn), and must appear, formatted, in both the
Russian and the English page. Every ```python block of these pages must run as written, and
the numbers in its "# ..." comments must match what it prints.

Number formatting used by the pages:
  * decimals always with a point;
  * integers >= 10000 outside math: "30,000" (en) and "30\u00a0000" (ru, no-break space);
  * integers >= 10000 inside math: "30\\,000" in both languages.
"""
from __future__ import annotations

import math
from functools import partial

import numpy as np
import pytest

import content_pages as cp
from content_pages import (  # noqa: F401  (single_thread_torch: an autouse fixture)
    DOCS,
    LANGS,
    f3,
    fmt_math,
    single_thread_torch,
)

sp = cp.lazy("scipy.sparse")
torch = cp.lazy("torch")
nn = cp.lazy("torch.nn")
F = cp.lazy("torch.nn.functional")
sktext = cp.lazy("sklearn.feature_extraction.text")
pairwise = cp.lazy("sklearn.metrics.pairwise")

SECTION = DOCS / "classic-nlp" / "word2vec"
SLUGS = {
    16: "word2vec-training",
    17: "embedding-methods",
    18: "static-vs-contextual-embeddings",
    19: "cbow-vs-skip-gram",
    20: "glove-elmo-fasttext-word2vec",
    21: "negative-sampling",
    22: "dense-vs-sparse-embeddings",
    23: "embedding-dimension",
    24: "word2vec-short-texts",
}
FIGURE = "cbow-vs-skipgram"

page = partial(cp.read_page, SECTION)
assert_in_pages = partial(cp.assert_in_pages, SECTION)
assert_in_page = partial(cp.assert_in_page, SECTION)


def cos(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(a @ b / (math.sqrt(a @ a) * math.sqrt(b @ b)))


def sk_cos(a, b) -> float:
    return float(pairwise.cosine_similarity(np.atleast_2d(a), np.atleast_2d(b))[0, 0])


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def window_pairs(T: int, m: int) -> int:
    """(centre, context) pairs of one text: our own loop."""
    return sum(min(i, m) + min(T - 1 - i, m) for i in range(T))


def window_pairs_ref(T: int, m: int) -> int:
    """The same count from a distance matrix (numpy)."""
    idx = np.arange(T)
    dist = np.abs(np.subtract.outer(idx, idx))
    return int(((dist >= 1) & (dist <= m)).sum())


# --------------------------------------------------------------------------- Q16


def test_q16_softmax_step():
    v = np.array([1.0, 0.5])
    U = np.array([[0.5, 1.0], [0.0, 0.2], [1.0, 1.0], [-1.0, 0.5]])
    scores = [float(u @ v) for u in U]
    assert scores == pytest.approx([1.0, 0.1, 1.5, -0.75])
    z = sum(math.exp(s) for s in scores)
    p = [math.exp(s) / z for s in scores]
    loss = -math.log(p[2])
    grad = [sum(p[w] * U[w, k] for w in range(4)) - U[2, k] for k in range(2)]

    # reference: torch cross-entropy and autograd
    vt = torch.tensor(v, requires_grad=True)
    logits = torch.tensor(U) @ vt
    ref = F.cross_entropy(logits[None], torch.tensor([2]))
    ref.backward()
    assert torch.softmax(logits, 0).detach().numpy() == pytest.approx(p)
    assert ref.item() == pytest.approx(loss)
    assert vt.grad.numpy() == pytest.approx(grad)

    v2 = v - 0.5 * np.array(grad)
    logits2 = torch.tensor(U) @ torch.tensor(v2)
    p2 = torch.softmax(logits2, 0)[2].item()
    loss2 = F.cross_entropy(logits2[None], torch.tensor([2])).item()
    assert loss2 < loss
    assert [f3(x) for x in p] == ["0.310", "0.126", "0.511", "0.054"]
    assert_in_pages(SLUGS[16], "= 0.310", "= 0.126", "= 0.511", "= 0.054", "−0.75", "1.5,",
                    f"-\\log 0.511 = {f3(loss)}", f"({f3(grad[0])}, {f3(grad[1])})",
                    f"({f3(v2[0])}, {f3(v2[1])})", f"= {f3(p2)}",
                    "$V = " + fmt_math(100_000) + "$", 100_000, "$K = 5$")
    assert_in_page(SLUGS[16], "en", f"drops to {f3(loss2)}", "needs 6")
    assert_in_page(SLUGS[16], "ru", f"падает до {f3(loss2)}", "всего 6")


# --------------------------------------------------------------------------- Q17


def test_q17_ppmi_example():
    X = np.array([[10, 4, 3, 0], [10, 3, 4, 1], [10, 0, 0, 5]], dtype=float)
    N = X.sum()
    assert N == 50
    rows, cols = X.sum(1), X.sum(0)
    assert list(rows) == [17, 18, 15] and list(cols) == [30, 7, 7, 6]

    # own PMI, cell by cell
    def pmi(i, j):
        return math.log(X[i, j] * N / (rows[i] * cols[j])) if X[i, j] > 0 else -math.inf

    own = np.array([[max(pmi(i, j), 0.0) for j in range(4)] for i in range(3)])
    with np.errstate(divide="ignore"):
        ref = np.maximum(np.log(X * N / np.outer(rows, cols)), 0)
    assert own == pytest.approx(ref)

    raw_cat_car, raw_cat_dog = cos(X[0], X[2]), cos(X[0], X[1])
    ppmi_cat_car, ppmi_cat_dog = cos(own[0], own[2]), cos(own[0], own[1])
    assert raw_cat_car == pytest.approx(sk_cos(X[0], X[2]))
    assert raw_cat_dog == pytest.approx(sk_cos(X[0], X[1]))
    assert ppmi_cat_car == pytest.approx(sk_cos(ref[0], ref[2]))
    assert ppmi_cat_dog == pytest.approx(sk_cos(ref[0], ref[1]))
    assert ppmi_cat_car == 0.0

    assert_in_pages(SLUGS[17], "$N = 50$", f"= {f3(raw_cat_car)}$", f"= {f3(raw_cat_dog)}$",
                    f"17 \\cdot 7}} = {f3(pmi(0, 1))}$", f"17 \\cdot 30}} = {f3(pmi(0, 0))}$",
                    f"{math.exp(pmi(0, 1)):.2f}", f"= {f3(ppmi_cat_car)}$", f"= {f3(ppmi_cat_dog)}$")


# --------------------------------------------------------------------------- Q18


def test_q18_toy_contextualisation():
    bank, river, money = np.array([1.0, 1, 0]), np.array([0.0, 2, 0]), np.array([2.0, 0, 0])
    h_a, h_b = 0.5 * bank + 0.5 * river, 0.5 * bank + 0.5 * money
    assert list(h_a) == [0.5, 1.5, 0] and list(h_b) == [1.5, 0.5, 0]
    values = {
        "static": cos(bank, bank),
        "bank_river": cos(bank, river),
        "bank_money": cos(bank, money),
        "a_b": cos(h_a, h_b),
        "a_river": cos(h_a, river),
        "a_money": cos(h_a, money),
    }
    t = torch.tensor
    assert values["a_b"] == pytest.approx(F.cosine_similarity(t(h_a), t(h_b), dim=0).item())
    assert values["a_river"] == pytest.approx(sk_cos(h_a, river))
    assert values["a_money"] == pytest.approx(sk_cos(h_a, money))
    assert values["bank_river"] == pytest.approx(values["bank_money"]) == pytest.approx(sk_cos(bank, river))
    assert_in_pages(SLUGS[18], "$(1, 1, 0)$", "(0.5, 1.5, 0)", "(1.5, 0.5, 0)",
                    f3(values["static"]), f"= {f3(values['bank_river'])}$", f3(values["a_b"]),
                    f"({f3(values['a_river'])})", f"({f3(values['a_money'])})",
                    "110M")


# --------------------------------------------------------------------------- Q19


def test_q19_prediction_counts():
    T, m, K = 5, 2, 5
    sg = window_pairs(T, m)
    assert sg == window_pairs_ref(T, m) == 14
    per_position = [min(i, m) + min(T - 1 - i, m) for i in range(T)]
    assert per_position == [2, 3, 4, 3, 2]
    cbow_dots, sg_dots = T * (K + 1), sg * (K + 1)
    assert (cbow_dots, sg_dots) == (30, 84)
    assert sg_dots / cbow_dots == pytest.approx(2.8)

    # dynamic window: radius b uniform on 1..m, a context on each side -> mean of 2b
    m = 5
    mean_pred = np.mean([2 * b for b in range(1, m + 1)])
    assert mean_pred == m + 1 == 6
    assert_in_pages(SLUGS[19], "$T = 5$", "$m = 2$", "2, 3, 4, 3, 2", "14", "$K + 1 = 6$",
                    "30", "84", "2.8", "$m = 5$")
    assert_in_page(SLUGS[19], "en", "5 predictions", "14 predictions", "average 6 predictions",
                   "CBOW trains faster")
    assert_in_page(SLUGS[19], "ru", "5 предсказаний", "14 предсказаний", "в среднем 6 предсказаний",
                   "Быстрее учится CBOW")


def test_q19_figure_is_used_and_labelled():
    """The committed SVGs are referenced by the pages and carry labels in the page's language.
    (Regenerating them is covered by the figure-script test.)"""
    labels = {"ru": ("одно предсказание на окно", "центральное слово"),
              "en": ("one prediction per window", "centre word")}
    cp.assert_figure_used(SECTION, FIGURE, [SLUGS[19]])
    for lang in LANGS:
        svg = (cp.FIGURES / f"{FIGURE}-{lang}.svg").read_text(encoding="utf-8")
        assert "<script" not in svg
        for label in labels[lang]:
            assert label in svg, (lang, label)
    # the Agg backend and the fixed SVG hash salt come from the shared scripts/figures/_figure.py
    script = (cp.FIGURE_SCRIPTS / f"{FIGURE}.py").read_text(encoding="utf-8")
    assert "from _figure import" in script and "setup()" in script
    shared = (cp.FIGURE_SCRIPTS / "_figure.py").read_text(encoding="utf-8")
    assert 'matplotlib.use("Agg")' in shared and '"svg.hashsalt"' in shared


# --------------------------------------------------------------------------- Q20


def test_q20_fasttext_glove_elmo():
    word = "<where>"
    own = [word[i:i + n] for n in range(3, 7) for i in range(len(word) - n + 1)]
    ref = sktext.CountVectorizer(analyzer="char", ngram_range=(3, 6), lowercase=False).fit([word])
    assert sorted(own) == sorted(ref.vocabulary_)
    assert len(own) == len(set(own)) == 14
    assert "her" in own and "<her>" not in own

    def glove_f(x, x_max=100, alpha=0.75):
        return (x / x_max) ** alpha if x < x_max else 1.0

    xs = [1, 10, 50, 100, 1000]
    ref_f = torch.clamp((torch.tensor(xs, dtype=torch.float64) / 100) ** 0.75, max=1.0)
    assert [glove_f(x) for x in xs] == pytest.approx(ref_f.tolist())

    w = [0.0, 1.0, 2.0]
    s = [math.exp(x) / sum(math.exp(y) for y in w) for x in w]
    s_ref = torch.softmax(torch.tensor(w, dtype=torch.float64), 0)
    assert s == pytest.approx(s_ref.tolist())
    H = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=torch.float64)
    mix = (s_ref @ H).tolist()
    assert mix == pytest.approx([s[0] + s[2], s[1] + s[2]])

    assert_in_pages(SLUGS[20], *[f"`{g}`" for g in own], "14", "15", "`<where>`", "`<her>`",
                    f"f(1) = {f3(glove_f(1))}", f"f(10) = {f3(glove_f(10))}",
                    f"f(50) = {f3(glove_f(50))}", "$x_{\\max} = 100$",
                    f"({f3(s[0])}, {f3(s[1])}, {f3(s[2])})", f"({f3(mix[0])}, {f3(mix[1])})")


# --------------------------------------------------------------------------- Q21


def test_q21_negative_sampling_loss():
    v_c = [0.5, -0.2, 0.3]
    vectors = [[0.8, 0.1, 0.4], [-0.3, 0.6, 0.2], [0.4, 0.0, -0.5]]
    dots = [sum(a * b for a, b in zip(u, v_c)) for u in vectors]
    assert dots == pytest.approx([0.5, -0.21, 0.05])
    terms = [-math.log(sigmoid(dots[0]))] + [-math.log(sigmoid(-d)) for d in dots[1:]]
    loss = sum(terms)
    grad = [(sigmoid(dots[0]) - 1) * vectors[0][k]
            + sum(sigmoid(d) * u[k] for d, u in zip(dots[1:], vectors[1:])) for k in range(3)]

    vt = torch.tensor(v_c, dtype=torch.float64, requires_grad=True)
    logits = torch.tensor(vectors, dtype=torch.float64) @ vt
    ref = F.binary_cross_entropy_with_logits(logits, torch.tensor([1.0, 0.0, 0.0], dtype=torch.float64),
                                             reduction="sum")
    ref.backward()
    assert ref.item() == pytest.approx(loss)
    assert vt.grad.tolist() == pytest.approx(grad)

    sig = [sigmoid(d) for d in dots]
    assert_in_pages(SLUGS[21], "u_o^\\top v_c = 0.5$", "u_1^\\top v_c = -0.21$", "u_2^\\top v_c = 0.05$",
                    f"\\sigma(0.5) = {f3(sig[0])}$", f"\\sigma(-0.21) = {f3(sig[1])}$",
                    f"\\sigma(0.05) = {f3(sig[2])}$", f"\\sigma(0.5) = {f3(terms[0])}$",
                    f"\\sigma(0.21) = {f3(terms[1])}$", f"\\sigma(-0.05) = {f3(terms[2])}$",
                    f"$L = {f3(loss)}$", "(" + ", ".join(f3(g) for g in grad) + ")")


def test_q21_noise_subsampling_window_cost():
    counts = [81, 16, 1]
    total = sum(counts)
    unigram = [c / total for c in counts]
    powered = [c ** 0.75 for c in counts]
    assert powered == pytest.approx([27, 8, 1])
    noise = [p / sum(powered) for p in powered]
    ref = torch.tensor(counts, dtype=torch.float64) ** 0.75
    assert noise == pytest.approx((ref / ref.sum()).tolist())
    boost = noise[2] / unigram[2]

    t = 1e-5
    freqs = [0.05, 0.001, 0.0001, 1e-5]
    own = [max(0.0, 1 - math.sqrt(t / f)) for f in freqs]
    ref_sub = np.clip(1 - np.sqrt(t / np.array(freqs)), 0, None)
    assert own == pytest.approx(ref_sub.tolist())
    assert own[-1] == 0.0

    m = 5
    # probability that a neighbour at distance j is inside a window of radius b ~ U{1..m}
    own_w = [sum(1 for b in range(1, m + 1) if j <= b) / m for j in range(1, m + 1)]
    assert own_w == pytest.approx([(m - j + 1) / m for j in range(1, m + 1)])

    log2v = math.log2(100_000)
    assert np.log2(100_000) == pytest.approx(log2v)

    table = [f"| {c} | {f3(u)} | {int(round(p))} | {f3(n)} |" for c, u, p, n in
             zip(counts, unigram, powered, noise)]
    assert_in_pages(SLUGS[21], *table, f"{boost:.2f}", f"{f3(own[0])};", f"{f3(own[1])};",
                    f"{f3(own[2])};", "$t = 10^{-5}$", "1, 0.8, 0.6, 0.4, 0.2",
                    f"\\approx {log2v:.1f}$", "17", "$V = " + fmt_math(100_000) + "$", 100_000)


# --------------------------------------------------------------------------- Q22


def test_q22_similarity_and_memory():
    V = 50_000
    onehot = np.zeros((2, V))
    onehot[0, 10], onehot[1, 20] = 1, 1
    assert cos(onehot[0], onehot[1]) == 0.0 == sk_cos(onehot[0], onehot[1])

    cat, kitten, car = [0.8, 0.6, 0.1], [0.7, 0.7, 0.2], [0.1, -0.2, 0.9]
    assert cos(cat, kitten) == pytest.approx(sk_cos(cat, kitten))
    assert cos(cat, car) == pytest.approx(sk_cos(cat, car))

    for lang, docs in (("en", ["cats chase mice", "kittens hunt rodents", "cats chase dogs"]),
                       ("ru", ["кошки гоняют мышей", "котята ловят грызунов", "кошки гоняют собак"])):
        vocab = sorted({w for d in docs for w in d.split()})
        own = np.array([[d.split().count(w) for w in vocab] for d in docs], dtype=float)
        ref = pairwise.cosine_similarity(sktext.CountVectorizer().fit_transform(docs))
        assert cos(own[0], own[1]) == pytest.approx(ref[0, 1]) == 0.0
        assert cos(own[0], own[2]) == pytest.approx(ref[0, 2]) == pytest.approx(2 / 3)
        assert_in_page(SLUGS[22], lang, *(f"«{d}»" if lang == "ru" else f'"{d}"' for d in docs))

    nnz = 20
    csr = sp.csr_matrix((np.ones(nnz, dtype=np.float32), (np.zeros(nnz, int), np.arange(nnz) * 7)),
                        shape=(1, V))
    csr.indices = csr.indices.astype(np.int32)
    csr.indptr = csr.indptr.astype(np.int32)
    csr_bytes = csr.data.nbytes + csr.indices.nbytes + csr.indptr.nbytes
    assert csr_bytes == nnz * 4 + nnz * 4 + 2 * 4 == 168
    assert np.zeros(V, dtype=np.float32).nbytes == V * 4 == 200_000
    assert np.zeros(300, dtype=np.float32).nbytes == 1200
    tfidf_bytes = 1_000_000 * 100_000 * 4
    assert tfidf_bytes == 400 * 10**9

    assert_in_pages(SLUGS[22], "$V = " + fmt_math(V) + "$", V, 200_000, "1200", "168",
                    f"{200_000 / 1200:.1f}", f"{100 * nnz / V:.2f}%",
                    f"= {f3(cos(cat, kitten))}$", f"= {f3(cos(cat, car))}$", "0.000", "0.667",
                    100_000, "400")


# --------------------------------------------------------------------------- Q23


def test_q23_parameter_counts_and_memory():
    V, d = 30_000, 300
    table = nn.Embedding(V, d)
    assert table.weight.numel() == V * d == 9_000_000
    assert table.weight.numel() * table.weight.element_size() == 36_000_000
    assert 2 * V * d == 18_000_000
    google_news = 3_000_000 * 300 * 4
    assert google_news == 3.6e9

    bert = nn.Embedding(30_522, 768)
    assert bert.weight.numel() == 30_522 * 768 == 23_440_896
    bert_mb = bert.weight.numel() * 4 / 1e6
    assert 0.19 < 23_440_896 / 110e6 < 0.22        # "about a fifth" of BERT-base

    albert = nn.Sequential(nn.Embedding(V, 128), nn.Linear(128, 768, bias=False))
    albert_n = sum(p.numel() for p in albert.parameters())
    assert albert_n == V * 128 + 128 * 768 == 3_938_304
    full = nn.Embedding(V, 768).weight.numel()
    assert full == 23_040_000
    ratio = full / albert_n

    index_768 = np.zeros((1000, 768), dtype=np.float32).nbytes * 1000   # 1,000,000 documents
    index_256 = np.zeros((1000, 256), dtype=np.float32).nbytes * 1000
    assert (index_768, index_256) == (1_000_000 * 768 * 4, 1_000_000 * 256 * 4)

    assert_in_pages(SLUGS[23], "$V = " + fmt_math(V) + "$", "$d = 300$",
                    f"{fmt_math(V)} \\times 300 = {fmt_math(9_000_000)}$", 36_000_000, 18_000_000,
                    f"{google_news / 1e9:.1f}", f"{fmt_math(30_522)} \\times 768 = {fmt_math(23_440_896)}$",
                    f"{bert_mb:.1f}", f"= {fmt_math(albert_n)}$", f"= {fmt_math(full)}$",
                    f"{ratio:.2f}", 1_000_000, f"{index_768 / 1e9:.3f}", f"{index_256 / 1e9:.3f}",
                    "768", "1024", "100–300", "110M")
    assert_in_page(SLUGS[23], "en", "36 MB", "GB")
    assert_in_page(SLUGS[23], "ru", "36 МБ", "ГБ")


# --------------------------------------------------------------------------- Q24


def test_q24_pairs_and_sif():
    long_pairs, short_pairs = window_pairs(50, 5), window_pairs(5, 5)
    assert (long_pairs, short_pairs) == (window_pairs_ref(50, 5), window_pairs_ref(5, 5)) == (470, 20)
    # closed form from the page: 2 * sum_{j=1}^{min(m, T-1)} (T - j)
    assert long_pairs == 2 * sum(50 - j for j in range(1, 6))
    assert short_pairs == 2 * sum(5 - j for j in range(1, 5))
    ratio = long_pairs / (10 * short_pairs)

    a = 1e-3
    p = [0.05, 1e-3, 1e-5]
    own = [a / (a + x) for x in p]
    ref = (a / (a + torch.tensor(p, dtype=torch.float64))).tolist()
    assert own == pytest.approx(ref)

    assert_in_pages(SLUGS[24], "$m = 5$", f"\\operatorname{{pairs}}(50, 5) = {long_pairs}$",
                    f"{long_pairs / 50:.1f}", f"\\operatorname{{pairs}}(5, 5) = {short_pairs}$",
                    str(10 * short_pairs), f"{ratio:.2f}", "$a = 10^{-3}$",
                    *(f3(w) for w in own))


# --------------------------------------------------------------------------- code blocks

