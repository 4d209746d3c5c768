"""Reference computations for the model-types section (questions 47-53): parameter counts of BERT-base,
RoBERTa-base, GPT-2 small, T5-small and BART-base from their transformers configuration classes (meta
device) against the closed-form formulas of the pages; BERT-style 80/10/10 masking against
DataCollatorForLanguageModeling on a tokenizer built from a local vocabulary file; T5's relative
position buckets against T5Attention; incremental decoding with a KV cache against the full forward
pass of a tiny GPT-2; the rank-one edit of question 51. Every number is found on both pages."""
from __future__ import annotations

import math
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, fmt_math, single_thread_torch  # noqa: F401  (autouse fixture)

SECTION = DOCS / "transformers" / "model-types"
SLUGS = {
    47: "bert-vs-roberta",
    48: "t5-and-bart",
    49: "task-agnostic-models",
    50: "bert-gpt-t5",
    51: "model-knowledge-problem",
    52: "decoder-training-vs-inference",
    53: "heads-vs-layers",
}
FIGURE = "attention-mask-types"
assert_in_pages = partial(cp.assert_in_pages, SECTION)


# --------------------------------------------------------------------------- closed-form counts


def encoder_layer(d: int, f: int) -> int:
    """Self-attention (4 linear maps with bias), FFN d->f->d with biases, two LayerNorms."""
    return 4 * (d * d + d) + (d * f + f) + (f * d + d) + 2 * 2 * d


def bert_like(V: int, P: int, S: int, d: int = 768, L: int = 12, f: int = 3072, pooler: bool = True) -> int:
    return (V + P + S) * d + 2 * d + L * encoder_layer(d, f) + (d * d + d if pooler else 0)


def gpt2(V: int, P: int = 1024, d: int = 768, L: int = 12) -> int:
    """Token and position embeddings, L blocks, final LayerNorm; the LM head is tied."""
    return (V + P) * d + L * encoder_layer(d, 4 * d) + 2 * d


def t5_layers(d: int = 512, inner: int = 512, f: int = 2048) -> tuple[int, int]:
    """No biases, scale-only norms: encoder block, decoder block (with cross-attention)."""
    return 4 * d * inner + 2 * d * f + 2 * d, 8 * d * inner + 2 * d * f + 3 * d


def t5(V: int = 32128, d: int = 512, heads: int = 8, buckets: int = 32, layers: int = 6) -> int:
    enc, dec = t5_layers(d)
    return V * d + layers * enc + layers * dec + 2 * (d + buckets * heads)


def bart_decoder_layer(d: int, f: int) -> int:
    return encoder_layer(d, f) + 4 * (d * d + d) + 2 * d


def bart(V: int = 50265, P: int = 1024, d: int = 768, layers: int = 6, f: int = 3072) -> int:
    """Shared embeddings, learned positions with an offset of 2 per stack, a LayerNorm after the
    embeddings in each stack, no final LayerNorm; the LM head is tied."""
    return V * d + 2 * (P + 2) * d + 2 * 2 * d + layers * encoder_layer(d, f) + layers * bart_decoder_layer(d, f)


@pytest.fixture(scope="module")
def meta_models():
    """The reference models, built from their configuration classes on the meta device."""
    import torch
    from transformers import (BartConfig, BartForConditionalGeneration, BertConfig,
                              BertForQuestionAnswering, BertForSequenceClassification,
                              BertForTokenClassification, BertModel, GPT2Config, GPT2LMHeadModel,
                              RobertaConfig, RobertaModel, T5Config, T5ForConditionalGeneration)

    with torch.device("meta"):
        return {
            "bert": BertModel(BertConfig()),
            "bert_nopool": BertModel(BertConfig(), add_pooling_layer=False),
            "roberta": RobertaModel(RobertaConfig(vocab_size=50265, max_position_embeddings=514,
                                                  type_vocab_size=1)),
            "gpt2": GPT2LMHeadModel(GPT2Config()),
            "t5": T5ForConditionalGeneration(T5Config()),
            "bart": BartForConditionalGeneration(BartConfig(
                d_model=768, encoder_layers=6, decoder_layers=6, encoder_attention_heads=12,
                decoder_attention_heads=12, encoder_ffn_dim=3072, decoder_ffn_dim=3072)),
            "seq": BertForSequenceClassification(BertConfig(num_labels=2)),
            "tok": BertForTokenClassification(BertConfig(num_labels=9)),
            "qa": BertForQuestionAnswering(BertConfig()),
        }


# --------------------------------------------------------------------------- Q47


def mask_tokens(ids, vocab_size, mask_id, gen, p=0.15):
    """Reference 80/10/10 masking, the same draws as the page's code."""
    import torch

    labels = ids.clone()
    picked = torch.rand(ids.shape, generator=gen) < p
    labels[~picked] = -100
    inputs = ids.clone()
    to_mask = picked & (torch.rand(ids.shape, generator=gen) < 0.8)
    to_random = picked & ~to_mask & (torch.rand(ids.shape, generator=gen) < 0.5)
    inputs[to_mask] = mask_id
    inputs[to_random] = torch.randint(vocab_size, ids.shape, generator=gen)[to_random]
    return inputs, labels


def shares(original, inputs, labels, mask_id):
    picked = labels != -100
    to_mask = (inputs[picked] == mask_id).float().mean().item()
    kept = (inputs[picked] == original[picked]).float().mean().item()
    return picked.float().mean().item(), to_mask, 1 - to_mask - kept, kept


def test_q47_static_masking_and_dynamic_sample():
    import torch

    dupe_factor, epochs = 10, 40
    assert epochs // dupe_factor == 4
    assert_in_pages(SLUGS[47], "$40 / 10 = 4$", "`dupe_factor = 10`", "§4.1")

    words = "each pass over the corpus draws a fresh mask so the model never sees one fixed pattern".split()
    assert len(words) == 17
    vocab = sorted(set(words)) + ["[MASK]"]
    ids = torch.tensor([vocab.index(w) for w in words])
    gen = torch.Generator().manual_seed(8)
    rows = []
    for _ in range(3):
        inputs, labels = mask_tokens(ids, len(vocab) - 1, len(vocab) - 1, gen)
        rows.append((" ".join(vocab[i] for i in inputs), [vocab[i] for i in ids[labels != -100]]))
    assert rows[1][1] == ["draws", "mask", "sees"] and rows[1][0].split()[8] == "mask"   # picked, kept
    assert rows[2][0].split()[13] == "model" and words[13] == "sees"       # random replacement
    for k, (text, targets) in enumerate(rows, start=1):
        shown = text.replace("never model one", "never **model** one")
        assert_in_pages(SLUGS[47], f"| {k} | {shown} | {', '.join(targets)} |")

    big = torch.randint(1000, (2000, 512), generator=gen)      # seeded: the page's numbers are stable
    inputs, labels = mask_tokens(big, 1000, 1000, gen)
    got = [f"{v:.3f}" for v in shares(big, inputs, labels, 1000)]
    assert got == ["0.149", "0.801", "0.099", "0.100"]
    assert big.numel() == 1024000
    assert_in_pages(SLUGS[47], 1024000, "0.149", "0.801", "0.099", "0.100")


def test_q47_collator_gives_the_same_proportions(tmp_path):
    """DataCollatorForLanguageModeling on a BertTokenizerFast built from a local vocabulary file."""
    import torch
    from transformers import BertTokenizerFast, DataCollatorForLanguageModeling

    specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    vocab_file = tmp_path / "vocab.txt"
    vocab_file.write_text("\n".join(specials + [f"w{i}" for i in range(1000)]) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab=str(vocab_file))   # transformers 5: `vocab` takes the file path
    assert tokenizer.mask_token_id == 4 and len(tokenizer) == 1005
    assert tokenizer("w7 w42")["input_ids"] == [2, 12, 47, 3]

    gen = torch.Generator().manual_seed(0)
    ids = torch.randint(5, 1005, (400, 256), generator=gen)
    examples = [{"input_ids": row.tolist(), "special_tokens_mask": [0] * 256} for row in ids]
    collator = DataCollatorForLanguageModeling(tokenizer, mlm_probability=0.15, seed=0)
    batch = collator(examples)
    hf = shares(ids, batch["input_ids"], batch["labels"], tokenizer.mask_token_id)
    own = shares(ids, *mask_tokens(ids, 1005, 4, torch.Generator().manual_seed(1)), 4)
    for value, expected in zip(hf, (0.15, 0.8, 0.1, 0.1)):
        assert value == pytest.approx(expected, abs=0.015)
    for a, b in zip(hf, own):
        assert a == pytest.approx(b, abs=0.02)
    assert (batch["labels"][batch["labels"] != -100] == ids[batch["labels"] != -100]).all()


def test_q47_parameter_counts(meta_models):
    bert, roberta = meta_models["bert"], meta_models["roberta"]
    layer = encoder_layer(768, 3072)
    assert layer == 12 * 768 ** 2 + 13 * 768 == cp.n_params(bert.encoder.layer[0]) == 7087872
    assert cp.n_params(bert.pooler) == 768 ** 2 + 768 == 590592
    emb_bert, emb_roberta = cp.n_params(bert.embeddings), cp.n_params(roberta.embeddings)
    assert emb_bert == (30522 + 512 + 2) * 768 + 2 * 768 == 23837184
    assert emb_roberta == (50265 + 514 + 1) * 768 + 2 * 768 == 39000576
    assert cp.n_params(bert) == bert_like(30522, 512, 2) == 109482240
    assert cp.n_params(roberta) == bert_like(50265, 514, 1) == 124645632
    diff = 124645632 - 109482240
    assert diff == (50265 - 30522) * 768 + 2 * 768 - 768 == 15163392
    assert roberta.config.pad_token_id + 1 + 512 == 514        # positions start after the padding index
    assert_in_pages(SLUGS[47], 30522, 50265, 23837184, 39000576, 109482240, 124645632,
                    *(fmt_math(n) for n in (7087872, 590592, 124645632, 109482240, 15163392, 50265, 30522)))


# --------------------------------------------------------------------------- Q48


def t5_span_corruption(tokens, spans):
    inputs, targets, prev = [], [], 0
    for k, (start, end) in enumerate(spans):
        inputs += tokens[prev:start] + [f"<extra_id_{k}>"]
        targets += [f"<extra_id_{k}>"] + tokens[start:end]
        prev = end
    return inputs + tokens[prev:], targets + [f"<extra_id_{len(spans)}>"]


def bart_infilling(tokens, spans):
    inputs, prev = [], 0
    for start, end in spans:
        inputs += tokens[prev:start] + ["<mask>"]
        prev = end
    return inputs + tokens[prev:]


def as_markdown(tokens):
    return " ".join(f"`{t}`" if t.startswith("<") else t for t in tokens)


def test_q48_span_corruption_and_infilling():
    words = "the model learns to restore missing words from the context around them".split()
    t5_in, t5_out = t5_span_corruption(words, [(2, 4), (7, 8)])
    bart_in = bart_infilling(words, [(2, 4), (7, 8), (10, 10)])
    assert (len(words), len(t5_in), len(t5_out), len(bart_in)) == (12, 11, 6, 12)
    assert t5_out == ["<extra_id_0>", "learns", "to", "<extra_id_1>", "from", "<extra_id_2>"]
    assert bart_in.count("<mask>") == 3
    assert_in_pages(SLUGS[48], as_markdown(t5_in), as_markdown(t5_out), as_markdown(bart_in),
                    "| 11 / 6 |", "| 12 / 12 |")

    # the same at scale: 15% of 512 tokens in spans of mean length 3 (T5's noise-mask arithmetic)
    noise = round(0.15 * 512)
    spans = round(noise / 3)
    assert (noise, spans, 512 - noise + spans, noise + spans + 1) == (77, 26, 461, 104)
    assert f"{512 / 104:.1f}" == "4.9"
    assert_in_pages(SLUGS[48], "= 77", "= 26", "= 461", "= 104", "4.9")


def t5_bucket(rel, num_buckets=32, max_distance=128):
    half = num_buckets // 2
    offset, n = (half if rel > 0 else 0), abs(rel)
    exact = half // 2
    if n < exact:
        return offset + n
    log_part = exact + int(math.log(n / exact) / math.log(max_distance / exact) * (half - exact))
    return offset + min(log_part, half - 1)


def test_q48_t5_relative_buckets():
    import torch
    from transformers.models.t5.modeling_t5 import T5Attention

    rel = torch.arange(-600, 601)
    reference = T5Attention._relative_position_bucket(rel, bidirectional=True, num_buckets=32, max_distance=128)
    assert [t5_bucket(r) for r in rel.tolist()] == reference.tolist()
    shown = (-1, -8, -20, -100, -500, 1, 8, 20, 100, 500)
    buckets = [t5_bucket(r) for r in shown]
    assert buckets == [1, 8, 10, 15, 15, 17, 24, 26, 31, 31]
    assert_in_pages(SLUGS[48], "| " + " | ".join(map(str, buckets)) + " |",
                    "| " + " | ".join(f"+{r}" if r > 0 else f"−{-r}" for r in shown) + " |")
    # the last bucket of each direction starts at distance 91, not at max_distance = 128
    for sign, last in ((1, 31), (-1, 15)):
        got = T5Attention._relative_position_bucket(sign * torch.arange(200), bidirectional=True,
                                                    num_buckets=32, max_distance=128)
        assert int(torch.nonzero(got == last)[0]) == 91 and int(got[90]) == last - 1
    assert t5_bucket(91) == 31 and t5_bucket(90) == 30 and t5_bucket(-91) == 15
    assert_in_pages(SLUGS[48], "91")


def test_q48_parameter_counts(meta_models):
    from transformers import T5Tokenizer
    import inspect

    t5m, bartm = meta_models["t5"], meta_models["bart"]
    enc, dec = t5_layers()
    assert (enc, dec) == (3146752, 4195840)
    assert cp.n_params(t5m.encoder.block[1]) == enc and cp.n_params(t5m.decoder.block[1]) == dec
    assert cp.n_params(t5m.encoder.block[0]) == enc + 32 * 8          # relative biases live in block 0
    assert cp.n_params(t5m) == t5() == 60506624
    assert t5m.config.vocab_size == 32128
    assert inspect.signature(T5Tokenizer.__init__).parameters["extra_ids"].default == 100
    assert 32000 + 100 == 32100

    assert bartm.model.encoder.embed_positions.weight.shape[0] == 1024 + 2 == 1026
    assert cp.n_params(bartm.model.encoder.layers[0]) == encoder_layer(768, 3072) == 7087872
    assert cp.n_params(bartm.model.decoder.layers[0]) == bart_decoder_layer(768, 3072) == 16 * 768 ** 2 + 19 * 768 == 9451776
    assert cp.n_params(bartm) == bart() == 139420416
    assert_in_pages(SLUGS[48], 32128, 32100, 32000, 1026,
                    *(fmt_math(n) for n in (3146752, 4195840, 60506624, 7087872, 9451776, 139420416, 32128, 50265)))


# --------------------------------------------------------------------------- Q49


def test_q49_task_heads(meta_models):
    body = cp.n_params(meta_models["bert_nopool"])
    assert body == bert_like(30522, 512, 2, pooler=False) == 108891648
    heads = {"seq": (meta_models["seq"].classifier, 768 * 2 + 2),
             "tok": (meta_models["tok"].classifier, 768 * 9 + 9),
             "qa": (meta_models["qa"].qa_outputs, 768 * 2 + 2)}
    totals = {}
    for key, (head, formula) in heads.items():
        assert cp.n_params(head) == formula
        totals[key] = cp.n_params(meta_models[key])
    assert totals == {"seq": body + 590592 + 1538, "tok": body + 6921, "qa": body + 1538}
    assert totals == {"seq": 109483778, "tok": 108898569, "qa": 108893186}
    assert f"{100 * 1538 / totals['seq']:.4f}%" == f"{100 * 1538 / totals['qa']:.4f}%" == "0.0014%"
    assert f"{100 * 6921 / totals['tok']:.4f}%" == "0.0064%"
    assert_in_pages(SLUGS[49], 108891648, 590592, 109483778, 108898569, 108893186, 1538, 6921,
                    "0.0014%", "0.0064%", "$768 \\cdot 9 + 9$")


# --------------------------------------------------------------------------- Q50


def test_q50_three_families(meta_models):
    counts = {"bert": 109482240, "gpt2": 124439808, "t5": 60506624}
    assert bert_like(30522, 512, 2) == counts["bert"]
    assert gpt2(50257) == counts["gpt2"]
    assert t5() == counts["t5"]
    shares = {}
    for key, expected in counts.items():
        model = meta_models[key]
        assert cp.n_params(model) == expected
        shares[key] = f"{100 * model.get_input_embeddings().weight.numel() / expected:.1f}"
    assert shares == {"bert": "21.4", "gpt2": "31.0", "t5": "27.2"}
    assert 12 * encoder_layer(768, 3072) == 85054464
    assert meta_models["gpt2"].lm_head.weight is meta_models["gpt2"].transformer.wte.weight   # tied
    assert 50257 * 768 == 38597376
    assert_in_pages(SLUGS[50], *counts.values(), *(f"{s}%" for s in shares.values()), 38597376,
                    *(fmt_math(n) for n in (7087872, 85054464, 30522, 50257, 32128, *counts.values())))


def test_q50_visible_pairs_and_figure():
    import torch

    fig = cp.load_figure(FIGURE)
    n = 6
    assert (fig.full_mask() == torch.ones(n, n, dtype=torch.bool).numpy()).all()
    assert (fig.causal_mask() == torch.tril(torch.ones(n, n, dtype=torch.bool)).numpy()).all()
    counts = fig.visible_counts()
    assert counts == {"encoder": 36, "decoder": 21, "encdec": 24, "prefix": 24}
    assert n * (n + 1) // 2 == 21 and 3 * 3 + 3 * 3 + 3 * 4 // 2 == 24
    assert (fig.encoder_decoder_mask() == fig.prefix_lm_mask()).all()
    assert_in_pages(SLUGS[50], "36", "$6 \\cdot 7 / 2 = 21$", "24", "$3 \\cdot 4 / 2 = 6$")
    cp.assert_figure_used(SECTION, FIGURE, [SLUGS[50]])


# --------------------------------------------------------------------------- Q51


def test_q51_rank_one_edit():
    import torch

    torch.manual_seed(0)
    d_k, d_v, n = 8, 4, 200
    K = torch.randn(d_k, n) + 1.5 * torch.randn(d_k, 1)
    W = torch.randn(d_v, d_k)
    k_new, v_new = K[:, 0], torch.randn(d_v)
    results = {}
    for name, C in (("identity", torch.eye(d_k)), ("covariance", K @ K.T / n)):
        u = torch.linalg.solve(C, k_new)
        delta = torch.outer(v_new - W @ k_new, u) / (u @ k_new)
        assert torch.allclose((W + delta) @ k_new, v_new, atol=1e-4)
        # optimality (Lagrange condition): delta @ C is proportional to r k^T
        r = v_new - W @ k_new
        assert torch.allclose(delta @ C, torch.outer(r, k_new) / (u @ k_new), atol=1e-4)
        results[name] = (delta @ K[:, 1:]).norm(dim=0).mean().item()
    # the covariance-weighted update has the smaller total squared change on the stored keys
    scale = (W @ K).norm(dim=0).mean().item()
    assert [f"{scale:.3f}", f"{results['identity']:.3f}", f"{results['covariance']:.2f}"] == ["8.762", "5.296", "2.21"]
    assert results["covariance"] < results["identity"] / 2
    assert_in_pages(SLUGS[51], "8.762", "| 5.296 |", "| 2.21 |", "199", "200")


# --------------------------------------------------------------------------- Q52


def test_q52_kv_cache_matches_full_pass():
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=100, n_positions=32, n_embd=32, n_layer=2, n_head=4,
                                       bos_token_id=0, eos_token_id=0)).eval()
    ids = torch.randint(100, (1, 6))
    with torch.no_grad():
        full = model(ids).logits
        assert tuple(full.shape) == (1, 6, 100)
        edited = ids.clone()
        edited[0, 5] = (ids[0, 5] + 1) % 100
        assert torch.allclose(model(edited).logits[:, :5], full[:, :5])
        assert not torch.allclose(model(edited).logits[:, 5], full[:, 5])
        # one token per step from the start, and prefill + steps, as on the page
        cache, steps = None, []
        for t in range(6):
            out = model(ids[:, t:t + 1], past_key_values=cache, use_cache=True)
            cache, steps = out.past_key_values, steps + [out.logits]
        assert torch.allclose(torch.cat(steps, 1), full, atol=1e-5)
        out = model(ids[:, :4], use_cache=True)
        cache, steps = out.past_key_values, [out.logits]
        for t in (4, 5):
            out = model(ids[:, t:t + 1], past_key_values=cache, use_cache=True)
            cache, steps = out.past_key_values, steps + [out.logits]
        assert (torch.cat(steps, 1) - full).abs().max().item() < 1e-5
    shapes = [(tuple(layer.keys.shape), tuple(layer.values.shape)) for layer in cache.layers]
    assert shapes == [((1, 4, 6, 8), (1, 4, 6, 8))] * 2
    assert sum(layer.keys.numel() + layer.values.numel() for layer in cache.layers) == 2 * 2 * 4 * 6 * 8 == 768
    assert_in_pages(SLUGS[52], "(1, 6, 100)", "(1, 4, 6, 8)", "$32 / 4 = 8$", "= 768$", "10^{-5}")

    # work with and without the cache: 10 new tokens after a 6-token prompt
    assert sum(range(6, 16)) == 105 and 6 + 9 == 15
    assert_in_pages(SLUGS[52], "= 105$", "= 15$")


def test_q52_cache_size_of_gpt2_small():
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    with torch.device("meta"):
        model = GPT2LMHeadModel(GPT2Config())
        out = model(torch.zeros(1, 1024, dtype=torch.long), use_cache=True)
    cached = sum(layer.keys.numel() + layer.values.numel() for layer in out.past_key_values.layers)
    per_token = 2 * 12 * 768
    assert cached == per_token * 1024 and per_token == 18432
    assert per_token * 2 == 36864 and cached * 2 == 37748736 and cached * 2 * 32 == 1207959552
    assert f"{cached * 2 / 1e6:.1f}" == "37.7" and f"{cached * 64 / 1e9:.1f}" == "1.2"
    assert f"{cp.n_params(model) * 2 / 1e9:.2f}" == "0.25"
    assert_in_pages(SLUGS[52], fmt_math(18432), 36864, fmt_math(37748736), fmt_math(1207959552),
                    "37.7", "1.2 GB", "0.25 GB")


# --------------------------------------------------------------------------- Q53


def test_q53_heads_do_not_change_the_count():
    import torch
    from torch import nn
    from transformers import BertConfig
    from transformers.models.bert.modeling_bert import BertLayer

    with torch.device("meta"):
        for heads in (1, 12, 64):
            assert cp.n_params(nn.TransformerEncoderLayer(768, heads, 3072)) == 7087872
            assert cp.n_params(BertLayer(BertConfig(num_attention_heads=heads))) == 7087872
        for depth, total in ((1, 7087872), (6, 42527232), (12, 85054464)):
            stack = nn.TransformerEncoder(nn.TransformerEncoderLayer(768, 12, 3072), depth,
                                          enable_nested_tensor=False)
            assert cp.n_params(stack) == depth * encoder_layer(768, 3072) == total
    d, h = 768, 12
    assert 4 * d * (d // h) == 196608 and h * 196608 == 4 * d * d == 2359296
    assert h * 128 ** 2 == 196608 and 12 * h * 128 ** 2 == 2359296 and 12 * h == 144

    attn = nn.MultiheadAttention(64, num_heads=4, batch_first=True)
    x = torch.randn(2, 10, 64)
    _, weights = attn(x, x, x, average_attn_weights=False)
    assert tuple(weights.shape) == (2, 4, 10, 10)
    assert_in_pages(SLUGS[53], 7087872, 42527232, 85054464, "= 144$", "(2, 4, 10, 10)",
                    *(fmt_math(n) for n in (196608, 2359296, 7087872)))
