"""Reference computations for the attention section (questions 32-38): every number of the worked
examples, recomputed with PyTorch (scaled_dot_product_attention, nn.MultiheadAttention, nn.RNN,
nn.LSTMCell, nn.TransformerEncoderLayer, torch.utils.flop_counter) and found on both language
versions of the page. The from-scratch implementation checked in test_q35_* is the code block of
the page itself. Hugging Face defaults are read from the installed sources (no import, no download).
"""
from __future__ import annotations

import contextlib
import io
import math
import re
from functools import partial

import pytest

import content_pages as cp
from content_pages import (  # noqa: F401  (single_thread_torch: an autouse fixture)
    DOCS,
    LANGS,
    f3,
    fmt_int,
    fmt_math,
    single_thread_torch,
)

SECTION = DOCS / "transformers" / "attention"
SLUGS = {
    32: "attention-computation",
    33: "attention-complexity",
    34: "rnn-vs-attention",
    35: "attention-from-scratch",
    36: "attention-masking",
    37: "self-attention-shapes",
    38: "bert-vs-gpt-attention",
}
assert_in_pages = partial(cp.assert_in_pages, SECTION)
TOL = dict(rtol=0.0, atol=1e-12)


def cell(x: float) -> str:
    """A weight or score as the tables print it: whole numbers as integers, otherwise 3 decimals,
    negative numbers with a minus sign (U+2212)."""
    text = str(int(x)) if x == round(x) else f3(x)
    return text.replace("-", "\u2212")


def row(values) -> str:
    return ", ".join(cell(float(v)) for v in values)


def pair(values) -> str:
    return "(" + ", ".join(cell(float(v)) for v in values) + ")"


def macs(fn, *args) -> int:
    """Multiply-adds of fn(*args) by PyTorch's FLOP counter (which counts 2 FLOPs per MAC)."""
    import torch
    from torch.utils.flop_counter import FlopCounterMode

    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        fn(*args)
    return counter.get_total_flops() // 2


def transformers_source(relative: str) -> str:
    """Text of a module of the installed transformers package, located without importing it."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("transformers")
    return (Path(spec.origin).parent / relative).read_text(encoding="utf-8")


# --------------------------------------------------------------------------- Q32


def test_q32_score_functions():
    import torch
    import torch.nn.functional as F

    fig = cp.load_figure("attention-score-functions")
    dt = torch.float64
    H = torch.tensor(fig.H, dtype=dt)
    s = torch.tensor(fig.S, dtype=dt)
    W_g, W_a, U_a, v_a = (torch.tensor(m, dtype=dt) for m in (fig.W_G, fig.W_A, fig.U_A, fig.V_A))
    assert torch.equal(W_g, torch.tensor([[1.0, 0.0], [0.0, -1.0]], dtype=dt))
    assert torch.equal(W_a, 0.5 * torch.eye(2, dtype=dt)) and torch.equal(U_a, torch.eye(2, dtype=dt))

    # additive (Bahdanau) by hand, with plain floats
    hand = []
    for h in fig.H:
        hidden = [math.tanh(0.5 * fig.S[i] + h[i]) for i in range(2)]
        hand.append(hidden[0] * 1.0 + hidden[1] * (-1.0))
    scores = {
        "dot": H @ s,
        "scaled dot": H @ s / math.sqrt(2),
        "general": H @ (W_g.T @ s),
        "additive": torch.tanh(W_a @ s + H @ U_a.T) @ v_a,
    }
    torch.testing.assert_close(scores["additive"], torch.tensor(hand, dtype=dt), **TOL)
    # the dot-product family against PyTorch's scaled_dot_product_attention
    sdpa = {
        "dot": F.scaled_dot_product_attention(s[None], H, H, scale=1.0),
        "scaled dot": F.scaled_dot_product_attention(s[None], H, H),
        "general": F.scaled_dot_product_attention((W_g.T @ s)[None], H, H, scale=1.0),
    }
    shown = {}
    for name, e in scores.items():
        w = torch.softmax(e, dim=0)
        context = w @ H
        if name in sdpa:
            torch.testing.assert_close(sdpa[name][0], context, **TOL)
        torch.testing.assert_close(torch.from_numpy(fig.weights(name)), w, **TOL)  # the figure
        shown[name] = (row(e), row(w), pair(context))
    assert shown == {
        "dot": ("2, 1, 3", "0.245, 0.090, 0.665", "(0.910, 0.755)"),
        "scaled dot": ("1.414, 0.707, 2.121", "0.284, 0.140, 0.576", "(0.860, 0.716)"),
        "general": ("2, \u22121, 1", "0.705, 0.035, 0.259", "(0.965, 0.295)"),
        "additive": ("0.502, \u22120.144, 0.059", "0.462, 0.242, 0.296", "(0.758, 0.538)"),
    }
    for name, (sc, w, c) in shown.items():
        assert_in_pages(SLUGS[32], f"| {sc} | {w} | {c} |")

    # the dot row by hand, and the bound of the additive scores
    ex = [math.exp(x) for x in (2, 1, 3)]
    assert [f3(x) for x in ex] + [f3(sum(ex)), f3(ex[0] / sum(ex))] == \
        ["7.389", "2.718", "20.086", "30.193", "0.245"]
    assert float(v_a.abs().sum()) == 2 and all(abs(x) < 2 for x in hand)
    assert_in_pages(SLUGS[32], "7.389", "2.718", "20.086", "30.193", "0.665 ", "0.576",
                    r"\lVert v_a \rVert_1 = 2", r"\alpha_1 = 7.389 / 30.193 = 0.245")

    # why sqrt(d_k): the variance of q.k is d_k for unit-variance components; base transformer sizes
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(2, 20000, 64, generator=g, dtype=dt)
    dots = (a * b).sum(-1)
    assert dots.var().item() == pytest.approx(64, rel=0.05)
    assert (dots / 8).var().item() == pytest.approx(1, rel=0.05)
    assert math.sqrt(64) == 8 and 512 // 8 == 64
    assert_in_pages(SLUGS[32], "$d_k = 64$", r"\sqrt{64} = 8", r"\sqrt{512}", r"$d_{\text{model}} = 512$")
    cp.assert_figure_used(SECTION, "attention-score-functions", [SLUGS[32]])


# --------------------------------------------------------------------------- Q33


def attention_macs(n: int, d: int) -> int:
    return 4 * n * d * d + 2 * n * n * d


def rnn_macs(n: int, d: int, blocks: int = 1) -> int:
    return blocks * 2 * n * d * d


def test_q33_formulas_match_the_flop_counter():
    import torch
    from torch import nn

    torch.manual_seed(0)
    for n, d, h in ((16, 32, 4), (24, 16, 2)):
        x = torch.randn(1, n, d)
        mha = nn.MultiheadAttention(d, h, batch_first=True)  # training mode: the counted math path
        assert macs(mha, x, x, x) == attention_macs(n, d)
        assert macs(nn.RNN(d, d, batch_first=True), x) == rnn_macs(n, d)
        cell = nn.LSTMCell(d, d)

        def lstm_steps(seq):
            state = None
            for t in range(seq.shape[1]):
                state = cell(seq[:, t], state)

        assert macs(lstm_steps, x) == rnn_macs(n, d, 4)
        assert macs(nn.GRU(d, d, batch_first=True), x) == rnn_macs(n, d, 3)
        ffn = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))
        assert macs(ffn, x) == 8 * n * d * d
    assert (attention_macs(16, 32), rnn_macs(16, 32), rnn_macs(16, 32, 4)) == (81920, 32768, 131072)
    assert 4 * 16 * 32 ** 2 + 2 * 16 ** 2 * 32 == 81920 and 2 * 16 * 32 ** 2 == 32768
    assert_in_pages(SLUGS[33], fmt_math(81920), fmt_math(32768), 131072, "$n = 16$", "$d = 32$")


def test_q33_table_at_d_512():
    import torch
    from torch import nn

    d, h = 512, 8
    rows = {}
    for n in (128, 512, 1024, 2048, 8192):
        proj, pairwise = 4 * n * d * d, 2 * n * n * d
        att, elman, lstm = attention_macs(n, d), rnn_macs(n, d), rnn_macs(n, d, 4)
        assert att == proj + pairwise
        weights_mb, states_mb = h * n * n * 4 / 1e6, n * d * 4 / 1e6
        rows[n] = [f"{x / 1e9:.3f}" for x in (proj, pairwise, att, elman, lstm)] + \
                  [f"{weights_mb:.1f}", f"{states_mb:.1f}"]
        assert_in_pages(SLUGS[33], f"| {n} | " + " | ".join(rows[n]) + " |")
        assert att / elman == 2 + n / d
    assert rows[128] == ["0.134", "0.017", "0.151", "0.067", "0.268", "0.5", "0.3"]
    assert rows[8192] == ["8.590", "68.719", "77.309", "4.295", "17.180", "2147.5", "16.8"]
    # crossovers: pairwise = Elman at n = d; pairwise = projections and attention = LSTM at n = 2d;
    # pairwise = the rest of a transformer block (projections + 8nd^2 feed-forward) at n = 6d
    assert 2 * d * d * d == rnn_macs(d, d)
    assert 2 * (2 * d) ** 2 * d == 4 * (2 * d) * d * d and attention_macs(2 * d, d) == rnn_macs(2 * d, d, 4)
    assert 2 * (6 * d) ** 2 * d == 12 * (6 * d) * d * d and 6 * d == 3072
    assert (2 + 128 / d, 2 + 8192 / d) == (2.25, 18)
    assert f3(2 * 8192 ** 2 * d / attention_macs(8192, d)) == "0.889"
    assert_in_pages(SLUGS[33], "2.25", " 18 ", "0.889", "3072", "2147.5", "0.268 GMAC", "2.147 GMAC",
                    "1000", "999")

    # memory: the weights tensor is (B, h, n, n) and the RNN keeps (B, n, d) states
    n_small = 12
    x = torch.randn(1, n_small, d // 8)
    mha = nn.MultiheadAttention(d // 8, h, batch_first=True)
    _, w = mha(x, x, x, need_weights=True, average_attn_weights=False)
    assert w.shape == (1, h, n_small, n_small) and w.element_size() == 4
    out, _ = nn.RNN(d // 8, d // 8, batch_first=True)(x)
    assert out.numel() == n_small * (d // 8)


# --------------------------------------------------------------------------- Q34


def test_q34_per_token_cost_and_cache():
    import torch
    from torch import nn

    torch.manual_seed(0)
    for d, t in ((32, 64), (16, 40)):
        w_q, w_k, w_v, w_o = (nn.Linear(d, d, bias=False) for _ in range(4))
        k_cache, v_cache = torch.randn(t - 1, d), torch.randn(t - 1, d)
        x = torch.randn(1, d)

        def step(x):
            k = torch.cat([k_cache, w_k(x)])
            v = torch.cat([v_cache, w_v(x)])
            return w_o(torch.softmax(w_q(x) @ k.T / d ** 0.5, dim=-1) @ v)

        assert macs(step, x) == 4 * d * d + 2 * t * d
        h_c = nn.LSTMCell(d, d, bias=False)(x)
        assert macs(nn.LSTMCell(d, d, bias=False), x) == 8 * d * d
        assert sum(s.numel() for s in h_c) == 2 * d
    assert 4 * 32 * 32 + 2 * 64 * 32 == 8 * 32 * 32 == 8192
    assert_in_pages(SLUGS[34], "$d = 32$", "$t = 64$", "8192")

    d = 512
    for t in (128, 1024, 4096):
        att, lstm, kv = 4 * d * d + 2 * t * d, 8 * d * d, 2 * t * d
        # the cache really holds 2 t d numbers
        assert torch.zeros(2, t, d).numel() == kv
        cells = {lang: [str(t), fmt_int(att, lang), fmt_int(lstm, lang), f"{att / lstm:.2f}",
                        fmt_int(kv, lang), f"{kv * 4 / 1e6:.1f}", str(2 * d)] for lang in LANGS}
        cp.assert_in_each_page(SECTION, SLUGS[34],
                               {lang: ["| " + " | ".join(c) + " |"] for lang, c in cells.items()})
    assert 4 * d * d + 2 * (2 * d) * d == 8 * d * d and 2 * d == 1024
    assert (2 * 4096 * d) // (2 * d) == 4096 and 2 * d * 4 == 4096
    assert_in_pages(SLUGS[34], "$t = 2d = 1024$", "$t = 4096$", 4194304, "1000")
    cp.assert_in_each_page(SECTION, SLUGS[34], {"en": ["4096 times", "1024 numbers, 4096 bytes"],
                                                "ru": ["в 4096 раз", "1024 числа, 4096 байт"]})

    # without positional information self-attention is permutation-equivariant
    mha = nn.MultiheadAttention(8, 2, batch_first=True).eval()
    x = torch.randn(1, 5, 8, dtype=torch.float32)
    perm = torch.tensor([3, 0, 4, 1, 2])
    with torch.no_grad():
        y = mha(x, x, x, need_weights=False)[0]
        y_perm = mha(x[:, perm], x[:, perm], x[:, perm], need_weights=False)[0]
    torch.testing.assert_close(y_perm, y[:, perm], rtol=1e-5, atol=1e-6)


# --------------------------------------------------------------------------- Q35


@pytest.fixture(scope="module")
def scratch():
    """The namespace of the from-scratch code block of question 35 (English page; the generic
    tests check that the Russian block is the same code)."""
    block = cp.python_blocks(cp.read_page(SECTION, SLUGS[35], "en"))[0]
    namespace = {"__name__": "__page__"}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(block, f"{SLUGS[35]}.en.md#block0", "exec"), namespace)
    assert out.getvalue().split() == ["True"] * 5
    return namespace


def test_q35_attention_matches_sdpa(scratch):
    import torch
    import torch.nn.functional as F

    attention = scratch["attention"]
    g = torch.Generator().manual_seed(1)
    B, h, L, S, d_k = 3, 2, 6, 6, 4
    q, k, v = (torch.randn(B, h, n, d_k, generator=g, dtype=torch.float64) for n in (L, S, S))
    causal = torch.tril(torch.ones(L, S, dtype=torch.bool))
    padding = (torch.arange(S) < torch.tensor([[6], [4], [2]]))[:, None, None, :]
    cases = [(None, {}), (causal, {"is_causal": True}), (padding, {"attn_mask": padding}),
             (padding & causal, {"attn_mask": padding & causal})]
    for mask, kw in cases:
        ours, weights = attention(q, k, v, mask)
        torch.testing.assert_close(ours, F.scaled_dot_product_attention(q, k, v, **kw), **TOL)
        torch.testing.assert_close(weights.sum(-1), torch.ones(B, h, L, dtype=torch.float64), **TOL)
        if mask is not None:
            assert (weights.masked_select(~mask.expand_as(weights)) == 0).all()  # exactly zero
    # cross-attention: 3 queries against 6 keys with padding
    q3 = torch.randn(B, h, 3, d_k, generator=g, dtype=torch.float64)
    ours, weights = attention(q3, k, v, padding)
    torch.testing.assert_close(ours, F.scaled_dot_product_attention(q3, k, v, attn_mask=padding), **TOL)
    assert weights.shape == (B, h, 3, S)


def test_q35_multi_head_matches_nn_multihead_attention(scratch):
    import torch
    from torch import nn

    torch.manual_seed(2)
    d_model, h, B, L, S = 12, 3, 2, 5, 4
    ref = nn.MultiheadAttention(d_model, h, batch_first=True, dtype=torch.float64)
    mha = scratch["MultiHeadAttention"](d_model, h).double()
    with torch.no_grad():
        ref.in_proj_bias.normal_()
        ref.out_proj.bias.normal_()
        for lin, w, b in zip((mha.w_q, mha.w_k, mha.w_v), ref.in_proj_weight.chunk(3), ref.in_proj_bias.chunk(3)):
            lin.weight.copy_(w)
            lin.bias.copy_(b)
        mha.w_o.load_state_dict(ref.out_proj.state_dict())
    x = torch.randn(B, L, d_model, dtype=torch.float64)
    mem = torch.randn(B, S, d_model, dtype=torch.float64)
    keep_self = torch.arange(L) < torch.tensor([[5], [3]])            # (B, L) real tokens
    keep_mem = torch.arange(S) < torch.tensor([[4], [2]])
    causal = torch.tril(torch.ones(L, L, dtype=torch.bool))
    cases = [
        (x, x, None, {}),
        (x, x, keep_self[:, None, None, :], {"key_padding_mask": ~keep_self}),
        (x, x, keep_self[:, None, None, :] & causal, {"key_padding_mask": ~keep_self, "attn_mask": ~causal}),
        (x, mem, keep_mem[:, None, None, :], {"key_padding_mask": ~keep_mem}),   # cross-attention
    ]
    with torch.no_grad():
        for x_q, x_kv, mask, kw in cases:
            y_ref, w_ref = ref(x_q, x_kv, x_kv, need_weights=True, average_attn_weights=True, **kw)
            y, w = mha(x_q, x_kv, mask)
            torch.testing.assert_close(y, y_ref, **TOL)
            torch.testing.assert_close(w, w_ref, **TOL)

    # the pitfall: splitting heads with view(B, h, L, d_k) scrambles tokens
    t = torch.randn(B, L, d_model, dtype=torch.float64)
    right = mha.split(t)
    wrong = t.view(B, h, L, d_model // h)
    assert right.shape == wrong.shape and not torch.equal(right, wrong)
    assert_in_pages(SLUGS[35], "view(B, h, L, d_k)", "view(B, L, h, d_k)")


def test_q35_worked_example(scratch):
    import torch
    import torch.nn.functional as F

    attention = scratch["attention"]
    Q = torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], dtype=torch.float64)
    K = torch.tensor([[2.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=torch.float64)
    V = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=torch.float64)
    assert torch.equal(Q @ K.T, torch.tensor([[2.0, 0, 1], [0, 2, 2], [2, 1, 2]], dtype=torch.float64))
    scaled = Q @ K.T / math.sqrt(2)
    out, w = attention(Q, K, V)
    out_c, w_c = attention(Q, K, V, torch.tril(torch.ones(3, 3, dtype=torch.bool)))
    torch.testing.assert_close(out, F.scaled_dot_product_attention(Q, K, V), **TOL)
    torch.testing.assert_close(out_c, F.scaled_dot_product_attention(Q, K, V, is_causal=True), **TOL)
    for i in range(3):
        line = (f"| {i + 1} | {row(scaled[i])} | {row(w[i])} | {pair(out[i])} | "
                f"{row(w_c[i])} | {pair(out_c[i])} |")
        assert_in_pages(SLUGS[35], line)
    assert [row(w[0]), pair(out[0]), row(w_c[1]), pair(out_c[1])] == \
        ["0.576, 0.140, 0.284", "(0.860, 0.424)", "0.196, 0.804, 0", "(0.196, 0.804)"]
    ex = [math.exp(x) for x in scaled[0].tolist()]
    assert [f3(x) for x in ex] + [f3(sum(ex))] == ["4.113", "1.000", "2.028", "7.141"]
    assert_in_pages(SLUGS[35], "4.113", "2.028", "7.141", r"(2, 0, 1)/\sqrt{2} = (1.414, 0, 0.707)",
                    r"0.576 \cdot (1, 0) + 0.140 \cdot (0, 1) + 0.284 \cdot (1, 1) = (0.860, 0.424)")

    # half precision: 65504 is the largest float16; masked_fill(-1e9) refuses to overflow,
    # while an additive mask cast to float16 becomes -inf
    assert torch.finfo(torch.float16).max == 65504
    with pytest.raises(RuntimeError, match="overflow"):
        torch.zeros(3, dtype=torch.float16).masked_fill(torch.tensor([True, False, False]), -1e9)
    assert torch.tensor(-1e9).to(torch.float16).item() == float("-inf")
    assert_in_pages(SLUGS[35], "65504", "$-10^9$", "masked_fill(mask, -1e9)")
    # the follow-up on the row maximum: exp overflows above ln(max) of the dtype
    for dtype, bound in ((torch.float16, "11"), (torch.float32, "88")):
        limit = math.log(torch.finfo(dtype).max)
        assert str(int(limit)) == bound
        assert torch.isinf(torch.tensor(limit + 0.1, dtype=dtype).exp()) and torch.isfinite(
            torch.tensor(limit - 0.1, dtype=dtype).exp())
    s = torch.tensor([100.0, 99.0])
    assert torch.isnan(s.exp() / s.exp().sum()).all() and torch.allclose(s.softmax(0), (s - 100).softmax(0))
    cp.assert_in_each_page(SECTION, SLUGS[35], {"en": ["about 11 in float16 and about 88 in float32"],
                                                "ru": ["примерно 11 во float16 и примерно 88 во float32"]})


# --------------------------------------------------------------------------- Q36


def test_q36_masks_and_figure():
    import torch
    import torch.nn.functional as F

    fig = cp.load_figure("attention-masks")
    S = torch.tensor(fig.SCORES, dtype=torch.float64)
    eye = torch.eye(4, dtype=torch.float64)
    real = torch.tensor(fig.REAL)
    causal = torch.tril(torch.ones(4, 4, dtype=torch.bool))
    masks = {"none": torch.ones(4, 4, dtype=torch.bool), "padding": real[None, :].expand(4, 4),
             "causal+padding": causal & real[None, :]}
    tables = {}
    for kind, keep in masks.items():
        assert torch.equal(torch.from_numpy(fig.keep_mask(kind)), keep)
        # with k = v = I and scale 1, SDPA returns the attention weights themselves
        w = F.scaled_dot_product_attention(S, eye, eye, attn_mask=keep, scale=1.0)
        torch.testing.assert_close(torch.from_numpy(fig.weights(kind)), w, **TOL)
        assert (w[~keep] == 0).all()
        tables[kind] = [row(w[i]) for i in range(4)]
    for i, token in enumerate(["the", "cat", "sat", "&lt;pad&gt;"]):
        assert_in_pages(SLUGS[36], f"| {token} | " + " | ".join(tables[k][i] for k in masks) + " |")
    assert tables["none"][0] == "0.534, 0.197, 0.072, 0.197"
    assert tables["causal+padding"][1] == "0.119, 0.881, 0, 0"
    assert_in_pages(SLUGS[36], r"\operatorname{softmax}(1, 3) = (0.119, 0.881)", "0.197")
    cp.assert_figure_used(SECTION, "attention-masks", [SLUGS[36], SLUGS[38]])


def test_q36_fully_masked_row():
    import torch
    import torch.nn.functional as F
    from torch import nn
    from torch.nn.attention.bias import causal_lower_right

    fig = cp.load_figure("attention-masks")
    S = torch.tensor(fig.SCORES, dtype=torch.float32)
    eye = torch.eye(4)
    keep = torch.tril(torch.ones(4, 4, dtype=torch.bool)) & torch.tensor([False, True, True, True])
    naive = torch.softmax(S.masked_fill(~keep, float("-inf")), dim=-1)
    assert torch.isnan(naive[0]).all() and not torch.isnan(naive[1:]).any()
    sdpa = F.scaled_dot_product_attention(S, eye, eye, attn_mask=keep, scale=1.0)
    assert (sdpa[0] == 0).all()
    finite = torch.softmax(S + torch.where(keep, 0.0, torch.finfo(torch.float32).min), dim=-1)
    assert torch.equal(finite[0], torch.full((4,), 0.25))
    torch.testing.assert_close(finite[1:], naive[1:], rtol=0, atol=0)   # masked keys still get exactly 0
    torch.testing.assert_close(sdpa[1:], naive[1:], rtol=0, atol=1e-7)
    assert [pair(naive[1]), pair(naive[3])] == ["(0, 1, 0, 0)", "(0, 0.090, 0.245, 0.665)"]
    assert torch.tensor(torch.finfo(torch.float32).min).mul(2).item() == float("-inf")
    assert f"{abs(torch.finfo(torch.float32).min):.1e}" == "3.4e+38"
    assert_in_pages(SLUGS[36], "0.25, 0.25, 0.25, 0.25", "(0, 1, 0, 0)", "(0, 0.090, 0.245, 0.665)",
                    r"2 \cdot (-3.4 \cdot 10^{38})", "PyTorch 2.13")
    assert torch.__version__.startswith("2.13")

    # nn.MultiheadAttention still returns NaN for a fully masked row
    mha = nn.MultiheadAttention(8, 2, batch_first=True).eval()
    x = torch.randn(1, 4, 8)
    with torch.no_grad():
        y = mha(x, x, x, key_padding_mask=torch.ones(1, 4, dtype=torch.bool))[0]
    assert torch.isnan(y).all()

    # is_causal aligns the triangle top-left when L != S; causal_lower_right aligns it bottom-right
    q, k = torch.randn(1, 2, 8), torch.randn(1, 4, 8)
    v = torch.eye(4)[None]
    top_left = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    torch.testing.assert_close(top_left, F.scaled_dot_product_attention(
        q, k, v, attn_mask=torch.tril(torch.ones(2, 4, dtype=torch.bool))))
    torch.testing.assert_close(F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(2, 4)),
                               F.scaled_dot_product_attention(
                                   q, k, v, attn_mask=torch.tril(torch.ones(2, 4, dtype=torch.bool), diagonal=2)))
    assert (top_left[0, 0, 1:] == 0).all()

    # Hugging Face (transformers 5) builds its eager masks from torch.finfo(dtype).min and gives SDPA a
    # boolean mask (True = attend); checked on the installed package, no download
    import transformers
    from transformers.masking_utils import eager_mask, sdpa_mask

    assert transformers.__version__.startswith("5.")
    assert "torch.finfo(dtype).min" in transformers_source("masking_utils.py")
    pad = torch.tensor([[False, True, True, True]])          # left padding, as in the example
    kw = dict(batch_size=1, q_length=4, kv_length=4, attention_mask=pad)
    boolean = sdpa_mask(**kw, allow_is_causal_skip=False)
    additive = eager_mask(**kw, dtype=torch.float32)
    assert boolean.dtype == torch.bool and torch.equal(boolean[0, 0], keep)
    assert torch.equal(additive[0, 0], torch.where(keep, 0.0, torch.finfo(torch.float32).min))
    cp.assert_in_each_page(SECTION, SLUGS[36], {"en": ["(version 5), in its eager attention"],
                                                "ru": ["(версия 5) в eager-реализации внимания"]})


# --------------------------------------------------------------------------- Q37


def test_q37_shapes():
    import torch
    import torch.nn.functional as F
    from torch import nn

    torch.manual_seed(0)
    B, h, n, d_model = 2, 8, 10, 512
    d_k = d_model // h
    assert d_k == 64
    ref = nn.MultiheadAttention(d_model, h, batch_first=True)
    w_q, w_k, w_v = ref.in_proj_weight.chunk(3)
    b_q, b_k, b_v = ref.in_proj_bias.chunk(3)
    x = torch.randn(B, n, d_model)

    def split(t):
        return t.view(t.size(0), t.size(1), h, d_k).transpose(1, 2)

    with torch.no_grad():
        q, k, v = split(x @ w_q.T + b_q), split(x @ w_k.T + b_k), split(x @ w_v.T + b_v)
        scores = q @ k.transpose(-2, -1) / d_k ** 0.5
        weights = scores.softmax(-1)
        heads = weights @ v
        concat = heads.transpose(1, 2).reshape(B, n, d_model)
        out = ref.out_proj(concat)
        y_ref, w_ref = ref(x, x, x, average_attn_weights=False)
        _, w_avg = ref(x, x, x)
    torch.testing.assert_close(out, y_ref, rtol=1e-4, atol=1e-5)
    torch.testing.assert_close(weights, w_ref, rtol=1e-4, atol=1e-6)
    shapes = {
        "X": x.shape, "W": w_q.shape, "W head": w_q[:d_k].T.shape, "QKV": q.shape,
        "scores": scores.shape, "weights": weights.shape, "heads": heads.shape,
        "concat": concat.shape, "out": out.shape,
    }
    assert {key: tuple(s) for key, s in shapes.items()} == {
        "X": (2, 10, 512), "W": (512, 512), "W head": (512, 64), "QKV": (2, 8, 10, 64),
        "scores": (2, 8, 10, 10), "weights": (2, 8, 10, 10), "heads": (2, 8, 10, 64),
        "concat": (2, 10, 512), "out": (2, 10, 512),
    }
    numels = {key: math.prod(s) for key, s in shapes.items()}
    assert (numels["X"], numels["W"], numels["W head"], numels["scores"]) == (10240, 262144, 32768, 1600)
    assert numels["QKV"] == numels["heads"] == numels["concat"] == numels["out"] == 10240
    for label, key in [("`(B, n, d_model)`", "X"), ("`(d_model, d_model)`", "W"),
                       ("`(d_model, d_k)`", "W head"), ("`(B, h, n, d_k)`", "QKV"),
                       ("`(B, h, n, n)`", "scores")]:
        cp.assert_in_each_page(SECTION, SLUGS[37], {lang: [f"| {label} | {tuple(shapes[key])} | {fmt_int(numels[key], lang)} |"]
                                                    for lang in LANGS})
    # head i owns rows 64 i .. 64 i + 63 of the stored (out, in) weight
    i = 3
    torch.testing.assert_close(q[:, i], x @ w_q[d_k * i:d_k * (i + 1)].T + b_q[d_k * i:d_k * (i + 1)])

    # nn.MultiheadAttention: stacked in-projection, parameter count, averaged weights, batch_first
    n_params = sum(p.numel() for p in ref.parameters())
    assert n_params == 4 * d_model ** 2 + 4 * d_model == 1050624
    assert tuple(ref.in_proj_weight.shape) == (1536, 512) and tuple(w_avg.shape) == (2, 10, 10)
    seq_first = nn.MultiheadAttention(d_model, h)                    # batch_first=False
    assert tuple(seq_first(x, x, x)[1].shape) == (10, 2, 2)          # read as 10 sequences of length 2

    # cross-attention from 7 target tokens, grouped-query attention with 2 key-value heads
    x_dec = torch.randn(B, 7, d_model)
    with torch.no_grad():
        q7 = split(x_dec @ w_q.T + b_q)
        y7, _ = ref(x_dec, x, x)
        s7 = q7 @ k.transpose(-2, -1)
        w_k_gqa = nn.Linear(d_model, 2 * d_k)
        k_gqa = w_k_gqa(x).view(B, n, 2, d_k).transpose(1, 2)
        gqa = F.scaled_dot_product_attention(q, k_gqa, k_gqa, enable_gqa=True)
    assert (tuple(q7.shape), tuple(s7.shape), tuple(y7.shape)) == ((2, 8, 7, 64), (2, 8, 7, 10), (2, 7, 512))
    assert (tuple(k_gqa.shape), tuple(w_k_gqa.weight.T.shape), tuple(gqa.shape)) == \
        ((2, 2, 10, 64), (512, 128), (2, 8, 10, 64))
    assert B * h * 2048 ** 2 == 67108864
    assert_in_pages(SLUGS[37], "(2, 8, 7, 64)", "(2, 8, 10, 64)", "(2, 8, 7, 10)", "(2, 7, 512)",
                    "(2, 2, 10, 64)", "(512, 128)", "(1536, 512)", fmt_math(1050624), 67108864,
                    "$d_k = 512/8 = 64$", "$64i$", "$64i + 63$")


# --------------------------------------------------------------------------- Q38


def test_q38_bidirectional_vs_causal():
    import torch
    import torch.nn.functional as F
    from torch import nn

    torch.manual_seed(0)
    layer = nn.TransformerEncoderLayer(d_model=16, nhead=2, dim_feedforward=32, dropout=0.0, batch_first=True)
    causal = nn.Transformer.generate_square_subsequent_mask(4)
    assert torch.equal(causal == 0, torch.tril(torch.ones(4, 4, dtype=torch.bool)))
    for seed in range(3):
        g = torch.Generator().manual_seed(seed)
        x = torch.randn(1, 4, 16, generator=g)
        x2 = x.clone()
        x2[0, 3] = torch.randn(16, generator=g)
        with torch.no_grad():
            assert (layer(x) - layer(x2))[0, :3].abs().max().item() > 1e-3
            assert (layer(x, src_mask=causal) - layer(x2, src_mask=causal))[0, :3].abs().max().item() == 0.0

    # the rows quoted from the figure
    fig = cp.load_figure("attention-masks")
    S = torch.tensor(fig.SCORES, dtype=torch.float64)
    eye = torch.eye(4, dtype=torch.float64)
    bert = F.scaled_dot_product_attention(S, eye, eye, attn_mask=torch.from_numpy(fig.keep_mask("padding")), scale=1.0)
    gpt = F.scaled_dot_product_attention(S, eye, eye, attn_mask=torch.from_numpy(fig.keep_mask("causal+padding")),
                                         scale=1.0)
    assert (row(bert[0, :3]), pair(gpt[0]), pair(bert[2])) == \
        ("0.665, 0.245, 0.090", "(1, 0, 0, 0)", "(0.063, 0.468, 0.468, 0)")
    assert torch.equal(bert[2], gpt[2])
    assert_in_pages(SLUGS[38], r"\operatorname{softmax}(2, 1, 0) = (0.665, 0.245, 0.090)", "(1, 0, 0, 0)",
                    "(0.063, 0.468, 0.468, 0)", "0.0")

    # allowed query-key pairs for n = 512
    n = 512
    full, tri = n * n, int(torch.tril(torch.ones(n, n, dtype=torch.bool)).sum())
    assert (full, tri) == (262144, 131328) and tri == n * (n + 1) // 2
    assert f3(tri / full) == "0.501"
    assert_in_pages(SLUGS[38], f"512^2 = {fmt_math(262144)}", fmt_math(131328), 262144, "0.501",
                    r"512 \cdot 513 / 2")

    # MLM in numbers, with the defaults of Hugging Face's DataCollatorForLanguageModeling
    src = transformers_source("data/data_collator.py")
    p_mlm = float(re.search(r"mlm_probability: float \| None = ([\d.]+)", src).group(1))
    p_mask = float(re.search(r"mask_replace_prob: float = ([\d.]+)", src).group(1))
    p_rand = float(re.search(r"random_replace_prob: float = ([\d.]+)", src).group(1))
    assert (p_mlm, p_mask, p_rand) == (0.15, 0.8, 0.1)
    targets = p_mlm * n
    counts = [round(targets), round(p_mask * targets), round(p_rand * targets),
              round((1 - p_mask - p_rand) * targets)]
    assert counts == [77, 61, 8, 8]
    assert_in_pages(SLUGS[38], "15%", "80%", "10%", " 77 ", " 61 ", " 8 ")
