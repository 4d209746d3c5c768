"""Reference computations for the Inference section (questions 87-90): every number of the worked
examples, recomputed with PyTorch, numpy and transformers (the logits warpers and processors of
`generate`, `_get_logits_processor` on a tiny random GPT-2, `generate(num_beams=...)`, a tiny random
BertModel, LlamaConfig), checked against notebooks/sampling.py and the figure scripts, and found on
both language versions of the page."""
from __future__ import annotations

import heapq
import itertools
import math
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, ROOT, f3, fmt_math, single_thread_torch  # noqa: F401

SECTION = DOCS / "transformers" / "inference"
SLUGS = {87: "softmax-temperature", 88: "top-k-top-p-sampling", 89: "beam-search", 90: "sentence-embeddings"}
assert_in_pages = partial(cp.assert_in_pages, SECTION)

VOCAB = ["the", "a", "cat", "dog", "sat", "ran", "mat", "."]
LOGITS = [2.2, 1.6, 1.1, 0.7, 0.2, -0.3, -1.0, -1.8]
NOTEBOOK = ROOT / "notebooks" / "sampling.py"


def f4(x: float) -> str:
    return f"{x:.4f}"


def test_pages_share_the_notebook_and_its_example():
    source = NOTEBOOK.read_text(encoding="utf-8")
    assert f"logits = torch.tensor({LOGITS}, dtype=DT)" in source
    assert f"vocab = {VOCAB!r}".replace("'", '"') in source
    for slug in (SLUGS[87], SLUGS[88], SLUGS[89]):
        for lang in cp.LANGS:
            assert cp.front_matter(cp.read_page(SECTION, slug, lang))["notebook"] == "sampling"
    assert_in_pages(SLUGS[87], "(2.2, 1.6, 1.1, 0.7, 0.2, -0.3, -1.0, -1.8)")
    assert_in_pages(SLUGS[88], "[[2.2, 1.6, 1.1, 0.7, 0.2, -0.3, -1.0, -1.8]]")
    cp.assert_figure_used(SECTION, "softmax-temperature", [SLUGS[87]])
    cp.assert_figure_used(SECTION, "top-k-top-p-cutoffs", [SLUGS[88]])
    cp.assert_figure_used(SECTION, "beam-search-tree", [SLUGS[89]])


# --------------------------------------------------------------------------- Q87


def test_q87_temperature_table_entropy_and_limits():
    import numpy as np
    import torch

    z = torch.tensor(LOGITS, dtype=torch.float64)
    fig = cp.load_figure("softmax-temperature")
    rows = {}
    for T in (0.1, 0.5, 1.0, 2.0, 10.0):
        p = torch.softmax(z / T, dim=-1)
        by_hand = np.exp(np.array(LOGITS) / T) / np.exp(np.array(LOGITS) / T).sum()
        np.testing.assert_allclose(p.numpy(), by_hand, rtol=1e-12)
        H = float(-(p * p.log()).sum())
        if T in fig.TEMPS:
            np.testing.assert_allclose(fig.probs(T), p.numpy(), rtol=1e-12)
            assert fig.entropy(T) == pytest.approx(H, rel=1e-12)
        rows[T] = (p, H)
        assert_in_pages(SLUGS[87], f"| {T} | {f4(p[0])} | {f4(p[1])} | {f4(p[-1])} | {f3(H)} | {math.exp(H):.2f} |")
    # entropy grows monotonically, dH/dT = Var_p(z) / T^3, limits argmax and uniform
    Ts = torch.logspace(-1, 1, 201, dtype=torch.float64)
    Hs = torch.stack([-(torch.softmax(z / t, -1) * torch.log_softmax(z / t, -1)).sum() for t in Ts])
    assert (Hs.diff() > 0).all()
    T, eps = 1.3, 1e-6
    H = lambda t: float(-(torch.softmax(z / t, -1) * torch.log_softmax(z / t, -1)).sum())  # noqa: E731
    p = torch.softmax(z / T, -1)
    var = float((p * z**2).sum() - (p * z).sum() ** 2)
    assert (H(T + eps) - H(T - eps)) / (2 * eps) == pytest.approx(var / T**3, rel=1e-6)
    assert float(torch.softmax(z / 0.01, -1)[0]) > 1 - 1e-12
    assert torch.allclose(torch.softmax(z / 1e6, -1), torch.full((8,), 1 / 8, dtype=torch.float64), atol=1e-6)
    assert_in_pages(SLUGS[87], f3(math.log(8)), "0.018", "2.072", "1.586")
    # the ratio of "the" to "a", the three-token tail at T = 2 versus T = 1
    assert [round(math.exp(0.6 / t), 3) for t in (1, 0.5, 2)] == [1.822, 3.320, 1.350]
    assert_in_pages(SLUGS[87], "1.822", "$e^{1.2} = 3.320$", "$e^{0.3} = 1.350$")
    tail = {t: float(rows[t][0][5:].sum()) for t in (1.0, 2.0)}
    assert (f3(tail[1.0]), f3(tail[2.0])) == ("0.059", "0.165")
    assert_in_pages(SLUGS[87], "0.165", "0.059")
    # two logits that differ by ln 3 (the seed's and the notebook's example)
    two = torch.tensor([0.0, math.log(3)], dtype=torch.float64)
    assert torch.allclose(torch.softmax(two, -1), torch.tensor([0.25, 0.75], dtype=torch.float64))
    assert torch.allclose(torch.softmax(two / 0.5, -1), torch.tensor([0.1, 0.9], dtype=torch.float64))
    assert [f4(x) for x in torch.softmax(two / 5, -1)] == ["0.4453", "0.5547"]
    assert f3(3 ** (1 / 5)) == "1.246"
    assert_in_pages(SLUGS[87], "$[0.25, 0.75]$", "$[0.1, 0.9]$", "$[0.4453, 0.5547]$", "$3^{1/5} = 1.246$", "$3^2 = 9$")


def test_q87_temperature_changes_the_nucleus_and_greedy_ignores_it():
    import torch
    from transformers import TemperatureLogitsWarper, TopPLogitsWarper

    z = torch.tensor([LOGITS])
    ids = torch.zeros(1, 1, dtype=torch.long)
    kept = {T: int((TopPLogitsWarper(0.9)(ids, TemperatureLogitsWarper(T)(ids, z)) > -math.inf).sum())
            for T in (0.5, 1.5)}
    kept[1.0] = int((TopPLogitsWarper(0.9)(ids, z) > -math.inf).sum())
    assert kept == {0.5: 3, 1.0: 5, 1.5: 6}
    for slug in (SLUGS[87], SLUGS[88]):
        assert_in_pages(slug, "$T = 0.5$", "$T = 1$")
    with pytest.raises(ValueError):
        TemperatureLogitsWarper(0.0)
    for T in (0.1, 0.5, 2.0, 10.0):  # the argmax never moves
        assert int(torch.argmax(z / T)) == 0


# --------------------------------------------------------------------------- Q88


def _own_filters():
    import torch

    neg = float("-inf")

    def top_k(z, k):
        return z.masked_fill(z < z.topk(k).values[..., -1:], neg)

    def top_p(z, p):  # the notebook's loop: add probabilities in decreasing order until p is reached
        probs = torch.softmax(z, -1)[0]
        order = sorted(range(z.shape[-1]), key=lambda i: -float(probs[i]))
        keep, total = [], 0.0
        for i in order:
            keep.append(i)
            total += float(probs[i])
            if total >= p:
                break
        out = torch.full_like(z, neg)
        out[0, keep] = z[0, keep]
        return out

    def min_p(z, r):
        probs = torch.softmax(z, -1)
        return z.masked_fill(probs < r * probs.max(-1, keepdim=True).values, neg)

    return top_k, top_p, min_p


def test_q88_filters_equal_the_transformers_warpers():
    import torch
    from transformers import MinPLogitsWarper, TopKLogitsWarper, TopPLogitsWarper

    top_k, top_p, min_p = _own_filters()
    z = torch.tensor([LOGITS], dtype=torch.float64)
    ids = torch.zeros(1, 1, dtype=torch.long)
    for k in range(1, 9):
        assert torch.equal(top_k(z, k), TopKLogitsWarper(k)(ids, z))
    for p in [x / 100 for x in range(1, 100)]:
        assert torch.equal(top_p(z, p).isinf(), TopPLogitsWarper(p)(ids, z).isinf()), p
    for r in (0.05, 0.1, 0.2, 0.5):
        assert torch.equal(min_p(z, r), MinPLogitsWarper(r)(ids, z))
    kept = lambda x: int((x > -math.inf).sum())  # noqa: E731
    assert [kept(TopPLogitsWarper(p)(ids, z)) for p in (0.5, 0.8, 0.9, 0.95)] == [2, 4, 5, 6]
    assert [kept(MinPLogitsWarper(r)(ids, z)) for r in (0.05, 0.1, 0.2)] == [6, 5, 4]

    probs = torch.softmax(z, -1)[0]
    cum = probs.cumsum(0)
    top3 = torch.softmax(top_k(z, 3), -1)[0]
    nucleus = torch.softmax(top_p(z, 0.9), -1)[0]
    for lang, (row_p, row_c) in {"en": ("probability", "cumulative"), "ru": ("вероятность", "накопленная")}.items():
        cp.assert_in_page(SECTION, SLUGS[88], lang,
                          f"| {row_p} | " + " | ".join(f3(x) for x in probs) + " |",
                          f"| {row_c} | " + " | ".join(f3(x) for x in cum) + " |")
    assert [f3(x) for x in top3[:3]] == ["0.531", "0.292", "0.177"]
    assert_in_pages(SLUGS[88], "| top-k, $k = 3$ | 0.531 | 0.292 | 0.177 |",
                    "| top-p, $p = 0.9$ | " + " | ".join(f3(x) for x in nucleus[:5]) + " |")
    assert f3(cum[3]) == "0.884" and f3(0.1 * probs[0]) == "0.042" and f3(probs[5]) == "0.034"
    assert_in_pages(SLUGS[88], "0.884", "$0.1 \\cdot 0.420 = 0.042$", "0.034")
    # the min-p threshold scales with the top token: 0.1 * 0.9 = 0.09 and 0.1 * 0.2 = 0.02
    confident = torch.tensor([[0.9, 0.095, 0.005]], dtype=torch.float64).log()
    unsure = torch.tensor([[0.2] * 4 + [0.021, 0.019, 0.16]], dtype=torch.float64).log()
    assert kept(MinPLogitsWarper(0.1)(ids, confident)) == 2     # 0.005 < 0.09 is dropped, 0.095 stays
    assert kept(MinPLogitsWarper(0.1)(ids, unsure)) == 6        # only 0.019 < 0.02 is dropped
    assert (round(0.1 * 0.9, 2), round(0.1 * 0.2, 2)) == (0.09, 0.02)
    assert_in_pages(SLUGS[88], "0.09", "0.02", "$p_{\\min} = 0.1$")


def test_q88_shape_order_penalty_and_tail():
    import numpy as np
    import torch
    from transformers import (MinPLogitsWarper, RepetitionPenaltyLogitsProcessor, TopKLogitsWarper,
                              TopPLogitsWarper)

    fig = cp.load_figure("top-k-top-p-cutoffs")
    ids = torch.zeros(1, 1, dtype=torch.long)
    kept = lambda x: int((x > -math.inf).sum())  # noqa: E731
    np.testing.assert_allclose(fig.FLAT_LOGITS, np.array(LOGITS) / 3)
    peaked = torch.from_numpy(fig.PEAKED_LOGITS)[None]
    flat = torch.from_numpy(fig.FLAT_LOGITS)[None]
    pp, pf = torch.softmax(peaked, -1)[0], torch.softmax(flat, -1)[0]
    assert (f3(pp[0]), f3(pp[1]), f3(pp[2]), f3(pp[:3].sum())) == ("0.914", "0.046", "0.017", "0.976")
    assert f3(pf[:3].sum()) == "0.537"
    assert kept(TopPLogitsWarper(0.9)(ids, peaked)) == fig.top_p_size(fig.softmax(fig.PEAKED_LOGITS)) == 1
    assert kept(TopPLogitsWarper(0.9)(ids, flat)) == fig.top_p_size(fig.softmax(fig.FLAT_LOGITS)) == 7
    assert kept(MinPLogitsWarper(0.1)(ids, peaked)) == 1 and kept(MinPLogitsWarper(0.1)(ids, flat)) == 8
    assert_in_pages(SLUGS[88], "5, 2, 1, 0.5, 0, −0.5, −1, −1.5",
                    "0.914", "0.976", "0.046", "0.017", "0.537", "$T = 3$")
    # order: top-k = 4, then top-p = 0.8 on the renormalised distribution
    z = torch.tensor([LOGITS], dtype=torch.float64)
    after_k = TopKLogitsWarper(4)(ids, z)
    renorm = torch.softmax(after_k, -1)[0]
    assert [f3(x) for x in renorm[:4]] == ["0.475", "0.261", "0.158", "0.106"]
    assert f3(renorm[:3].sum()) == "0.894"
    assert kept(TopPLogitsWarper(0.8)(ids, after_k)) == 3 and kept(TopPLogitsWarper(0.8)(ids, z)) == 4
    assert_in_pages(SLUGS[88], "0.475, 0.261, 0.158, 0.106", "0.894", "$T = 1.5$")
    # repetition penalty 1.2 after "the" and "ran"
    pen = RepetitionPenaltyLogitsProcessor(1.2)(torch.tensor([[0, 5]]), z)
    assert f4(pen[0, 0]) == "1.8333" and f4(pen[0, 5]) == "-0.3600"
    assert f4(2.2 / 1.2) == "1.8333" and -0.3 * 1.2 == pytest.approx(-0.36)
    assert f3(torch.softmax(pen, -1)[0, 0]) == "0.335"
    assert_in_pages(SLUGS[88], "$2.2 / 1.2 = 1.8333$", "$-0.3 \\cdot 1.2 = -0.36$", "0.335")
    # the tail: three least likely tokens, 50 steps
    tail = float(torch.softmax(z, -1)[0, 5:].sum())
    assert (f3(tail), f3(1 - tail), f3(1 - (1 - tail) ** 50)) == ("0.059", "0.941", "0.953")
    assert_in_pages(SLUGS[88], "$1 - 0.941^{50} = 0.953$", "0.059")


def test_q88_generate_processor_order_and_default_top_k():
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=16, n_positions=16, n_embd=16, n_layer=1, n_head=2,
                                       bos_token_id=0, eos_token_id=0, pad_token_id=0)).eval()

    def processors(**kwargs):
        config, _ = model._prepare_generation_config(None, **kwargs)
        return [(type(p).__name__, getattr(p, "top_k", None))
                for p in model._get_logits_processor(generation_config=config, input_ids_seq_length=3)]

    names = [n for n, _ in processors(do_sample=True, temperature=0.8, top_p=0.9, min_p=0.05, repetition_penalty=1.2)]
    assert names == ["RepetitionPenaltyLogitsProcessor", "TemperatureLogitsWarper", "TopKLogitsWarper",
                     "TopPLogitsWarper", "MinPLogitsWarper"]
    assert processors(do_sample=True) == [("TopKLogitsWarper", 50)]      # the hidden default
    assert processors(do_sample=True, top_k=0) == []
    assert processors(do_sample=False, temperature=0.5) == []            # greedy ignores temperature
    with pytest.raises(ValueError):                                       # temperature 0 with sampling
        model.generate(torch.tensor([[1, 2]]), do_sample=True, temperature=0.0, max_new_tokens=1)
    assert_in_pages(SLUGS[88], "`TemperatureLogitsWarper`", "`TopKLogitsWarper`", "`TopPLogitsWarper`",
                    "`MinPLogitsWarper`", "top-k = 50", "`top_k=0`")


# --------------------------------------------------------------------------- Q89

TABLE = {"": [0.5, 0.4, 0.1], "A": [0.4, 0.3, 0.3], "B": [0.05, 0.05, 0.9], "C": [0.5, 0.3, 0.2]}


def beam_search(log_probs, V, L, k):
    """Beam search over prefixes (tuples of token ids); returns the beam and the scored count."""
    beams, scored = [((), 0.0)], 0
    for _ in range(L):
        candidates = [(seq + (w,), score + lp[w]) for seq, score in beams for lp in [log_probs(seq)]
                      for w in range(V)]
        scored += len(candidates)
        beams = heapq.nlargest(k, candidates, key=lambda c: c[1])
    return beams, scored


def test_q89_toy_beam_versus_greedy_and_exhaustive():
    fig = cp.load_figure("beam-search-tree")
    assert {k: list(v) for k, v in fig.TABLE.items()} == TABLE
    lp = lambda seq: [math.log(p) for p in TABLE["ABC"[seq[-1]] if seq else ""]]  # noqa: E731
    show = lambda seq: "".join("ABC"[w] for w in seq)  # noqa: E731
    total = lambda seq: sum(lp(seq[:t])[w] for t, w in enumerate(seq))  # noqa: E731
    best = max(itertools.product(range(3), repeat=3), key=total)
    assert show(best) == "BCA" and math.exp(total(best)) == pytest.approx(0.18)
    results = {k: beam_search(lp, 3, 3, k) for k in (1, 2, 3, 9)}
    assert [s for _, s in results.values()] == [9, 15, 21, 39]
    assert show(results[1][0][0][0]) == "AAA" and math.exp(results[1][0][0][1]) == pytest.approx(0.08)
    (b1, s1), (b2, s2) = results[2][0]
    assert (show(b1), show(b2)) == ("BCA", "BCB")
    assert (math.exp(s1), math.exp(s2)) == pytest.approx((0.18, 0.108))
    for k in (2, 3, 9):
        assert results[k][0][0][0] == best
    # the figure's steps: kept prefixes and their probabilities
    steps = fig.beam_steps()
    assert [kept for _, kept in steps] == [["A", "B"], ["BC", "AA"], ["BCA", "BCB"]]
    assert fig.greedy() == "AAA"
    assert {s: round(fig.prob(s), 3) for s in ("AB", "AC", "BC", "AA")} == {"AB": 0.15, "AC": 0.15, "BC": 0.36, "AA": 0.2}
    assert_in_pages(SLUGS[89], "0.08", "BC (0.36)", "AA (0.2)", "(0.15)",
                    "BCA (0.18)", "BCB (0.108)", "$3^3 = 27$", "9, 15", "21")
    for lang, words in {"en": "Beams of width 1, 2 and 3 score 9, 15 and 21 candidates",
                        "ru": "Лучи ширины 1, 2 и 3 оценивают 9, 15 и 21 кандидата"}.items():
        cp.assert_in_page(SECTION, SLUGS[89], lang, words)


def test_q89_random_tables_as_in_the_notebook():
    import torch

    def random_lm(V, seed):
        g = torch.Generator().manual_seed(seed)
        table = torch.log_softmax(2 * torch.randn(V + 1, V, generator=g, dtype=torch.float64), -1).tolist()
        return lambda prefix: table[prefix[-1] + 1 if prefix else 0]

    V, L, trials = 4, 4, 100
    misses = {1: 0, 2: 0, 4: 0}
    for seed in range(trials):
        lm = random_lm(V, seed)
        opt = max(sum(lm(s[:t])[w] for t, w in enumerate(s)) for s in itertools.product(range(V), repeat=L))
        full = beam_search(lm, V, L, V ** (L - 1))[0][0][1]
        assert math.isclose(full, opt, abs_tol=1e-12)
        for k in misses:
            misses[k] += beam_search(lm, V, L, k)[0][0][1] < opt - 1e-12
    assert misses == {1: 16, 2: 4, 4: 0}
    assert_in_pages(SLUGS[89], "$|V| = 4$", "$L = 4$", "16", "$4^3 = 64$", "100")


def test_q89_generate_num_beams_equals_our_beam_search():
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    V, L = 8, 3
    model = GPT2LMHeadModel(GPT2Config(vocab_size=V, n_positions=16, n_embd=16, n_layer=2, n_head=2,
                                       bos_token_id=0, eos_token_id=0, pad_token_id=0)).eval()
    prompt = [1, 2]
    # log-probabilities of every prefix up to length L - 1, one batched pass per length
    table = {}
    with torch.no_grad():
        for t in range(L):
            prefixes = list(itertools.product(range(V), repeat=t))
            ids = torch.tensor([prompt + list(p) for p in prefixes])
            logp = torch.log_softmax(model(ids).logits[:, -1].double(), -1)
            table.update({p: row.tolist() for p, row in zip(prefixes, logp)})
    lp = table.__getitem__
    total = lambda seq: sum(lp(seq[:t])[w] for t, w in enumerate(seq))  # noqa: E731
    best = max(itertools.product(range(V), repeat=L), key=total)
    greedy = beam_search(lp, V, L, 1)[0][0]
    assert (f4(greedy[1]), f4(total(best))) == ("-5.7547", "-5.7401")
    with torch.no_grad():
        out = model.generate(torch.tensor([prompt]), do_sample=False, max_new_tokens=L, eos_token_id=None,
                             pad_token_id=0)
        assert tuple(out[0, 2:].tolist()) == greedy[0]
        for k in (2, 3, 4):
            ours, _ = beam_search(lp, V, L, k)
            hf = model.generate(torch.tensor([prompt]), num_beams=k, num_return_sequences=k, do_sample=False,
                                max_new_tokens=L, eos_token_id=None, pad_token_id=0,
                                output_scores=True, return_dict_in_generate=True)
            assert [tuple(s[2:].tolist()) for s in hf.sequences] == [seq for seq, _ in ours]
            torch.testing.assert_close(hf.sequences_scores.double(),
                                       torch.tensor([score / L for _, score in ours], dtype=torch.float64),
                                       atol=1e-5, rtol=0)
            assert ours[0][0] == best
    assert V ** L == 512
    assert_in_pages(SLUGS[89], "−5.7547", "−5.7401", "$8^3 = 512$", "`length_penalty=1.0`")


def test_q89_generate_copies_the_prompt_for_every_beam():
    """The prefill runs on k copies of the prompt and every decoding step on k prefixes."""
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=8, n_positions=16, n_embd=16, n_layer=1, n_head=2,
                                       bos_token_id=0, eos_token_id=0, pad_token_id=0)).eval()
    shapes = []
    hook = model.transformer.register_forward_pre_hook(
        lambda module, args, kwargs: shapes.append(tuple((args[0] if args else kwargs["input_ids"]).shape)),
        with_kwargs=True)
    with torch.no_grad():
        model.generate(torch.tensor([[1, 2]]), num_beams=3, do_sample=False, max_new_tokens=3,
                       eos_token_id=None, pad_token_id=0)
    hook.remove()
    assert shapes == [(3, 2), (3, 1), (3, 1)]  # prefill: 3 copies of the 2-token prompt; then 3 prefixes
    assert_in_pages(SLUGS[89], "`reorder_cache`")


def test_q89_length_normalisation_and_cache_memory():
    from transformers import LlamaConfig

    def gnmt(length, alpha):
        return ((5 + length) / 6) ** alpha

    short, long_ = (3, -2.4), (6, -3.2)
    assert (f4(gnmt(3, 0.6)), f4(gnmt(6, 0.6)), f4(gnmt(3, 1.0)), f4(gnmt(6, 1.0))) == ("1.1884", "1.4386", "1.3333", "1.8333")
    scores = {
        "gnmt 0.6": (short[1] / gnmt(3, 0.6), long_[1] / gnmt(6, 0.6)),
        "gnmt 1.0": (short[1] / gnmt(3, 1.0), long_[1] / gnmt(6, 1.0)),
        "mean": (short[1] / 3, long_[1] / 6),
    }
    assert [f4(s) for pair in scores.values() for s in pair] == ["-2.0195", "-2.2244", "-1.8000", "-1.7455",
                                                                  "-0.8000", "-0.5333"]
    assert scores["gnmt 0.6"][0] > scores["gnmt 0.6"][1] and scores["gnmt 1.0"][1] > scores["gnmt 1.0"][0]
    assert_in_pages(SLUGS[89], "1.1884", "1.4386", "1.3333", "1.8333", "| −2.0195 | −2.2244 |",
                    "| −1.8 | −1.7455 |", "| −0.8 | −0.5333 |", "| −2.4 | −3.2 |")
    # KV cache of LLaMA-2-7B shapes (LlamaConfig defaults), fp16, 4096 tokens, beams of 4
    cfg = LlamaConfig()
    assert (cfg.num_hidden_layers, cfg.num_key_value_heads, cfg.hidden_size // cfg.num_attention_heads) == (32, 32, 128)
    per_token = 2 * cfg.num_hidden_layers * cfg.num_key_value_heads * (cfg.hidden_size // cfg.num_attention_heads) * 2
    assert per_token == 524288 and per_token * 4096 == 2**31 and 4 * per_token * 4096 == 8 * 2**30
    assert_in_pages(SLUGS[89], 524288, fmt_math(2147483648), fmt_math(8589934592), "4096")
    # the size of the search space
    assert f"{32000 ** 20:.2e}" == "1.27e+90"
    assert_in_pages(SLUGS[89], 32000, "$32\\,000^{20} \\approx 1.27 \\cdot 10^{90}$")


# --------------------------------------------------------------------------- Q90


def test_q90_mean_pooling_with_the_mask_ignores_padding():
    import torch
    import torch.nn.functional as F
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    model = BertModel(BertConfig(vocab_size=100, hidden_size=32, num_hidden_layers=2,
                                 num_attention_heads=4, intermediate_size=64)).eval()
    a, b = [2, 17, 45, 8, 33, 3], [2, 61, 9, 3]
    ids = torch.tensor([a, b + [0, 0]])
    mask = torch.tensor([[1] * 6, [1] * 4 + [0] * 2])
    with torch.no_grad():
        batch = model(input_ids=ids, attention_mask=mask).last_hidden_state
        alone = model(input_ids=torch.tensor([b])).last_hidden_state
    m = mask.unsqueeze(-1).float()
    masked = (batch * m).sum(1) / m.sum(1)
    by_loop = torch.stack([batch[i, : int(mask[i].sum())].mean(0) for i in range(2)])
    torch.testing.assert_close(masked, by_loop)
    assert float((masked[1] - alone[0].mean(0)).abs().max()) == 0.0
    naive = batch[1].mean(0)
    assert f4(F.cosine_similarity(naive, alone[0].mean(0), dim=0)) == "0.9443"
    assert float((batch[1, 0] - alone[0, 0]).abs().max()) < 1e-6
    assert f"{float(F.cosine_similarity(batch[0, 0], batch[1, 0], dim=0)):.5f}" == "0.99998"
    assert tuple(batch.shape) == (2, 6, 32) and tuple(alone.shape) == (1, 4, 32)
    assert_in_pages(SLUGS[90], "0.9443", "0.99998", "0.0", "(2, 6, 32)", "(1, 4, 32)")
    # cross-encoder pairs for 10,000 sentences
    assert math.comb(10000, 2) == 10000 * 9999 // 2 == 49995000
    assert_in_pages(SLUGS[90], fmt_math(49995000), 10000, "9999")


def test_q90_anisotropy_illustration():
    import numpy as np
    import torch
    import torch.nn.functional as F

    g = torch.Generator().manual_seed(0)
    X = torch.randn(300, 32, generator=g) + 2.0

    def mean_cosine(M):
        S = F.normalize(M, dim=-1) @ F.normalize(M, dim=-1).T
        return float((S.sum() - len(M)) / (len(M) * (len(M) - 1)))

    Xn = X.double().numpy()
    U = Xn / np.linalg.norm(Xn, axis=1, keepdims=True)
    S = U @ U.T
    by_numpy = (S.sum() - 300) / (300 * 299)
    assert mean_cosine(X) == pytest.approx(by_numpy, abs=1e-5)
    assert f3(mean_cosine(X)) == "0.802" and f3(mean_cosine(X - X.mean(0))) == "-0.003"
    assert f4(-1 / 299) == "-0.0033"
    assert_in_pages(SLUGS[90], "0.802", "−0.003", "$-1/(n-1) = -0.0033$", "300", "2.0")
