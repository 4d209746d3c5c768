"""Reference computations for "More interview questions → Embeddings" (questions e1–e9): every
number of the worked examples, recomputed with numpy / scipy / scikit-learn / gensim 4.4.0 /
torch + transformers (random tiny BERT), and found on both language versions of the page.

Gensim determinism. In gensim 4.4.0 Word2Vec and Doc2Vec initialise their vectors from
`numpy.random.default_rng(seed)` and draw windows and negatives from `RandomState(seed)`; the
`hashfxn` argument is no longer used for the initial vectors. With `workers=1` and a fixed `seed`
training is therefore deterministic and independent of PYTHONHASHSEED (checked below in two
subprocesses). `Doc2Vec.infer_vector` is the exception: it seeds its starting vector with
Python's built-in `hash()` of the text (salted per process unless PYTHONHASHSEED is set) and
draws from the model's shared RandomState, so the pages print only values that are stable
across hash seeds (checked below by replacing that seed function in-process).
"""
from __future__ import annotations

import math
import subprocess
import sys
import zlib
from functools import partial

import numpy as np
import pytest

import content_pages as cp
from content_pages import DOCS, f3

SECTION = DOCS / "more-questions" / "embeddings"
SLUGS = {
    "e1": "word-embeddings",
    "e2": "embedding-categories",
    "e3": "word2vec-word-to-vector",
    "e4": "word2vec-and-doc2vec",
    "e5": "word2vec-supervision",
    "e6": "evaluating-word2vec",
    "e7": "tfidf-how-it-works",
    "e8": "doc2vec-tfidf-bert",
    "e9": "similarity-normalized-embeddings",
}
FIGURE = "unit-vectors-similarity"

assert_in_pages = partial(cp.assert_in_pages, SECTION)
assert_in_each_page = partial(cp.assert_in_each_page, SECTION)

TFIDF_CORPUS = ["the cat sat on the mat", "the dog sat on the log",
                "the cat chased the dog", "the dog slept"]


def cos(a, b) -> float:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def r3(x: float) -> str:
    """A value as Python prints round(x, 3): 0.96, 0.8, 1.2, 0.283."""
    return repr(round(float(x), 3))


# ----------------------------------------------------------------------------- e9 similarity


Q9 = np.array([0.6, 0.8])
V9 = {"a": np.array([0.8, 0.6]), "b": np.array([0.0, 1.0]), "c": np.array([-0.6, 0.8])}


def test_e9_cosine_dot_euclid_agree_on_unit_vectors():
    from scipy.spatial import distance
    from sklearn.metrics.pairwise import cosine_similarity, euclidean_distances

    rows = []
    for name, v in V9.items():
        assert math.isclose(np.linalg.norm(v), 1.0)
        c_own, dot = cos(Q9, v), float(Q9 @ v)
        c_scipy = 1 - distance.cosine(Q9, v)
        c_sk = cosine_similarity([Q9], [v])[0, 0]
        d_own = math.sqrt(((Q9 - v) ** 2).sum())
        d_sk = euclidean_distances([Q9], [v])[0, 0]
        assert np.allclose([c_own, c_scipy, c_sk], dot)
        assert np.isclose(d_own, d_sk) and np.isclose(d_own, distance.euclidean(Q9, v))
        assert np.isclose(d_own ** 2, 2 - 2 * dot)  # ||a - b||^2 = 2 - 2 cos
        # Hamming on raw coordinates: share of unequal coordinates; SciPy's Jaccard: non-zero = present
        ham_own = float(np.mean(Q9 != v))
        qs, vs = set(np.flatnonzero(Q9) + 1), set(np.flatnonzero(v) + 1)
        jac_own = 1 - len(qs & vs) / len(qs | vs)
        assert ham_own == distance.hamming(Q9, v) and np.isclose(jac_own, distance.jaccard(Q9, v))
        rows.append(f"| q, {name} | {r3(dot)} | {r3(dot)} | {r3(d_own)} | {r3(2 - 2 * dot)} | "
                    f"{r3(ham_own)} | {r3(jac_own)} |")
    assert_in_pages(SLUGS["e9"], *rows, "{1, 2}")
    # same ranking by cosine, dot product and Euclidean distance; Hamming puts c first
    names = list(V9)
    by_cos = sorted(names, key=lambda n: -cos(Q9, V9[n]))
    by_dist = sorted(names, key=lambda n: np.linalg.norm(Q9 - V9[n]))
    assert by_cos == by_dist == ["a", "b", "c"]
    assert min(names, key=lambda n: np.mean(Q9 != V9[n])) == "c"
    # and on many random unit vectors
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 16))
    X /= np.linalg.norm(X, axis=1, keepdims=True)
    y = X[0]
    assert (np.argsort(-(X @ y), kind="stable") == np.argsort(np.linalg.norm(X - y, axis=1), kind="stable")).all()
    # threshold translation cos >= 0.8  <=>  distance <= sqrt(0.4)
    assert f3(math.sqrt(2 - 2 * 0.8)) == "0.632"
    assert_in_pages(SLUGS["e9"], "\\sqrt{0.4} = 0.632", "0.08, 0.4", "1.44")


def test_e9_jaccard_and_hamming_on_sets():
    from scipy.spatial import distance
    from sklearn.metrics import pairwise_distances

    s1, s2 = "the cat sat on the mat".split(), "the cat lay on the rug".split()
    vocab = sorted(set(s1) | set(s2))
    assert len(vocab) == 7
    x = np.array([w in s1 for w in vocab])
    y = np.array([w in s2 for w in vocab])
    jac = len(set(s1) & set(s2)) / len(set(s1) | set(s2))
    assert np.isclose(1 - distance.jaccard(x, y), jac)
    assert np.isclose(1 - pairwise_distances(x[None], y[None], metric="jaccard")[0, 0], jac)
    ham = float(np.mean(x != y))
    assert np.isclose(distance.hamming(x, y), ham)
    assert np.isclose(pairwise_distances(x[None], y[None], metric="hamming")[0, 0], ham)
    assert (f3(jac), f3(ham)) == ("0.429", "0.571")
    pad = np.zeros(993, dtype=bool)
    X, Y = np.r_[x, pad], np.r_[y, pad]
    assert len(X) == 1000
    assert np.isclose(1 - distance.jaccard(X, Y), jac)
    assert f3(distance.hamming(X, Y)) == "0.004"
    assert_in_pages(SLUGS["e9"], "$3/7 = 0.429$", "$4/7 = 0.571$", "$4/1000 = 0.004$", "993", 1000, "7 ")
    # the same word sets and value as question 7 (text similarity metrics)
    cp.assert_in_pages(DOCS / "classic-nlp" / "tfidf-ml", "text-similarity-metrics", "$J = 3/7 = 0.429$")
    # SciPy >= 1.15 reads non-zero coordinates as "present" (xor of the non-zero patterns)
    import scipy

    assert scipy.__version__.startswith("1.17.")
    assert distance.jaccard([0.6, 0.8], [0.8, 0.6]) == 0.0
    assert_in_pages(SLUGS["e9"], "1.15", "1.17")


def test_e9_simhash_estimates_the_angle():
    from scipy.spatial import distance

    planes = np.random.default_rng(0).normal(size=(10_000, 2))
    b = V9["b"]
    frac = distance.hamming(planes @ Q9 > 0, planes @ b > 0)
    theta = math.acos(float(Q9 @ b))
    assert abs(frac - theta / math.pi) < 0.01
    assert (f3(frac), f3(theta / math.pi), f"{math.degrees(theta):.1f}") == ("0.206", "0.205", "36.9")
    assert_in_pages(SLUGS["e9"], "0.206", "= 0.205$", "36.9°", 10000)


def test_e9_figure_numbers():
    import importlib.util

    path = cp.FIGURE_SCRIPTS / f"{FIGURE}.py"
    spec = importlib.util.spec_from_file_location("unit_vectors_similarity_fig", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert np.allclose(module.QUERY, Q9)
    m = module.measures()
    for name, v in V9.items():
        assert np.isclose(m[name]["cos"], Q9 @ v)
        assert np.isclose(m[name]["euclid"], np.linalg.norm(Q9 - v))
        assert m[name]["hamming"] == float(np.mean(Q9 != v))
    cp.assert_figure_used(SECTION, FIGURE, [SLUGS["e9"]])


# ----------------------------------------------------------------------------- e7 tf-idf


def test_e7_tfidf_matches_scikit_learn_and_question_1():
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer().fit(TFIDF_CORPUS)
    vocab = list(vec.get_feature_names_out())
    tokens = [d.split() for d in TFIDF_CORPUS]
    n = len(tokens)
    df = {w: sum(w in t for t in tokens) for w in vocab}
    idf = {w: math.log((1 + n) / (1 + df[w])) + 1 for w in vocab}
    assert np.allclose(vec.idf_, [idf[w] for w in vocab])
    assert len(vocab) == 9
    assert_in_pages(SLUGS["e7"], ", ".join(f"{w} {f3(idf[w])}" for w in vocab),
                    "$\\ln\\frac{5}{3} + 1 = 1.511$", "$\\ln\\frac{5}{5} + 1 = 1.000$")
    # document 1, raw and normalised
    raw = np.array([tokens[0].count(w) * idf[w] for w in vocab])
    unit = raw / np.linalg.norm(raw)
    X = vec.transform(TFIDF_CORPUS).toarray()
    assert np.allclose(unit, X[0])
    assert f3(np.linalg.norm(raw)) == "3.811" and int((unit != 0).sum()) == 5
    cells = " | ".join("0" if x == 0 else f3(x) for x in unit)
    assert_in_pages(SLUGS["e7"], f"| {cells} |", "3.811", "$2\\cdot1.000 = 2.000$")
    # question 1 (tfidf-from-scratch) shows the same idf and the same document-1 weights
    page1 = DOCS / "classic-nlp" / "tfidf-ml"
    cp.assert_in_pages(page1, "tfidf-from-scratch", "3.811", "the = 0.525, mat = 0.503, cat = sat = on = 0.396",
                       "| mat | 1 | 1.386 | 0.693 | 1.916 |", "| dog | 3 | 0.288 | 0.000 | 1.223 |")
    cp.assert_in_pages(DOCS / "classic-nlp" / "tfidf-ml", "cosine-similarity-vs-distance", "0.607")
    # cosine of documents 1 and 2, and a new text with an unknown word
    assert f3(X[0] @ X[1]) == "0.607"
    q = vec.transform(["the cat and the dog"]).toarray()[0]
    assert "and" not in vocab
    qw = {w: f3(x) for w, x in zip(vocab, q) if x}
    assert qw == {"cat": "0.542", "dog": "0.439", "the": "0.717"}
    scores = X @ q
    assert int(np.argmax(scores)) == 2
    assert_in_pages(SLUGS["e7"], "the 0.717, cat 0.542, dog 0.439", ", ".join(f3(s) for s in scores[:3]),
                    f3(scores[3]), "0.607")
    # the seed's variant: tf = count / length, idf = ln(N / (1 + df))
    seed = {w: tokens[0].count(w) / len(tokens[0]) * math.log(n / (1 + df[w])) for w in set(tokens[0])}
    assert {w: f3(x) for w, x in seed.items()} == {"the": "-0.074", "mat": "0.116", "cat": "0.048",
                                                   "sat": "0.048", "on": "0.048"}
    assert math.log(n / (1 + df["dog"])) == 0.0 and df["dog"] == 3
    assert_in_pages(SLUGS["e7"], "the −0.074", "mat 0.116", "cat = sat = on = 0.048", "3 ", "4")
    # df counts documents, not occurrences
    assert sum(t.count("the") for t in tokens) == 7 and df["the"] == 4
    assert_in_each_page(SLUGS["e7"], {"en": ["7 times", "df = 4"], "ru": ["7 раз", "df = 4"]})


# ----------------------------------------------------------------------------- e1 word embeddings


def test_e1_lookup_cosines_and_size():
    import torch
    import torch.nn.functional as F
    from sklearn.metrics.pairwise import cosine_similarity

    E = torch.tensor([[0.8, 0.6, 0.1], [0.7, 0.7, 0.2], [0.1, -0.2, 0.9]])
    ids = torch.tensor([0, 1, 2])
    one_hot = F.one_hot(ids, num_classes=3).float()
    assert torch.equal(torch.nn.Embedding.from_pretrained(E)(ids), one_hot @ E)
    assert torch.equal(one_hot[1] @ E, E[1])
    cat, kitten, car = E.numpy().astype(float)
    c1, c2 = cos(cat, kitten), cos(cat, car)
    assert np.isclose(c1, cosine_similarity([cat], [kitten])[0, 0])
    assert np.isclose(c2, F.cosine_similarity(E[0], E[2], dim=0).item(), atol=1e-6)
    assert (f3(c1), f3(c2)) == ("0.985", "0.054")
    assert F.cosine_similarity(one_hot[0], one_hot[1], dim=0).item() == 0.0
    n = torch.nn.Embedding(30_000, 300).weight.numel()
    assert n == 30000 * 300 == 9000000 and n * 4 / 1e6 == 36.0
    assert_in_pages(SLUGS["e1"], "= 0.985$", "= 0.054$", "0.0", "(0.7, 0.7, 0.2)",
                    "30\\,000 \\cdot 300 = 9\\,000\\,000", 30000, "= 30\\,000$")
    megabytes = {"en": ["36 MB"], "ru": ["36 МБ"]}
    assert_in_each_page(SLUGS["e1"], megabytes)
    # the same toy vectors and numbers as question 22 (dense vs sparse) and 23 (dimension)
    w2v_section = DOCS / "classic-nlp" / "word2vec"
    cp.assert_in_pages(w2v_section, "dense-vs-sparse-embeddings", "(0.8, 0.6, 0.1)", "0.985", "0.054")
    cp.assert_in_each_page(w2v_section, "embedding-dimension", megabytes)


# ----------------------------------------------------------------------------- gensim helpers

E2_SENTS = ["a loan from the bank", "a walk along the bank",
            "the banker approved the loan", "a long walk along the river"]
E3_CORPUS = ["the cat drinks cold milk", "the dog drinks cold water", "the cat chases the dog"]
E6_BASE = ["he is king", "she is queen", "he is man", "she is woman",
           "king wears crown", "queen wears crown", "man drives car", "woman drives car"]
E4_TEXTS = ["the cat chased the mouse", "the kitten chased the mouse",
            "the cat drinks milk", "the kitten drinks milk",
            "the car needs fuel", "the truck needs fuel",
            "the car drives on the road", "the truck drives on the road"]
D2V = dict(vector_size=16, window=2, min_count=1, sample=0, epochs=200, seed=1, workers=1)


def crc32(text: str) -> int:
    """A deterministic string hash (gensim's hashfxn must return an int)."""
    return zlib.crc32(text.encode("utf8"))


def e3_model():
    from gensim.models import Word2Vec

    return Word2Vec([s.split() for s in E3_CORPUS], vector_size=4, window=2, min_count=1, sg=1,
                    negative=5, sample=0, epochs=50, seed=1, workers=1, hashfxn=crc32)


def e6_model():
    from gensim.models import Word2Vec

    return Word2Vec([s.split() for s in E6_BASE] * 10, vector_size=10, window=2, min_count=1, sg=1,
                    negative=5, sample=0, epochs=100, seed=1, workers=1, hashfxn=crc32)


def e4_docs():
    from gensim.models.doc2vec import TaggedDocument

    return [TaggedDocument(t.split(), [i]) for i, t in enumerate(E4_TEXTS)]


@pytest.fixture(scope="module")
def dbow():
    from gensim.models import Doc2Vec

    return Doc2Vec(e4_docs(), dm=0, **D2V)


def salted_start(salt: str):
    """A stand-in for infer_vector's starting-vector function, which seeds from the built-in
    hash() of the text (salted per process): here a deterministic hash with a salt plays the
    role of another PYTHONHASHSEED."""
    from gensim.models import keyedvectors

    def start(size, seed_string=None, hashfxn=None):
        return keyedvectors.pseudorandom_weak_vector(size, seed_string=seed_string,
                                                     hashfxn=lambda s: crc32(salt + s))
    return start


def digest(array) -> str:
    import hashlib

    return hashlib.sha256(np.ascontiguousarray(array, dtype=np.float32).tobytes()).hexdigest()[:16]


# ----------------------------------------------------------------------------- training determinism

DETERMINISM_SCRIPT = f"""
import hashlib, numpy as np
from gensim.models import Word2Vec, Doc2Vec
from gensim.models.doc2vec import TaggedDocument
d = lambda a: hashlib.sha256(np.ascontiguousarray(a, dtype=np.float32).tobytes()).hexdigest()[:16]
w = Word2Vec([s.split() for s in {E6_BASE!r}] * 10, vector_size=10, window=2, min_count=1, sg=1,
             negative=5, sample=0, epochs=100, seed=1, workers=1)
docs = [TaggedDocument(t.split(), [i]) for i, t in enumerate({E4_TEXTS!r})]
m = Doc2Vec(docs, dm=0, **{D2V!r})
print(d(w.wv.vectors), d(m.dv.vectors), hash("zzz qqq"), d(m.infer_vector(["zzz", "qqq"])))
"""


def test_gensim_training_does_not_depend_on_pythonhashseed(dbow):
    """Word2Vec/Doc2Vec with workers=1 and a seed give the same vectors in another process with
    another hash seed and with the default hashfxn: gensim 4.4 seeds them from `seed` alone."""
    import os

    from gensim.models import keyedvectors

    here = (digest(e6_model().wv.vectors), digest(dbow.dv.vectors))
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", DETERMINISM_SCRIPT], capture_output=True, text=True,
                         env=env, timeout=120, check=True).stdout.split()
    assert tuple(out[:2]) == here
    # infer_vector, by contrast, starts from the built-in hash() of the text: with no known word the
    # start vector comes back unchanged, and it is the one seeded by the *other* process's hash
    other_hash, other_start = int(out[2]), out[3]
    assert other_hash != hash("zzz qqq") or os.environ.get("PYTHONHASHSEED") == "12345"
    assert other_start == digest(keyedvectors.pseudorandom_weak_vector(16, seed_string="zzz qqq",
                                                                       hashfxn=lambda _: other_hash))
    if other_hash != hash("zzz qqq"):
        assert other_start != digest(keyedvectors.pseudorandom_weak_vector(16, seed_string="zzz qqq"))


# ----------------------------------------------------------------------------- e3 word -> vector


def test_gensim_defaults_quoted_on_the_pages(dbow):
    import inspect

    from gensim.models import Doc2Vec, FastText, KeyedVectors, Word2Vec

    default = lambda f, name: inspect.signature(f).parameters[name].default  # noqa: E731
    assert default(Word2Vec, "min_count") == 5                      # e3: "5 by default in gensim"
    assert_in_each_page(SLUGS["e3"], {"en": ["5 by default in gensim"], "ru": ["по умолчанию 5 и в gensim"]})
    assert default(Doc2Vec, "epochs") == 10 and dbow.epochs == 200  # e4: 10 training epochs by default ...
    assert default(Doc2Vec.infer_vector, "epochs") is None          # ... and infer_vector reuses model.epochs
    assert_in_each_page(SLUGS["e4"], {"en": ["10 for training in gensim, the same for inference"],
                                      "ru": ["10 эпох обучения в gensim и столько же при выводе"]})
    with pytest.raises(TypeError):                                  # e4: a plain string is rejected
        dbow.infer_vector("the cat drinks milk")
    assert default(KeyedVectors.evaluate_word_analogies, "restrict_vocab") == 300000  # e6
    assert_in_each_page(SLUGS["e6"], {"en": ["300,000 most frequent words by default"],
                                      "ru": ["300\u00a0000 самых частых слов"]})
    ft = FastText([["hello", "world"]], vector_size=4, min_count=1, epochs=1, seed=1, workers=1)
    assert all(w in ft.wv for w in ("banks", "x", "qqqqqqqq")) and "banks" not in ft.wv.key_to_index  # e2


def test_e3_vocabulary_lookup_and_similarity():
    model = e3_model()
    wv = model.wv
    tokens = [w for s in E3_CORPUS for w in s.split()]
    counts: dict[str, int] = {}
    for w in tokens:
        counts[w] = counts.get(w, 0) + 1
    first_seen = list(counts)  # insertion order = first occurrence
    by_hand = sorted(first_seen, key=lambda w: (-counts[w], -first_seen.index(w)))
    assert wv.index_to_key == by_hand == ["the", "dog", "cold", "drinks", "cat", "chases", "water", "milk"]
    assert counts["the"] == 4 and [wv.get_vecattr(w, "count") for w in by_hand] == [counts[w] for w in by_hand]
    assert wv.vectors.shape == model.syn1neg.shape == (8, 4)
    i = wv.key_to_index["milk"]
    one_hot = np.zeros(len(wv))
    one_hot[i] = 1.0
    assert i == 7 and np.allclose(one_hot @ wv.vectors, wv["milk"])
    vec = [f3(x).replace("-", "−") for x in wv["milk"]]
    unit = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)
    by_hand_cos = float(unit[i] @ unit[wv.key_to_index["water"]])
    assert np.isclose(by_hand_cos, wv.similarity("milk", "water"), atol=1e-6)
    assert np.isclose(by_hand_cos, cos(wv["milk"], wv["water"]), atol=1e-6)
    assert "juice" not in wv
    assert_in_pages(SLUGS["e3"], f"({', '.join(vec)})", f3(by_hand_cos), "(8, 4)", str(wv.index_to_key))


# ----------------------------------------------------------------------------- e5 self-supervision


def skipgram_pairs(tokens, window):
    return [(c, tokens[j]) for i, c in enumerate(tokens)
            for j in range(max(0, i - window), min(len(tokens), i + window + 1)) if j != i]


def skipgram_pairs_by_offsets(tokens, window):
    """An independent enumeration: all pairs at offsets 1..window in both directions."""
    out = []
    for k in range(1, window + 1):
        for i in range(len(tokens) - k):
            out += [(tokens[i], tokens[i + k]), (tokens[i + k], tokens[i])]
    return out


def test_e5_pairs_by_hand_and_in_gensim_training():
    from gensim.models import Word2Vec

    tokens = "the cat drinks cold milk".split()
    T = len(tokens)
    for m, expected in [(1, 8), (2, 14)]:
        pairs = skipgram_pairs(tokens, m)
        assert sorted(pairs) == sorted(skipgram_pairs_by_offsets(tokens, m))
        # the formula of question 24 (word2vec on short texts)
        assert len(pairs) == sum(min(i, m) + min(T - 1 - i, m) for i in range(T)) == expected
    assert [min(i, 2) + min(T - 1 - i, 2) for i in range(T)] == [2, 3, 4, 3, 2]
    k = 5
    assert (14 * (1 + k), 14 * k) == (84, 70)
    listed = ", ".join(f"({c}, {o})" for c, o in skipgram_pairs(tokens, 1))
    assert_in_pages(SLUGS["e5"], listed, "2, 3, 4, 3", "14", "84", "70", "(the, cat, cold, milk)")
    # question 19 counts the same sentence: 14 skip-gram predictions, 84 output dot products
    cp.assert_in_pages(DOCS / "classic-nlp" / "word2vec", "cbow-vs-skip-gram", "2, 3, 4, 3, 2", "84")

    # What gensim's training loop visits. With hierarchical softmax, zero learning rate and a
    # zero output layer, every (centre, context) pair adds codelen(centre) * ln(1 + e^0.024)
    # to the loss (gensim's sigmoid table at 0), so the loss counts the visited pairs.
    per_node = math.log(1 + math.exp(0.024))

    def probe(window, shrink):
        model = Word2Vec(vector_size=4, window=window, min_count=1, sg=1, hs=1, negative=0, sample=0,
                         seed=1, workers=1, shrink_windows=shrink, alpha=0.0, min_alpha=0.0,
                         compute_loss=True)
        model.build_vocab([tokens])
        trained = model.train([tokens], total_examples=1, epochs=1, compute_loss=True)
        code = {w: len(model.wv.get_vecattr(w, "code")) for w in tokens}
        return trained, model.get_latest_training_loss(), code

    for m in (1, 2):
        trained, loss, code = probe(m, shrink=False)
        assert trained == (5, 5)
        weight = sum(code[c] for c, _ in skipgram_pairs(tokens, m))
        assert np.isclose(loss, per_node * weight, rtol=1e-5)
    _, shrunk, _ = probe(2, shrink=True)
    assert shrunk < per_node * weight - 1e-3  # the default random window shrinking visits fewer pairs
    # the model of the page: train() reports 5 effective and 5 raw words
    model = Word2Vec(vector_size=8, window=2, min_count=1, sg=1, negative=k, sample=0,
                     shrink_windows=False, seed=1, workers=1)
    model.build_vocab([tokens])
    assert model.train([tokens], total_examples=1, epochs=1) == (5, 5)
    assert_in_pages(SLUGS["e5"], "(5, 5)", "shrink_windows=False")


# ----------------------------------------------------------------------------- e6 evaluation


def test_e6_analogy_and_similarity_by_hand_and_with_gensim(tmp_path):
    from gensim.test.utils import datapath
    from scipy.stats import rankdata, spearmanr

    wv = e6_model().wv
    (word, score), = wv.most_similar(positive=["king", "woman"], negative=["man"], topn=1)
    E = wv.vectors / np.linalg.norm(wv.vectors, axis=1, keepdims=True)
    ix = wv.key_to_index
    target = E[ix["king"]] - E[ix["man"]] + E[ix["woman"]]
    scores = E @ (target / np.linalg.norm(target))
    scores[[ix["king"], ix["man"], ix["woman"]]] = -np.inf
    assert word == wv.index_to_key[int(scores.argmax())] == "queen"
    assert np.isclose(score, scores.max(), atol=1e-6) and f3(score) == "0.994"
    neighbours = wv.most_similar("king", topn=2)
    assert [w for w, _ in neighbours] == ["queen", "man"]
    assert [round(s, 2) for _, s in neighbours] == [0.67, 0.67]
    assert_in_each_page(SLUGS["e6"], {"en": ["queen with 0.994", "queen and 0.994", "both 0.67"],
                                      "ru": ["queen с 0.994", "queen и 0.994", "оба 0.67"]})

    pairs = [("king", "queen", 8.5), ("man", "woman", 8.0), ("he", "she", 7.5),
             ("king", "man", 5.0), ("crown", "car", 2.0), ("queen", "car", 1.0)]
    path = tmp_path / "pairs.tsv"
    path.write_text("".join(f"{a}\t{b}\t{s}\n" for a, b, s in pairs))
    _, spearman, oov = wv.evaluate_word_pairs(str(path))
    cosines = [cos(wv[a], wv[b]) for a, b, _ in pairs]
    human = [s for *_, s in pairs]
    rho_scipy = spearmanr(human, cosines).statistic
    rho_own = np.corrcoef(rankdata(human), rankdata(cosines))[0, 1]  # Spearman = Pearson of ranks
    assert np.isclose(spearman.statistic, rho_scipy) and np.isclose(rho_own, rho_scipy)
    assert f3(rho_own) == "0.886" and oov == 0.0
    assert_in_pages(SLUGS["e6"], "\\rho = 0.886$", "OOV 0.0%",
                    "king–queen 8.5, man–woman 8.0, he–she 7.5, king–man 5.0, crown–car 2.0, queen–car 1.0")

    _, spearman, oov = wv.evaluate_word_pairs(datapath("wordsim353.tsv"))
    rows = [line.rstrip("\n").split("\t") for line in open(datapath("wordsim353.tsv"), encoding="utf8")
            if not line.startswith("#")]
    known = [(a, b, float(s)) for a, b, s in rows if a in wv and b in wv]
    assert [(a, b) for a, b, _ in known] == [("king", "queen"), ("man", "woman")]
    assert np.isclose(oov, 100 * (len(rows) - 2) / len(rows)) and f"{oov:.1f}" == "99.4"
    # two pairs, ranked in opposite order by people and by the model
    (_, _, h1), (_, _, h2) = known
    assert (h1 > h2) != (wv.similarity("king", "queen") > wv.similarity("man", "woman"))
    assert np.isclose(spearman.statistic, -1.0)
    assert_in_pages(SLUGS["e6"], "OOV 99.4%", "−1.0", "-1.0")


def test_e6_benchmark_files_bundled_with_gensim():
    from gensim.test.utils import datapath

    def rows(name):
        return [line.rstrip("\n").split("\t") for line in open(datapath(name), encoding="utf8")
                if not line.startswith("#")]

    ws, sl = rows("wordsim353.tsv"), rows("simlex999.txt")
    assert (len(ws), len(sl)) == (353, 999)
    score = lambda data, a, b: next(float(r[2]) for r in data if {r[0], r[1]} == {a, b})  # noqa: E731
    table = {pair: (score(ws, *pair), score(sl, *pair))
             for pair in [("coast", "shore"), ("man", "woman"), ("closet", "clothes")]}
    assert table == {("coast", "shore"): (9.1, 8.83), ("man", "woman"): (8.3, 3.33),
                     ("closet", "clothes"): (8.0, 3.27)}
    assert score(ws, "cup", "coffee") == 6.58
    semantic = syntactic = 0
    section = ""
    for line in open(datapath("questions-words.txt"), encoding="utf8"):
        if line.startswith(":"):
            section = line.split()[1]
        elif section.startswith("gram"):
            syntactic += 1
        else:
            semantic += 1
    assert (semantic, syntactic, semantic + syntactic) == (8869, 10675, 19544)
    assert_in_pages(SLUGS["e6"], 19544, 8869, 10675, "6.58", "3.33", "3.27", 300000)
    assert_in_each_page(SLUGS["e6"], {
        "en": ["353 WordSim pairs and 999 SimLex pairs", "9.1 in WordSim and 8.83 in SimLex",
               "from 8.3 to 3.33", "from 8.0 to 3.27"],
        "ru": ["353 пары WordSim и 999 пар SimLex", "9.1 в WordSim и 8.83 в SimLex",
               "с 8.3 до 3.33", "с 8.0 до 3.27"]})


# ----------------------------------------------------------------------------- e2 categories


def test_e2_fasttext_oov_and_contextual_bert():
    import torch
    from gensim.models import FastText, Word2Vec
    from transformers import BertConfig, BertModel

    corpus = [s.split() for s in E2_SENTS] * 20
    w2v = Word2Vec(corpus, vector_size=16, min_count=1, sample=0, epochs=30, seed=1, workers=1)
    ft = FastText(corpus, vector_size=16, min_count=1, sample=0, epochs=30, seed=1, workers=1)
    assert "banks" not in w2v.wv and "banks" not in ft.wv.key_to_index and "banks" in ft.wv
    with pytest.raises(KeyError):
        w2v.wv["banks"]
    word = "<banks>"
    grams = {word[i:i + n] for n in range(ft.wv.min_n, ft.wv.max_n + 1) for i in range(len(word) - n + 1)}
    assert (ft.wv.min_n, ft.wv.max_n) == (3, 6) and {"<ba", "ban", "ank", "nks"} <= grams
    c_bank, c_walk = cos(ft.wv["banks"], ft.wv["bank"]), cos(ft.wv["banks"], ft.wv["walk"])
    assert np.isclose(c_bank, ft.wv.similarity("banks", "bank"), atol=1e-6)
    assert (f3(c_bank), f3(c_walk)) == ("0.995", "0.194")
    assert_in_pages(SLUGS["e2"], "0.995", "0.194", "`<ba`, `ban`, `ank`, `nks`")

    vocab = {w: i for i, w in enumerate(["[PAD]", "[CLS]", "[SEP]"] + sorted(w2v.wv.key_to_index))}
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=16, initializer_range=0.25)
    bert = BertModel(config).eval()
    states = []
    for sentence in E2_SENTS[:2]:
        ids = torch.tensor([[1] + [vocab[w] for w in sentence.split()] + [2]])
        assert sentence.split().index("bank") + 1 == 5  # the same position in both sentences
        with torch.no_grad():
            states.append([h[0, 5].numpy() for h in bert(ids, output_hidden_states=True).hidden_states])
    sims = [cos(x, y) for x, y in zip(*states)]
    assert len(sims) == 3 and np.isclose(sims[0], 1.0)
    assert [r3(s) for s in sims] == ["1.0", "0.985", "0.873"]
    assert_in_pages(SLUGS["e2"], "[1.0, 0.985, 0.873]", "15%", "20 ")
    assert_in_each_page(SLUGS["e2"], {"en": ["(cosine 1.0)", "0.985 after layer 1 and 0.873 after layer 2"],
                                      "ru": ["(косинус 1.0)", "0.985 после первого слоя и 0.873 после второго"]})


# ----------------------------------------------------------------------------- e4 word2vec vs doc2vec


def test_e4_doc2vec_shapes_and_pure_dbow_word_vectors(dbow):
    from gensim.models import Doc2Vec, Word2Vec

    docs = e4_docs()
    w2v = Word2Vec([d.words for d in docs], **D2V)
    pv_dm = Doc2Vec(docs, dm=1, **D2V)
    vocab = {w for d in docs for w in d.words}
    assert len(vocab) == 14
    assert w2v.wv.vectors.shape == pv_dm.wv.vectors.shape == (14, 16) and pv_dm.dv.vectors.shape == (8, 16)
    start = Doc2Vec(dm=0, **D2V)
    start.build_vocab(docs)
    assert np.array_equal(start.wv.vectors, dbow.wv.vectors)      # pure PV-DBOW: word vectors untouched
    assert not np.allclose(start.dv.vectors, dbow.dv.vectors)     # ... document vectors trained
    assert not np.allclose(start.wv.vectors, pv_dm.wv.vectors)    # PV-DM trains word vectors
    assert_in_pages(SLUGS["e4"], "(14, 16)", "(8, 16)", "(`True`)")


def test_e4_infer_vector_is_seeded_by_the_text_hash(dbow, monkeypatch):
    """infer_vector starts from pseudorandom_weak_vector(seed_string=' '.join(words)) with the
    built-in hash(); with no known word nothing is trained and that start vector comes back."""
    import copy

    from gensim.models import doc2vec, keyedvectors

    words = ["zzz", "qqq"]
    assert np.array_equal(copy.deepcopy(dbow).infer_vector(words),
                          keyedvectors.pseudorandom_weak_vector(16, seed_string=" ".join(words)))
    results = {}
    for salt in ("a", "b", "a"):
        model = copy.deepcopy(dbow)  # the same random-generator state every time
        monkeypatch.setattr(doc2vec, "pseudorandom_weak_vector", salted_start(salt))
        results.setdefault(salt, []).append(model.infer_vector(e4_docs()[2].words, epochs=200))
    assert np.array_equal(*results["a"])                       # same hash, same state: identical
    assert not np.array_equal(results["a"][0], results["b"][0])  # another hash seed: different
    assert cos(results["a"][0], results["b"][0]) > 0.99


@pytest.mark.parametrize("salt", ["", "1", "2", "3"])
def test_e4_printed_values_hold_for_any_hash_seed(dbow, monkeypatch, salt):
    import copy

    from gensim.models import doc2vec

    if salt:
        monkeypatch.setattr(doc2vec, "pseudorandom_weak_vector", salted_start(salt))
    model = copy.deepcopy(dbow)
    docs = e4_docs()
    a = model.infer_vector(docs[2].words, epochs=200)
    b = model.infer_vector(docs[2].words, epochs=200)
    assert not np.array_equal(a, b)
    assert (f3(cos(a, b)), f"{cos(a, model.dv[2]):.2f}") == ("0.999", "0.99")
    found = [model.dv.most_similar([model.infer_vector(d.words, epochs=200)], topn=1)[0][0] for d in docs]
    assert found == list(range(8))
    query = model.infer_vector("the kitten needs milk".split(), epochs=200)
    assert [tag for tag, _ in model.dv.most_similar([query], topn=2)] == [3, 2]
    assert_in_pages(SLUGS["e4"], "0.999", "0.99", "[3, 2]")


# ----------------------------------------------------------------------------- e8 tf-idf vs doc2vec vs BERT


def spread(X) -> tuple[str, str]:
    sims = [cos(X[i], X[j]) for i in range(4) for j in range(i + 1, 4)]
    return f3(min(sims)), f3(max(sims))


def test_e8_three_representations(monkeypatch):
    import copy

    import torch
    from gensim.models import Doc2Vec, doc2vec
    from gensim.models.doc2vec import TaggedDocument
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity
    from transformers import BertConfig, BertModel

    docs, swapped = TFIDF_CORPUS, "the dog chased the cat"
    tfidf = TfidfVectorizer().fit(docs)
    T = tfidf.transform(docs + [swapped]).toarray()
    assert T.shape == (5, 9) and int((T[0] != 0).sum()) == 5
    assert np.isclose(cos(T[2], T[4]), 1.0)
    S = cosine_similarity(T[:4])
    assert spread(T) == (f3(S[np.triu_indices(4, 1)].min()), f3(S[np.triu_indices(4, 1)].max())) == ("0.211", "0.607")

    d2v = Doc2Vec([TaggedDocument(d.split(), [i]) for i, d in enumerate(docs)], dm=0, vector_size=16,
                  min_count=1, sample=0, epochs=200, seed=1, workers=1)
    for salt in ("", "1", "2"):  # what the page prints holds for any hash seed
        if salt:
            monkeypatch.setattr(doc2vec, "pseudorandom_weak_vector", salted_start(salt))
        model = copy.deepcopy(d2v)
        D = np.array([model.infer_vector(d.split(), epochs=200) for d in docs + [swapped]])
        again = model.infer_vector(docs[2].split(), epochs=200)
        assert D.shape == (5, 16) and not np.array_equal(D[2], again) and cos(D[2], D[4]) > 0.99

    vocab = {w: i for i, w in enumerate(["[PAD]", "[CLS]", "[SEP]"] + list(tfidf.get_feature_names_out()))}
    torch.manual_seed(0)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=16, initializer_range=0.25)
    bert = BertModel(config).eval()

    def hidden(texts):
        ids = [[1] + [vocab[w] for w in t.split()] + [2] for t in texts]
        longest = max(map(len, ids))
        x = torch.tensor([s + [0] * (longest - len(s)) for s in ids])
        with torch.no_grad():
            return bert(input_ids=x, attention_mask=(x != 0).long()).last_hidden_state.numpy(), ids

    h, ids = hidden(docs + [swapped])
    # masked mean pooling by hand: average over the real tokens only
    B = np.array([h[k, :len(s)].mean(axis=0) for k, s in enumerate(ids)])
    alone, _ = hidden([docs[3]])
    assert np.allclose(alone[0].mean(axis=0), B[3], atol=1e-5)
    padded_mean = h[3].mean(axis=0)  # without the mask the padding shifts the mean
    assert not np.allclose(padded_mean, B[3], atol=1e-3)
    assert B.shape == (5, 32)
    assert f3(cos(B[2], B[4])) == "0.992"
    assert np.isclose(cos(B[2], B[4]), torch.cosine_similarity(torch.tensor(B[2]), torch.tensor(B[4]), dim=0).item(),
                      atol=1e-6)
    assert spread(B) == ("0.911", "0.992")
    assert_in_pages(SLUGS["e8"], "(5, 9) 5 1.0 (0.211, 0.607)", "(5, 16) False True",
                    "(5, 32) True 0.992 (0.911, 0.992)", "0.211", "0.607", "0.911", "0.992", "| 9 (", "| 16 |",
                    "| 32 (", "| 5 |", "0.99 |", "512")
