"""Reference computations for the positional-encoding section (questions 54-59): every number of the
worked examples, recomputed with numpy / our own small code and checked against PyTorch and the
reference implementations in transformers (DistilBERT's create_sinusoidal_embeddings, Marian's
sinusoidal embedding, T5's relative position buckets, BLOOM's ALiBi tensor, Llama's and GPT-J's rotary
embeddings), then found on both language versions of the page."""
from __future__ import annotations

import math
from functools import partial

import numpy as np
import pytest

import content_pages as cp
from content_pages import DOCS, f3, fmt_math, single_thread_torch  # noqa: F401  (autouse fixture)

SECTION = DOCS / "transformers" / "positional-encoding"
assert_in_pages = partial(cp.assert_in_pages, SECTION)
assert_in_each_page = partial(cp.assert_in_each_page, SECTION)

SLUGS = {
    54: "why-position-is-lost",
    55: "positional-embedding-approaches",
    56: "index-as-position",
    57: "learned-positional-embeddings",
    58: "relative-vs-absolute-positions",
    59: "rotary-embeddings",
}


def sinusoidal(n_pos: int, d: int, base: float = 10000.0) -> np.ndarray:
    """Vaswani et al. (2017), interleaved: sin in even columns, cos in odd ones."""
    angle = np.arange(n_pos)[:, None] / base ** (np.arange(0, d, 2) / d)
    pe = np.zeros((n_pos, d))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angle), np.cos(angle)
    return pe


def shift_matrix(d: int, k: int, base: float = 10000.0) -> np.ndarray:
    """Block-diagonal M_k with PE(p + k) = M_k PE(p) (column vectors, interleaved layout)."""
    m = np.zeros((d, d))
    for i, w in enumerate(base ** (-np.arange(0, d, 2) / d)):
        c, s = np.cos(w * k), np.sin(w * k)
        m[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[c, s], [-s, c]]
    return m


def reference_sinusoidal(n_pos: int, d: int) -> np.ndarray:
    import torch
    from transformers.models.distilbert.modeling_distilbert import create_sinusoidal_embeddings

    return create_sinusoidal_embeddings(n_pos, d, torch.empty(n_pos, d)).numpy().astype(np.float64)


# --------------------------------------------------------------------------- Q54


EMB = {"dog": (1.0, 0.0), "bites": (0.0, 1.0), "man": (1.0, 1.0)}


def identity_attention(x: np.ndarray):
    scores = x @ x.T / math.sqrt(x.shape[1])
    w = np.exp(scores - scores.max(axis=1, keepdims=True))
    w /= w.sum(axis=1, keepdims=True)
    return w @ x, w


def test_q54_worked_example_is_permutation_equivariant():
    import torch
    import torch.nn.functional as F

    a = np.array([EMB[w] for w in ("dog", "bites", "man")])
    b = np.array([EMB[w] for w in ("man", "bites", "dog")])
    out_a, w_a = identity_attention(a)
    out_b, _ = identity_attention(b)
    ref = F.scaled_dot_product_attention(*(torch.tensor(a)[None],) * 3)[0].numpy()
    np.testing.assert_allclose(out_a, ref, atol=1e-12)
    np.testing.assert_allclose(out_b, out_a[[2, 1, 0]], atol=1e-12)  # same outputs, permuted
    assert [f3(v) for v in w_a[0]] == ["0.401", "0.198", "0.401"]
    assert [f3(v) for v in out_a[0]] == ["0.802", "0.599"]
    assert [f3(v) for v in out_a[1]] == ["0.599", "0.802"]
    assert [f3(v) for v in out_a[2]] == ["0.752", "0.752"]
    assert [f3(v) for v in out_a.mean(0)] == [f3(v) for v in out_b.mean(0)] == ["0.718", "0.718"]
    pair = lambda v: f"({f3(v[0])},\\ {f3(v[1])})"  # noqa: E731
    assert_in_pages(SLUGS[54], "0.401, 0.198", pair(out_a[0]), pair(out_a[1]), pair(out_a[2]), pair(out_a.mean(0)))

    pe = np.stack([np.sin(np.arange(3)), np.cos(np.arange(3))], axis=1)  # d = 2 sinusoid
    np.testing.assert_allclose(pe, sinusoidal(3, 2), atol=1e-15)
    assert pair(pe[1]) == "(0.841,\\ 0.540)" and pair(pe[2]) == "(0.909,\\ -0.416)"
    with_pe_a, _ = identity_attention(a + pe)
    with_pe_b, _ = identity_attention(b + pe)
    ref_pe = F.scaled_dot_product_attention(*(torch.tensor(a + pe)[None],) * 3)[0].numpy()
    np.testing.assert_allclose(with_pe_a, ref_pe, atol=1e-12)
    assert pair(with_pe_a[0]) == "(1.290,\\ 1.032)" and pair(with_pe_b[2]) == "(1.696,\\ 0.060)"
    assert_in_pages(SLUGS[54], pair(pe[1]), pair(pe[2]), pair(with_pe_a[0]), pair(with_pe_b[2]))


def test_q54_multihead_attention_equivariance_and_what_breaks_it():
    import torch
    from torch import nn

    torch.manual_seed(0)
    n, d = 5, 8
    mha = nn.MultiheadAttention(d, num_heads=2, batch_first=True, dtype=torch.float64).eval()
    x = torch.randn(1, n, d, dtype=torch.float64)
    perm = torch.tensor([3, 0, 4, 1, 2])
    pe = torch.tensor(sinusoidal(n, d))
    causal = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)

    def attend(inp, mask=None):
        with torch.no_grad():
            return mha(inp, inp, inp, attn_mask=mask)[0]

    # Attn(PX) = P Attn(X) exactly (float64), for this and for every other permutation of 5 tokens
    assert torch.allclose(attend(x)[:, perm], attend(x[:, perm]), atol=1e-12)
    for _ in range(5):
        p = torch.randperm(n)
        assert torch.allclose(attend(x)[:, p], attend(x[:, p]), atol=1e-12)
    assert not torch.allclose(attend(x + pe)[:, perm], attend(x[:, perm] + pe), atol=1e-6)
    assert not torch.allclose(attend(x, causal)[:, perm], attend(x[:, perm], causal), atol=1e-6)
    # pooled outputs are invariant
    assert torch.allclose(attend(x).mean(1), attend(x[:, perm]).mean(1), atol=1e-12)
    # the page's code builds the same sinusoid with torch
    pos = torch.arange(n)[:, None] / 10000 ** (torch.arange(0, d, 2) / d)
    pe_page = torch.stack([pos.sin(), pos.cos()], dim=-1).flatten(1)
    np.testing.assert_allclose(pe_page.numpy(), pe.numpy(), atol=1e-6)
    assert_in_pages(SLUGS[54], "perm = torch.tensor([3, 0, 4, 1, 2])", "print(equivariant(mask=causal))   # False")


# --------------------------------------------------------------------------- Q55


def test_q55_sinusoids_match_transformers_and_the_table():
    ref = reference_sinusoidal(64, 32)
    np.testing.assert_allclose(sinusoidal(64, 32), ref, atol=1e-6)
    small = sinusoidal(4, 4)
    np.testing.assert_allclose(small, reference_sinusoidal(4, 4), atol=1e-6)
    assert f3(10000 ** (-2 / 4)) == "0.010"
    rows = [" | ".join(f3(v) for v in row) for row in small]
    assert rows[2] == "0.909 | -0.416 | 0.020 | 1.000"
    assert_in_pages(SLUGS[55], *(f"| {p} | {row} |" for p, row in enumerate(rows)))
    # Marian's sinusoidal embedding in transformers uses the half-split layout (all sin, then all cos)
    from transformers.models.marian.modeling_marian import MarianSinusoidalPositionalEmbedding

    marian = MarianSinusoidalPositionalEmbedding(64, 32).create_weight().numpy()
    np.testing.assert_allclose(marian, np.concatenate([ref[:, 0::2], ref[:, 1::2]], axis=1), atol=1e-6)
    assert_in_pages(SLUGS[55], "create_sinusoidal_embeddings", "Marian")


def test_q55_shift_is_one_linear_map_and_dot_products_depend_on_the_offset():
    pe4 = sinusoidal(200, 4)
    m1 = shift_matrix(4, 1)
    assert [f3(v) for v in m1[0, :2]] == ["0.540", "0.841"] and f3(m1[1, 0]) == "-0.841"
    np.testing.assert_allclose(pe4[:-1] @ m1.T, pe4[1:], atol=1e-12)  # PE(p + 1) = M_1 PE(p) for every p
    np.testing.assert_allclose(m1 @ pe4[1], pe4[2], atol=1e-12)      # position 1 -> 2
    np.testing.assert_allclose(m1 @ pe4[100], pe4[101], atol=1e-12)  # and 100 -> 101
    c1, s1 = math.cos(1), math.sin(1)
    first = (c1 * s1 + s1 * c1, -s1 * s1 + c1 * c1)
    assert first == pytest.approx((math.sin(2), math.cos(2))) and (f3(first[0]), f3(first[1])) == ("0.909", "-0.416")
    assert_in_pages(SLUGS[55], "\\begin{pmatrix}0.540 & 0.841 \\\\ -0.841 & 0.540\\end{pmatrix}",
                    "= (\\sin 2, \\cos 2) = (0.909,\\ -0.416)")
    # d = 32, k = 5 as in the code block: the same M for every p, against the reference table
    ref = reference_sinusoidal(64, 32)
    np.testing.assert_allclose(ref[5:], ref[:-5] @ shift_matrix(32, 5).T, atol=1e-6)
    # PE(p).PE(q) = sum_i cos(w_i (p - q)): only the offset matters
    pe = sinusoidal(1200, 512)
    assert pe[3] @ pe[5] == pytest.approx(pe[103] @ pe[105]) == pytest.approx(pe[1003] @ pe[1005])
    norms = np.linalg.norm(pe[:1000], axis=1)
    np.testing.assert_allclose(norms, math.sqrt(512 / 2))
    assert_in_pages(SLUGS[55], "\\sqrt{256} = 16")
    # the longest wavelength, 10000 * 2 pi
    assert round(10000 * 2 * math.pi) == 62832
    assert_in_pages(SLUGS[55], fmt_math(62832))


def test_q55_figure_numbers():
    fig = cp.load_figure("sinusoidal-encoding")
    np.testing.assert_allclose(fig.sinusoidal(), reference_sinusoidal(fig.POSITIONS, fig.DIM), atol=1e-6)
    assert (fig.POSITIONS, fig.DIM) == (64, 32)
    assert f"{fig.wavelength(0):.1f}" == "6.3" and fig.wavelength(0) == pytest.approx(2 * math.pi)
    assert_in_each_page(SLUGS[55], {"en": ["64 positions in 32 dimensions"], "ru": ["64 позиций в 32 измерениях"]})
    cp.assert_figure_used(SECTION, "sinusoidal-encoding", [SLUGS[55]])


@pytest.fixture(scope="module")
def full_size_models():
    """BERT-base, GPT-2 small and T5-base on the meta device: shapes only, no weights, no download."""
    import torch
    from transformers import BertConfig, BertModel, GPT2Config, GPT2Model, T5Config, T5Model

    with torch.device("meta"):
        bert = BertModel(BertConfig())
        gpt2 = GPT2Model(GPT2Config())
        t5 = T5Model(T5Config(d_model=768, d_ff=3072, d_kv=64, num_heads=12, num_layers=12))
    return bert, gpt2, t5


def test_q55_q57_parameter_counts(full_size_models):
    bert, gpt2, t5 = full_size_models
    bert_pos, gpt2_pos = bert.embeddings.position_embeddings.weight, gpt2.wpe.weight
    assert tuple(bert_pos.shape) == (512, 768) and bert_pos.numel() == 512 * 768 == 393216
    assert tuple(gpt2_pos.shape) == (1024, 768) and gpt2_pos.numel() == 1024 * 768 == 786432
    assert cp.n_params(bert) == 109482240 and cp.n_params(gpt2) == 124439808
    assert f"{100 * 393216 / 109482240:.2f}%" == "0.36%"
    assert f"{100 * 786432 / 124439808:.2f}%" == "0.63%"
    biases = {name: p.shape for name, p in t5.named_parameters() if "relative_attention_bias" in name}
    assert sorted(biases) == ["decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight",
                              "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight"]
    assert all(tuple(s) == (32, 12) for s in biases.values()) and 32 * 12 == 384
    assert_in_pages(SLUGS[57], 393216, 786432, 109482240, 124439808, "0.36%", "0.63%")
    assert_in_pages(SLUGS[55], 393216, "T5-base: 384")
    assert_in_pages(SLUGS[57], "$512 \\times 768$", "$1024 \\times 768$",
                    "# BERT-base (512, 768) 393216 0.36%", "# GPT-2 small (1024, 768) 786432 0.63%")


def test_q55_q58_alibi_slopes_match_bloom():
    import torch
    from transformers.models.bloom.modeling_bloom import _get_alibi_slopes

    ours = [2.0 ** (-8 * h / 8) for h in range(1, 9)]
    assert ours == [1 / 2 ** h for h in range(1, 9)] and ours[-1] == 1 / 256
    assert _get_alibi_slopes(8, torch.device("cpu")).tolist() == ours
    # 16 heads: a geometric sequence from 2^-0.5 that interleaves the 8-head slopes
    s16 = _get_alibi_slopes(16, torch.device("cpu")).tolist()
    np.testing.assert_allclose(s16, [2 ** (-8 * h / 16) for h in range(1, 17)], rtol=1e-6)
    np.testing.assert_allclose(s16[1::2], ours, rtol=1e-6)
    for slug in (SLUGS[55], SLUGS[58]):
        assert_in_pages(slug, "1/2, 1/4, \\dots, 1/256")
    assert_in_pages(SLUGS[58], "2^{-8h/H}", "2^{-8/H}")


def test_q55_q57_q59_nope_layers_and_rope_settings():
    from transformers import (DeepseekV3Config, GPTJConfig, GPTNeoXConfig, Llama4TextConfig,
                              SmolLM3Config)
    from transformers.modeling_rope_utils import ROPE_INIT_FUNCTIONS

    for cfg in (Llama4TextConfig(num_hidden_layers=8), SmolLM3Config(num_hidden_layers=8)):
        assert cfg.no_rope_layers == [1, 1, 1, 0, 1, 1, 1, 0]  # 0 = no RoPE: every fourth layer
    assert_in_each_page(SLUGS[55], {"en": ["every fourth layer"], "ru": ["каждый четвёртый слой"]})
    assert_in_each_page(SLUGS[59], {"en": ["every fourth layer"], "ru": ["каждом четвёртом слое"]})
    assert GPTNeoXConfig().rope_parameters["partial_rotary_factor"] == 0.25
    assert GPTJConfig().rotary_dim == 64 and DeepseekV3Config().qk_rope_head_dim == 64
    assert {"linear", "dynamic", "yarn", "llama3"} <= set(ROPE_INIT_FUNCTIONS)
    assert_in_pages(SLUGS[59], "`linear`, `dynamic`, `yarn`, `llama3`")
    assert_in_each_page(SLUGS[59], {"en": ["GPT-J rotates 64 dimensions, GPT-NeoX 25%", "separate 64-dimensional"],
                                    "ru": ["GPT-J — 64 измерения, GPT-NeoX — 25%", "размерности 64"]})


# --------------------------------------------------------------------------- Q56


def test_q56_raw_index_swamps_the_embedding():
    import torch
    import torch.nn.functional as F

    torch.manual_seed(0)
    d = 512
    cat, dog = torch.randn(2, d) / math.sqrt(d)
    pe = torch.tensor(sinusoidal(501, d), dtype=torch.float32)
    np.testing.assert_allclose(sinusoidal(11, d), reference_sinusoidal(11, d), atol=1e-6)
    # the page builds the code with torch, one position at a time
    angle = 500 / 10000 ** (torch.arange(0, d, 2) / d)
    np.testing.assert_allclose(torch.stack([angle.sin(), angle.cos()], dim=-1).flatten().numpy(), pe[500], atol=1e-4)
    cos = lambda a, b: F.cosine_similarity(a, b, dim=0).item()  # noqa: E731
    assert (f"{cat.norm():.2f}", f"{dog.norm():.2f}", f3(cos(cat, dog))) == ("1.02", "1.04", "-0.065")
    # numpy cross-check of the cosine
    c, g = cat.double().numpy(), dog.double().numpy()
    assert f3(c @ g / np.linalg.norm(c) / np.linalg.norm(g)) == "-0.065"

    expected = {1: ("22.6", "0.998", "0.302"), 10: ("226.3", "1.000", "0.273"), 500: ("11313.7", "1.000", "0.288")}
    for p, (norm, raw, scaled) in expected.items():
        shift = torch.full((d,), float(p))
        assert f"{shift.norm():.1f}" == f"{p * math.sqrt(d):.1f}" == norm
        assert f3(cos(cat + shift, dog + shift)) == raw
        assert f"{pe[p].norm():.1f}" == "16.0"
        assert f3(cos(math.sqrt(d) * cat + pe[p], math.sqrt(d) * dog + pe[p])) == scaled
        assert_in_pages(SLUGS[56], f"| {raw} | 16.0 | {scaled} |", f"# {p} {norm} {raw} | 16.0 {scaled}")
    assert f3(cos(cat + pe[500], dog + pe[500])) == "0.996"  # unscaled embeddings drown too
    assert round(500 * math.sqrt(512)) == 11314 and f"{math.sqrt(512):.1f}" == "22.6"
    assert_in_pages(SLUGS[56], "0.996", fmt_math(11314), "\\sqrt{512} \\approx 22.6")
    assert_in_each_page(SLUGS[56], {"en": ["norms 1.02 and 1.04"], "ru": ["нормами 1.02 и 1.04"]})
    assert_in_each_page(SLUGS[56], {"en": ["| 500 | 11,313.7 |"], "ru": ["| 500 | 11\u00a0313.7 |"]})


def test_q56_normalised_index_and_the_linear_term():
    five, hundred_one = np.arange(5) / 4, np.arange(101) / 100
    assert list(five) == [0, 0.25, 0.5, 0.75, 1] and hundred_one[1] == 0.01
    assert five[2] == hundred_one[50] == 0.5
    assert_in_pages(SLUGS[56], "0, 0.25, 0.5, 0.75, 1", "0, 0.01, …, 1")
    # a raw index along one direction u gives a logit linear in the key position j: no peak at j = i - 1
    rng = np.random.default_rng(0)
    d, n, i = 16, 12, 7
    wq, wk, u, x = rng.normal(size=(d, d)), rng.normal(size=(d, d)), rng.normal(size=d), rng.normal(size=d)
    keys = np.array([(x + j * u) @ wk for j in range(n)])  # the same token at every position
    logits = keys @ ((x + i * u) @ wq)
    np.testing.assert_allclose(np.diff(logits, 2), 0, atol=1e-8)
    assert int(np.argmax(logits)) in (0, n - 1)
    # sinusoids: with W_Q W_K^T = M_k the position-position term peaks exactly at j = i - k
    pe = sinusoidal(64, 32)
    for k in (1, 3):
        scores = pe @ shift_matrix(32, k) @ pe.T  # scores[i, j] = PE(i)^T M_k PE(j)
        assert all(int(np.argmax(scores[i])) == i - k for i in range(k, 64))


# --------------------------------------------------------------------------- Q57


def test_q57_learned_table_has_a_hard_limit():
    import torch
    from transformers import GPT2Config, GPT2Model

    torch.manual_seed(0)
    cfg = GPT2Config(vocab_size=100, n_positions=8, n_embd=16, n_layer=1, n_head=2, bos_token_id=0, eos_token_id=0)
    model = GPT2Model(cfg).eval()
    assert tuple(model.wpe.weight.shape) == (8, 16) and model.wpe.weight.requires_grad
    with torch.no_grad():
        assert tuple(model(torch.zeros(1, 8, dtype=torch.long)).last_hidden_state.shape) == (1, 8, 16)
        with pytest.raises(IndexError, match="index out of range in self"):
            model(torch.zeros(1, 9, dtype=torch.long))
    # a fixed function has a row for any position
    assert reference_sinusoidal(4097, 16)[4096] == pytest.approx(sinusoidal(4097, 16)[4096], abs=1e-5)
    assert 512 * 8 == 4096  # Longformer: RoBERTa's 512 rows copied eight times
    assert_in_pages(SLUGS[57], "$8 \\times 16$", "# 9 IndexError: index out of range in self", "513", "4096",
                    "25.7", "25.8", "4.92", "90%", "10%", "128–511")


# --------------------------------------------------------------------------- Q58


def t5_bucket(rel: int, bidirectional: bool = True, num_buckets: int = 32, max_distance: int = 128) -> int:
    """Our transcription of the T5 bucketing rule (Raffel et al., 2020)."""
    offset = 0
    if bidirectional:
        num_buckets //= 2
        offset = num_buckets if rel > 0 else 0
        n = abs(rel)
    else:
        n = max(-rel, 0)
    max_exact = num_buckets // 2
    if n < max_exact:
        return offset + n
    large = max_exact + int(math.log(n / max_exact) / math.log(max_distance / max_exact) * (num_buckets - max_exact))
    return offset + min(large, num_buckets - 1)


def test_q58_shaw_clipping():
    n, k = 5, 2
    rel = np.arange(n)[None, :] - np.arange(n)[:, None]
    clipped = np.clip(rel, -k, k)
    assert len(np.unique(clipped)) == 2 * k + 1 == 5
    assert all(len(set(np.diagonal(clipped, o))) == 1 for o in range(-n + 1, n))  # Toeplitz
    assert len(np.unique(np.clip(np.arange(-4999, 5000), -k, k))) == 5  # every offset of 5000 tokens
    rows = [f"| {i} | " + " | ".join(str(v) for v in row) + " |" for i, row in enumerate(clipped)]
    assert rows[1] == "| 1 | -1 | 0 | 1 | 2 | 2 |"
    assert_in_pages(SLUGS[58], *rows, "2k + 1 = 5")


def test_q58_t5_buckets():
    import torch
    from transformers.models.t5.modeling_t5 import T5Attention

    offsets = [-1, -8, -20, -100, 1, 20, 200]
    hf = T5Attention._relative_position_bucket(torch.tensor(offsets), bidirectional=True).tolist()
    assert hf == [t5_bucket(o) for o in offsets] == [1, 8, 10, 15, 17, 26, 31]
    assert_in_pages(SLUGS[58], *(f"| {o} | {b} |" for o, b in zip(offsets, hf)))
    # the structure stated on the page, checked on every offset up to 1000
    rel = torch.arange(-1000, 1001)
    buckets = T5Attention._relative_position_bucket(rel, bidirectional=True)
    assert buckets.tolist() == [t5_bucket(int(r)) for r in rel]
    left = {int(-r): int(b) for r, b in zip(rel, buckets) if r <= 0}
    assert [left[o] for o in range(8)] == list(range(8))  # 0-7 exactly
    assert {left[o] for o in range(8, 12)} == {8} and left[12] == 9
    assert left[90] == 14 and all(left[o] == 15 for o in range(91, 1001))
    assert set(buckets[rel <= 0].tolist()) == set(range(16)) and set(buckets[rel > 0].tolist()) == set(range(17, 32))
    assert 16 not in buckets.tolist()  # offset 0 always lands in bucket 0
    assert_in_pages(SLUGS[58], "0–7", "8–11", "91", "0–15", "17–31", "-1000")


def test_q58_alibi_bias_and_bloom_equivalence():
    import torch
    from transformers.models.bloom.modeling_bloom import build_alibi_tensor

    torch.manual_seed(0)
    heads, n = 8, 4
    slopes = 2.0 ** (-8.0 * torch.arange(1, heads + 1) / heads)
    i, j = torch.arange(n)[:, None], torch.arange(n)[None, :]
    future = j > i
    bias = (slopes[:, None, None] * (j - i)).masked_fill(future, float("-inf"))
    assert bias[0][~future].tolist() == [0.0, -0.5, 0.0, -1.0, -0.5, 0.0, -1.5, -1.0, -0.5, 0.0]
    bloom = build_alibi_tensor(torch.ones(1, n), heads, torch.float32).view(heads, 1, n)
    assert torch.equal(bloom[:, 0, 1], slopes) and bloom[0, 0].tolist() == [0.0, 0.5, 1.0, 1.5]
    scores = torch.randn(heads, n, n)
    paper = torch.softmax(scores + bias, dim=-1)
    hf = torch.softmax((scores + bloom).masked_fill(future, float("-inf")), dim=-1)
    assert torch.allclose(paper, hf, atol=1e-6)
    assert_in_pages(SLUGS[58], "$(-1.5, -1, -0.5, 0)$", "(0, 0.5, 1, 1.5)", "# True [0.0, 0.5, 1.0, 1.5]")


# --------------------------------------------------------------------------- Q59


def rope_half(x, pos, base=10000.0):
    """Pairs (x[i], x[i + d/2]), as in the page's code and Llama in transformers."""
    import torch

    d = x.shape[-1]
    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    angle = pos[:, None].double() * theta
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return torch.cat([x1 * angle.cos() - x2 * angle.sin(), x1 * angle.sin() + x2 * angle.cos()], dim=-1)


def rope_complex(x: np.ndarray, pos: np.ndarray, base: float = 10000.0) -> np.ndarray:
    """Interleaved pairs (x[2i], x[2i+1]) as complex numbers times e^{i pos theta}, as in the paper."""
    d = x.shape[-1]
    theta = base ** (-np.arange(0, d, 2) / d)
    z = x[..., 0::2] + 1j * x[..., 1::2]
    z = z * np.exp(1j * pos[:, None] * theta)
    out = np.empty_like(x)
    out[..., 0::2], out[..., 1::2] = z.real, z.imag
    return out


def test_q59_rope_matches_llama_and_gptj():
    import torch
    from transformers import LlamaConfig
    from transformers.models.gptj.modeling_gptj import apply_rotary_pos_emb as gptj_apply
    from transformers.models.gptj.modeling_gptj import create_sinusoidal_positions
    from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding, apply_rotary_pos_emb

    torch.manual_seed(0)
    n, d = 6, 8
    q, k = torch.randn(2, 1, 1, n, d, dtype=torch.float64)
    pos = torch.arange(n)
    config = LlamaConfig(hidden_size=16, num_attention_heads=2, num_key_value_heads=2, head_dim=d)
    rotary = LlamaRotaryEmbedding(config)
    np.testing.assert_allclose(rotary.inv_freq.numpy(), 10000.0 ** (-np.arange(0, d, 2) / d), rtol=1e-6)
    cos, sin = rotary(q, pos[None])
    q_hf, k_hf = apply_rotary_pos_emb(q, k, cos, sin)
    assert torch.allclose(rope_half(q, pos), q_hf, atol=1e-6) and torch.allclose(rope_half(k, pos), k_hf, atol=1e-6)

    # interleaved layout: ours (complex numbers) against GPT-J's rotate_every_two
    x = q[0, 0].numpy()
    sincos = create_sinusoidal_positions(n, d)[None]  # (1, n, d): sin | cos
    sin_j, cos_j = sincos[..., : d // 2], sincos[..., d // 2:]
    gptj = gptj_apply(torch.tensor(x)[None, :, None, :], sin_j.double(), cos_j.double())[0, :, 0].numpy()
    np.testing.assert_allclose(rope_complex(x, pos.numpy()), gptj, atol=1e-6)
    # the two layouts differ only by a fixed permutation of the head dimensions
    to_half = np.concatenate([np.arange(0, d, 2), np.arange(1, d, 2)])
    np.testing.assert_allclose(rope_complex(x, pos.numpy())[:, to_half],
                               rope_half(torch.tensor(x[:, to_half]), pos).numpy(), atol=1e-12)
    assert_in_pages(SLUGS[59], "rotate_half", "#25199", "`LlamaRotaryEmbedding`", "`apply_rotary_pos_emb`")


def test_q59_norms_and_relative_scores():
    import torch

    torch.manual_seed(1)
    d = 64
    q, k = torch.randn(2, 1, d, dtype=torch.float64)
    for m in (0, 7, 1000):
        assert torch.allclose(rope_half(q, torch.tensor([m])).norm(), q.norm())
    for delta in (0, 3, 50):
        scores = [(rope_half(q, torch.tensor([m + delta])) * rope_half(k, torch.tensor([m]))).sum().item()
                  for m in (0, 11, 4000)]
        assert scores == pytest.approx([scores[0]] * 3, abs=1e-9)
    # R_m^T R_n = R_{n - m}
    eye = torch.eye(d, dtype=torch.float64)
    r = {p: rope_half(eye, torch.full((d,), p)).T for p in (3, 10, 7)}  # columns = rotated basis vectors
    assert torch.allclose(r[3].T @ r[10], r[7], atol=1e-12)


def test_q59_worked_example_and_figure():
    import torch

    theta = 10000 ** (-np.arange(0, 4, 2) / 4)
    assert list(theta) == [1.0, 0.01]
    q = np.array([1.0, 0.0, 1.0, 0.0])
    r3 = rope_complex(q[None], np.array([3.0]))[0]
    assert [f3(v) for v in r3] == ["-0.990", "0.141", "1.000", "0.030"]
    assert f3(np.linalg.norm(r3)) == "1.414"
    assert_in_pages(SLUGS[59], "R_3 q = (-0.990,\\ 0.141,\\ 1.000,\\ 0.030)", "\\sqrt{2} = 1.414")

    def score(m, n):
        return float(rope_complex(q[None], np.array([float(m)]))[0] @ rope_complex(q[None], np.array([float(n)]))[0])

    assert {f3(score(m, n)) for m, n in [(3, 1), (12, 10), (1003, 1001)]} == {"0.584"}
    assert (f3(math.cos(2)), f3(math.cos(0.02))) == ("-0.416", "1.000")
    by_offset = [f3(score(delta, 0)) for delta in (0, 1, 2, 10, 100)]
    assert by_offset == ["2.000", "1.540", "0.584", "0.156", "1.403"]
    assert_in_pages(SLUGS[59], "-0.416 + 1.000 = 0.584", "(1003, 1001)")
    assert_in_each_page(SLUGS[59], {
        "en": [f"{v} at {o}" for v, o in zip(by_offset, (0, 1, 2, 10, 100))],
        "ru": [f"{v} при {o}" for v, o in zip(by_offset, (0, 1, 2, 10, 100))],
    })
    # the page's code uses the half-split layout: (1, 1, 0, 0) is the same vector
    half = torch.tensor([[1.0, 1.0, 0.0, 0.0]])
    s_half = (rope_half(half, torch.tensor([3])) * rope_half(half, torch.tensor([1]))).sum().item()
    assert f3(s_half) == "0.584"
    assert_in_pages(SLUGS[59], "# [0.584, 0.584]")

    fig = cp.load_figure("rope-rotation")
    assert fig.PAIRS == ((3, 1), (12, 10)) and fig.THETA == 1.0
    assert fig.score(3, 1) == pytest.approx(fig.score(12, 10)) == pytest.approx(math.cos(2))
    assert f3(fig.score(12, 10)) == "-0.416"
    assert_in_pages(SLUGS[59], "(3, 1)", "(12, 10)")
    cp.assert_figure_used(SECTION, "rope-rotation", [SLUGS[59]])


def test_q59_bf16_cannot_hold_large_positions():
    import torch

    big = torch.tensor([100000.0, 100001.0], dtype=torch.bfloat16).float().tolist()
    assert big[0] == big[1]
    assert torch.finfo(torch.bfloat16).eps * 2 ** 16 == 512  # 8 significant bits: spacing in [65536, 131072)
    assert_in_pages(SLUGS[59], 100000, 100001, "512")


def test_q59_position_interpolation_is_linear_rope_scaling():
    """The follow-up on 4096 -> 32,768 tokens: `rope_type="linear"` with factor 8 in transformers 5
    rotates position m exactly as the unscaled model rotates m / 8 (Position Interpolation)."""
    import torch
    from transformers import LlamaConfig
    from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding

    factor = 32768 // 4096
    assert factor == 8
    base = dict(hidden_size=16, num_attention_heads=2, num_key_value_heads=2, head_dim=8)
    plain = LlamaRotaryEmbedding(LlamaConfig(**base))
    scaled = LlamaRotaryEmbedding(LlamaConfig(**base, rope_parameters={"rope_type": "linear", "factor": 8.0,
                                                                      "rope_theta": 10000.0}))
    torch.testing.assert_close(scaled.inv_freq * factor, plain.inv_freq)
    x = torch.zeros(1, 1, 8)
    pos = torch.arange(0, 32768, 8)
    cos_s, sin_s = scaled(x, pos[None])
    cos_p, sin_p = plain(x, (pos // factor)[None])
    torch.testing.assert_close(cos_s, cos_p, rtol=0, atol=1e-4)
    torch.testing.assert_close(sin_s, sin_p, rtol=0, atol=1e-4)
    assert_in_pages(SLUGS[59], "$m/8$", "`rope_parameters`", "`factor`")
    assert_in_each_page(SLUGS[59], {"en": ["32,768 / 4096 = 8", "trained on 4096 tokens to 32,768"],
                                    "ru": ["32\u00a0768 / 4096 = 8", "обученную на 4096 токенах, до 32\u00a0768"]})
