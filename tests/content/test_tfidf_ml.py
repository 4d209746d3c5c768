"""Checks for the TF-IDF & ML section (questions 1-8).

Every number in the worked examples is computed twice — with small code of our own and with a
reference library (scikit-learn, scipy, numpy, nltk's offline stemmers) — and must appear,
formatted, in both the Russian and the English page. Every ```python block of these pages must
run as written, in a fresh namespace, and the numbers in its "# ..." comments must match what it prints.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from fractions import Fraction
from functools import partial

import numpy as np
import pytest

import content_pages as cp
from content_pages import DOCS, f3

distance = cp.lazy("scipy.spatial.distance")
stats = cp.lazy("scipy.stats")
datasets = cp.lazy("sklearn.datasets")
sktext = cp.lazy("sklearn.feature_extraction.text")
skm = cp.lazy("sklearn.metrics")
pairwise = cp.lazy("sklearn.metrics.pairwise")
model_selection = cp.lazy("sklearn.model_selection")
naive_bayes = cp.lazy("sklearn.naive_bayes")
svm = cp.lazy("sklearn.svm")

SECTION = DOCS / "classic-nlp" / "tfidf-ml"
SLUGS = {
    1: "tfidf-from-scratch",
    2: "tfidf-normalization",
    3: "tfidf-today",
    4: "naive-bayes",
    5: "svm-overfitting",
    6: "lemmatization-stemming",
    7: "text-similarity-metrics",
    8: "cosine-similarity-vs-distance",
}
NOTEBOOKS = {1: "tfidf", 2: "tfidf"}
FIGURES = {"tfidf-toy-heatmap": [1], "cosine-triangle": [8]}

CORPUS = [
    "the cat sat on the mat",
    "the dog sat on the log",
    "the cat chased the dog",
    "the dog slept",
]
TOKEN = re.compile(r"(?u)\b\w\w+\b")


# ----------------------------------------------------------------------------- helpers


page = partial(cp.read_page, SECTION)
on_both_pages = partial(cp.assert_in_pages, SECTION)
on_each_page = partial(cp.assert_in_each_page, SECTION)


def our_tfidf(docs: list[str]):
    """A second, independent TF-IDF: Counter-based, pure Python loops, smoothed idf."""
    tokens = [TOKEN.findall(d.lower()) for d in docs]
    vocab = sorted({t for doc in tokens for t in doc})
    n = len(docs)
    df = {t: sum(t in doc for doc in tokens) for t in vocab}
    idf = {t: math.log((1 + n) / (1 + df[t])) + 1 for t in vocab}
    return vocab, idf, tokens, n


def our_vector(doc: str, vocab: list[str], idf: dict, *, sublinear=False, norm="l2") -> np.ndarray:
    counts = Counter(t for t in TOKEN.findall(doc.lower()) if t in idf)
    tf = {t: (1 + math.log(c) if sublinear else c) for t, c in counts.items()}
    w = np.array([tf.get(t, 0.0) * idf[t] for t in vocab])
    if norm == "l2" and np.linalg.norm(w) > 0:
        w = w / np.linalg.norm(w)
    return w


# ----------------------------------------------------------------------------- page structure


@pytest.mark.parametrize("name", sorted(FIGURES))
def test_figures_exist_and_are_used(name: str) -> None:
    cp.assert_figure_used(SECTION, name, [SLUGS[qid] for qid in FIGURES[name]])


def test_heatmap_svg_shows_the_page_numbers() -> None:
    svg = (DOCS / "assets" / "figures" / "tfidf-toy-heatmap-en.svg").read_text(encoding="utf-8")
    for value in ("0.525", "0.503", "0.396", "0.772"):
        assert value in svg


# ----------------------------------------------------------------------------- Q1 tfidf-from-scratch


def test_q1_idf_variants_table() -> None:
    vocab, idf, tokens, n = our_tfidf(CORPUS)
    ref = sktext.TfidfVectorizer().fit(CORPUS)
    assert list(ref.get_feature_names_out()) == vocab
    assert np.allclose(ref.idf_, [idf[t] for t in vocab])
    expected_df = {"mat": 1, "cat": 2, "dog": 3, "the": 4}
    rows = []
    for word, df in expected_df.items():
        assert sum(word in doc for doc in tokens) == df
        classic, plus_one = math.log(n / df), math.log(n / (df + 1))
        assert np.isclose(classic, np.log(4 / df))
        smooth = ref.idf_[ref.vocabulary_[word]]
        rows.append(f"| {word} | {df} | {f3(classic)} | {f3(plus_one)} | {f3(smooth)} |")
    on_both_pages(SLUGS[1], *rows)
    # the "+1 in the denominator" variant: zero for dog, negative for the
    assert math.log(4 / 4) == 0 and math.log(4 / 5) < 0
    on_both_pages(SLUGS[1], "-0.223")


def test_q1_document_one_vector() -> None:
    vocab, idf, _, _ = our_tfidf(CORPUS)
    raw = our_vector(CORPUS[0], vocab, idf, norm=None)
    unit = our_vector(CORPUS[0], vocab, idf)
    ref_raw = sktext.TfidfVectorizer(norm=None).fit_transform(CORPUS).toarray()[0]
    ref_unit = sktext.TfidfVectorizer().fit_transform(CORPUS).toarray()[0]
    assert np.allclose(raw, ref_raw) and np.allclose(unit, ref_unit)
    w = dict(zip(vocab, raw))
    u = dict(zip(vocab, unit))
    assert w["the"] == 2.0
    norm = np.linalg.norm(raw)
    on_both_pages(
        SLUGS[1],
        f"$2\\cdot1.000={f3(w['the'])}$",
        f"cat = sat = on = {f3(w['cat'])}",
        f"mat = {f3(w['mat'])}",
        f"= {f3(norm)},",
        f"the = {f3(u['the'])}, mat = {f3(u['mat'])}, cat = sat = on = {f3(u['cat'])}",
        f"({f3(u['the'])} ",
    )
    assert u["the"] == max(u.values())
    occurrences = sum(doc.split().count("the") for doc in CORPUS)
    assert occurrences == 7
    on_each_page(SLUGS[1], {"en": ["7 times"], "ru": ["7 раз"]})


# ----------------------------------------------------------------------------- Q2 tfidf-normalization


def test_q2_doubled_document_table() -> None:
    doubled = CORPUS[0] + " " + CORPUS[0]
    vocab, idf, _, _ = our_tfidf(CORPUS)
    j = vocab.index("the")
    rows = []
    for sublinear, norm, params in [
        (False, None, {"norm": None}),
        (False, "l2", {"norm": "l2"}),
        (True, "l2", {"sublinear_tf": True}),
    ]:
        a = our_vector(CORPUS[0], vocab, idf, sublinear=sublinear, norm=norm)
        b = our_vector(doubled, vocab, idf, sublinear=sublinear, norm=norm)
        ref = sktext.TfidfVectorizer(**params).fit(CORPUS).transform([CORPUS[0], doubled]).toarray()
        assert np.allclose(ref, [a, b])
        cos = pairwise.cosine_similarity([a], [b])[0, 0]
        assert np.isclose(cos, a @ b / np.linalg.norm(a) / np.linalg.norm(b))
        rows.append(f"| {f3(a[j])} | {f3(b[j])} | {f3(cos)} |")
    on_both_pages(SLUGS[2], *rows)


def test_q2_other_numbers() -> None:
    doubled = CORPUS[0] + " " + CORPUS[0]
    vocab, idf, _, _ = our_tfidf(CORPUS)
    raw2 = dict(zip(vocab, our_vector(doubled, vocab, idf, norm=None)))
    sub = dict(zip(vocab, our_vector(CORPUS[0], vocab, idf, sublinear=True)))
    ref_sub = sktext.TfidfVectorizer(sublinear_tf=True).fit_transform(CORPUS).toarray()[0]
    assert np.allclose(ref_sub, [sub[t] for t in vocab])
    assert sub["mat"] == max(sub.values())
    logs = [1 + math.log(c) for c in (1, 2, 10, 100)]
    assert np.allclose(logs, 1 + np.log([1, 2, 10, 100]))
    X = sktext.TfidfVectorizer().fit_transform(CORPUS)
    dot12 = (X @ X.T).toarray()[0, 1]
    assert np.isclose(dot12, pairwise.cosine_similarity(X)[0, 1])
    assert Fraction(10, 1000) == Fraction(5, 500) == Fraction(1, 100)
    on_both_pages(
        SLUGS[2],
        f"cat {f3(raw2['cat'])}, mat {f3(raw2['mat'])}",
        ", ".join(f"{x:g}" if x == 1 else f3(x) for x in logs),
        f"$1+\\ln 2 = {f3(logs[1])}$",
        f"$1+\\ln 4 = {f3(1 + math.log(4))}$",
        f"({f3(sub['mat'])})",
        f"{f3(dot12)}",
        "tf = 0.01",
    )


# ----------------------------------------------------------------------------- Q3 tfidf-today


def test_q3_retrieval_scores() -> None:
    vocab, idf, _, _ = our_tfidf(CORPUS)
    docs = np.array([our_vector(d, vocab, idf) for d in CORPUS])
    vec = sktext.TfidfVectorizer().fit(CORPUS)
    X = vec.transform(CORPUS)
    q = our_vector("cat on a mat", vocab, idf)
    ours = docs @ q
    ref = pairwise.linear_kernel(vec.transform(["cat on a mat"]), X)[0]
    assert np.allclose(ours, ref)
    assert np.argmax(ours) == 0 and ours[3] == 0
    on_both_pages(SLUGS[3], ", ".join(f3(s) for s in ours[:3]))
    for lang, word in (("en", "and"), ("ru", "и")):
        assert f"{f3(ours[2])} {word} {f3(ours[3])}" in page(SLUGS[3], lang)
    unseen = pairwise.linear_kernel(vec.transform(["kitten upon a rug"]), X)[0]
    assert np.allclose(unseen, 0) and np.allclose(docs @ our_vector("kitten upon a rug", vocab, idf), 0)
    on_both_pages(SLUGS[3], "0.000 —")


def test_q3_reciprocal_rank_fusion() -> None:
    rankings = [["A", "B", "C"], ["B", "C", "A"]]
    floats: dict[str, float] = {}
    exact: dict[str, Fraction] = {}
    for ranking in rankings:
        for rank, doc in enumerate(ranking, start=1):
            floats[doc] = floats.get(doc, 0.0) + 1 / (60 + rank)
            exact[doc] = exact.get(doc, Fraction(0)) + Fraction(1, 60 + rank)
    assert exact == {"A": Fraction(1, 61) + Fraction(1, 63), "B": Fraction(1, 62) + Fraction(1, 61),
                     "C": Fraction(1, 63) + Fraction(1, 62)}
    assert all(np.isclose(floats[d], float(exact[d])) for d in exact)
    assert sorted(exact, key=exact.get, reverse=True) == ["B", "A", "C"]
    on_both_pages(
        SLUGS[3],
        f"\\frac{{1}}{{61}}+\\frac{{1}}{{63}} = {float(exact['A']):.4f}",
        f"\\frac{{1}}{{62}}+\\frac{{1}}{{61}} = {float(exact['B']):.4f}",
        f"\\frac{{1}}{{63}}+\\frac{{1}}{{62}} = {float(exact['C']):.4f}",
    )


# ----------------------------------------------------------------------------- Q4 naive-bayes

TRAIN = ["win free money", "free free prize", "meeting at noon", "lunch money meeting"]
LABELS = np.array(["spam", "spam", "ham", "ham"])


def test_q4_bayes_warehouse() -> None:
    p_b1, p_b2 = Fraction(4000, 10000), Fraction(6000, 10000)
    p_s_b1, p_s_b2 = 1 - Fraction(20, 100), 1 - Fraction(10, 100)
    p_s = p_b1 * p_s_b1 + p_b2 * p_s_b2
    posterior = p_s_b1 * p_b1 / p_s
    assert (p_b1, p_s_b1 * p_b1, p_b2 * p_s_b2, p_s) == (
        Fraction(2, 5), Fraction(8, 25), Fraction(27, 50), Fraction(43, 50))
    assert posterior == Fraction(16, 43)
    # the same with floats, and the seed's wrong formula really exceeds 1
    assert np.isclose(0.4 * 0.8 / (0.4 * 0.8 + 0.6 * 0.9), float(posterior))
    assert (1 - 0.2) * 0.86 / 0.4 > 1
    on_both_pages(
        SLUGS[4],
        "0.4\\cdot0.8 + 0.6\\cdot0.9 = 0.32 + 0.54 = 0.86",
        "\\frac{0.32}{0.86} = \\frac{16}{43} \\approx " + f3(float(posterior)),
        f"{f3(float(posterior))}",
        "4000", "6000", "20%", "10%",
    )


def test_q4_spam_filter() -> None:
    vec = sktext.CountVectorizer()
    X = vec.fit_transform(TRAIN).toarray()
    vocab = list(vec.get_feature_names_out())
    assert len(vocab) == 8
    x = vec.transform(["free money meeting"]).toarray()[0]

    # our own counting, with exact fractions
    counts = {c: Counter(w for doc, lab in zip(TRAIN, LABELS) if lab == c for w in doc.split())
              for c in ("spam", "ham")}
    assert sum(counts["spam"].values()) == sum(counts["ham"].values()) == 6
    prob = {c: {w: Fraction(counts[c][w] + 1, 6 + 8) for w in vocab} for c in counts}
    rows = []
    for w in ("free", "money", "meeting"):
        ps, ph = prob["spam"][w], prob["ham"][w]
        rows.append(f"| {w} | {counts['spam'][w]} | {ps.numerator * 14 // ps.denominator}/14 | "
                    f"{counts['ham'][w]} | {ph.numerator * 14 // ph.denominator}/14 |")
    on_both_pages(SLUGS[4], *rows)

    # no smoothing: both likelihoods vanish
    for c, other in (("spam", "meeting"), ("ham", "free")):
        assert counts[c][other] == 0

    words = ["free", "money", "meeting"]
    score = {c: math.log(0.5) + sum(math.log(prob[c][w]) for w in words) for c in prob}
    like = {c: math.prod(prob[c][w] for w in words) for c in prob}
    p_spam = like["spam"] / (like["spam"] + like["ham"])
    assert p_spam == Fraction(8, 14) == Fraction(4, 7)

    nb = naive_bayes.MultinomialNB(alpha=1.0).fit(X, LABELS)
    assert list(nb.classes_) == ["ham", "spam"]
    assert np.allclose(nb.predict_joint_log_proba([x])[0], [score["ham"], score["spam"]])
    assert np.allclose(nb.predict_proba([x])[0], [1 - float(p_spam), float(p_spam)])

    logs = {"\\ln 0.5": math.log(0.5), "\\ln\\frac{4}{14}": math.log(4 / 14),
            "\\ln\\frac{2}{14}": math.log(2 / 14), "\\ln\\frac{1}{14}": math.log(1 / 14),
            "\\ln\\frac{3}{14}": math.log(3 / 14)}
    on_both_pages(
        SLUGS[4],
        *[f"${k} = {f3(v)}$" for k, v in logs.items()],
        f"= {f3(score['spam'])}$",
        f"= {f3(score['ham'])}$",
        f"\\frac{{8}}{{14}} = {f3(float(p_spam))}",
        f3(1 - float(p_spam)),
        "$\\lvert V\\rvert = 8$",
    )


# ----------------------------------------------------------------------------- Q5 svm-overfitting


def test_q5_rbf_kernel_values() -> None:
    a, b = np.array([[0.0, 0.0]]), np.array([[1.0, 0.0]])
    for gamma, text in ((0.1, "e^{-0.1} = 0.905"), (1, "e^{-1} = 0.368")):
        ours = math.exp(-gamma * 1.0)
        assert np.isclose(ours, pairwise.rbf_kernel(a, b, gamma=gamma)[0, 0])
        assert text.endswith(f3(ours))
        on_both_pages(SLUGS[5], text)
    tiny = pairwise.rbf_kernel(a, b, gamma=100)[0, 0]
    assert np.isclose(tiny, math.exp(-100), rtol=1e-12, atol=0)
    mantissa, exponent = f"{tiny:.1e}".split("e")
    on_both_pages(SLUGS[5], f"\\approx {mantissa}\\cdot10^{{{int(exponent)}}}")


def _moons_table(param: str, values, fixed: dict) -> list[str]:
    X, y = datasets.make_moons(n_samples=200, noise=0.3, random_state=0)
    X_tr, X_te, y_tr, y_te = model_selection.train_test_split(X, y, test_size=0.5, random_state=0)
    rows = []
    for v in values:
        clf = svm.SVC(kernel="rbf", **{param: v}, **fixed).fit(X_tr, y_tr)
        train_acc = float(np.mean(clf.predict(X_tr) == y_tr))
        test_acc = float(np.mean(clf.predict(X_te) == y_te))
        assert np.isclose(train_acc, clf.score(X_tr, y_tr)) and np.isclose(test_acc, clf.score(X_te, y_te))
        n_sv = int(clf.n_support_.sum())
        assert n_sv == len(clf.support_)
        rows.append(f"| {v:g} | {train_acc:.2f} | {test_acc:.2f} | {n_sv} |")
    return rows


def test_q5_gamma_table() -> None:
    rows = _moons_table("gamma", [0.1, 1, 10, 100, 1000], {"C": 1})
    on_both_pages(SLUGS[5], *rows)
    assert rows[-1] == "| 1000 | 1.00 | 0.53 | 100 |"


def test_q5_c_table() -> None:
    rows = _moons_table("C", [0.1, 1, 100, 1000], {"gamma": 5})
    on_both_pages(SLUGS[5], *rows)


def test_q5_margin_violators_sit_at_c() -> None:
    X, y = datasets.make_moons(n_samples=200, noise=0.3, random_state=0)
    X_tr, _, y_tr, _ = model_selection.train_test_split(X, y, test_size=0.5, random_state=0)
    clf = svm.SVC(kernel="rbf", C=1, gamma=5).fit(X_tr, y_tr)
    margin = (2 * y_tr - 1) * clf.decision_function(X_tr)
    violators = np.where(margin < 1 - 1e-3)[0]
    assert len(violators) > 0 and set(violators) <= set(clf.support_)
    alpha = dict(zip(clf.support_, np.abs(clf.dual_coef_[0])))
    assert all(np.isclose(alpha[i], 1.0, atol=1e-6) for i in violators)


# ----------------------------------------------------------------------------- Q6 lemmatization-stemming

STEM_TABLE = {
    "playing": ("play", "play"),
    "studies": ("studi", "studi"),
    "university": ("univers", "univers"),
    "universe": ("univers", "univers"),
    "organization": ("organ", "organ"),
    "generously": ("gener", "generous"),
    "fairly": ("fairli", "fair"),
    "went": ("went", "went"),
}
RU_STEMS = {"кошка": "кошк", "кошками": "кошк", "кошек": "кошек", "бежал": "бежа", "шёл": "шел", "люди": "люд"}


def test_q6_stemmer_tables() -> None:
    stem = pytest.importorskip("nltk.stem")  # the stemmers need no downloaded data
    porter, snowball, russian = stem.PorterStemmer(), stem.SnowballStemmer("english"), stem.SnowballStemmer("russian")
    rows = []
    for word, (p, s) in STEM_TABLE.items():
        assert (porter.stem(word), snowball.stem(word)) == (p, s)
        rows.append(f"| {word} | {p} | {s} |")
    on_both_pages(SLUGS[6], *rows)
    ru_rows = []
    for form, st in RU_STEMS.items():
        assert russian.stem(form) == st
        ru_rows.append(f"| {form} | {st} |")
    on_both_pages(SLUGS[6], *ru_rows)
    assert [porter.stem(w) for w in ["playing", "studies", "university", "universe"]] == \
        ["play", "studi", "univers", "univers"]
    on_both_pages(SLUGS[6], "['play', 'studi', 'univers', 'univers']", "('кошк', 'кошек')")


def test_q6_vocabulary_sizes() -> None:
    docs = ["she plays chess", "they played chess", "he is playing chess", "he went home", "we go home"]

    def crude_stem(word: str) -> str:
        for suffix in ("ing", "ed", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                return word[: -len(suffix)]
        return word

    lemmas = {"plays": "play", "played": "play", "playing": "play", "is": "be", "went": "go"}
    sizes = []
    for normalise in (str, crude_stem, lambda w: lemmas.get(w, w)):
        ours = {normalise(w) for d in docs for w in d.split()}
        base = sktext.CountVectorizer().build_analyzer()
        ref = sktext.CountVectorizer(analyzer=lambda d, f=normalise: [f(w) for w in base(d)]).fit(docs)
        assert ours == set(ref.vocabulary_)
        sizes.append(len(ours))
    assert sizes == [12, 10, 9]
    assert crude_stem("chess") == "ches"
    on_each_page(SLUGS[6], {
        "en": ["12 distinct tokens", "10 after", "9 after", '"chess" into "ches"'],
        "ru": ["12 различных токенов", "10 после", "9 после", "«chess» в «ches»"],
    })


# ----------------------------------------------------------------------------- Q7 text-similarity-metrics


def _levenshtein(s: str, t: str) -> int:
    prev = list(range(len(t) + 1))
    for i, cs in enumerate(s, start=1):
        cur = [i]
        for j, ct in enumerate(t, start=1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (cs != ct)))
        prev = cur
    return prev[-1]


def _sets_as_vectors(a: str, b: str):
    vocab = sorted(set(a.split()) | set(b.split()))
    return (np.array([w in a.split() for w in vocab]), np.array([w in b.split() for w in vocab]))


def test_q7_lexical_numbers() -> None:
    s1, s2 = "the cat sat on the mat", "the cat lay on the rug"
    A, B = set(s1.split()), set(s2.split())
    jac = Fraction(len(A & B), len(A | B))
    u, v = _sets_as_vectors(s1, s2)
    assert jac == Fraction(3, 7)
    assert np.isclose(float(jac), 1 - distance.jaccard(u, v))
    assert np.isclose(float(jac), skm.jaccard_score(u, v))
    overlap = Fraction(len(A & B), min(len(A), len(B)))
    assert overlap == Fraction(3, 5)

    X = sktext.CountVectorizer().fit_transform([s1, s2]).toarray().astype(float)
    ours_cos = X[0] @ X[1] / (np.linalg.norm(X[0]) * np.linalg.norm(X[1]))
    assert X[0] @ X[1] == 6 and X[0] @ X[0] == 8
    assert np.isclose(ours_cos, pairwise.cosine_similarity(X)[0, 1]) and np.isclose(ours_cos, 1 - distance.cosine(X[0], X[1]))
    unit = X / np.linalg.norm(X, axis=1, keepdims=True)
    dist = pairwise.euclidean_distances(unit)[0, 1]
    assert np.isclose(dist, math.sqrt(2 - 2 * ours_cos)) and np.isclose(dist, distance.euclidean(unit[0], unit[1]))

    edit_distance = pytest.importorskip("nltk.metrics.distance").edit_distance
    lev = _levenshtein("kitten", "sitting")
    assert lev == edit_distance("kitten", "sitting") == 3
    sim = 1 - lev / max(len("kitten"), len("sitting"))

    on_both_pages(
        SLUGS[7],
        f"$J = 3/7 = {f3(float(jac))}$",
        "$3/5 = 0.6$",
        "2\\cdot2 + 1 + 1 = 6",
        "\\sqrt{8}",
        f"$\\cos = 6/8 = {ours_cos:.2f}$",
        f"\\sqrt{{2 - 2\\cdot0.75}} = \\sqrt{{0.5}} = {f3(dist)}",
        f"$1 - 3/7 = {f3(sim)}$",
    )


def test_q7_where_lexical_breaks() -> None:
    a, b = "the film was great", "the movie was excellent"
    u, v = _sets_as_vectors(a, b)
    jac = 1 - distance.jaccard(u, v)
    assert np.isclose(jac, 2 / 6)
    c, d = "the dog bit the man", "the man bit the dog"
    u2, v2 = _sets_as_vectors(c, d)
    assert 1 - distance.jaccard(u2, v2) == 1.0
    X = sktext.CountVectorizer().fit_transform([c, d]).toarray()
    assert np.isclose(pairwise.cosine_similarity(X)[0, 1], 1.0)
    on_both_pages(SLUGS[7], f"$J = 2/6 = {f3(jac)}$", "$J = 1.0$")
    on_each_page(SLUGS[7], {"en": ["count cosine is 1.0"], "ru": ["косинус счётчиков тоже 1.0"]})


def test_q7_unit_vector_identity_and_ranking() -> None:
    rng = np.random.default_rng(42)
    docs = rng.normal(size=(200, 32))
    docs /= np.linalg.norm(docs, axis=1, keepdims=True)
    query = rng.normal(size=32)
    query /= np.linalg.norm(query)
    cos = pairwise.cosine_similarity(docs, query[None])[:, 0]
    dot = docs @ query
    euc = pairwise.euclidean_distances(docs, query[None])[:, 0]
    assert np.allclose(euc**2, 2 - 2 * cos)
    assert np.allclose(cos, dot)
    assert (np.argsort(-cos) == np.argsort(euc)).all() and (np.argsort(-dot) == np.argsort(euc)).all()


# ----------------------------------------------------------------------------- Q8 cosine-similarity-vs-distance


def test_q8_triangle_counterexample() -> None:
    a, b, c = np.array([1.0, 0.0]), np.array([1.0, 1.0]), np.array([0.0, 1.0])

    def cos(x, y):
        return float(x @ y / (np.linalg.norm(x) * np.linalg.norm(y)))

    pairs = {"a, b": (a, b), "b, c": (b, c), "a, c": (a, c)}
    rows = []
    angular = {}
    for name, (x, y) in pairs.items():
        s = cos(x, y)
        d = 1 - s
        assert np.isclose(d, distance.cosine(x, y)) and np.isclose(d, pairwise.cosine_distances([x], [y])[0, 0])
        ang = math.acos(max(-1.0, min(1.0, s))) / math.pi
        angular[name] = ang
        rows.append(f"| {name} | {f3(s)} | {f3(d)} | {ang:g} |")
    on_both_pages(SLUGS[8], *rows)
    d_ab, d_bc, d_ac = (1 - cos(a, b)), (1 - cos(b, c)), (1 - cos(a, c))
    assert d_ac > d_ab + d_bc  # the triangle inequality fails
    assert angular["a, c"] <= angular["a, b"] + angular["b, c"] + 1e-12
    on_both_pages(SLUGS[8], f"{f3(d_ab)} + {f3(d_bc)} = {f3(d_ab + d_bc)}", "$0.5 \\le 0.25 + 0.25$")


def test_q8_angular_distance_is_a_metric_on_random_triples() -> None:
    rng = np.random.default_rng(0)
    v = rng.normal(size=(60, 3))
    ang = np.arccos(np.clip(pairwise.cosine_similarity(v), -1, 1)) / np.pi
    cosd = pairwise.cosine_distances(v)
    broken = 0
    for i in range(len(v)):
        assert np.all(ang[i][:, None] <= ang[i][None, :] + ang + 1e-9)  # d(i,k) <= d(i,j) + d(j,k)
        broken += int(np.any(cosd[i][:, None] > cosd[i][None, :] + cosd + 1e-9))
    assert broken > 0


def test_q8_negative_and_pearson() -> None:
    u = np.array([1.0, 2.0])
    assert np.isclose(pairwise.cosine_similarity([u], [-u])[0, 0], -1) and np.isclose(distance.cosine(u, -u), 2)
    on_each_page(SLUGS[8], {"en": ["cosine similarity −1, cosine distance 2"],
                            "ru": ["косинусная близость −1, косинусное расстояние 2"]})
    x, y = np.array([1.0, 2.0, 3.0]), np.array([3.0, 2.0, 1.0])
    ours = float(x @ y / (np.linalg.norm(x) * np.linalg.norm(y)))
    assert x @ y == 10 and x @ x == y @ y == 14
    assert np.isclose(ours, 1 - distance.cosine(x, y))
    r = stats.pearsonr(x, y)[0]
    assert np.isclose(r, -1) and np.isclose(np.corrcoef(x, y)[0, 1], -1)
    assert np.isclose(pairwise.cosine_similarity([x - x.mean()], [y - y.mean()])[0, 0], r)
    on_both_pages(SLUGS[8], f"\\frac{{3+4+3}}{{14}} = \\frac{{10}}{{14}} = {f3(ours)}", "$(-1,0,1)$", "$(1,0,-1)$")


def test_q8_tfidf_cosines_are_non_negative() -> None:
    X = sktext.TfidfVectorizer().fit_transform(CORPUS)
    S = pairwise.cosine_similarity(X)
    assert (S >= 0).all() and (S <= 1 + 1e-12).all()
    vocab, idf, _, _ = our_tfidf(CORPUS)
    d1, d2 = our_vector(CORPUS[0], vocab, idf), our_vector(CORPUS[1], vocab, idf)
    assert np.isclose(d1 @ d2, S[0, 1])
    on_each_page(SLUGS[8], {"en": [f"cosine {f3(S[0, 1])}"], "ru": [f"косинус {f3(S[0, 1])}"]})
