"""Reference computations for the transformer block (questions 39–46 of "Attention and the
transformer architecture"): every number of the worked examples, recomputed with PyTorch (CPU) and
Hugging Face transformers (config classes only: models on the meta device or tiny random ones),
found on both language versions of the page."""
from __future__ import annotations

import math
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, f3, fmt_int, fmt_math  # noqa: F401

SECTION = DOCS / "transformers" / "attention"
assert_in_pages = partial(cp.assert_in_pages, SECTION)
assert_in_each_page = partial(cp.assert_in_each_page, SECTION)


@pytest.fixture(autouse=True)
def one_thread():
    """Tiny tensors: one thread is faster and the float results do not depend on the core count."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# --------------------------------------------------------------------------- Q39


def test_q39_embedding_shapes_and_tying():
    import torch
    from transformers import (AlbertConfig, AlbertModel, BertConfig, BertForMaskedLM, BertModel,
                              GemmaConfig, GPT2Config, GPT2LMHeadModel, LlamaConfig)

    slug = "embedding-layer-shape"
    bert_cfg, gpt_cfg = BertConfig(), GPT2Config()
    with torch.device("meta"):
        bert = BertModel(bert_cfg)
        mlm = BertForMaskedLM(bert_cfg)
        gpt2 = GPT2LMHeadModel(gpt_cfg)
        untied = GPT2LMHeadModel(GPT2Config(tie_word_embeddings=False))
        albert = AlbertModel(AlbertConfig(hidden_size=768, num_attention_heads=12, intermediate_size=3072))

    # BERT-base: shapes and counts, by hand and from the model
    V, d = bert_cfg.vocab_size, bert_cfg.hidden_size
    emb = bert.embeddings
    assert tuple(emb.word_embeddings.weight.shape) == (V, d) == (30522, 768)
    assert emb.word_embeddings.weight.numel() == V * d == 23440896
    assert emb.position_embeddings.weight.numel() == 512 * 768 == 393216
    assert emb.token_type_embeddings.weight.numel() == 2 * 768 == 1536
    assert cp.n_params(emb.LayerNorm) == 1536
    assert cp.n_params(emb) == 23440896 + 393216 + 1536 + 1536 == 23837184
    assert cp.n_params(bert) == 109482240
    assert f"{100 * 23440896 / 109482240:.1f}%" == "21.4%"
    # the MLM head reuses E: only a bias and a dense+LayerNorm transform are added
    assert mlm.cls.predictions.decoder.weight is mlm.bert.embeddings.word_embeddings.weight
    transform = cp.n_params(mlm.cls.predictions.transform)
    assert transform == 768 * 768 + 768 + 2 * 768 == 592128
    pooler = cp.n_params(bert.pooler)
    assert pooler == 768 * 768 + 768 == 590592 and getattr(mlm.bert, "pooler", None) is None  # MLM drops it
    assert cp.n_params(mlm) == cp.n_params(bert) - pooler + transform + 30522 == 109514298

    # GPT-2 small: tied vs untied head
    Vg = gpt_cfg.vocab_size
    assert tuple(gpt2.transformer.wte.weight.shape) == (Vg, gpt_cfg.n_embd) == (50257, 768)
    assert gpt2.lm_head.weight is gpt2.transformer.wte.weight
    assert untied.lm_head.weight is not untied.transformer.wte.weight
    assert Vg * 768 == 38597376 and 1024 * 768 == gpt2.transformer.wpe.weight.numel() == 786432
    assert cp.n_params(gpt2) == 124439808
    assert cp.n_params(untied) == 163037184 == 124439808 + 38597376
    assert f"{100 * 38597376 / 124439808:.1f}%" == "31.0%"
    assert -(-Vg // 64) * 64 == 50304                     # padded to a multiple of 64

    # head size follows from the width
    assert bert_cfg.hidden_size // bert_cfg.num_attention_heads == 768 // 12 == 64
    assert gpt_cfg.n_embd // gpt_cfg.n_head == 64
    assert bert_cfg.intermediate_size == 4 * 768 == 3072
    assert bert_cfg.num_hidden_layers == 12

    # larger models, from their default configs
    llama, gemma = LlamaConfig(), GemmaConfig()
    assert (llama.vocab_size, llama.hidden_size, llama.num_attention_heads) == (32000, 4096, 32)
    assert llama.hidden_size // llama.num_attention_heads == 128 and llama.num_hidden_layers == 32
    assert llama.vocab_size * llama.hidden_size == 131072000 and not llama.tie_word_embeddings
    assert (gemma.vocab_size, gemma.hidden_size, gemma.num_attention_heads, gemma.head_dim) == (256000, 3072, 16, 256)
    assert gemma.vocab_size * gemma.hidden_size == 786432000 and gemma.tie_word_embeddings
    assert gemma.num_attention_heads * gemma.head_dim == 4096 != gemma.hidden_size

    # ALBERT's factorised embedding
    word = albert.embeddings.word_embeddings.weight
    assert tuple(word.shape) == (30000, 128) and word.numel() == 3840000
    mapping = albert.encoder.embedding_hidden_mapping_in
    assert mapping.weight.numel() == 128 * 768 == 98304 and mapping.bias.numel() == 768
    assert 30000 * 768 == 23040000
    assert f"{23040000 / (3840000 + 98304 + 768):.1f}" == "5.8"

    assert_in_pages(slug, 30522, 50257, 23440896, 38597376, 393216, 1536, 23837184, 109482240,
                    109514298, 592128, 590592, 124439808, 163037184, 786432, 32000, 4096, 131072000,
                    256000, 3072, 786432000, 50304,
                    "21.4%", "31.0%", "5.8", "768 / 12 = 64", "4096 / 32 = 128", "(30522, 768)")
    assert_in_pages(slug, 23040000, 3840000, 98304, fmt_math(30000), "· 768 = ")


# --------------------------------------------------------------------------- Q40


def tiny_bert(initializer_range: float):
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(vocab_size=30, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=16,
                        initializer_range=initializer_range,
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    return BertModel(config).eval()


def test_q40_contextual_vectors():
    import torch

    slug = "contextual-embeddings"
    a, b = torch.tensor([[2, 11, 7, 15, 3]]), torch.tensor([[2, 20, 7, 24, 3]])
    c = torch.tensor([[2, 7, 11, 15, 3]])                 # token 7 moved to position 1

    def cosines(model, x, y, i, j):
        with torch.no_grad():
            hx = model(x, output_hidden_states=True).hidden_states
            hy = model(y, output_hidden_states=True).hidden_states
        return [torch.cosine_similarity(p[0, i], q[0, j], dim=0).item() for p, q in zip(hx, hy)], hx, hy

    model = tiny_bert(0.25)
    context, ha, hb = cosines(model, a, b, 2, 2)
    # the input row is identical, and so is the whole embedding-layer output at position 2
    E = model.embeddings.word_embeddings.weight
    assert torch.equal(E[a[0, 2]], E[b[0, 2]])
    assert torch.equal(ha[0][0, 2], hb[0][0, 2])
    # by hand: embedding output = LayerNorm(E[t] + P[i] + S[0])
    emb = model.embeddings
    by_hand = emb.LayerNorm(E[7] + emb.position_embeddings.weight[2] + emb.token_type_embeddings.weight[0])
    assert torch.allclose(by_hand, ha[0][0, 2], atol=1e-6)
    assert [f3(v) for v in context] == ["1.000", "0.880", "0.830"]
    position, _, _ = cosines(model, a, c, 2, 1)
    assert [f3(v) for v in position] == ["0.791", "0.932", "0.973"]
    # with the default initialisation the attention branch is too small to matter
    default, _, _ = cosines(tiny_bert(0.02), a, b, 2, 2)
    assert [f3(v) for v in default] == ["1.000", "1.000", "1.000"]
    assert_in_pages(slug, "1.000", "0.880", "0.830", "0.791", "0.932", "0.973", "0.25", "0.02",
                    "[2, 11, 7, 15, 3]", "[2, 20, 7, 24, 3]", "[2, 7, 11, 15, 3]")


# --------------------------------------------------------------------------- Q41

SENT_A = [[1.0, 2, 6], [3, 0, 3], [2, 4, 0]]
SENT_B = [[4.0, 1, 1]]
SENT_C = [[5.0, 3, 1], [6, 2, 2], [4, 4, 4]]


def test_q41_layernorm_vs_batchnorm():
    import torch
    import torch.nn as nn

    slug = "layernorm-vs-batchnorm"
    A, B, C = (torch.tensor(s, dtype=torch.float64) for s in (SENT_A, SENT_B, SENT_C))
    pad = lambda x, n: torch.cat([x, torch.zeros(n - len(x), 3, dtype=x.dtype)])  # noqa: E731
    batches = [torch.stack([A, pad(B, 3)]), torch.stack([A, C]), torch.stack([pad(A, 5), pad(B, 5)])]
    eps = 1e-5

    # LayerNorm by hand: statistics of the token's own features
    x = A[0]
    mean, var = x.mean().item(), x.var(unbiased=False).item()
    assert mean == 3 and var == pytest.approx(14 / 3)
    by_hand_ln = [(v - mean) / math.sqrt(var + eps) for v in x.tolist()]
    assert f3(var) == "4.667" and f3(math.sqrt(var)) == "2.160"
    assert [f3(v) for v in by_hand_ln] == ["-0.926", "-0.463", "1.389"]

    ln = nn.LayerNorm(3, elementwise_affine=False, dtype=torch.float64)
    bn = nn.BatchNorm1d(3, affine=False, dtype=torch.float64)
    expected_bn = [["-0.447", "0.570", "1.960"], ["-1.464", "-0.361", "1.690"], ["0.000", "1.025", "2.635"]]
    stats = [("1.667", "2.222", "1.491"), ("3.5", "2.917", "1.708"), ("1.0", "2.0", None)]
    for batch, want, (m_s, v_s, sd_s) in zip(batches, expected_bn, stats):
        y_ln = ln(batch)[0, 0]
        assert [f3(v) for v in y_ln] == ["-0.926", "-0.463", "1.389"]
        y_bn = bn(batch.transpose(1, 2)).transpose(1, 2)[0, 0]
        assert [f3(v) for v in y_bn] == want
        # BatchNorm by hand, feature 1: statistics over every position of the batch, pads included
        f1 = batch[:, :, 0].flatten()
        m, v = f1.mean().item(), f1.var(unbiased=False).item()
        assert f"{m:.{len(m_s.split('.')[1])}f}" == m_s and f"{v:.{len(v_s.split('.')[1])}f}" == v_s
        if sd_s:
            assert f3(math.sqrt(v + eps)) == sd_s
        assert f3((1 - m) / math.sqrt(v + eps)) == want[0]
    # masking the pads: statistics over the 4 real tokens of A + B, whatever the padding
    real = torch.tensor([1.0, 3, 2, 4])
    assert real.mean().item() == 2.5 and real.var(unbiased=False).item() == 1.25
    assert f3((1 - 2.5) / math.sqrt(1.25 + eps)) == "-1.342"
    # eps of the reference implementations
    from transformers import BertConfig, LlamaConfig
    assert nn.LayerNorm(3).eps == 1e-5 and BertConfig().layer_norm_eps == 1e-12
    assert LlamaConfig().rms_norm_eps == 1e-6
    # RMSNorm: x / rms(x), no centring
    rms = nn.RMSNorm(3, eps=1e-6, elementwise_affine=False, dtype=torch.float64)
    assert torch.allclose(rms(x), x / x.pow(2).mean().add(1e-6).sqrt())
    assert 2 * 768 == 1536

    minus = lambda s: s.replace("-", "\u2212")  # noqa: E731  (prose writes U+2212, math writes -)
    assert_in_pages(slug, "4.667", "2.160", "14/3", minus("(-0.926, -0.463, 1.389)"), "1.667", "2.222",
                    "1.491", "2.917", "1.708", "0.000", minus("(-0.447, 0.570, 1.960)"),
                    minus("(-1.464, -0.361, 1.690)"), "(0.000, 1.025, 2.635)", "2.5", "1.25", minus("-1.342"),
                    "1, 3, 2, 4, 0, 0", "1, 3, 2, 5, 6, 4", "1, 3, 2, 0, 0, 4, 0, 0, 0, 0",
                    "10^{-5}", "10^{-12}", "10^{-6}", "1536")
    assert_in_pages(slug, minus("-0.447, -1.464, 0.000"), "$(1 - 1.667) / 1.491 = -0.447$",
                    "$(1 - 3.5) / 1.708 = -1.464$", r"(2 - 3)^2 + (6 - 3)^2\bigr) / 3 = 14/3 = 4.667")


# --------------------------------------------------------------------------- Q42


def test_q42_block_semantics_by_hand():
    """norm_first=False is LN(x + F(x)) (Post-LN), norm_first=True is x + F(LN(x)) (Pre-LN)."""
    import inspect

    import torch
    import torch.nn as nn

    assert inspect.signature(nn.TransformerEncoderLayer).parameters["norm_first"].default is False
    torch.manual_seed(0)
    x = torch.randn(2, 5, 16, dtype=torch.float64)
    for norm_first in (False, True):
        layer = nn.TransformerEncoderLayer(16, 4, 32, dropout=0.0, batch_first=True,
                                           norm_first=norm_first, dtype=torch.float64).train()
        attn = lambda h: layer.self_attn(h, h, h, need_weights=False)[0]  # noqa: E731
        ffn = lambda h: layer.linear2(torch.relu(layer.linear1(h)))       # noqa: E731
        if norm_first:
            y = x + attn(layer.norm1(x))
            out = y + ffn(layer.norm2(y))
        else:
            y = layer.norm1(x + attn(x))
            out = layer.norm2(y + ffn(y))
        assert torch.allclose(layer(x), out, atol=1e-12)


def test_q42_gradient_norms_at_initialisation():
    import contextlib
    import io

    slug = "prenorm-vs-postnorm"
    fig = cp.load_figure("prenorm-postnorm-gradients")
    assert fig.DEPTHS == (3, 6, 12, 24) and fig.LAYERS == 12
    rows = {}
    for depth in fig.DEPTHS:
        post, _ = fig.grad_norms(False, depth)
        pre, rms = fig.grad_norms(True, depth)
        rows[depth] = (post[-1], pre[-1], rms)
    shown = {depth: tuple(f3(v) for v in row) for depth, row in rows.items()}
    assert shown == {3: ("0.231", "0.183", "1.493"), 6: ("0.230", "0.126", "2.016"),
                     12: ("0.250", "0.119", "2.596"), 24: ("0.309", "0.067", "4.132")}
    # Pre-LN: the top gradient falls with depth because the final LN divides by the stream's size
    products = [pre * rms for _, pre, rms in rows.values()]
    assert 0.25 < min(products) and max(products) < 0.31
    assert [rows[d][1] > rows[2 * d][1] for d in (3, 6, 12)] == [True] * 3
    assert f"{rows[24][0] / rows[24][1]:.1f}" == "4.6" and f"{rows[12][0] / rows[12][1]:.1f}" == "2.1"
    # per-layer profile of the 12-layer stacks
    post12, _ = fig.grad_norms(False, 12)
    pre12, _ = fig.grad_norms(True, 12)
    assert (f3(pre12[0]), f3(pre12[-1]), f3(post12[0]), f3(post12[-1])) == ("0.458", "0.119", "0.396", "0.250")
    assert (f3(min(post12)), f3(max(post12))) == ("0.247", "0.491")
    assert max(pre12) == pre12[0]
    for depth, row in shown.items():
        for lang in cp.LANGS:
            assert f"| {depth} | {row[0]} | {row[1]} | {row[2]} |" in cp.read_page(SECTION, slug, lang)
    assert_in_pages(slug, "4.6", "2.1", "0.25", "0.31", "0.458", "0.119", "0.396", "0.250", "0.247",
                    "0.491", "4000", "0.000699")
    # the page's code is the figure's experiment: same numbers
    block = cp.python_blocks(cp.read_page(SECTION, slug, "en"))[0]
    definition = block.split("\nfor n_layers")[0]            # the function, without the printing loop
    namespace = {"__name__": "__page__"}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(definition, f"{slug}.en.md", "exec"), namespace)
    assert namespace["grad_norms"](True, 12) == pre12
    assert namespace["grad_norms"](False, 6)[-1] == rows[6][0]
    # warm-up of Vaswani et al.: lr = d^-0.5 * min(step^-0.5, step * 4000^-1.5), peak at step 4000
    lr = lambda step: 512 ** -0.5 * min(step ** -0.5, step * 4000 ** -1.5)  # noqa: E731
    assert max(range(1, 20001), key=lr) == 4000 and f"{lr(4000):.6f}" == "0.000699"
    cp.assert_figure_used(SECTION, "prenorm-postnorm-gradients", [slug])
    cp.assert_figure_used(SECTION, "prenorm-postnorm-block", [slug])


def test_q42_placement_in_reference_implementations():
    """Post-LN in BERT, Pre-LN with a final norm in GPT-2 and LLaMA (RMSNorm), norms on the
    sub-layer outputs in Gemma 2 and OLMo 2: read from the transformers implementations."""
    import inspect

    import torch
    from transformers import GPT2Config, GPT2Model, Gemma2Config, LlamaConfig, Olmo2Config
    from transformers.models.bert import modeling_bert
    from transformers.models.gemma2.modeling_gemma2 import Gemma2DecoderLayer
    from transformers.models.llama.modeling_llama import LlamaDecoderLayer, LlamaModel
    from transformers.models.olmo2.modeling_olmo2 import Olmo2DecoderLayer

    assert "self.LayerNorm(hidden_states + input_tensor)" in inspect.getsource(modeling_bert.BertSelfOutput.forward)
    tiny = dict(hidden_size=16, intermediate_size=32, num_attention_heads=2, num_key_value_heads=2,
                num_hidden_layers=1, head_dim=8)
    with torch.device("meta"):
        gpt2 = GPT2Model(GPT2Config(n_embd=16, n_head=2, n_layer=1))
        llama = LlamaModel(LlamaConfig(**tiny))
        gemma2 = Gemma2DecoderLayer(Gemma2Config(**tiny), 0)
        olmo2 = Olmo2DecoderLayer(Olmo2Config(**tiny), 0)
    assert hasattr(gpt2, "ln_f") and type(llama.norm).__name__ == "LlamaRMSNorm"
    layer = llama.layers[0]
    assert isinstance(layer, LlamaDecoderLayer)
    assert type(layer.input_layernorm).__name__ == type(layer.post_attention_layernorm).__name__ == "LlamaRMSNorm"
    llama_src = inspect.getsource(LlamaDecoderLayer.forward)
    assert llama_src.index("self.input_layernorm(hidden_states)") < llama_src.index("self.self_attn(")
    for name in ("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"):
        assert hasattr(gemma2, name)
    assert not hasattr(olmo2, "input_layernorm")
    assert hasattr(olmo2, "post_attention_layernorm") and hasattr(olmo2, "post_feedforward_layernorm")
    for lang in cp.LANGS:
        text = cp.read_page(SECTION, "prenorm-vs-postnorm", lang)
        for name in ("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm",
                     "post_feedforward_layernorm", "ln_f", "norm_first=True"):
            assert name in text, (lang, name)


# --------------------------------------------------------------------------- Q43


def test_q43_soft_vs_hard_and_reinforce():
    import torch

    slug = "soft-hard-local-global-attention"
    torch.manual_seed(0)
    feats = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    scores = torch.tensor([2.0, 1.0, 0.5, -1.0], requires_grad=True)
    alpha = torch.softmax(scores, 0)
    # softmax by hand
    exps = [math.exp(v) for v in (2.0, 1.0, 0.5, -1.0)]
    assert [f3(e / sum(exps)) for e in exps] == [f3(v) for v in alpha] == ["0.609", "0.224", "0.136", "0.030"]
    soft = alpha @ feats
    assert [f3(v) for v in soft] == ["0.745", "0.360"]
    s = torch.multinomial(alpha.detach(), 10_000, replacement=True)
    assert torch.bincount(s, minlength=4).tolist() == [6037, 2253, 1386, 324]
    assert [f3(v) for v in feats[s].mean(0)] == ["0.742", "0.364"]
    reward = torch.tensor([1.0, 0.0, 0.5, 0.0])
    expected = alpha @ reward
    expected.backward()
    assert f3(expected.item()) == "0.677"
    a, r = alpha.detach(), reward
    by_hand = a * (r - (a @ r))                                   # d E[R] / d scores
    assert torch.allclose(by_hand, scores.grad, atol=1e-7)
    assert [f3(v) for v in scores.grad] == ["0.197", "-0.152", "-0.024", "-0.021"]
    score_fn = torch.nn.functional.one_hot(s, 4) - a
    estimates = []
    for b in (0.0, expected.item()):
        g = (reward[s] - b)[:, None] * score_fn
        estimates.append(([f3(v) for v in g.mean(0)], f3(g.var(0).sum())))
    assert estimates == [(["0.194", "-0.151", "-0.022", "-0.020"], "0.114"),
                         (["0.197", "-0.152", "-0.024", "-0.022"], "0.079")]
    assert_in_pages(slug, "(0.609, 0.224, 0.136, 0.030)", "(0.745, 0.360)", "(0.742, 0.364)",
                    "6037, 2253, 1386", "324", 10000, "0.677", "(0.197, -0.152, -0.024, -0.021)",
                    "(0.194, -0.151, -0.022, -0.020)", "(0.197, -0.152, -0.024, -0.022)", "0.114",
                    "0.079", "196", r"14 \times 14", "512")
    assert 14 * 14 == 196


def test_q43_local_p_weights():
    import torch

    slug = "soft-hard-local-global-attention"
    S, D, sig = 10, 2, 0.63
    p_t = S * sig
    assert f"{p_t:.1f}" == "6.3"
    centre = round(p_t)
    pos = torch.arange(centre - D, centre + D + 1, dtype=torch.float64)
    assert pos.tolist() == [4, 5, 6, 7, 8] and len(pos) == 2 * D + 1
    scores = torch.tensor([1.0, 0.5, 2.0, 0.0, 1.5], dtype=torch.float64)
    align = torch.softmax(scores, 0)
    sigma = D / 2
    gauss = torch.exp(-(pos - p_t) ** 2 / (2 * sigma ** 2))
    by_hand = [math.exp(-(s - 6.3) ** 2 / 2) for s in range(4, 9)]
    assert torch.allclose(gauss, torch.tensor(by_hand, dtype=torch.float64))
    weights = align * gauss
    assert [f3(v) for v in align] == ["0.158", "0.096", "0.429", "0.058", "0.260"]
    assert [f3(v) for v in gauss] == ["0.071", "0.430", "0.956", "0.783", "0.236"]
    assert [f3(v) for v in weights] == ["0.011", "0.041", "0.410", "0.045", "0.061"]
    assert f3(weights.sum()) == "0.569" and f"{8 - p_t:.1f}" == "1.7"
    for lang in cp.LANGS:
        text = cp.read_page(SECTION, slug, lang)
        for row in ("| 0.158 | 0.096 | 0.429 | 0.058 | 0.260 |", "| 0.071 | 0.430 | 0.956 | 0.783 | 0.236 |",
                    "| 0.011 | 0.041 | 0.410 | 0.045 | 0.061 |"):
            assert row in text, (lang, row)
    assert_in_pages(slug, "S = 10", "D = 2", "\\sigma = 1", "0.63", "p_t = 6.3", "(1.0, 0.5, 2.0, 0.0, 1.5)",
                    "0.569", "1.7", "2D + 1")


# --------------------------------------------------------------------------- Q44


def mha_params(d: int) -> int:
    """W_Q, W_K, W_V, W_O with biases."""
    return 4 * d * d + 4 * d


def test_q44_multi_head_attention():
    import torch
    import torch.nn as nn
    from transformers import BertConfig, BertModel

    slug = "multi-head-attention"
    for h in (1, 8, 16, 64):
        assert cp.n_params(nn.MultiheadAttention(512, h)) == mha_params(512) == 1050624
    assert 4 * 512 ** 2 == 1048576 and 512 // 8 == 64
    with pytest.raises(AssertionError):
        nn.MultiheadAttention(512, 7)                      # the heads must divide the width
    with torch.device("meta"):
        bert = BertModel(BertConfig())
    attention = bert.encoder.layer[0].attention
    assert cp.n_params(attention) - cp.n_params(attention.output.LayerNorm) == mha_params(768) == 2362368
    assert cp.n_params(attention) == 2362368 + 2 * 768 == 2363904
    # shapes of a batch of 2 x 10 tokens, d_model 512, 8 heads
    torch.manual_seed(0)
    mha = nn.MultiheadAttention(512, 8, batch_first=True)
    x = torch.randn(2, 10, 512)
    out, weights = mha(x, x, x, average_attn_weights=False)
    q = x @ mha.in_proj_weight[:512].T + mha.in_proj_bias[:512]
    assert tuple(q.shape) == (2, 10, 512)
    assert tuple(q.view(2, 10, 8, 64).transpose(1, 2).shape) == (2, 8, 10, 64)
    assert tuple(weights.shape) == (2, 8, 10, 10) and tuple(out.shape) == (2, 10, 512)
    # W_O splits into per-head blocks: Concat(heads) W_O = sum_i head_i W_O^(i)
    heads = torch.randn(10, 8, 64)
    w_o = mha.out_proj.weight.T                            # (512, 512): rows = concatenated heads
    summed = sum(heads[:, i] @ w_o[64 * i: 64 * (i + 1)] for i in range(8))
    assert torch.allclose(heads.reshape(10, 512) @ w_o, summed, atol=1e-4)
    assert_in_pages(slug, "768 / 12 = 64", "512 / 8 = 64", fmt_math(1048576), fmt_math(2362368), 1050624,
                    fmt_math(1050624), 2363904, "(1, 2, 3, 3)", r"4 \cdot 512^2 + 4 \cdot 512")


# --------------------------------------------------------------------------- Q45


def window_pairs(n: int, w: int) -> int:
    """Query-key pairs of causal attention where each query sees its last w positions (itself too)."""
    return sum(min(i + 1, w) for i in range(n))


def test_q45_sliding_window_and_kv_cache():
    import torch
    from transformers import MistralConfig

    slug = "attention-variants"
    # brute force on a small mask, then the closed form used on the page
    n_small, w_small = 64, 16
    i, j = torch.arange(n_small)[:, None], torch.arange(n_small)[None, :]
    mask = (j <= i) & (i - j < w_small)
    assert int(mask.sum()) == window_pairs(n_small, w_small) == w_small * (w_small + 1) // 2 + (n_small - w_small) * w_small
    assert int(torch.ones(n_small, n_small).tril().sum()) == n_small * (n_small + 1) // 2

    cfg = MistralConfig()
    n, W = 16384, cfg.sliding_window
    assert W == 4096
    causal, swa = n * (n + 1) // 2, window_pairs(n, W)
    assert (n * n, causal, swa) == (268435456, 134225920, 58722304)
    assert W * (W + 1) // 2 == 8390656 and (n - W) * W == 50331648
    assert f"{swa / causal:.1%}" == "43.7%"
    assert f"{window_pairs(2 * n, W) / (2 * n * (2 * n + 1) // 2):.1%}" < "43.7%"
    # KV cache per token, 16-bit, Mistral 7B shapes
    layers, heads, head_dim = cfg.num_hidden_layers, cfg.num_attention_heads, cfg.head_dim
    assert (layers, heads, head_dim, cfg.num_key_value_heads) == (32, 32, 128, 8)
    per_token = {kv: 2 * layers * kv * head_dim * 2 for kv in (32, 8, 1)}
    assert per_token == {32: 524288, 8: 131072, 1: 16384}
    KiB, GiB = 2 ** 10, 2 ** 30
    assert [per_token[kv] // KiB for kv in (32, 8, 1)] == [512, 128, 16]
    assert [per_token[kv] * n / GiB for kv in (32, 8, 1)] == [8.0, 2.0, 0.25]
    assert per_token[8] * W / GiB == 0.5
    assert 32768 // W == 8 and layers * W == 131072
    # linear attention vs softmax attention, one head
    d_k = 128
    assert 2 * n * n * d_k == 68719476736 and 2 * n * d_k * d_k == 536870912
    assert 68719476736 // 536870912 == n // d_k == 128
    # the score matrix FlashAttention never stores
    assert n * n * 2 / 2 ** 20 == 512 and 32 * n * n * 2 / GiB == 16
    for lang in cp.LANGS:
        text = cp.read_page(SECTION, slug, lang)
        for row in ("| 32 | 512 KiB | 8 GiB |", "| 8 | 128 KiB | 2 GiB |", "| 1 | 16 KiB | 0.25 GiB |",
                    "| 8 | 128 KiB | 0.5 GiB"):
            assert row in text, (lang, row)
    assert_in_pages(slug, 16384, *(fmt_math(v) for v in (16384, 134225920, 268435456, 8390656, 50331648,
                                                          58722304, 68719476736, 536870912, 131072)),
                    "43.7%", "W = 4096", 32768, "n / d_k", "L \\cdot W")
    assert_in_each_page(slug, {"en": ["32,768 / 4096", "128 times fewer"], "ru": ["32\u00a0768 / 4096", "в 128 раз меньше"]})


def test_q45_flash_style_tiling_is_exact():
    """The tiled online softmax of the page equals the plain formula, and so does PyTorch's SDPA,
    including its flash-attention kernel for CPU."""
    import contextlib
    import io

    import torch
    from torch.nn.attention import SDPBackend, sdpa_kernel

    slug = "attention-variants"
    block = cp.python_blocks(cp.read_page(SECTION, slug, "en"))[0]
    namespace = {"__name__": "__page__"}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(block, f"{slug}.en.md", "exec"), namespace)
    assert out.getvalue().split() == ["True", "True"]
    q, k, v, naive = (namespace[name] for name in ("q", "k", "v", "naive"))
    assert (namespace["tiled"](q, k, v, block=32) - naive).abs().max() < 1e-12
    qf, kf, vf = (t.float().unsqueeze(0) for t in (q, k, v))
    with sdpa_kernel([SDPBackend.FLASH_ATTENTION]):
        flash = torch.nn.functional.scaled_dot_product_attention(qf, kf, vf)
    assert (flash[0].double() - naive).abs().max() < 1e-5


# --------------------------------------------------------------------------- Q46


def test_q46_heads_and_cost():
    import torch
    import torch.nn as nn
    from torch.utils.flop_counter import FlopCounterMode

    slug = "heads-and-complexity"
    d, n = 512, 1024
    rows = []
    with torch.device("meta"):
        x = torch.randn(1, n, d)
        for h in (1, 8, 16, 64):
            mha = nn.MultiheadAttention(d, h, batch_first=True)
            with FlopCounterMode(display=False) as counter:
                _, weights = mha(x, x, x, average_attn_weights=False)
            flops = 2 * (4 * n * d * d + 2 * h * n * n * (d // h))
            assert counter.get_total_flops() == flops == 4294967296
            assert tuple(weights.shape) == (1, h, n, n)
            rows.append((h, d // h, cp.n_params(mha), flops, weights.numel(), weights.numel() * 4 // 2 ** 20))
        wide = nn.MultiheadAttention(1024, 16, batch_first=True)
        x2 = torch.randn(1, n, 1024)
        with FlopCounterMode(display=False) as counter:
            wide(x2, x2, x2)
    assert rows == [(1, 512, 1050624, 4294967296, 1048576, 4), (8, 64, 1050624, 4294967296, 8388608, 32),
                    (16, 32, 1050624, 4294967296, 16777216, 64), (64, 8, 1050624, 4294967296, 67108864, 256)]
    assert 4 * n * d * d == 2 * n * n * d == 1073741824
    assert 8 * 67108864 * 4 == 2 ** 31                     # 2 GiB for a batch of 8
    assert 3 * d * d == 786432 and 4 * d * d == 1048576
    assert cp.n_params(wide) == mha_params(1024) == 4198400 and counter.get_total_flops() == 12884901888
    assert f"{4198400 / 1050624:.1f}" == "4.0" and f"{12884901888 / 4294967296:.1f}" == "3.0"
    for lang in cp.LANGS:
        text = cp.read_page(SECTION, slug, lang)
        for h, d_k, params, flops, scores, mib in rows:
            row = f"| {h} | {d_k} | {fmt_int(params, lang)} | {fmt_int(flops, lang)} | {fmt_int(scores, lang)} | {mib} MiB |"
            assert row in text, (lang, row)
    assert_in_pages(slug, fmt_math(1073741824), fmt_math(4198400), 786432, 1048576, 1050624,
                    4294967296, 12884901888, "4.0", "3.0", "2 GiB", "4 MiB", "256 MiB", "768 / 12 = 64")
