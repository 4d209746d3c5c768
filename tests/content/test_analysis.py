"""Reference computations for the open questions a1-a5: every number of the worked examples,
recomputed with scipy, numpy, PyTorch, scikit-learn and transformers (LlamaConfig on the meta
device, the bad-words and sequence-bias logits processors), checked against the reliability-diagram
figure script, and found on both language versions of the page."""
from __future__ import annotations

import math
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, f3, fmt_math, single_thread_torch  # noqa: F401

SECTION = DOCS / "llm" / "analysis"
SLUGS = {"a1": "nlp-trends", "a2": "suppress-bad-generations", "a3": "ten-examples-per-class",
         "a4": "confident-but-wrong", "a5": "last-paper"}
assert_in_pages = partial(cp.assert_in_pages, SECTION)
LOGITS = [2.2, 1.6, 1.1, 0.7, 0.2, -0.3, -1.0, -1.8]  # the sampling example of questions 87-88


def f4(x: float) -> str:
    return f"{x:.4f}"


# --------------------------------------------------------------------------- a1


def test_a1_majority_vote_agents_and_sparse_models():
    from scipy.stats import binom

    def majority(p, n):  # by hand: more than half of n independent votes are right
        return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(n // 2 + 1, n + 1))

    values = {}
    for p in (0.6, 0.4):
        for n in (5, 11):
            values[p, n] = majority(p, n)
            assert values[p, n] == pytest.approx(binom.sf(n // 2, n, p), rel=1e-12)
    assert [round(values[k], 5) for k in [(0.6, 5), (0.4, 5)]] == [0.68256, 0.31744]
    assert [f4(values[k]) for k in [(0.6, 11), (0.4, 11)]] == ["0.7535", "0.2465"]
    assert_in_pages(SLUGS["a1"], "$P(\\text{Bin}(5, 0.6) \\ge 3) = 0.68256$", "0.7535", "0.31744", "0.2465")
    assert f4(0.95**20) == "0.3585"
    assert_in_pages(SLUGS["a1"], "$0.95^{20} = 0.3585$")
    assert f"{37 / 671:.1%}" == "5.5%"
    assert_in_pages(SLUGS["a1"], "$37 / 671 = 5.5\\%$", "15.6%", "71.0%")


def test_a1_long_context_kv_cache_of_an_8b_model():
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                      num_attention_heads=32, num_key_value_heads=8, tie_word_embeddings=False)
    with torch.device("meta"):
        model = LlamaForCausalLM(cfg)
    n = sum(p.numel() for p in model.parameters())
    d, f, V, L = 4096, 14336, 128256, 32
    head = d // 32
    by_hand = 2 * V * d + L * (d * d + 2 * d * 8 * head + d * d + 3 * d * f + 2 * d) + d
    assert n == by_hand == 8030261248
    per_token = 2 * cfg.num_hidden_layers * cfg.num_key_value_heads * head * 2
    assert per_token == 131072
    assert per_token * 131072 == 17179869184 == 16 * 2**30
    assert 2 * n == 16060522496 and f"{2 * n / 2**30:.2f}" == "14.96"
    assert_in_pages(SLUGS["a1"], 8030261248, "$2 \\cdot 32 \\cdot 8 \\cdot 128 \\cdot 2 = 131\\,072$", 131072,
                    fmt_math(17179869184), fmt_math(16060522496), "14.96")


# --------------------------------------------------------------------------- a2


def test_a2_bans_bias_unlikelihood_and_filter_arithmetic():
    import torch
    from transformers import NoBadWordsLogitsProcessor, SequenceBiasLogitsProcessor

    z = torch.tensor([LOGITS], dtype=torch.float64)
    p = torch.softmax(z, -1)[0]
    after_the, after_a = torch.tensor([[4, 0]]), torch.tensor([[4, 1]])
    banned = torch.softmax(NoBadWordsLogitsProcessor([[2]], eos_token_id=7)(after_the, z), -1)[0]
    by_hand = p.clone()
    by_hand[2] = 0
    by_hand /= 1 - p[2]
    torch.testing.assert_close(banned, by_hand)
    assert (f3(p[0]), f3(p[1]), f3(p[2]), f3(banned[0]), f3(banned[1])) == ("0.420", "0.230", "0.140", "0.488", "0.268")
    biased = torch.softmax(SequenceBiasLogitsProcessor([[[2], -5.0]])(after_the, z), -1)[0]
    soft = p[2] * math.exp(-5) / (1 - p[2] + p[2] * math.exp(-5))
    assert f4(biased[2]) == f4(soft) == "0.0011"
    pair = NoBadWordsLogitsProcessor([[1, 2]], eos_token_id=7)
    assert f3(torch.softmax(pair(after_the, z), -1)[0, 2]) == "0.140"
    assert float(torch.softmax(pair(after_a, z), -1)[0, 2]) == 0.0
    assert_in_pages(SLUGS["a2"], "$1/(1 - 0.140)$", "0.488", "0.268",
                    "0.0011", "0.14")
    # unlikelihood: -log(1 - p) by hand and with torch
    for prob, expected in ((float(p[2]), "0.1506"), (0.9, "2.3026")):
        assert f4(-math.log(1 - prob)) == f4(-torch.log1p(torch.tensor(-prob, dtype=torch.float64))) == expected
    assert_in_pages(SLUGS["a2"], "$-\\log(1 - 0.140) = 0.1506$", "$-\\log 0.1 = 2.3026$")
    # an output filter: 2% bad, recall 0.95, false-positive rate 1%
    bad, recall, fpr = 0.02, 0.95, 0.01
    slipped, blocked_good, blocked_bad = bad * (1 - recall), (1 - bad) * fpr, bad * recall
    assert (round(slipped, 6), round(blocked_good, 6), round(blocked_bad, 6)) == (0.001, 0.0098, 0.019)
    assert round(blocked_bad + blocked_good, 6) == 0.0288 and f4(blocked_bad / (blocked_bad + blocked_good)) == "0.6597"
    assert_in_pages(SLUGS["a2"], "$0.02 \\cdot 0.05 = 0.001$", "0.1%", "$0.98 \\cdot 0.01 = 0.0098$", "0.98%",
                    "$0.019 + 0.0098 = 0.0288$", "$0.019 / 0.0288 = 0.6597$")


# --------------------------------------------------------------------------- a3


def test_a3_ten_shot_baselines_and_their_spread():
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import NearestCentroid

    text = cp.read_page(SECTION, SLUGS["a3"], "en")
    code = cp.python_blocks(text)[0]
    namespace: dict = {}
    exec(compile(code.split("X_test, y_test = make(100)")[0], "a3", "exec"), namespace)  # the page's data
    make, filler = namespace["make"], namespace["FILLER"]
    X_test, y_test = make(100)
    acc = {"centroid": [], "logreg": []}
    unseen_right = unseen_total = 0
    for _ in range(20):
        X_train, y_train = make(10)
        vec = TfidfVectorizer().fit(X_train)
        A, B = vec.transform(X_train), vec.transform(X_test)
        # nearest centroid by hand (Euclidean distance to the class means) equals scikit-learn's
        classes = np.unique(y_train)
        centroids = np.stack([A[y_train == c].toarray().mean(0) for c in classes])
        dists = ((B.toarray()[:, None, :] - centroids[None]) ** 2).sum(-1)
        own = classes[dists.argmin(1)]
        sk = NearestCentroid().fit(A, y_train).predict(B)
        assert (own == sk).all()
        acc["centroid"].append((sk == y_test).mean())
        pred = LogisticRegression(C=10, max_iter=1000).fit(A, y_train).predict(B)
        acc["logreg"].append((pred == y_test).mean())
        seen = set(vec.vocabulary_) - set(filler)
        unseen = np.array([not set(t.split()) & seen for t in X_test])
        unseen_total += unseen.sum()
        unseen_right += (pred[unseen] == y_test[unseen]).sum()
    rows = {k: (np.mean(v), np.std(v), min(v), max(v)) for k, v in acc.items()}
    assert [f3(x) for x in rows["centroid"]] == ["0.847", "0.038", "0.747", "0.920"]
    assert [f3(x) for x in rows["logreg"]] == ["0.921", "0.029", "0.847", "0.967"]
    assert_in_pages(SLUGS["a3"], "| 0.847 | 0.038 | 0.747 | 0.920 |", "| 0.921 | 0.029 | 0.847 | 0.967 |")
    assert f3(rows["centroid"][3] - rows["centroid"][2]) == "0.173"
    assert f3(rows["logreg"][3] - rows["logreg"][2]) == "0.120"
    assert unseen_total == 135 and f3(unseen_right / unseen_total) == "0.259" and 20 * len(X_test) == 6000
    assert_in_pages(SLUGS["a3"], "0.173", "0.120", "135", 6000, "0.259", "(1/3)", "$C = 10$")
    # SetFit pairs from 3 classes of 10 examples
    assert math.comb(30, 2) == 435 and 3 * math.comb(10, 2) == 135 and 435 - 135 == 300
    assert_in_pages(SLUGS["a3"], "$\\binom{30}{2} = 435$", "$3 \\cdot \\binom{10}{2} = 135$", "300")


# --------------------------------------------------------------------------- a4

CONF = [0.55, 0.65, 0.72, 0.78, 0.85, 0.91, 0.93, 0.95, 0.97, 0.99]
CORRECT = [1, 0, 1, 0, 1, 1, 0, 1, 0, 1]


def test_a4_ece_by_hand_and_with_scikit_learn():
    import numpy as np
    from sklearn.calibration import calibration_curve

    fig = cp.load_figure("reliability-diagram")
    conf, correct = np.array(CONF), np.array(CORRECT)
    # by hand, the three non-empty bins of five
    bins = {(0.4, 0.6): [0], (0.6, 0.8): [1, 2, 3], (0.8, 1.0): [4, 5, 6, 7, 8, 9]}
    ece_hand = 0.0
    for (lo, hi), idx in bins.items():
        assert all(lo < conf[i] <= hi for i in idx)
        weight, c, a = len(idx) / 10, conf[idx].mean(), correct[idx].mean()
        ece_hand += weight * abs(a - c)
    assert [f4(conf[i].mean()) for i in bins.values()] == ["0.5500", "0.7167", "0.9333"]
    assert [f4(correct[i].mean()) for i in bins.values()] == ["1.0000", "0.3333", "0.6667"]
    # scikit-learn: per-bin accuracy and confidence; the counts from a histogram over the same edges
    prob_true, prob_pred = calibration_curve(correct, conf, n_bins=5)
    counts = np.histogram(conf, bins=np.linspace(0, 1, 6))[0]
    ece_sklearn = float((counts[counts > 0] / len(conf) * np.abs(prob_true - prob_pred)).sum())
    assert ece_hand == pytest.approx(0.32) == ece_sklearn == pytest.approx(fig.ece(conf, correct, 5))
    assert correct.mean() == 0.6 and f3(conf.mean()) == "0.830" and correct[conf > 0.9].mean() == 0.6
    assert_in_pages(SLUGS["a4"], "$0.1 \\cdot 0.45 = 0.045$", "$0.3 \\cdot 0.3833 = 0.115$", "$0.6 \\cdot 0.2667 = 0.16$",
                    "$\\operatorname{ECE} = 0.045 + 0.115 + 0.16 = 0.32$", "0.7167", "0.3333", "0.9333", "0.6667",
                    "0.83", "$M = 5$", "$M = 15$")


def test_a4_temperature_scaling_on_the_synthetic_classifier():
    import numpy as np
    import torch
    from scipy.special import softmax

    fig = cp.load_figure("reliability-diagram")
    logits, y = fig.synthetic()
    N = fig.N
    T = fig.fit_temperature(logits[:N], y[:N])
    # the same T with PyTorch: LBFGS on log T over the validation NLL
    z = torch.tensor(logits[:N])
    target = torch.tensor(y[:N])
    log_t = torch.zeros((), dtype=torch.float64, requires_grad=True)
    opt = torch.optim.LBFGS([log_t], lr=0.5, max_iter=200, tolerance_grad=1e-12, tolerance_change=1e-14)

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(z / log_t.exp(), target)
        loss.backward()
        return loss

    opt.step(closure)
    assert float(log_t.detach().exp()) == pytest.approx(T, abs=1e-3)
    assert f3(T) == "2.477"
    stats = {}
    for t in (1.0, T):
        p = softmax(logits[N:] / t, axis=1)
        c, ok = p.max(1), p.argmax(1) == y[N:]
        stats[t] = (ok.mean(), c.mean(), fig.ece(c, ok), fig.nll(logits[N:], y[N:], t), np.mean(c > 0.9),
                    ok[c > 0.9].mean())
    before, after = stats[1.0], stats[T]
    assert [f3(before[0]), f3(before[1]), f4(before[2]), f4(before[3]), f3(before[4]), f3(before[5])] == \
        ["0.625", "0.818", "0.1935", "1.2212", "0.458", "0.780"]
    assert [f3(after[0]), f3(after[1]), f4(after[2]), f4(after[3]), f3(after[4]), f3(after[5])] == \
        ["0.625", "0.620", "0.0195", "0.9175", "0.070", "0.935"]
    assert_in_pages(SLUGS["a4"], "| 0.625 | 0.625 |", "| 0.818 | 0.620 |", "| 0.1935 | 0.0195 |", "| 1.2212 | 0.9175 |",
                    "| 0.458 | 0.070 |", "| 0.780 | 0.935 |", "$T = 2.477$", "2.5", "4000", "78%", "93.5%",
                    "$z \\sim \\mathcal{N}(0, 1.5^2)$")
    cp.assert_figure_used(SECTION, "reliability-diagram", [SLUGS["a4"]])


# --------------------------------------------------------------------------- a5


def test_a5_grpo_advantages():
    import numpy as np
    import torch

    rows = {}
    for rewards in ([1, 0, 0, 0], [1, 1, 0, 0], [1, 1, 1, 1]):
        r = torch.tensor(rewards, dtype=torch.float64)
        centred = r - r.mean()
        std = r.std(unbiased=False)
        adv = centred / std if std > 0 else torch.zeros_like(r)
        assert float(std) == pytest.approx(np.std(rewards))
        if std > 0:  # the sample standard deviation only rescales
            sample = centred / r.std()
            assert torch.equal(torch.sign(sample), torch.sign(adv))
        rows[tuple(rewards)] = (adv, centred)
    adv, centred = rows[(1, 0, 0, 0)]
    assert [f4(x) for x in adv] == ["1.7321", "-0.5774", "-0.5774", "-0.5774"]
    assert centred.tolist() == [0.75, -0.25, -0.25, -0.25]
    assert rows[(1, 1, 0, 0)][0].tolist() == [1.0, 1.0, -1.0, -1.0]
    assert rows[(1, 1, 1, 1)][0].tolist() == [0.0, 0.0, 0.0, 0.0]
    assert_in_pages(SLUGS["a5"], "| 0.25 | 1.7321, −0.5774, −0.5774, −0.5774 | 0.75, −0.25, −0.25, −0.25 |",
                    "| 0.5 | 1.0, 1.0, −1.0, −1.0 | 0.5, 0.5, −0.5, −0.5 |", "| 1.0 | 0, 0, 0, 0 | 0, 0, 0, 0 |",
                    "$G = 4$")
    assert round(86.7 - 71.0, 1) == 15.7
    assert_in_pages(SLUGS["a5"], "15.7", "71.0%", "86.7%", "64", "15.6%")
