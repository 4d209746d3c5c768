"""Reference computations for the pretraining section (questions 60-63): the causal-LM loss of a tiny
seeded GPT2LMHeadModel against F.cross_entropy on the shifted logits, packing arithmetic, the 6ND
compute estimates with parameter counts from the transformers configuration classes (meta device),
the objectives of question 63 on one sentence and the attention masks of the figure. Every number
is found on both language versions of the page."""
from __future__ import annotations

import math
from functools import partial

import content_pages as cp
from content_pages import DOCS, LANGS, fmt_math, single_thread_torch  # noqa: F401  (autouse fixture)

SECTION = DOCS / "transformers" / "pretraining"
SLUGS = {
    60: "causal-language-modeling",
    61: "when-to-use-pretrained",
    62: "transformer-from-scratch",
    63: "pretraining-objectives",
}
FIGURE = "attention-mask-types"
assert_in_pages = partial(cp.assert_in_pages, SECTION)

A100_BF16 = 312e12     # NVIDIA A100 dense bf16 tensor-core peak, FLOP/s
UTILISATION = 0.4      # the assumption stated on the pages


def gpt2_count(V: int, P: int = 1024, d: int = 768, L: int = 12) -> int:
    layer = 4 * (d * d + d) + (d * 4 * d + 4 * d) + (4 * d * d + d) + 2 * 2 * d
    return (V + P) * d + L * layer + 2 * d


# --------------------------------------------------------------------------- Q60


def test_q60_shift_and_packing():
    words = "the cat sat on the mat".split()
    pairs = [(words[: t + 1], words[t + 1]) for t in range(len(words) - 1)]
    assert len(pairs) == 5 and pairs[-1] == (words[:5], "mat")
    for t, (seen, label) in enumerate(pairs, start=1):
        assert_in_pages(SLUGS[60], f"| {t} | {' '.join(seen)} | {label} |")

    docs = [5, 9, 4]
    stream = sum(n + 1 for n in docs)                # an end-of-text token after each document
    blocks, left = divmod(stream, 8)
    assert (stream, blocks, left, blocks * 7) == (21, 2, 5, 14)
    assert_in_pages(SLUGS[60], "$6 + 10 + 5 = 21$", "2", "14")


def test_q60_loss_matches_cross_entropy():
    import torch
    import torch.nn.functional as F
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(vocab_size=100, n_positions=32, n_embd=32, n_layer=2, n_head=4,
                                       bos_token_id=0, eos_token_id=0))
    ids = torch.randint(1, 100, (2, 8))
    ids[1, 6:] = 0
    labels = ids.masked_fill(ids == 0, -100)
    out = model(ids, attention_mask=(ids != 0).long(), labels=labels)

    # by hand: log-softmax at positions 0..6, picked at the next token, padding ignored
    logp = torch.log_softmax(out.logits[:, :-1].double(), dim=-1)
    targets = labels[:, 1:]
    keep = targets != -100
    by_hand = -logp[keep].gather(1, targets[keep][:, None]).mean()
    manual = F.cross_entropy(out.logits[:, :-1].reshape(-1, 100), targets.reshape(-1), ignore_index=-100)
    assert int(keep.sum()) == 7 + 5 == 12
    assert abs(out.loss.item() - manual.item()) < 1e-6 and abs(by_hand.item() - manual.item()) < 1e-5
    shown = [f"{out.loss.item():.4f}", f"{math.log(100):.4f}", f"{math.exp(manual.item()):.1f}"]
    assert shown == ["4.5984", "4.6052", "99.3"]
    assert_in_pages(SLUGS[60], *shown, "$7 + 5 = 12$", "$\\ln 100 = 4.6052$")


# --------------------------------------------------------------------------- Q61


def test_q61_compute_saved_by_a_checkpoint():
    import torch
    from transformers import RobertaConfig, RobertaModel

    with torch.device("meta"):
        roberta = RobertaModel(RobertaConfig(vocab_size=50265, max_position_embeddings=514, type_vocab_size=1))
    N = cp.n_params(roberta)
    assert N == 124645632
    d_pre, d_ft = 500000 * 8192 * 512, 3 * 10000 * 128
    assert (d_pre, d_ft, round(d_pre / d_ft)) == (2097152000000, 3840000, 546133)
    c_pre, c_ft = 6 * N * d_pre, 6 * N * d_ft
    assert (f"{c_pre:.3g}", f"{c_ft:.3g}") == ("1.57e+21", "2.87e+15")
    hours = c_pre / (A100_BF16 * UTILISATION) / 3600
    seconds = c_ft / (A100_BF16 * UTILISATION)
    assert (round(hours), round(seconds)) == (3491, 23)
    assert_in_pages(SLUGS[61], *(fmt_math(n) for n in (124645632, 2097152000000, 3840000, 546133, 500000, 10000)),
                    "1.57 \\times 10^{21}", "2.87 \\times 10^{15}", "3491", "23", "312", "40%", 10000)


# --------------------------------------------------------------------------- Q62


def test_q62_sizing_a_model():
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    with torch.device("meta"):
        ours = GPT2LMHeadModel(GPT2Config(vocab_size=32000, n_positions=1024, n_embd=768, n_layer=12, n_head=12))
        gpt2 = GPT2LMHeadModel(GPT2Config())
    N = cp.n_params(ours)
    assert N == gpt2_count(32000) == 110418432
    assert cp.n_params(gpt2) == gpt2_count(50257) == 124439808
    assert 124439808 - N == (50257 - 32000) * 768 == 14021376
    D = 20 * N
    C = 6 * N * D
    hours = C / (A100_BF16 * UTILISATION) / 3600
    assert (D, f"{C:.3g}", f"{hours:.1f}", f"{D / 1e9:.1f}") == (2208368640, "1.46e+18", "3.3", "2.2")
    long_run = 300 * N
    assert long_run == 33125529600 and 300 // 20 == 15
    assert round(6 * N * long_run / (A100_BF16 * UTILISATION) / 3600) == 49
    assert round(2e12 / 7e9) == 286                     # Llama 2 7B: 2 trillion tokens
    assert_in_pages(SLUGS[62], 32000, 50257, 124439808, 14021376, 33125529600, "49", "286", "3.3", "2.2",
                    *(fmt_math(n) for n in (110418432, 2208368640)), "1.46 \\times 10^{18}")


# --------------------------------------------------------------------------- Q63


MODELS = {
    "BERT": "[Devlin et al., 2019](https://arxiv.org/abs/1810.04805)",
    "RoBERTa": "[Liu et al., 2019](https://arxiv.org/abs/1907.11692)",
    "GPT": "[Radford et al., 2018](https://cdn.openai.com/research-covers/language-unsupervised/language_understanding_paper.pdf)",
    "T5": "[Raffel et al., 2020](https://arxiv.org/abs/1910.10683)",
    "BART": "[Lewis et al., 2020](https://arxiv.org/abs/1910.13461)",
    "ELECTRA": "[Clark et al., 2020](https://arxiv.org/abs/2003.10555)",
    "XLNet": "[Yang et al., 2019](https://arxiv.org/abs/1906.08237)",
}


def test_q63_comparison_table_cites_every_row():
    for lang in LANGS:
        text = cp.read_page(SECTION, SLUGS[63], lang)
        for model, citation in MODELS.items():
            rows = [line for line in text.splitlines() if line.startswith(f"| {model} |")]
            assert len(rows) == 1, (lang, model)
            cells = [c.strip() for c in rows[0].strip("|").split("|")]
            assert len(cells) == 5 and all(cells), (lang, model, cells)   # objective, architecture, uses, source
            assert cells[-1] == citation, (lang, model)


def test_q63_objectives_on_one_sentence():
    import torch

    words = "the chef cooked a delicious meal for the guests".split()
    n = len(words)
    # masked LM and span corruption / infilling on positions 2-3 and 6-7
    mlm = [("[MASK]" if i in (2, 5) else w) for i, w in enumerate(words)]
    spans = [(2, 4), (6, 8)]
    t5_in, t5_out, prev = [], [], 0
    for k, (s, e) in enumerate(spans):
        t5_in += words[prev:s] + [f"<{'XYZ'[k]}>"]
        t5_out += [f"<{'XYZ'[k]}>"] + words[s:e]
        prev = e
    t5_in += words[prev:]
    t5_out += ["<Z>"]
    assert " ".join(mlm) == "the chef [MASK] a delicious [MASK] for the guests"
    assert " ".join(t5_in) == "the chef <X> delicious meal <Y> guests"
    assert " ".join(t5_out) == "<X> cooked a <Y> for the <Z>" and len(t5_out) == 4 + 3
    assert_in_pages(SLUGS[63], "| the chef [MASK] a delicious [MASK] for the guests | cooked, meal | 2 |",
                    "the chef `<X>` delicious meal `<Y>` guests", "`<X>` cooked a `<Y>` for the `<Z>`",
                    "the chef `<mask>` delicious meal `<mask>` guests", "| 8 |", "| 9 |", "| 6 |")

    # ELECTRA labels: a sampled token equal to the original counts as original
    corrupted = words.copy()
    corrupted[2], corrupted[5] = "ate", "meal"
    assert [int(c != w) for c, w in zip(corrupted, words)] == [0, 0, 1, 0, 0, 0, 0, 0, 0]

    # XLNet: the permutation as a mask; predicting "meal" (position 5) uses everything earlier in the order
    order = [4, 2, 0, 6, 8, 1, 3, 5, 7]
    earlier = order[: order.index(5)]
    context = [words[j] for j in sorted(earlier)]
    assert context == ["the", "chef", "cooked", "a", "delicious", "for", "guests"]
    assert_in_pages(SLUGS[63], "4 2 0 6 8 1 3 5 7",
                    ", ".join(context))
    rank = torch.empty(n, dtype=torch.long)
    rank[torch.tensor(order)] = torch.arange(n)
    xlnet = rank[None, :] < rank[:, None]
    assert int(xlnet.sum()) == n * (n - 1) // 2 == 36

    # prefix LM with a 3-token prefix: causal plus the prefix looking to its right
    prefix = torch.tril(torch.ones(n, n, dtype=torch.bool))
    prefix[:, :3] = True
    assert (int(prefix.sum()), n * (n + 1) // 2) == (48, 45) and 48 - 45 == 3
    assert_in_pages(SLUGS[63], "36", "48", "45")


def test_q63_targets_per_sequence():
    L = 512
    masked = round(0.15 * L)
    spans = round(masked / 3)
    targets = {"clm": L - 1, "mlm": masked, "electra": L, "t5": masked + spans + 1, "prefix": L // 2}
    assert targets == {"clm": 511, "mlm": 77, "electra": 512, "t5": 104, "prefix": 256}
    assert_in_pages(SLUGS[63], "511", "77", "512", "$77 + 26 + 1 = 104$", "256")


def test_q63_figure_masks():
    import torch

    fig = cp.load_figure(FIGURE)
    n, split = fig.N, fig.SPLIT
    tril = torch.tril(torch.ones(n, n, dtype=torch.bool))
    prefix = tril.clone()
    prefix[:split, :split] = True
    encdec = torch.zeros(n, n, dtype=torch.bool)
    encdec[:split, :split] = True
    encdec[split:, :split] = True
    encdec[split:, split:] = torch.tril(torch.ones(n - split, n - split, dtype=torch.bool))
    assert (torch.from_numpy(fig.causal_mask()) == tril).all()
    assert (torch.from_numpy(fig.prefix_lm_mask()) == prefix).all()
    assert (torch.from_numpy(fig.encoder_decoder_mask()) == encdec).all()
    assert fig.visible_counts() == {"encoder": 36, "decoder": 21, "encdec": 24, "prefix": 24}
    cp.assert_figure_used(SECTION, FIGURE, [SLUGS[63]])
    cp.assert_figure_used(DOCS / "transformers" / "model-types", FIGURE, ["bert-gpt-t5"])
