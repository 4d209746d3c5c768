"""Reference computations for "More interview questions: architectures" (questions e10-e19): every
number of the worked examples, recomputed with PyTorch (nn.RNNCell, nn.LSTMCell, nn.LSTM, nn.GRU,
nn.Transformer*, nn.MultiheadAttention, scaled_dot_product_attention, autograd), transformers
(BertConfig / BertModel on the meta device or tiny and random) and scikit-learn, and found on both
language versions of the page. Where a page reuses a number of a main page (parameter counts of
question 25, gradient decay of question 30, MultiheadAttention of question 44, BERT-base of
question 47, the MLM example of question 38, the receptive field of question 31), the main page
is checked to hold the same number. No downloads: models are random or built on the meta device.
"""
from __future__ import annotations

import math
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, fmt_math, single_thread_torch  # noqa: F401  (autouse fixture)

SECTION = DOCS / "more-questions" / "architectures"
SLUGS = {
    "e10": "seq2seq",
    "e11": "transformer-explained",
    "e12": "rnn-basics",
    "e13": "lstm-explained",
    "e14": "encoder-decoder",
    "e15": "attention-layer",
    "e16": "bert-explained",
    "e17": "word2vec-vs-bert",
    "e18": "bert-vs-sbert",
    "e19": "next-word-model",
}
assert_in_pages = partial(cp.assert_in_pages, SECTION)
RNN_CNN = DOCS / "classic-nlp" / "rnn-cnn"
ATTENTION = DOCS / "transformers" / "attention"
MODEL_TYPES = DOCS / "transformers" / "model-types"


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# --------------------------------------------------------------------------- e10 seq2seq


def test_e10_sutskever_model_size():
    import torch
    from torch import nn

    per_lstm = 4 * 4 * (1000 * 1000 + 1000 * 1000)           # 4 layers x 4 blocks, no biases
    with torch.device("meta"):
        lstm = nn.LSTM(1000, 1000, num_layers=4)
    weights = sum(p.numel() for name, p in lstm.named_parameters() if name.startswith("weight"))
    assert weights == per_lstm == 32_000_000
    assert cp.n_params(lstm) == 32_032_000                          # + two bias vectors per block
    src_emb, tgt_emb, softmax = 160_000 * 1000, 80_000 * 1000, 80_000 * 1000
    total = 2 * per_lstm + src_emb + tgt_emb + softmax
    assert total == 384_000_000
    assert_in_pages("seq2seq", fmt_math(32_000_000), 64_000_000, 32_032_000, 160_000, 160_000_000,
                    80_000, 80_000_000, "64 + 160 + 80 + 80 = 384", "384M")


def test_e10_bottleneck_and_reversal():
    state = 4 * 2 * 1000                                      # h and c of 4 layers
    annotations = 30 * (1000 + 1000)                          # Bahdanau: 2000 per source word
    assert (state, annotations) == (8000, 60_000)
    normal = [(5 + i) - i for i in range(1, 6)]               # target i at 5 + i, source i at i
    reversed_ = [(5 + i) - (6 - i) for i in range(1, 6)]      # reversed source: word i at 6 - i
    assert normal == [5] * 5 and reversed_ == [1, 3, 5, 7, 9]
    assert sum(reversed_) / 5 == sum(normal) / 5 == 5
    assert_in_pages("seq2seq", "4 \\cdot 2 \\cdot 1000 = 8000", 60_000, "1, 3, 5, 7, 9", "$6 - i$")
    # numbers quoted from the papers
    assert_in_pages("seq2seq", "34.8", "33.3", "25.9", "30.6", "17.82", "26.75")
    cp.assert_in_each_page(SECTION, "seq2seq", {
        "en": ["a beam of 2 already gave most of the gain", "norm exceeded 5", "4 layers of 1000 cells"],
        "ru": ["луч ширины 2 уже давал почти весь выигрыш", "норма превышала 5", "4 слоя по 1000 ячеек"]})


def test_e10_gru_seq2seq_shapes():
    import torch
    from torch import nn

    torch.manual_seed(0)
    V, E, H = 100, 16, 32
    embed = nn.Embedding(V, E)
    encoder = nn.GRU(E, H, batch_first=True)
    for n in (5, 50):
        states, context = encoder(embed(torch.randint(V, (2, n))))
        assert tuple(states.shape) == (2, n, H) and tuple(context.shape) == (1, 2, H)
        assert torch.allclose(states[:, -1], context[0])      # the context is the last state
    assert_in_pages("seq2seq", "(1, 2, 32)", "(2, 5, 32)", "(2, 50, 32)")


# --------------------------------------------------------------------------- e11 transformer


def test_e11_layer_counts_and_shapes():
    import torch
    from torch import nn

    d, f = 512, 2048
    attention, ffn, norms = 4 * d * d + 4 * d, 2 * d * f + f + d, 2 * 2 * d
    assert (attention, ffn, norms) == (1_050_624, 2_099_712, 2048)
    layer = nn.TransformerEncoderLayer(d, 8, f, batch_first=True)
    assert cp.n_params(layer.self_attn) == attention
    assert cp.n_params(layer.linear1) + cp.n_params(layer.linear2) == ffn
    assert cp.n_params(layer) == attention + ffn + norms == 3_152_384
    assert tuple(layer(torch.randn(2, 10, d)).shape) == (2, 10, d)
    decoder_layer = 2 * attention + ffn + 3 * 2 * d
    with torch.device("meta"):
        assert cp.n_params(nn.TransformerDecoderLayer(d, 8, f, batch_first=True)) == decoder_layer == 4_204_032
        model = nn.Transformer(d, 8, 6, 6, f, batch_first=True)
    assert cp.n_params(model) == 6 * 3_152_384 + 6 * 4_204_032 + 2 * 2 * d == 44_140_544
    share = ffn / cp.n_params(layer)
    embedding = 37_000 * d
    assert f"{share:.3f}" == "0.666" and round(embedding / 1e6, 1) == 18.9
    assert round((cp.n_params(model) + embedding) / 1e6) == 63
    assert_in_pages("transformer-explained", 1_050_624, 2_099_712, 2048, 3_152_384, 4_204_032, 44_140_544,
                    "0.666", 37_000, "18.9", "(2, 10, 512)",
                    fmt_math(2_099_712), fmt_math(3_152_384))
    cp.assert_in_page(SECTION, "transformer-explained", "en", "63 million", "65 million")
    cp.assert_in_page(SECTION, "transformer-explained", "ru", "63 миллиона", "65 миллионам")
    cp.assert_in_pages(ATTENTION, "multi-head-attention", 1_050_624)


def test_e11_ffn_share_and_static_masking_agree_with_question_47():
    import torch
    from torch import nn

    with torch.device("meta"):
        dec = nn.TransformerDecoderLayer(512, 8, 2048)
    ffn = cp.n_params(dec.linear1) + cp.n_params(dec.linear2)
    assert ffn == 2_099_712 and round(ffn / cp.n_params(dec), 2) == 0.5          # "half of a decoder layer's"
    cp.assert_in_each_page(SECTION, "transformer-explained", {
        "en": ["two thirds of an encoder layer's parameters (half of a decoder layer's)"],
        "ru": ["две трети параметров слоя энкодера (и половина параметров слоя декодера)"]})
    copies, epochs = 10, 40                                                 # dupe_factor, BERT's epochs
    assert epochs // copies == 4
    cp.assert_in_each_page(SECTION, "transformer-explained", {
        "en": ["duplicated 10 times with different masks and trained for about 40 epochs, so each mask was seen 4 times"],
        "ru": ["продублировали 10 раз с разными масками и учили около 40 эпох, так что каждая маска встречалась 4 раза"]})
    cp.assert_in_pages(MODEL_TYPES, "bert-vs-roberta", "$40 / 10 = 4$")


def test_e11_learning_rate_peak():
    d, warmup = 512, 4000
    lr = [d ** -0.5 * min(s ** -0.5, s * warmup ** -1.5) for s in range(1, 20_001)]
    peak = max(range(len(lr)), key=lr.__getitem__) + 1
    assert peak == warmup and f"{lr[peak - 1]:.6f}" == "0.000699"
    assert_in_pages("transformer-explained", "0.000699", "4000")
    cp.assert_in_pages(ATTENTION, "prenorm-vs-postnorm", "0.000699")


def test_e11_figure_and_quoted_results():
    cp.assert_figure_used(SECTION, "prenorm-postnorm-block", ["transformer-explained"])
    assert_in_pages("transformer-explained", "27.3", "28.4", "41.8", "0.1", "0.98")


# --------------------------------------------------------------------------- e12 rnn-basics


def test_e12_rnn_step_by_hand_equals_rnncell():
    import torch
    from torch import nn

    Wx, Wh, b = [[0.5, -1.0], [0.2, 0.3]], [[0.1, 0.4], [-0.3, 0.2]], [0.0, 0.1]
    x, h = [1.0, 2.0], [1.0, -1.0]
    wx = [sum(Wx[i][j] * x[j] for j in range(2)) for i in range(2)]
    wh = [sum(Wh[i][j] * h[j] for j in range(2)) for i in range(2)]
    a = [wx[i] + wh[i] + b[i] for i in range(2)]
    by_hand = [math.tanh(v) for v in a]
    cell = nn.RNNCell(2, 2)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor(Wx))
        cell.weight_hh.copy_(torch.tensor(Wh))
        cell.bias_ih.copy_(torch.tensor(b))
        cell.bias_hh.zero_()
        out = cell(torch.tensor([x]), torch.tensor([h]))[0].tolist()
    assert out == pytest.approx(by_hand, abs=1e-6)
    assert [round(v, 1) for v in wx] == [-1.5, 0.8] and [round(v, 1) for v in wh] == [-0.3, -0.5]
    assert [round(v, 1) for v in a] == [-1.8, 0.4]
    assert [f"{v:.4f}" for v in by_hand] == ["-0.9468", "0.3799"]
    assert_in_pages("rnn-basics", "-0.9468 \\\\ 0.3799", "-1.8 \\\\ 0.4", "-1.5 \\\\ 0.8", "-0.3 \\\\ -0.5",
                    "[-0.9468, 0.3799]")


def test_e12_parameter_counts_agree_with_question_25():
    import torch
    from torch import nn

    x, h = 100, 128
    textbook = h * x + h * h + h
    counts = {
        "rnn": cp.n_params(nn.RNN(x, h)), "birnn": cp.n_params(nn.RNN(x, h, bidirectional=True)),
        "gru": cp.n_params(nn.GRU(x, h)), "lstm": cp.n_params(nn.LSTM(x, h)),
    }
    assert textbook == 29_312
    assert counts == {"rnn": textbook + h, "birnn": 2 * (textbook + h),
                      "gru": 3 * (textbook + h), "lstm": 4 * (textbook + h)}
    assert list(counts.values()) == [29_440, 58_880, 88_320, 117_760]
    assert_in_pages("rnn-basics", fmt_math(29_312), *counts.values())
    cp.assert_in_pages(RNN_CNN, "rnn-parameter-count", 29_312, *counts.values())
    rnn = nn.RNN(x, h, num_layers=2, bidirectional=True, batch_first=True)
    out, h_n = rnn(torch.randn(3, 20, x))
    assert (tuple(out.shape), tuple(h_n.shape)) == ((3, 20, 256), (4, 3, 128))
    assert_in_pages("rnn-basics", "(3, 20, 256)", "(4, 3, 128)", "2 \\cdot 2 = 4")


# --------------------------------------------------------------------------- e13 lstm-explained

LSTM_WEIGHTS = {"i": (0.5, 1.0, 0.0), "f": (0.2, 0.4, 1.0), "g": (1.0, -1.0, 0.0), "o": (-0.5, 2.0, 0.0)}


def test_e13_lstm_step_by_hand_equals_lstmcell():
    import torch
    from torch import nn

    x, h_prev, c_prev = 1.0, 0.5, 1.0
    pre = {k: w * x + u * h_prev + b for k, (w, u, b) in LSTM_WEIGHTS.items()}
    i, f, o = sigmoid(pre["i"]), sigmoid(pre["f"]), sigmoid(pre["o"])
    g = math.tanh(pre["g"])
    c = f * c_prev + i * g
    h = o * math.tanh(c)
    cell = nn.LSTMCell(1, 1)
    with torch.no_grad():
        cell.weight_ih.copy_(torch.tensor([[LSTM_WEIGHTS[k][0]] for k in "ifgo"]))
        cell.weight_hh.copy_(torch.tensor([[LSTM_WEIGHTS[k][1]] for k in "ifgo"]))
        cell.bias_ih.copy_(torch.tensor([LSTM_WEIGHTS[k][2] for k in "ifgo"]))
        cell.bias_hh.zero_()
    c_in = torch.tensor([[c_prev]], requires_grad=True)
    h_t, c_t = cell(torch.tensor([[x]]), (torch.tensor([[h_prev]]), c_in))
    c_t.backward()
    assert (h_t.item(), c_t.item()) == pytest.approx((h, c), abs=1e-6)
    assert c_in.grad.item() == pytest.approx(f, abs=1e-6)          # the direct cell path
    assert [round(pre[k], 1) for k in "ifgo"] == [1.0, 1.4, 0.5, 0.5]
    values = [f"{v:.4f}" for v in (i, f, g, o, f * c_prev, i * g, c, math.tanh(c), h)]
    assert values == ["0.7311", "0.8022", "0.4621", "0.6225", "0.8022", "0.3378", "1.1400", "0.8144", "0.5069"]
    assert_in_pages("lstm-explained", *[f"= {v}$" for v in values[:4]],
                    "0.8022 + 0.3378 = 1.1400", "0.6225 \\cdot 0.8144 = 0.5069", "# 1.14 0.5069 0.8022",
                    "| 0.2 | 0.4 | 1.0 | 1.4 |")
    cp.assert_in_each_page(SECTION, "lstm-explained", {
        "en": ["| \u22120.5 | 2.0 | 0 | 0.5 |", "| 1.0 | \u22121.0 | 0 | 0.5 |"],
        "ru": ["| \u22120.5 | 2.0 | 0 | 0.5 |", "| 1.0 | \u22121.0 | 0 | 0.5 |"],
    })


def test_e13_forget_bias_one():
    import torch

    assert f"{sigmoid(1.0):.2f}" == "0.73" == f"{torch.sigmoid(torch.tensor(1.0)).item():.2f}"
    assert_in_pages("lstm-explained", "$f_t \\approx 0.73$")


def test_e13_gradient_decay_agrees_with_question_30():
    f = sigmoid(1.4)
    assert f"{0.99 ** 50:.3f}" == "0.605" and f"{0.99 ** 100:.3f}" == "0.366"
    assert f"{0.9 ** 50:.5f}" == "0.00515"
    assert f"{f ** 50:.1e}" == "1.6e-05"
    assert_in_pages("lstm-explained", "0.99^{50} \\approx 0.605", "0.366", "0.9^{50} \\approx 0.00515",
                    "1.6 \\cdot 10^{-5}")
    cp.assert_in_pages(RNN_CNN, "vanishing-gradients", "0.605", "0.366", "0.00515")


def test_e13_notation_and_counts_agree_with_question_28():
    from torch import nn

    equations = ["f_t &= \\sigma(W_{f} x_t + U_{f} h_{t-1} + b_{f})", "c_t &= f_t \\odot c_{t-1} + i_t \\odot g_t",
                 "h_t &= o_t \\odot \\tanh(c_t)", "g_t &= \\tanh(W_{g} x_t + U_{g} h_{t-1} + b_{g})"]
    assert_in_pages("lstm-explained", *equations)
    cp.assert_in_pages(RNN_CNN, "lstm-vs-gru", *equations)
    lstm = nn.LSTM(100, 128)
    assert tuple(lstm.weight_ih_l0.shape) == (512, 100)
    assert 4 * (128 * 100 + 128 * 128 + 128) == 117_248 and cp.n_params(lstm) == 117_760
    assert_in_pages("lstm-explained", fmt_math(117_248), 117_760, "(512, 100)")
    cp.assert_figure_used(SECTION, "lstm-cell", ["lstm-explained"])
    cp.assert_in_each_page(SECTION, "lstm-explained", {"en": ["norm exceeded 5"], "ru": ["норма превышала 5"]})


# --------------------------------------------------------------------------- e14 encoder-decoder


def test_e14_shapes_and_dependencies():
    import torch
    from torch import nn

    torch.manual_seed(0)
    model = nn.Transformer(d_model=512, nhead=8, num_encoder_layers=1, num_decoder_layers=1,
                           dim_feedforward=2048, dropout=0.0, batch_first=True).eval()
    src, tgt = torch.randn(2, 10, 512), torch.randn(2, 7, 512)
    causal = nn.Transformer.generate_square_subsequent_mask(7)
    with torch.no_grad():
        memory = model.encoder(src)
        out = model.decoder(tgt, memory, tgt_mask=causal, tgt_is_causal=True)
        _, weights = model.decoder.layers[0].multihead_attn(tgt, memory, memory, average_attn_weights=False)
        base = model(src, tgt, tgt_mask=causal)
        src2, tgt2 = src.clone(), tgt.clone()
        src2[:, -1] += 1.0
        tgt2[:, 4] += 1.0
        d_src = (model(src2, tgt, tgt_mask=causal) - base).abs().amax(dim=(0, 2))
        d_tgt = (model(src, tgt2, tgt_mask=causal) - base).abs().amax(dim=(0, 2))
    shapes = [tuple(t.shape) for t in (memory, out, weights)]
    assert shapes == [(2, 10, 512), (2, 7, 512), (2, 8, 7, 10)]
    assert bool((d_src > 0).all())                      # every target position sees the whole source
    assert d_tgt[:4].max().item() == 0.0 and bool((d_tgt[4:] > 0).all())
    assert torch.allclose(weights.sum(-1), torch.ones(2, 8, 7), atol=1e-5)
    assert_in_pages("encoder-decoder", *[str(s) for s in shapes], "0.0 [True, True, True]", "1–4", "5–7")
    cp.assert_in_pages(ATTENTION, "self-attention-shapes", "(2, 8, 7, 10)")


def test_e14_memory_and_parameters():
    import torch
    from torch import nn

    assert 4 * 2 * 1000 == 8000 and 10 * 512 == 5120 and 100 * 512 == 51_200
    with torch.device("meta"):
        enc = cp.n_params(nn.TransformerEncoderLayer(512, 8, 2048))
        dec = cp.n_params(nn.TransformerDecoderLayer(512, 8, 2048))
        cross = cp.n_params(nn.MultiheadAttention(512, 8)) + cp.n_params(nn.LayerNorm(512))
    assert (enc, dec, dec - enc) == (3_152_384, 4_204_032, 1_051_648) and dec - enc == cross
    assert_in_pages("encoder-decoder", 8000, 5120, 51_200, 3_152_384, 4_204_032, 1_051_648, 1_050_624, "(1024)")


# --------------------------------------------------------------------------- e15 attention-layer


def test_e15_self_attention_by_hand_equals_sdpa():
    import torch
    import torch.nn.functional as F

    X = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
    scores = [[sum(a * b for a, b in zip(q, k)) / math.sqrt(2) for k in X] for q in X]
    weights = []
    for row in scores:
        e = [math.exp(s) for s in row]
        weights.append([v / sum(e) for v in e])
    outputs = [[sum(w * x[j] for w, x in zip(row, X)) for j in range(2)] for row in weights]
    t = torch.tensor(X, dtype=torch.float64)
    reference = F.scaled_dot_product_attention(t, t, t)
    assert torch.allclose(reference, torch.tensor(outputs, dtype=torch.float64), atol=1e-12)
    def fmt(vals):
        return ", ".join(f"{v:.3f}" for v in vals)

    rows = [fmt(w) for w in weights]
    outs = [f"({fmt(o)})" for o in outputs]
    assert rows == ["0.401, 0.198, 0.401", "0.198, 0.401, 0.401", "0.248, 0.248, 0.503"]
    assert outs == ["(0.802, 0.599)", "(0.599, 0.802)", "(0.752, 0.752)"]
    e = math.exp(1 / math.sqrt(2))
    assert (f"{e:.3f}", f"{2 * e + 1:.3f}") == ("2.028", "5.056")
    assert_in_pages("attention-layer", *rows, *outs, "0.707 & 0 & 0.707", "0.707 & 0.707 & 1.414",
                    "2.028 / 5.056 = 0.401", "1 / 5.056 = 0.198")


def test_e15_multihead_layer_agrees_with_questions_37_and_44():
    import torch
    from torch import nn

    mha = nn.MultiheadAttention(512, 8, batch_first=True)
    x = torch.randn(2, 10, 512)
    y, w = mha(x, x, x, average_attn_weights=False)
    assert (tuple(y.shape), tuple(w.shape)) == ((2, 10, 512), (2, 8, 10, 10))
    assert cp.n_params(mha) == 4 * 512 ** 2 + 4 * 512 == 1_050_624
    assert_in_pages("attention-layer", "(2, 10, 512)", "(2, 8, 10, 10)", 1_050_624)
    cp.assert_in_pages(ATTENTION, "self-attention-shapes", "(2, 8, 10, 10)")
    cp.assert_in_pages(ATTENTION, "multi-head-attention", 1_050_624)
    # heads per model quoted on the page
    cp.assert_in_each_page(SECTION, "attention-layer", {
        "en": ["The base transformer uses 8 heads, BERT-base 12, BERT-large 16."],
        "ru": ["В базовом трансформере 8 голов, в BERT-base 12, в BERT-large 16."]})


# --------------------------------------------------------------------------- e16 bert-explained


@pytest.fixture(scope="module")
def bert_models():
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertModel

    with torch.device("meta"):
        base = BertModel(BertConfig())
        large = BertModel(BertConfig(hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
                                     intermediate_size=4096))
        head5 = BertForSequenceClassification(BertConfig(num_labels=5))
    return base, large, head5


def test_e16_parameter_counts_agree_with_question_47(bert_models):
    base, large, head5 = bert_models
    d, V, P, S = 768, 30_522, 512, 2
    embeddings = (V + P + S) * d + 2 * d
    layers = 12 * (12 * d * d + 13 * d)
    pooler = d * d + d
    assert (cp.n_params(base.embeddings), cp.n_params(base.encoder), cp.n_params(base.pooler)) == (embeddings, layers, pooler)
    assert embeddings + layers + pooler == cp.n_params(base) == 109_482_240
    assert cp.n_params(large) == 335_141_888
    assert cp.n_params(head5) - cp.n_params(base) == d * 5 + 5 == 3845
    assert_in_pages("bert-explained", 23_837_184, 85_054_464, 590_592, 109_482_240, 335_141_888, 3845,
                    "110M", "340M", "(30\\,522 + 512 + 2)")
    cp.assert_in_pages(MODEL_TYPES, "bert-vs-roberta", 109_482_240, 23_837_184)


def test_e16_token_budget_and_mlm_arithmetic():
    import torch

    n = 512
    assert (n - 2, n - 3) == (510, 509)
    expected = (0.15 * n, 0.15 * 0.8 * n, 0.15 * 0.1 * n)
    assert [round(v, 2) for v in expected] == [76.8, 61.44, 7.68]
    assert [round(v) for v in expected] == [77, 61, 8] and round(0.15 * 0.1 * 100, 2) == 1.5
    # the 80/10/10 rule simulated on many sequences gives the same expectations
    gen = torch.Generator().manual_seed(0)
    picked = torch.rand(4000, n, generator=gen) < 0.15
    action = torch.rand(4000, n, generator=gen)
    per_seq = picked.sum(1).float().mean().item()
    masked = (picked & (action < 0.8)).sum(1).float().mean().item()
    assert per_seq == pytest.approx(76.8, abs=0.5) and masked == pytest.approx(61.44, abs=0.5)
    assert_in_pages("bert-explained", "0.15 \\cdot 512 = 76.8", "0.8 \\cdot 76.8 = 61.44", "0.1 \\cdot 76.8 = 7.68",
                    "510", "509", "1.5%", "77", "# 76.8 61.44 7.68")
    cp.assert_in_each_page(ATTENTION, "bert-vs-gpt-attention", {
        "en": ["about 77 positions are targets (15%): about 61 of them become `[MASK]`, 8 a random token and 8"],
        "ru": ["около 77 позиций (15%): примерно 61 из них превращается в `[MASK]`, 8 — в случайный токен, и 8"]})


def test_e16_held_out_metrics():
    from sklearn.metrics import accuracy_score, f1_score

    y_true = ["sport"] * 6 + ["business"] * 4 + ["tech"] * 2
    y_pred = ["sport"] * 6 + ["business"] * 3 + ["sport"] + ["business"] * 2
    per_class = f1_score(y_true, y_pred, labels=["sport", "business", "tech"], average=None, zero_division=0)
    macro = f1_score(y_true, y_pred, average="macro", zero_division=0)
    # by hand: sport P = 6/7, R = 1; business P = 3/5, R = 3/4; tech never predicted
    sport, business = 2 * (6 / 7) / (6 / 7 + 1), 2 * 0.6 * 0.75 / (0.6 + 0.75)
    assert list(per_class) == pytest.approx([sport, business, 0.0])
    assert accuracy_score(y_true, y_pred) == 9 / 12 == 0.75
    assert [f"{v:.3f}" for v in per_class] == ["0.923", "0.667", "0.000"] and f"{macro:.2f}" == "0.53"
    assert_in_pages("bert-explained", "9 / 12 = 0.75", "0.923", "0.667", "0.53")


def test_e16_pretraining_scale():
    steps, batch, length, words = 1_000_000, 256, 512, 3.3e9
    assert round(steps * batch * length / words) == 40                      # the paper's "about 40 epochs"
    tokens_really = steps * batch * (0.9 * 128 + 0.1 * length)              # 90% of steps at 128 tokens
    assert round(tokens_really / words) == 13                               # why the page qualifies it
    assert_in_pages("bert-explained", steps, "$10^6 \\cdot 256 \\cdot 512$", "40", "3.3", "90%", "128", "10%")


def test_e16_quoted_benchmark_numbers():
    assert_in_pages("bert-explained", "80.5", "86.7", "93.2", "69.0", "89.8", "800M", "2500M")


# --------------------------------------------------------------------------- e17 word2vec-vs-bert


def test_e17_sizes(bert_models):
    base = bert_models[0]
    table = base.embeddings.word_embeddings.weight
    assert tuple(table.shape) == (30_522, 768) and table.numel() == 23_440_896
    w2v = 3_000_000 * 300
    assert w2v == 900_000_000 and w2v * 4 / 1e9 == 3.6
    assert w2v / cp.n_params(base) == pytest.approx(8.2, abs=0.05)       # "about eight times fewer"
    assert_in_pages("word2vec-vs-bert", 3_000_000, 109_482_240, "3.6 GB",
                    fmt_math(900_000_000), fmt_math(23_440_896))


def test_e17_tiny_bert_contextual_cosines():
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(vocab_size=30, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=16, initializer_range=0.25,
                        hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0)
    bert = BertModel(config, add_pooling_layer=False).eval()
    a_ids, b_ids = torch.tensor([[2, 10, 5, 12, 3]]), torch.tensor([[2, 20, 5, 24, 3]])
    with torch.no_grad():
        a = bert(a_ids, output_hidden_states=True).hidden_states
        b = bert(b_ids, output_hidden_states=True).hidden_states
    # our own cosine on float64
    cos = []
    for x, y in zip(a, b):
        u, v = x[0, 2].double(), y[0, 2].double()
        cos.append(float(u @ v / (u.norm() * v.norm())))
    assert [f"{c:.3f}" for c in cos] == ["1.000", "0.926", "0.908"]
    assert torch.equal(a[0][0, 2], b[0][0, 2])                 # the input layer is a static lookup
    assert_in_pages("word2vec-vs-bert", "| 1.000 |", "| 0.926 |", "| 0.908 |", "[1.0, 0.926, 0.908]",
                    "[2, 10, 5, 12, 3]", "[2, 20, 5, 24, 3]")


# --------------------------------------------------------------------------- e18 bert-vs-sbert


def test_e18_cost_arithmetic():
    import itertools

    from torch import nn

    n = 10_000
    pairs = n * (n - 1) // 2
    assert pairs == math.comb(n, 2) == 49_995_000
    assert sum(1 for _ in itertools.combinations(range(100), 2)) == math.comb(100, 2)  # the formula itself
    assert pairs / n == (n - 1) / 2 == 4999.5
    assert round(pairs / 1e6) == 50
    head = nn.Linear(3 * 768, 3, bias=False)                   # W_t of the classification objective
    assert head.weight.numel() == 3 * 768 * 3 == 6912
    assert_in_pages("bert-vs-sbert", fmt_math(49_995_000), fmt_math(10_000), 10_000, "4999.5", 6912,
                    40_000_000, 570_000, 430_000, "# 49995000 4999.5 6912")
    figure = cp.load_figure("cross-vs-bi-encoder")
    assert (figure.N, figure.PAIRS) == (n, pairs)
    cp.assert_figure_used(SECTION, "cross-vs-bi-encoder", ["bert-vs-sbert"])


def test_e18_mean_pooling_with_mask():
    import torch
    from transformers import BertConfig, BertModel

    torch.manual_seed(0)
    config = BertConfig(vocab_size=50, hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=16)
    bert = BertModel(config, add_pooling_layer=False).eval()
    ids = torch.tensor([[2, 11, 12, 13, 14, 3], [2, 21, 22, 3, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        hidden = bert(ids, attention_mask=mask).last_hidden_state
        alone = [bert(ids[i:i + 1, :int(mask[i].sum())]).last_hidden_state[0] for i in range(2)]
    own = torch.stack([hidden[i, : int(mask[i].sum())].mean(dim=0) for i in range(2)])   # slice, then mean
    m = mask.unsqueeze(-1).float()
    page = (hidden * m).sum(dim=1) / m.sum(dim=1).clamp(min=1e-9)                     # the page's formula
    assert torch.allclose(page, own, atol=1e-6)
    assert all(torch.allclose(page[i], alone[i].mean(dim=0), atol=1e-6) for i in range(2))
    naive = (hidden[1].mean(dim=0) - page[1]).abs().max().item()
    assert f"{naive:.2f}" == "0.59"
    assert_in_pages("bert-vs-sbert", "(2, 32) True", "0.59")


def test_e18_quoted_sbert_numbers():
    assert_in_pages("bert-vs-sbert", "29.19", "54.81", "61.32", "74.89", "16.50", "46.35", "58.02", "77.03",
                    "65", "2e-5", "16")


# --------------------------------------------------------------------------- e19 next-word-model


def test_e19_who_sees_the_future():
    import torch
    from torch import nn

    torch.manual_seed(0)
    d, n, t = 8, 6, 3
    x = torch.randn(1, n, d)
    x2 = x.clone()
    x2[0, t + 1:] = torch.randn(n - t - 1, d)
    lstm = nn.LSTM(d, d, batch_first=True)
    bilstm = nn.LSTM(d, d, batch_first=True, bidirectional=True)
    conv = nn.Conv1d(d, d, kernel_size=3, padding=1)
    causal_conv = nn.Sequential(nn.ConstantPad1d((2, 0), 0.0), nn.Conv1d(d, d, kernel_size=3))
    layer = nn.TransformerEncoderLayer(d, 2, 16, dropout=0.0, batch_first=True)
    mask = nn.Transformer.generate_square_subsequent_mask(n)
    models = {
        "LSTM": lambda z: lstm(z)[0],
        "BiLSTM": lambda z: bilstm(z)[0],
        "CNN": lambda z: conv(z.transpose(1, 2)).transpose(1, 2),
        "causal CNN": lambda z: causal_conv(z.transpose(1, 2)).transpose(1, 2),
        "encoder": lambda z: layer(z),
        "causal encoder": lambda z: layer(z, src_mask=mask, is_causal=True),
    }
    with torch.no_grad():
        change = {k: (f(x)[0, t] - f(x2)[0, t]).abs().max().item() for k, f in models.items()}
        # the same with an explicit boolean mask instead of the float one: nothing after t is visible
        explicit = torch.triu(torch.ones(n, n, dtype=torch.bool), diagonal=1)
        gpt_like = (layer(x, src_mask=explicit) - layer(x2, src_mask=explicit))[0, t].abs().max().item()
    assert change["LSTM"] == change["causal CNN"] == change["causal encoder"] == gpt_like == 0.0
    shown = {k: f"{v:.3f}" for k, v in change.items()}
    assert shown == {"LSTM": "0.000", "BiLSTM": "0.191", "CNN": "0.428", "causal CNN": "0.000",
                     "encoder": "0.536", "causal encoder": "0.000"}
    assert_in_pages("next-word-model", *[f"| {v} |" for v in shown.values()],
                    "LSTM 0.0, BiLSTM 0.191, CNN 0.428, causal CNN 0.0, encoder 0.536, causal encoder 0.0")


def test_e19_causal_cnn_receptive_field_agrees_with_question_31():
    import torch
    from torch import nn

    def receptive_field(dilations, k=3, length=40):
        layers = []
        for dil in dilations:
            layers += [nn.ConstantPad1d(((k - 1) * dil, 0), 0.0), nn.Conv1d(1, 1, k, dilation=dil)]
        net = nn.Sequential(*layers)
        for p in net.parameters():
            nn.init.constant_(p, 1.0)
        x = torch.zeros(1, 1, length, requires_grad=True)
        net(x)[0, 0, -1].backward()
        return int((x.grad[0, 0] != 0).sum())

    assert receptive_field([1, 2, 4]) == 1 + 2 * (1 + 2 + 4) == 15
    assert receptive_field([1, 1, 1]) == 1 + 3 * 2 == 7
    assert_in_pages("next-word-model", "1 + 2 \\cdot (1 + 2 + 4) = 15")
    cp.assert_in_pages(RNN_CNN, "cnn-for-text", "1 + 2 \\cdot (1 + 2 + 4) = 15")
    cp.assert_in_each_page(SECTION, "next-word-model", {"en": ["gives 5 next-word predictions"],
                                                        "ru": ["5 предсказаний следующего слова"]})


def test_e19_multiple_choice_is_kept():
    cp.assert_in_each_page(SECTION, "next-word-model", {
        "en": ["1. an LSTM\n2. BERT\n3. a bidirectional LSTM\n4. a convolutional network (CNN)",
               "**Answer: 1, the LSTM**"],
        "ru": ["1. LSTM\n2. BERT\n3. двунаправленная LSTM\n4. свёрточная сеть (CNN)", "**Ответ: 1, LSTM**"],
    })
    for lang in cp.LANGS:
        text = cp.read_page(SECTION, "next-word-model", lang)
        assert text.index("4. ") < text.index("/// answer"), "the choices come before the answer block"
