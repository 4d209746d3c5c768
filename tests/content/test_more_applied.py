"""Reference computations for the "Applied" section of "More interview questions" (e20–e25):
every number of the worked examples, recomputed with gensim, transformers, seqeval, scikit-learn,
nltk and peft (tiny models built from their configs, nothing downloaded), found on both language
versions of the page."""
from __future__ import annotations

import ast
import dataclasses
import itertools
import json
import math
import os
import re
import subprocess
import sys
import warnings
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

np = cp.lazy("numpy")
torch = cp.lazy("torch")

SECTION = DOCS / "more-questions" / "applied"
SLUGS = {
    "e20": "gensim-vs-transformers",
    "e21": "semantic-analysis",
    "e22": "embedding-model-vs-llm",
    "e23": "named-entity-recognition",
    "e24": "lora-checkpoints",
    "e25": "peft-lora-config",
}

page = partial(cp.read_page, SECTION)
assert_in_pages = partial(cp.assert_in_pages, SECTION)
assert_in_page = partial(cp.assert_in_page, SECTION)
assert_in_each_page = partial(cp.assert_in_each_page, SECTION)

# the tiny Llama of question 91 (lora.md), reused by e24 and e25
TINY_LLAMA = dict(vocab_size=1000, hidden_size=64, intermediate_size=176, num_hidden_layers=2,
                  num_attention_heads=4, num_key_value_heads=4)


def tiny_llama(cls_name: str = "LlamaForCausalLM", **extra):
    import transformers

    torch.manual_seed(0)
    return getattr(transformers, cls_name)(transformers.LlamaConfig(**TINY_LLAMA, **extra)).eval()


def lora_params(d_in: int, d_out: int, r: int) -> int:
    return r * (d_in + d_out)


# --------------------------------------------------------------------------- e20

E20_CORPUS = [s.split() for s in (
    "i sat on the river bank and watched the water",
    "the bank approved my loan and kept my money",
    "we walked along the river to the old bridge",
    "she put her money in a savings account at the bank",
)] * 20

E20_TRAIN = """
import json, sys, zlib
from gensim.models import Word2Vec
corpus = [s.split() for s in (
    "i sat on the river bank and watched the water",
    "the bank approved my loan and kept my money",
    "we walked along the river to the old bridge",
    "she put her money in a savings account at the bank",
)] * 20
out = {}
for name, extra in (("crc32", {"hashfxn": lambda t: zlib.crc32(t.encode("utf-8"))}), ("builtin", {})):
    w2v = Word2Vec(corpus, vector_size=8, window=2, min_count=1, sg=1, epochs=20, seed=42, workers=1, **extra)
    out[name] = w2v.wv["bank"].tolist()
print(json.dumps(out))
"""


def test_e20_gensim_static_vector_is_deterministic():
    import inspect

    from gensim.models import Word2Vec, keyedvectors

    w2v = Word2Vec(E20_CORPUS, vector_size=8, window=2, min_count=1, sg=1, epochs=20, seed=42, workers=1)
    vocab = {w for s in E20_CORPUS for w in s}
    assert (len(E20_CORPUS), len(vocab)) == (80, 28)
    assert w2v.wv.vectors.shape == (len(vocab), 8)
    stored = w2v.wv.vectors.size + w2v.syn1neg.size
    assert stored == 2 * 28 * 8 == 448
    bank = [f3(x) for x in w2v.wv["bank"]]
    assert bank == ["-0.109", "-0.156", "0.537", "0.158", "0.268", "0.175", "-0.096", "0.277"]

    # the same numbers in other processes with other hash seeds, with and without hashfxn
    for seed in ("12345",):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        res = subprocess.run([sys.executable, "-c", E20_TRAIN], env=env, capture_output=True, text=True, check=True)
        other = json.loads(res.stdout.strip().splitlines()[-1])
        assert other["crc32"] == w2v.wv["bank"].tolist() == other["builtin"]

    # why: gensim 4.4 initialises the whole matrix from default_rng(seed); hashfxn only feeds seeded_vector
    assert "default_rng(seed=seed)" in inspect.getsource(keyedvectors.prep_vectors)
    assert "hashfxn" not in inspect.getsource(Word2Vec.init_weights)
    assert "hashfxn" in inspect.getsource(Word2Vec.seeded_vector)
    assert "PYTHONHASHSEED" in inspect.getdoc(Word2Vec.__init__)   # the outdated docstring the page mentions

    defaults = {k: v.default for k, v in inspect.signature(Word2Vec.__init__).parameters.items()}
    assert {k: defaults[k] for k in ("vector_size", "window", "min_count", "sg", "negative", "epochs")} == \
        dict(vector_size=100, window=5, min_count=5, sg=0, negative=5, epochs=5)
    assert defaults["workers"] > 1   # several threads by default: not reproducible

    assert_in_pages(SLUGS["e20"], "(28, 8)", "$2 \\cdot 28 \\cdot 8$", 448, 80, 28, 20,
                    "(" + ", ".join(bank) + ")", " ".join(bank),
                    "Word2Vec(sentences, vector_size=100, window=5, min_count=5, sg=0, negative=5, epochs=5)",
                    "`default_rng(seed)`", "`seeded_vector`", "`PYTHONHASHSEED`", "`hashfxn`", "`workers=1`",
                    "workers=1)\nprint(")   # the page's code passes no hashfxn: gensim 4.4 does not need one


def test_e20_unknown_words_in_subword_tokenizers():
    """The table's claim: WordPiece maps a word it cannot cover to [UNK], byte-level BPE never does."""
    from tokenizers import Tokenizer, models, pre_tokenizers

    vocab = ["[UNK]", "the", "bank", "##s", "b", "##a", "##n", "##k"]
    wordpiece = Tokenizer(models.WordPiece({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]"))
    wordpiece.pre_tokenizer = pre_tokenizers.Whitespace()
    assert wordpiece.encode("the banks").tokens == ["the", "bank", "##s"]
    assert wordpiece.encode("the bänk").tokens == ["the", "[UNK]"]          # one unseen character: whole word lost
    alphabet = sorted(pre_tokenizers.ByteLevel.alphabet())
    assert len(alphabet) == 256
    byte_bpe = Tokenizer(models.BPE(vocab={c: i for i, c in enumerate(alphabet)}, merges=[], unk_token=None))
    byte_bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    pieces = byte_bpe.encode("the bänk 🙂").tokens
    assert pieces and set(pieces) <= set(alphabet)                          # any string: bytes, never unknown
    assert_in_pages(SLUGS["e20"], "`[UNK]`", "byte-level BPE (GPT-2)")


def test_e20_bert_contextual_vectors():
    import transformers
    from gensim.models import Word2Vec

    w2v = Word2Vec(E20_CORPUS, vector_size=8, window=2, min_count=1, sg=1, epochs=20, seed=42, workers=1)
    vocab = {w: i for i, w in enumerate(["[PAD]", "[CLS]", "[SEP]", *w2v.wv.index_to_key])}
    V, H, I, P = len(vocab), 16, 32, 16
    torch.manual_seed(0)
    bert = transformers.BertModel(transformers.BertConfig(
        vocab_size=V, hidden_size=H, num_hidden_layers=2, num_attention_heads=2,
        intermediate_size=I, max_position_embeddings=P)).eval()

    # parameter count by hand: embeddings, 2 layers, pooler
    emb = V * H + P * H + 2 * H + 2 * H
    layer = 3 * (H * H + H) + (H * H + H) + 2 * H + (H * I + I) + (I * H + H) + 2 * H
    own = emb + 2 * layer + (H * H + H)
    assert own == sum(p.numel() for p in bert.parameters()) == 5536

    def vector_of(word, sentence):
        ids = torch.tensor([[vocab[w] for w in ["[CLS]", *sentence, "[SEP]"]]])
        with torch.no_grad():
            return bert(input_ids=ids).last_hidden_state[0, 1 + sentence.index(word)], ids

    (h1, ids1), (h2, ids2) = vector_of("bank", E20_CORPUS[0]), vector_of("bank", E20_CORPUS[1])
    cos = torch.nn.functional.cosine_similarity(h1, h2, dim=0).item()
    own_cos = float(h1 @ h2 / (h1.norm() * h2.norm()))
    assert cos == pytest.approx(own_cos, abs=1e-6) and f3(cos) == "0.726"
    assert tuple(h1.shape) == (16,)
    # the input embedding row of "bank" is one and the same table row in both sentences
    table = bert.embeddings.word_embeddings.weight
    assert torch.equal(table[ids1[0, 1 + E20_CORPUS[0].index("bank")]], table[ids2[0, 1 + E20_CORPUS[1].index("bank")]])
    # transformers 5 is PyTorch only
    assert not hasattr(transformers, "TFBertModel") and not hasattr(transformers, "FlaxBertModel")
    assert transformers.__version__.startswith("5.")
    assert_in_pages(SLUGS["e20"], "0.726", 5536, "hidden_size=16", "`BertConfig`")


# --------------------------------------------------------------------------- e21

E21_SENSES = {
    "bank.n.01": "sloping land (especially the slope beside a body of water)",
    "bank.n.02": "a financial institution that accepts deposits and channels the money into lending activities",
}
E21_CONTEXTS = {
    "he went to the bank to deposit his money": ({"bank.n.01": 0, "bank.n.02": 1}, {"bank.n.01": 0, "bank.n.02": 2}),
    "we sat on the grassy bank and watched the water": ({"bank.n.01": 1, "bank.n.02": 0}, {"bank.n.01": 1, "bank.n.02": 0}),
    "they fished from the bank of the river": ({"bank.n.01": 0, "bank.n.02": 0}, {"bank.n.01": 0, "bank.n.02": 0}),
}


def test_e21_simplified_lesk():
    from nltk.stem import PorterStemmer
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    stem = PorterStemmer().stem

    def words(text, stemming):
        found = [w for w in re.findall(r"[a-z]+", text.lower()) if w not in ENGLISH_STOP_WORDS]
        return [stem(w) if stemming else w for w in found]

    for context, expected in E21_CONTEXTS.items():
        for stemming, want in zip((False, True), expected):
            own = {s: len(set(words(context, stemming)) & set(words(g, stemming))) for s, g in E21_SENSES.items()}
            # reference: binary bag-of-words vectors from scikit-learn, overlap = dot product
            vec = CountVectorizer(analyzer=partial(words, stemming=stemming), binary=True)
            X = vec.fit_transform([context, *E21_SENSES.values()]).toarray()
            ref = {s: int(X[0] @ X[i + 1]) for i, s in enumerate(E21_SENSES)}
            assert own == ref == want, (context, stemming)
    assert set(words("he went to the bank to deposit his money", True)) & set(words(E21_SENSES["bank.n.02"], True)) \
        == {"deposit", "money"}
    for lang in LANGS:
        text = page(SLUGS["e21"], lang)
        for gloss in E21_SENSES.values():
            assert gloss in text
        for row in ("| 0 | 1 (money) | bank.n.02 |", "| 0 | 2 (deposit, money) | bank.n.02 |",
                    "| 1 (water) | 0 | bank.n.01 |"):
            assert row in text, (lang, row)
    assert_in_pages(SLUGS["e21"], "2024")


# --------------------------------------------------------------------------- e22


def test_e22_interfaces_of_encoder_and_decoder():
    import transformers

    torch.manual_seed(0)
    encoder = transformers.BertModel(transformers.BertConfig(
        vocab_size=100, hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)).eval()
    decoder = transformers.LlamaForCausalLM(transformers.LlamaConfig(
        vocab_size=100, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=4)).eval()
    ids = torch.tensor([[5, 6, 7, 8, 9, 10], [11, 12, 13, 0, 0, 0]])
    mask = (ids != 0).long()
    with torch.no_grad():
        tokens = encoder(input_ids=ids, attention_mask=mask).last_hidden_state
        out = decoder(input_ids=ids, attention_mask=mask, output_hidden_states=True)
        new = decoder.generate(ids[:1], attention_mask=mask[:1], max_new_tokens=3, do_sample=False, pad_token_id=0)
    mean = (tokens * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
    assert torch.allclose(mean[1], tokens[1, :3].mean(0), atol=1e-6)       # the masked mean = mean of 3 real tokens
    assert not torch.allclose(mean[1], tokens[1].mean(0))
    last = mask.sum(1) - 1
    llm_vec = out.hidden_states[-1][torch.arange(2), last]
    assert not torch.allclose(llm_vec[1], out.hidden_states[-1][1, -1])    # position -1 is a pad
    shapes = [tuple(tokens.shape), tuple(mean.shape), tuple(out.logits.shape), tuple(new.shape), tuple(llm_vec.shape)]
    assert shapes == [(2, 6, 32), (2, 32), (2, 6, 100), (1, 9), (2, 64)] and last.tolist() == [5, 2]
    assert_in_pages(SLUGS["e22"], *(str(s) for s in shapes), "[5, 2]")
    assert_in_each_page(SLUGS["e22"], {"en": ["positions 5 and 2", "6-token prompt into 9 tokens"],
                                       "ru": ["позиции 5 и 2", "промпт из 6 токенов в текст из 9 токенов"]})


def test_e22_index_sizes_and_pair_counts():
    n_docs = 1_000_000
    rows = {
        ("1024", "float32"): np.zeros(1024, np.float32).nbytes,
        ("1024", "float16"): np.zeros(1024, np.float16).nbytes,
        ("1024", "int8"): np.zeros(1024, np.int8).nbytes,
        ("1024", "binary"): np.packbits(np.zeros(1024, bool)).nbytes,
        ("4096", "float32"): np.zeros(4096, np.float32).nbytes,
        ("256", "float32"): np.zeros(1024, np.float32)[:256].nbytes,
    }
    by_hand = {("1024", "float32"): 1024 * 4, ("1024", "float16"): 1024 * 2, ("1024", "int8"): 1024,
               ("1024", "binary"): 1024 // 8, ("4096", "float32"): 4096 * 4, ("256", "float32"): 256 * 4}
    assert rows == by_hand
    unit = {"en": "GB", "ru": "ГБ"}
    for lang in LANGS:
        text = page(SLUGS["e22"], lang)
        for nbytes in rows.values():
            assert f"| {fmt_int(nbytes, lang)} | {nbytes * n_docs / 1e9:.3f} {unit[lang]} |" in text, (lang, nbytes)
    pairs = 10_000 * 9_999 // 2
    assert pairs == math.comb(10_000, 2) == 49_995_000
    assert_in_pages(SLUGS["e22"], n_docs, 10_000, fmt_math(pairs), "$10\\,000 \\cdot 9999 / 2",
                    "69.32", "70.58", "560M")
    assert_in_each_page(SLUGS["e22"], {"en": ["about 65 hours", "about 5 seconds"],
                                       "ru": ["около 65 часов", "около 5 секунд"]})


def test_e22_bert_and_roberta_sizes():
    """The pitfall's "encoders of 110M–355M parameters": BERT-base and RoBERTa-large built on the meta device."""
    import transformers

    with torch.device("meta"):
        bert_base = transformers.BertModel(transformers.BertConfig())
        roberta_large = transformers.RobertaModel(transformers.RobertaConfig(
            vocab_size=50265, hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
            intermediate_size=4096, max_position_embeddings=514, type_vocab_size=1))
    sizes = [sum(p.numel() for p in m.parameters()) for m in (bert_base, roberta_large)]
    assert sizes == [109_482_240, 355_359_744]
    assert [round(s / 1e6) for s in sizes] == [109, 355]   # "110M" is the paper's rounding of BERT-base
    assert_in_pages(SLUGS["e22"], "110M–355M")


# --------------------------------------------------------------------------- e23

E23_GOLD = [["B-PER", "I-PER", "O", "B-ORG", "I-ORG", "O", "B-LOC", "O"],
            ["B-PER", "O", "O", "B-LOC", "O", "B-LOC", "I-LOC", "O"]]
E23_PRED = [["B-PER", "I-PER", "O", "B-ORG", "O", "O", "B-LOC", "O"],
            ["I-PER", "O", "O", "B-ORG", "O", "B-LOC", "I-LOC", "O"]]


def own_entities(sentences, lenient: bool) -> set:
    """(sentence, type, start, end) spans from BIO tags; lenient = conlleval (an I- may start an entity)."""
    spans = set()
    for k, tags in enumerate(sentences):
        start, label = None, None
        for i, tag in enumerate([*tags, "O"]):
            prefix, _, typ = tag.partition("-")
            continues = prefix == "I" and typ == label and start is not None
            if start is not None and not continues:
                spans.add((k, label, start, i - 1))
                start, label = None, None
            if prefix == "B" or (prefix == "I" and not continues and lenient):
                start, label = i, typ
    return spans


def prf(gold: set, pred: set):
    tp = len(gold & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bio_to_bioes(tags):
    out = []
    for i, tag in enumerate(tags):
        if tag == "O":
            out.append(tag)
            continue
        prefix, label = tag.split("-", 1)
        last = i + 1 == len(tags) or tags[i + 1] != f"I-{label}"
        out.append({"B": "S-" if last else "B-", "I": "E-" if last else "I-"}[prefix] + label)
    return out


def test_e23_entity_metrics_match_seqeval():
    from seqeval.metrics import accuracy_score, classification_report, f1_score
    from seqeval.scheme import IOB2

    flat = lambda s: [t for x in s for t in x]  # noqa: E731
    acc = sum(g == p for g, p in zip(flat(E23_GOLD), flat(E23_PRED))) / 16
    assert acc == accuracy_score(E23_GOLD, E23_PRED) == 0.8125
    all_o = [["O"] * len(s) for s in E23_GOLD]
    assert accuracy_score(E23_GOLD, all_o) == 7 / 16 == 0.4375
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert f1_score(E23_GOLD, all_o) == 0

    gold = own_entities(E23_GOLD, lenient=False)
    assert len(gold) == 6 and own_entities(E23_GOLD, lenient=True) == gold
    rows = {}
    for mode, lenient, kwargs in (("conlleval", True, {}), ("strict", False, {"mode": "strict", "scheme": IOB2})):
        pred = own_entities(E23_PRED, lenient)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ref = classification_report(E23_GOLD, E23_PRED, output_dict=True, **kwargs)
        own = {t: prf({e for e in gold if e[1] == t}, {e for e in pred if e[1] == t}) for t in ("PER", "ORG", "LOC")}
        own["micro"] = prf(gold, pred)
        own["macro"] = tuple(sum(own[t][j] for t in ("PER", "ORG", "LOC")) / 3 for j in range(3))
        for key, name in (("PER", "PER"), ("ORG", "ORG"), ("LOC", "LOC"), ("micro", "micro avg"), ("macro", "macro avg")):
            r = ref[name]
            assert own[key] == pytest.approx((r["precision"], r["recall"], r["f1-score"])), (mode, key)
        rows[mode] = own
        assert len(pred & gold) == {"conlleval": 4, "strict": 3}[mode]
        assert len(pred) == {"conlleval": 6, "strict": 5}[mode]
    assert f3(rows["conlleval"]["micro"][2]) == "0.667" and f3(rows["strict"]["micro"][2]) == "0.545"
    assert f3(f1_score(E23_GOLD, E23_PRED, mode="strict", scheme=IOB2)) == "0.545"
    for key in ("PER", "ORG", "LOC", "micro", "macro"):
        cells = " | ".join(f3(x) for x in (*rows["conlleval"][key], *rows["strict"][key]))
        assert_in_pages(SLUGS["e23"], f"| {key} | {cells} |")
    assert_in_pages(SLUGS["e23"], "0.8125", "7/16 = 0.4375", "13", "16")

    # the explanation's illustration of the two modes: conlleval repairs, strict drops
    from seqeval.metrics.sequence_labeling import get_entities
    from seqeval.scheme import Entities
    tags = ["B-PER", "I-LOC", "O", "I-ORG", "I-ORG"]
    assert [t for t, _, _ in get_entities(tags)] == ["PER", "LOC", "ORG"]
    assert [e.to_tuple() for s in Entities([tags], IOB2).entities for e in s] == [(0, "PER", 0, 1)]
    assert_in_pages(SLUGS["e23"], "`B-PER I-LOC O I-ORG I-ORG`", "`B-PER`.")
    assert_in_each_page(SLUGS["e23"], {"en": ["finds PER, LOC and ORG"], "ru": ["найдёт PER, LOC и ORG"]})


def test_e23_bioes_crf_and_spans():
    from seqeval.scheme import IOB2, IOBES, Entities

    bioes = [bio_to_bioes(s) for s in E23_GOLD]
    assert bioes == [["B-PER", "E-PER", "O", "B-ORG", "E-ORG", "O", "S-LOC", "O"],
                     ["S-PER", "O", "O", "S-LOC", "O", "B-LOC", "E-LOC", "O"]]
    spans = lambda tags, scheme: {e.to_tuple() for s in Entities(tags, scheme).entities for e in s}  # noqa: E731
    assert spans(E23_GOLD, IOB2) == spans(bioes, IOBES)
    assert len(spans(E23_GOLD, IOB2)) == 6
    assert {(k, t, s, e) for k, t, s, e in ((x[0], x[1], x[2], x[3] - 1) for x in spans(E23_GOLD, IOB2))} \
        == own_entities(E23_GOLD, lenient=False)
    assert_in_pages(SLUGS["e23"], "['S-PER', 'O', 'O', 'S-LOC', 'O', 'B-LOC', 'E-LOC', 'O']",
                    "| BIOES | B-PER | E-PER | O | B-ORG | E-ORG | O | S-LOC | O |")

    # CRF decoding on a toy: brute force over all K^n sequences vs Viterbi
    tags = ["O", "B-PER", "I-PER"]
    emit = [[0.1, 1.0, 1.2], [2.0, 0.1, 0.5]]
    forbidden = {("<s>", "I-PER"), ("O", "I-PER")}
    trans = lambda a, b: -math.inf if (a, b) in forbidden else 0.0  # noqa: E731

    def score(seq):
        prev, total = "<s>", 0.0
        for i, t in enumerate(seq):
            total += trans(prev, t) + emit[i][tags.index(t)]
            prev = t
        return total

    seqs = list(itertools.product(tags, repeat=2))
    assert len(seqs) == 3 ** 2 == 9
    brute = max(seqs, key=score)
    # Viterbi
    best = {t: (trans("<s>", t) + emit[0][j], (t,)) for j, t in enumerate(tags)}
    for i in range(1, 2):
        best = {t: max(((s + trans(p, t) + emit[i][j], path + (t,)) for p, (s, path) in best.items()),
                       key=lambda x: x[0]) for j, t in enumerate(tags)}
    vit_score, vit_path = max(best.values(), key=lambda x: x[0])
    greedy = tuple(tags[max(range(3), key=lambda j: e[j])] for e in emit)
    assert brute == vit_path == ("B-PER", "O") and score(brute) == vit_score == pytest.approx(3.0)
    assert greedy == ("I-PER", "O") and sum(max(e) for e in emit) == pytest.approx(3.2)
    assert score(greedy) == -math.inf
    assert_in_pages(SLUGS["e23"], "$1.2 + 2.0 = 3.2$", "$3^2 = 9$", "3.0", "0.1, 1.0, 1.2", "2.0, 0.1, 0.5")

    # span enumeration
    n, L = 8, 3
    assert sum(n - l + 1 for l in range(1, L + 1)) == n * L - L * (L - 1) // 2 == 21
    assert len([(i, j) for i in range(n) for j in range(i, n)]) == n * (n + 1) // 2 == 36
    assert_in_pages(SLUGS["e23"], "$8 + 7 + 6$", "21", "36", "90.10", "90.94", "92.8")


# --------------------------------------------------------------------------- e24


@pytest.fixture(scope="module")
def saved_adapter(tmp_path_factory):
    from peft import LoraConfig, get_peft_model

    folder = tmp_path_factory.mktemp("adapter")
    model = get_peft_model(tiny_llama(), LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"]))
    memory_keys = [k for k in model.state_dict() if "lora_" in k]
    model.save_pretrained(folder)
    return folder, memory_keys


def test_e24_adapter_folder_matches_peft(saved_adapter):
    from safetensors.torch import load_file

    folder, memory_keys = saved_adapter
    files = sorted(os.listdir(folder))
    assert files == ["README.md", "adapter_config.json", "adapter_model.safetensors"]
    weights = load_file(folder / "adapter_model.safetensors")
    key = re.compile(r"base_model\.model\.model\.layers\.[01]\.self_attn\.([qv])_proj\.lora_([AB])\.weight")
    assert len(weights) == 2 * 2 * 2 == 8 and all(key.fullmatch(k) for k in weights)
    for k, w in weights.items():
        assert tuple(w.shape) == ((8, 64) if ".lora_A." in k else (64, 8)) and w.dtype == torch.float32
    # in memory the adapter name is part of the key; the file drops it
    assert all(".default." in k for k in memory_keys)
    assert sorted(k.replace(".default", "") for k in memory_keys) == sorted(weights)
    n = sum(w.numel() for w in weights.values())
    assert n == 2 * 2 * lora_params(64, 64, 8) == 8 * 8 * 64 == 4096
    size = os.path.getsize(folder / "adapter_model.safetensors")
    assert n * 4 == 16384 and size == 17416
    base = sum(p.numel() for p in tiny_llama().parameters())
    assert base == 228672 and base * 4 == 914688
    config = json.loads((folder / "adapter_config.json").read_text())
    assert (config["r"], config["lora_alpha"], sorted(config["target_modules"])) == (8, 16, ["q_proj", "v_proj"])
    assert config["peft_type"] == "LORA" and config["inference_mode"] is True
    for field in ("use_rslora", "modules_to_save", "base_model_name_or_path", "revision", "peft_version"):
        assert field in config
    # LLaMA-7B, r = 16 on all linear layers (question 91): adapter bytes in bf16 vs the 16-bit base
    lora_7b = 32 * 16 * (4 * 8192 + 3 * 15104)
    assert lora_7b == 39976960 and lora_7b * 2 == 79953920
    assert f"{6738415616 * 2 / 1e9:.2f}" == "13.48"
    assert_in_pages(SLUGS["e24"], lora_7b, lora_7b * 2, "13.48", 228672, 914688, 16384, 17416, "(8, 64)", "(64, 8)",
                    "$8 \\cdot 8 \\cdot 64 = 4096$", "`base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight`",
                    "`…q_proj.lora_A.default.weight`", "`README.md`, `adapter_config.json`, `adapter_model.safetensors`")


def test_e24_loading_switching_merging(tmp_path):
    from peft import LoraConfig, PeftModel, get_peft_model

    folders = {}
    for name, seed in (("task_a", 1), ("task_b", 2)):
        base = tiny_llama()
        torch.manual_seed(seed)
        lora = LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
        folders[name] = tmp_path / name
        get_peft_model(base, lora).save_pretrained(folders[name])

    trainable = lambda m: sum(p.numel() for p in m.parameters() if p.requires_grad)  # noqa: E731
    assert trainable(PeftModel.from_pretrained(tiny_llama(), folders["task_a"], is_trainable=True)) == 4096
    x = torch.tensor([[1, 2, 3, 4, 5]])
    model = PeftModel.from_pretrained(tiny_llama(), folders["task_a"], adapter_name="task_a")
    model.load_adapter(folders["task_b"], adapter_name="task_b")
    assert (list(model.peft_config), model.active_adapters, trainable(model)) == (["task_a", "task_b"], ["task_a"], 0)
    with torch.no_grad():
        y_a = model(x).logits
        model.set_adapter("task_b")                         # without inference_mode it unfreezes task_b
        assert trainable(model) == 4096
        model.set_adapter("task_b", inference_mode=True)
        assert trainable(model) == 0
        y_b = model(x).logits
        with model.disable_adapter():
            y_base = model(x).logits
        assert torch.allclose(y_base, tiny_llama()(x).logits) and not torch.allclose(y_a, y_b)
    q = model.base_model.model.model.layers[0].self_attn.q_proj
    assert q.scaling["task_b"] == 16 / 8 == 2.0
    W0, A, B = q.base_layer.weight.detach().clone(), q.lora_A["task_b"].weight.detach(), q.lora_B["task_b"].weight.detach()
    merged = model.merge_and_unload()
    assert type(merged).__name__ == "LlamaForCausalLM"
    assert isinstance(merged.model.layers[0].self_attn.q_proj, torch.nn.Linear)
    assert torch.allclose(merged.model.layers[0].self_attn.q_proj.weight, W0 + 2.0 * B @ A, atol=1e-6)
    with torch.no_grad():
        assert torch.allclose(merged(x).logits, y_b, atol=1e-5)
    # averaging A's and B's separately is not averaging the updates
    B1, A1 = torch.randn(4, 2), torch.randn(2, 3)
    B2, A2 = torch.randn(4, 2), torch.randn(2, 3)
    assert not torch.allclose((B1 @ A1 + B2 @ A2) / 2, (B1 + B2) @ (A1 + A2) / 4)
    assert_in_pages(SLUGS["e24"], "$W_0 + 2 \\cdot BA$", "inference_mode=True", "is_trainable=True")

    # add_weighted_adapter combines through an SVD by default; 4-bit merges re-quantise with a warning
    import inspect
    import pathlib

    import peft
    assert inspect.signature(type(model.base_model).add_weighted_adapter).parameters["combination_type"].default == "svd"
    bnb_source = (pathlib.Path(peft.__file__).parent / "tuners" / "lora" / "bnb.py").read_text()
    assert "Merge lora module to 4-bit linear may get different generations due to rounding errors." in bnb_source
    assert_in_pages(SLUGS["e24"], "`add_weighted_adapter`", "SVD", "$\\Delta W$")


def test_e24_trainer_checkpoint_contents(tmp_path):
    from peft import LoraConfig, get_peft_model
    from transformers import Trainer, TrainingArguments
    from transformers.trainer import OPTIMIZER_NAME, SCHEDULER_NAME, TRAINER_STATE_NAME, TRAINING_ARGS_NAME
    from transformers.trainer_utils import PREFIX_CHECKPOINT_DIR

    model = get_peft_model(tiny_llama(), LoraConfig(r=8, lora_alpha=16, target_modules=["q_proj", "v_proj"]))
    data = [{"input_ids": torch.arange(8), "labels": torch.arange(8)} for _ in range(2)]
    args = TrainingArguments(output_dir=str(tmp_path), max_steps=1, per_device_train_batch_size=2, save_steps=1,
                             report_to=[], use_cpu=True, logging_strategy="no", disable_tqdm=True,
                             optim="adamw_torch")
    Trainer(model=model, args=args, train_dataset=data).train()
    ckpt = tmp_path / f"{PREFIX_CHECKPOINT_DIR}-1"
    files = sorted(os.listdir(ckpt))
    assert files == sorted(["README.md", "adapter_config.json", "adapter_model.safetensors", OPTIMIZER_NAME,
                            "rng_state.pth", SCHEDULER_NAME, TRAINER_STATE_NAME, TRAINING_ARGS_NAME])
    state = torch.load(ckpt / OPTIMIZER_NAME, weights_only=False)["state"]
    moments = [v for s in state.values() for k, v in s.items() if k in ("exp_avg", "exp_avg_sq")]
    assert len(state) == 8 and len(moments) == 16 and sum(m.numel() for m in moments) == 2 * 4096 == 8192
    for name in files:
        assert f"`{name}`" in page(SLUGS["e24"], "en") and f"`{name}`" in page(SLUGS["e24"], "ru")
    assert_in_pages(SLUGS["e24"], "`checkpoint-1/`", "`exp_avg`", "`exp_avg_sq`", "16", "8192")


# --------------------------------------------------------------------------- e25

TABLE_ROW = re.compile(r"^\| `(\w+)` \| `([^`]*)` \|", re.M)


def test_e25_table_matches_loraconfig_defaults():
    import peft
    from peft import LoraConfig

    assert peft.__version__ == "0.21.2"
    fields = {f.name: f for f in dataclasses.fields(LoraConfig)}

    def default(f):
        if f.default is not dataclasses.MISSING:
            return f.default
        return f.default_factory()

    documented = {}
    for lang in LANGS:
        text = page(SLUGS["e25"], lang)
        rows = dict(TABLE_ROW.findall(text))
        assert len(rows) >= 20, lang
        for name, literal in rows.items():
            assert name in fields, (lang, name)
            assert ast.literal_eval(literal) == default(fields[name]), (lang, name, literal)
            assert type(ast.literal_eval(literal)) is type(default(fields[name])), (lang, name)
        documented[lang] = rows
        # every field of the dataclass is named somewhere on the page
        missing = [name for name in fields if f"`{name}`" not in text]
        assert not missing, (lang, missing)
    assert documented["en"] == documented["ru"]
    assert {k: documented["en"][k] for k in ("r", "lora_alpha", "lora_dropout", "bias")} == \
        {"r": "8", "lora_alpha": "8", "lora_dropout": "0.0", "bias": '"none"'}
    assert_in_pages(SLUGS["e25"], "`r=8`, `lora_alpha=8`, `lora_dropout=0.0`, `bias=\"none\"`", "peft 0.21.2")


def test_e25_worked_example_counts_and_scales():
    from peft import LoraConfig, TaskType, get_peft_model

    def summary(config, cls="LlamaForCausalLM", **extra):
        model = get_peft_model(tiny_llama(cls, **extra), config)
        block0 = model.base_model.model.model.layers[0]
        lora = {n.rsplit(".", 1)[-1]: (m.r["default"], m.scaling["default"])
                for n, m in block0.named_modules() if hasattr(m, "lora_A")}
        return model.get_nb_trainable_parameters()[0], lora

    qv = 2 * 2 * lora_params(64, 64, 8)
    three_layer = 2 * lora_params(64, 64, 8) + lora_params(64, 176, 4)
    cases = [
        (LoraConfig(), {}, qv, {"q_proj": (8, 1.0), "v_proj": (8, 1.0)}),
        (LoraConfig(lora_alpha=16), {}, qv, {"q_proj": (8, 2.0), "v_proj": (8, 2.0)}),
        (LoraConfig(lora_alpha=16, use_rslora=True), {}, qv, {"q_proj": (8, 16 / math.sqrt(8)), "v_proj": (8, 16 / math.sqrt(8))}),
    ]
    three = dict(target_modules=["q_proj", "v_proj", "up_proj"], rank_pattern={"up_proj": 4}, alpha_pattern={"up_proj": 16})
    cases += [
        (LoraConfig(**three), {}, 2 * three_layer, {"q_proj": (8, 1.0), "v_proj": (8, 1.0), "up_proj": (4, 4.0)}),
        (LoraConfig(**three, layers_to_transform=[0]), {}, three_layer, None),
        (LoraConfig(use_dora=True), {}, qv + 4 * 64, None),
        (LoraConfig(task_type=TaskType.SEQ_CLS), {"cls": "LlamaForSequenceClassification", "num_labels": 3}, qv + 3 * 64, None),
    ]
    for config, kw, want, want_lora in cases:
        cls = kw.pop("cls", "LlamaForCausalLM")
        n, lora = summary(config, cls, **kw)
        assert n == want, config
        if want_lora:
            assert lora.keys() == want_lora.keys()
            for name, (r, scale) in want_lora.items():
                assert lora[name][0] == r and lora[name][1] == pytest.approx(scale)
    assert (qv, 2 * three_layer, three_layer, qv + 4 * 64, qv + 3 * 64) == (4096, 6016, 3008, 4352, 4288)
    assert f3(16 / math.sqrt(8)) == "5.657"
    assert_in_pages(SLUGS["e25"], "$2 \\cdot 2 \\cdot 8 \\cdot (64 + 64) = 4096$", "| 4096 | 4096 | $16/8 = 2.0$ |",
                    "$16/\\sqrt 8 = 5.657$", "$2 \\cdot (2048 + 4 \\cdot (64 + 176)) = 6016$ | 6016 |",
                    "(`up_proj`: $r = 4$, $16/4 = 4.0$)", "| 3008 | 3008 | 1.0 |",
                    "$4096 + 4 \\cdot 64 = 4352$", "| 4352 | 1.0 |", "$4096 + 3 \\cdot 64 = 4288$", "| 4288 | 1.0 |")

    # the seed's rank_pattern keys match no wrapped module: ignored with a warning
    with pytest.warns(RuntimeWarning, match="did not match any targeted module"):
        _, lora = summary(LoraConfig(r=4, target_modules=["q_proj", "up_proj"], rank_pattern={"attention": 8, "mlp": 2}))
    assert {r for r, _ in lora.values()} == {4}
    # container names are not valid targets
    with pytest.raises(ValueError):
        summary(LoraConfig(target_modules=["mlp"]))
    # rsLoRA vs alpha / r: the seed's example and the follow-up
    assert (16 / math.sqrt(4), 16 / 4) == (8.0, 4.0)
    assert (16 / 64, 16 / math.sqrt(64)) == (0.25, 2.0)
    assert_in_pages(SLUGS["e25"], "$16/\\sqrt 4 = 8.0$", "$16/4 = 4.0$", "0.25", "2.0")


def test_e25_claims_about_peft_behaviour():
    import inspect

    from peft import LoraConfig, get_peft_model
    from peft.tuners.lora import layer as lora_layer
    from peft.utils.constants import TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING as DEFAULTS
    from transformers import BertConfig, BertModel, GPT2Config, GPT2LMHeadModel

    assert DEFAULTS["llama"] == ["q_proj", "v_proj"] and DEFAULTS["gpt2"] == ["c_attn"]
    assert DEFAULTS["bert"] == ["query", "value"] and DEFAULTS["t5"] == ["q", "v"]
    # a string target is a full-match regex; pattern keys are matched against the end of the module name
    from peft.utils import other
    assert "re.fullmatch(target_pattern, key)" in inspect.getsource(other.match_target_against_key)
    assert 'rf"(.*\\.)?({key})$"' in inspect.getsource(other.get_pattern_key)
    # task_type="SEQ_CLS" puts the classification heads into modules_to_save
    from peft import TaskType
    seq = get_peft_model(tiny_llama("LlamaForSequenceClassification", num_labels=3), LoraConfig(task_type=TaskType.SEQ_CLS))
    assert sorted(seq.peft_config["default"].modules_to_save) == ["classifier", "score"]
    model = get_peft_model(tiny_llama(), LoraConfig())
    assert set(model.peft_config["default"].target_modules) == {"q_proj", "v_proj"}
    # default init: A random (Kaiming), B zero; dropout only on the LoRA branch input
    q = model.base_model.model.model.layers[0].self_attn.q_proj
    assert torch.count_nonzero(q.lora_B["default"].weight) == 0 and torch.count_nonzero(q.lora_A["default"].weight) > 0
    assert "lora_B(lora_A(dropout(x))) * scaling" in inspect.getsource(lora_layer.Linear.forward)
    # all-linear: the seven projections of a Llama block, not the LM head
    names = {n.rsplit(".", 1)[-1] for n, m in get_peft_model(tiny_llama(), LoraConfig(target_modules="all-linear"))
             .named_modules() if hasattr(m, "lora_A")}
    assert names == {"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"}
    # bias="lora_only" trains the existing biases of the wrapped layers, not a bias of A or B
    torch.manual_seed(0)
    bert = BertModel(BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                intermediate_size=32))
    wrapped = get_peft_model(bert, LoraConfig(r=4, target_modules=["query", "value"], bias="lora_only"))
    biases = sorted(n for n, p in wrapped.named_parameters() if p.requires_grad and n.endswith("bias"))
    assert biases == ["base_model.model.encoder.layer.0.attention.self.query.base_layer.bias",
                      "base_model.model.encoder.layer.0.attention.self.value.base_layer.bias"]
    # bias="all": every bias of the model becomes trainable
    torch.manual_seed(0)
    bert_all = BertModel(BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                                    intermediate_size=32))
    all_biases = {n for n, _ in bert_all.named_parameters() if n.endswith("bias")}
    wrapped = get_peft_model(bert_all, LoraConfig(r=4, target_modules=["query", "value"], bias="all"))
    trained = {n.removeprefix("base_model.model.").replace(".base_layer", "")
               for n, p in wrapped.named_parameters() if p.requires_grad and n.endswith("bias")}
    assert trained == all_biases and len(trained) > 2
    # layers_to_transform needs target_modules as a list, not a regex string
    with pytest.raises(ValueError, match="layers_to_transform"):
        LoraConfig(target_modules=".*q_proj", layers_to_transform=[0])
    with pytest.raises(ValueError):   # "attention" is the BertAttention container
        get_peft_model(BertModel(BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1,
                                            num_attention_heads=2, intermediate_size=32)),
                       LoraConfig(r=4, target_modules=["attention"]))
    # GPT-2 Conv1D: peft switches fan_in_fan_out on by itself, with a warning
    gpt2 = GPT2LMHeadModel(GPT2Config(vocab_size=100, n_embd=16, n_layer=1, n_head=2, n_positions=32,
                                      bos_token_id=0, eos_token_id=0))
    with pytest.warns(UserWarning, match="fan_in_fan_out"):
        g = get_peft_model(gpt2, LoraConfig(r=4, target_modules=["c_attn"]))
    assert g.peft_config["default"].fan_in_fan_out is True
    # DoRA adds one magnitude per output feature
    dora = get_peft_model(tiny_llama(), LoraConfig(use_dora=True))
    mags = [p for n, p in dora.named_parameters() if "lora_magnitude_vector" in n]
    assert len(mags) == 4 and all(p.numel() == 64 for p in mags)
