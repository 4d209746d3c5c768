"""Reference computations for the Tokenizers section (questions 64-72): every number and every
tokenizer output of the worked examples, recomputed with Hugging Face tokenizers 0.23 and
transformers 5 (tokenizers trained here, models built from config classes; nothing is
downloaded), found on both language versions of the page.

The corpus measurements (questions 64 and 72) use tests/content/data/tokenizer-corpus.txt, a
frozen snapshot of our own prose: the "Explanation" sections of 24 Classic NLP answer pages in
English and in Russian, without code, formulas, tables or links (about 137 KB). It is frozen so
that the numbers do not move when those pages are edited. Every fifth line is held out; the
tokenizers are trained on the other lines and measured on the held-out ones. A line is Russian
when most of its letters are Cyrillic. "Tokens per word" = tokens / whitespace-separated words.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import partial
from pathlib import Path

import pytest

import content_pages as cp
from content_pages import DOCS, f3, fmt_int, fmt_math

SECTION = DOCS / "transformers" / "tokenizers"
CORPUS = Path(__file__).parent / "data" / "tokenizer-corpus.txt"
assert_in_pages = partial(cp.assert_in_pages, SECTION)

TOY = {"low": 5, "lower": 2, "newest": 6, "widest": 3}
TOY_CORPUS = [word for word, n in TOY.items() for _ in range(n)]
BPE_MERGES = ["es", "est", "lo", "low", "ew", "new", "newest", "dest", "idest", "widest", "er", "lower"]


def f2(x: float) -> str:
    return f"{x:.2f}"


def merges_of(tok) -> list[tuple[str, str]]:
    raw = json.loads(tok.to_str())["model"]["merges"]
    return [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in raw]


def train(model: str, data, vocab_size: int, **kw):
    """A tokenizer of the kind `model` trained on `data` (special tokens first in the vocab)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    if model == "bpe":  # plain BPE, Whitespace words, no end-of-word marker
        tok = Tokenizer(models.BPE(**kw))
        tok.pre_tokenizer = pre_tokenizers.Whitespace()
        trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False)
    elif model == "byte-bpe":  # GPT-2 style
        tok = Tokenizer(models.BPE())
        tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
        tok.decoder = decoders.ByteLevel()
        trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False,
                                      initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), **kw)
    elif model == "wordpiece":  # BERT style words, WordPiece trained by the library
        tok = Tokenizer(models.WordPiece(unk_token="[UNK]"))
        tok.pre_tokenizer = kw.pop("pre_tokenizer", pre_tokenizers.BertPreTokenizer())
        trainer = trainers.WordPieceTrainer(vocab_size=vocab_size, show_progress=False,
                                            special_tokens=kw.pop("special_tokens", ["[UNK]"]))
    elif model == "unigram":  # SentencePiece style: Metaspace
        tok = Tokenizer(models.Unigram())
        tok.pre_tokenizer = pre_tokenizers.Metaspace()
        trainer = trainers.UnigramTrainer(vocab_size=vocab_size, show_progress=False,
                                          special_tokens=["<unk>"], unk_token="<unk>")
    elif model == "word":
        tok = Tokenizer(models.WordLevel(unk_token="[UNK]"))
        tok.pre_tokenizer = pre_tokenizers.Whitespace()
        trainer = trainers.WordLevelTrainer(special_tokens=["[UNK]"], show_progress=False)
    elif model == "char":  # no pre-tokenizer, no merges: one token per character, spaces included
        tok = Tokenizer(models.BPE(unk_token="[UNK]"))
        trainer = trainers.BpeTrainer(vocab_size=1, special_tokens=["[UNK]"], show_progress=False)
    else:
        raise ValueError(model)
    tok.train_from_iterator(data, trainer)
    return tok


# --------------------------------------------------------------------------- the frozen corpus

CYRILLIC = re.compile("[а-яё]", re.I)
LETTER = re.compile(r"[^\W\d_]")


def is_russian(line: str) -> bool:
    letters = LETTER.findall(line)
    return sum(bool(CYRILLIC.match(c)) for c in letters) > len(letters) / 2


@pytest.fixture(scope="module")
def corpus():
    text = CORPUS.read_text(encoding="utf-8")
    lines = text.splitlines()
    train_lines = [s for i, s in enumerate(lines) if i % 5 != 4]
    held = [s for i, s in enumerate(lines) if i % 5 == 4]
    parts = {"en": [s for s in held if not is_russian(s)], "ru": [s for s in held if is_russian(s)]}
    words = {lang: sum(len(s.split()) for s in part) for lang, part in parts.items()}
    return dict(bytes=len(text.encode("utf-8")), train=train_lines, parts=parts, words=words)


def per_word(tok, corpus, unk: str | None = None):
    """Tokens per word and the share of unknown tokens (in %) on the held-out EN and RU lines."""
    out = {}
    for lang, part in corpus["parts"].items():
        encs = tok.encode_batch(part)
        n = sum(len(e.ids) for e in encs)
        unknown = sum(t == unk for e in encs for t in e.tokens) if unk else 0
        out[lang] = (n / corpus["words"][lang], 100 * unknown / n)
    return out


def test_corpus_is_small_and_split_as_described(corpus):
    assert corpus["bytes"] <= 150_000 and round(corpus["bytes"] / 1000) == 137
    assert len(corpus["train"]) == 396 and sum(len(s.split()) for s in corpus["train"]) == 11923
    assert {k: len(v) for k, v in corpus["parts"].items()} == {"en": 49, "ru": 49}
    assert corpus["words"] == {"en": 1672, "ru": 1446}
    for slug in ("tokenizer-types", "vocab-size"):
        assert_in_pages(slug, 137, 11923, 1672, 1446)


# --------------------------------------------------------------------------- Q64


def test_q64_kinds_of_tokenizers_on_the_corpus(corpus):
    slug = "tokenizer-types"
    train_lines = corpus["train"]
    # word level: vocabulary = every training word (split at spaces and punctuation)
    word = train("word", train_lines, 0)
    assert word.get_vocab_size() == 3995
    (en_tpw, en_unk), (ru_tpw, ru_unk) = per_word(word, corpus, "[UNK]").values()
    assert (f2(en_tpw), f2(ru_tpw), f"{en_unk:.1f}%", f"{ru_unk:.1f}%") == ("1.27", "1.29", "11.8%", "22.9%")
    # characters and bytes (spaces included): the library count equals len() of the text
    char = train("char", train_lines, 0)
    byte = train("byte-bpe", train_lines, 256)
    assert char.get_vocab_size() == 150 == 1 + len(set("".join(train_lines)))
    assert byte.get_vocab_size() == 256
    rows = {"char": per_word(char, corpus, "[UNK]"), "byte": per_word(byte, corpus)}
    for lang, part in corpus["parts"].items():
        assert rows["char"][lang][0] == pytest.approx(sum(map(len, part)) / corpus["words"][lang])
        assert rows["byte"][lang][0] == pytest.approx(sum(len(s.encode()) for s in part) / corpus["words"][lang])
    assert [f2(rows["char"][k][0]) for k in ("en", "ru")] == ["6.23", "6.88"]
    assert [f2(rows["char"][k][1]) for k in ("en", "ru")] == ["0.00", "0.04"]
    assert [f2(rows["byte"][k][0]) for k in ("en", "ru")] == ["6.24", "12.10"]
    # subword tokenizers with 4000 entries
    bbpe = per_word(train("byte-bpe", train_lines, 4000), corpus)
    assert [f2(bbpe[k][0]) for k in ("en", "ru")] == ["1.84", "2.20"]
    unigram_tok = train("unigram", train_lines, 4000)
    unigram = per_word(unigram_tok, corpus, "<unk>")
    assert unigram_tok.get_vocab_size() == 3937
    assert [f2(unigram[k][0]) for k in ("en", "ru")] == ["1.88", "2.26"]
    assert unigram["en"][1] == unigram["ru"][1] == 0
    # WordPiece: the ids of the ## symbols depend on hash-map order, so ties can fall differently
    # from run to run (see the pitfall of question 68); tokens per word vary by about 0.01, and the
    # page gives them to one decimal. The [UNK] count does not vary (it depends on the alphabet).
    wordpiece = per_word(train("wordpiece", train_lines, 4000), corpus, "[UNK]")
    assert abs(wordpiece["en"][0] - 1.81) < 0.03 and abs(wordpiece["ru"][0] - 2.14) < 0.03
    assert wordpiece["en"][1] == 0 and f2(wordpiece["ru"][1]) == "0.13"
    row = {
        "word": "| 3995 | 1.27 | 1.29 | 11.8% | 22.9% |",
        "char": "| 150 | 6.23 | 6.88 | 0% | 0.04% |",
        "byte": "| 256 | 6.24 | 12.10 | 0% | 0% |",
        "bbpe": "| byte-level BPE | 4000 | 1.84 | 2.20 | 0% | 0% |",
        "wordpiece": "| WordPiece | 4000 | ≈1.8 | ≈2.1 | 0% | 0.13% |",
        "unigram": "| Unigram | 3937 | 1.88 | 2.26 | 0% | 0% |",
    }
    assert_in_pages(slug, *row.values())


def test_q64_pre_tokenizers():
    from tokenizers import pre_tokenizers

    en, ru = "Tokenizers split rare words.", "Токенизатор делит редкие слова."
    assert (len(en.split()), len(en), len(en.encode())) == (4, 28, 28)
    assert (len(ru.split()), len(ru), len(ru.encode())) == (4, 31, 58)
    split = {name: [w for w, _ in pt.pre_tokenize_str(en)] for name, pt in {
        "whitespace": pre_tokenizers.Whitespace(),
        "bytelevel": pre_tokenizers.ByteLevel(add_prefix_space=False),
        "metaspace": pre_tokenizers.Metaspace()}.items()}
    assert split["whitespace"] == ["Tokenizers", "split", "rare", "words", "."]
    assert split["bytelevel"] == ["Tokenizers", "Ġsplit", "Ġrare", "Ġwords", "."]
    assert split["metaspace"] == ["▁Tokenizers", "▁split", "▁rare", "▁words."]
    ru_bytes = [w for w, _ in pre_tokenizers.ByteLevel(add_prefix_space=False).pre_tokenize_str(ru)]
    assert ru_bytes[0].startswith("Ð¢Ð¾")
    assert len(pre_tokenizers.ByteLevel.alphabet()) == 256
    assert_in_pages("tokenizer-types", *(f"`{s}`" for s in map(str, split.values())), "`Ð¢Ð¾...`")
    cp.assert_in_each_page(SECTION, "tokenizer-types", {
        "en": ["4 words, 28 characters and 28 bytes", "4 words and 31 characters but 58 bytes"],
        "ru": ["4 слова, 28 символов и 28 байтов", "4 слова и 31 символ, но 58 байтов"]})


# --------------------------------------------------------------------------- Q65


def test_q65_add_token_and_resize_embeddings():
    import torch
    from tokenizers import AddedToken
    from transformers import GPT2Config, GPT2LMHeadModel

    slug = "extending-tokenizer"
    tok = train("bpe", TOY_CORPUS, 22)
    assert tok.encode("lowest").tokens == ["low", "est"]
    pieces = tok.encode("lowest").ids
    assert pieces == [13, 11]
    tok.add_tokens(["lowest"])
    assert tok.get_vocab_size() == 23 and tok.token_to_id("lowest") == 22
    assert tok.encode("lowest slowest").tokens == ["lowest", "s", "lowest"]
    whole = train("bpe", TOY_CORPUS, 22)
    whole.add_tokens([AddedToken("lowest", single_word=True)])
    assert whole.encode("lowest slowest").tokens == ["lowest", "s", "low", "est"]

    torch.manual_seed(0)
    config = GPT2Config(vocab_size=22, n_embd=8, n_layer=1, n_head=2, n_positions=16, bos_token_id=0, eos_token_id=0)
    model = GPT2LMHeadModel(config)
    old = model.get_input_embeddings().weight.detach().clone()
    model.resize_token_embeddings(23)
    emb = model.get_input_embeddings().weight
    assert tuple(old.shape) == (22, 8) and tuple(emb.shape) == (23, 8)
    assert model.lm_head.weight is emb and model.config.vocab_size == 23
    assert (emb[22] - old.mean(0)).abs().max().item() < 1e-6   # mean_resizing: covariance x 1e-9
    assert torch.equal(emb[:22], old)
    model.resize_token_embeddings(23, pad_to_multiple_of=8)
    assert tuple(model.get_input_embeddings().weight.shape) == (24, 8)
    # mean_resizing=False falls back to the model's own initialisation, N(0, 0.02^2) for GPT-2
    assert GPT2Config().initializer_range == 0.02
    cp.assert_in_each_page(SECTION, slug, {"en": ["(ids 13 and 11)"], "ru": ["(id 13 и 11)"]})
    assert_in_pages(slug, "`lowest` `s` `lowest`", "`lowest` `s` `low` `est`", "(22, 8) → (23, 8)", "(24, 8)",
                    "id 22", "$10^{-6}$", "$10^{-9}$", "$\\mathcal{N}(0, 0.02^2)$")


# --------------------------------------------------------------------------- Q66

WORDS66 = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "<s>", "</s>", "<pad>", "<|endoftext|>", "the", "cat", "sat", "a", "dog"]


def styled_tokenizers():
    from tokenizers import Tokenizer, models, pre_tokenizers, processors

    vocab = {w: i for i, w in enumerate(WORDS66)}

    def make(post, pad):
        tok = Tokenizer(models.WordLevel(vocab, unk_token="[UNK]"))
        tok.pre_tokenizer = pre_tokenizers.Whitespace()
        if post is not None:
            tok.post_processor = post
        tok.enable_padding(pad_id=vocab[pad], pad_token=pad, length=9)
        return tok

    return {
        "BERT": make(processors.BertProcessing(("[SEP]", 3), ("[CLS]", 2)), "[PAD]"),
        "RoBERTa": make(processors.RobertaProcessing(("</s>", 5), ("<s>", 4)), "<pad>"),
        "GPT-2": make(None, "<|endoftext|>"),
        "T5": make(processors.TemplateProcessing(single="$A </s>", pair="$A </s> $B </s>",
                                                 special_tokens=[("</s>", 5)]), "<pad>"),
    }


def shape(tokens, specials):
    """Special tokens kept, every text piece replaced by '·'."""
    return [t if t in specials else "·" for t in tokens]


def test_q66_special_token_positions_match_transformers():
    from tokenizers import Tokenizer, models, pre_tokenizers, trainers
    from transformers import BertTokenizer, GPT2Tokenizer, RobertaTokenizer, T5Tokenizer

    slug = "special-tokens"
    styles = styled_tokenizers()
    got = {name: (tok.encode("the cat sat").tokens, tok.encode("the cat sat", "a dog").tokens)
           for name, tok in styles.items()}
    assert got["BERT"] == (["[CLS]", "the", "cat", "sat", "[SEP]"] + ["[PAD]"] * 4,
                           ["[CLS]", "the", "cat", "sat", "[SEP]", "a", "dog", "[SEP]", "[PAD]"])
    assert got["RoBERTa"] == (["<s>", "the", "cat", "sat", "</s>"] + ["<pad>"] * 4,
                              ["<s>", "the", "cat", "sat", "</s>", "</s>", "a", "dog", "</s>"])
    assert got["GPT-2"] == (["the", "cat", "sat"] + ["<|endoftext|>"] * 6,
                            ["the", "cat", "sat", "a", "dog"] + ["<|endoftext|>"] * 4)
    assert got["T5"] == (["the", "cat", "sat", "</s>"] + ["<pad>"] * 5,
                         ["the", "cat", "sat", "</s>", "a", "dog", "</s>", "<pad>", "<pad>"])
    bert_pair = styles["BERT"].encode("the cat sat", "a dog")
    assert bert_pair.type_ids == [0, 0, 0, 0, 0, 1, 1, 1, 0]
    assert bert_pair.attention_mask == [1, 1, 1, 1, 1, 1, 1, 1, 0]

    # the same positions from the transformers tokenizer classes, built from local vocabularies
    text = ["the cat sat", "a dog"]
    kw = dict(padding="max_length", max_length=9)
    wp = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    wp.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    wp.train_from_iterator(text, trainers.WordPieceTrainer(
        vocab_size=60, special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"], show_progress=False))
    bert = BertTokenizer(vocab=wp.get_vocab())
    enc = bert(*text, **kw)
    assert bert.convert_ids_to_tokens(enc["input_ids"]) == got["BERT"][1]
    assert enc["token_type_ids"] == bert_pair.type_ids and enc["attention_mask"] == bert_pair.attention_mask
    assert bert.convert_ids_to_tokens(bert(text[0], **kw)["input_ids"]) == got["BERT"][0]
    # pitfalls: nothing is padded unless asked; special tokens typed into the text are added twice
    assert len(bert("the cat sat")["input_ids"]) == 5
    assert bert.convert_ids_to_tokens(bert("[CLS] the cat [SEP]")["input_ids"]) == \
        ["[CLS]", "[CLS]", "the", "cat", "[SEP]", "[SEP]"]

    bl = Tokenizer(models.BPE())
    bl.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bl.train_from_iterator(text, trainers.BpeTrainer(
        vocab_size=300, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    vocab, merges = bl.get_vocab(), merges_of(bl)
    roberta = RobertaTokenizer(vocab=vocab, merges=merges)
    specials = {"<s>", "</s>", "<pad>", "[CLS]", "[SEP]", "[PAD]", "<|endoftext|>"}
    for i, args in enumerate((text[:1], text)):
        ids = roberta(*args, **kw)["input_ids"]
        assert shape(roberta.convert_ids_to_tokens(ids), specials) == shape(got["RoBERTa"][i], specials)
    gpt2 = GPT2Tokenizer(vocab=vocab, merges=merges, unk_token="<unk>", bos_token="<|endoftext|>",
                         eos_token="<|endoftext|>", pad_token="<|endoftext|>")
    for i, args in enumerate((text[:1], text)):
        ids = gpt2(*args, **kw)["input_ids"]
        assert shape(gpt2.convert_ids_to_tokens(ids), specials) == shape(got["GPT-2"][i], specials)
    unigram = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)] + [(f"▁{w}", -1.0) for w in "the cat sat a dog".split()]
    t5 = T5Tokenizer(vocab=unigram, extra_ids=0)
    for i, args in enumerate((text[:1], text)):
        ids = t5(*args, **kw)["input_ids"]
        assert shape(t5.convert_ids_to_tokens(ids), specials) == shape(got["T5"][i], specials)

    assert_in_pages(slug, "`[CLS]` the cat sat `[SEP]` `[PAD]` ×4",
                    "`[CLS]` the cat sat `[SEP]` a dog `[SEP]` `[PAD]`",
                    "`<s>` the cat sat `</s>` `<pad>` ×4", "`<s>` the cat sat `</s>` `</s>` a dog `</s>`",
                    "the cat sat `</s>` `<pad>` ×5", "the cat sat `</s>` a dog `</s>` `<pad>` ×2",
                    "`[0, 0, 0, 0, 0, 1, 1, 1, 0]`", "`[1, 1, 1, 1, 1, 1, 1, 1, 0]`")
    cp.assert_in_each_page(SECTION, slug, {"en": ["6 end-of-text tokens", "4 end-of-text tokens"],
                                           "ru": ["6 токенов конца текста", "4 токена конца текста"]})


def test_q66_counts_quoted_on_the_page():
    import torch
    from transformers import BertConfig, BertModel, T5Config

    assert T5Config().vocab_size - 32000 == 128      # 100 sentinels + padding rows
    with torch.device("meta"):
        bert = BertModel(BertConfig())
    assert bert.embeddings.word_embeddings.padding_idx == BertConfig().pad_token_id == 0
    assert 128256 - 128000 == 256                     # Llama 3: ids reserved for special tokens
    assert_in_pages("special-tokens", "−100", "100 ", "256 ")


# --------------------------------------------------------------------------- Q67

VERBS = {"читаю": 4, "читает": 5, "читали": 3, "читала": 4, "читать": 6,
         "играю": 3, "играет": 4, "играли": 3, "играть": 5, "делает": 4, "делали": 3}


def test_q67_subwords_keep_the_endings():
    slug = "tokens-vs-lemmatization"
    corpus = [w for w, n in VERBS.items() for _ in range(n)]
    tok = train("bpe", corpus, 25)
    alphabet = set("".join(VERBS))
    merges = ["".join(m) for m in merges_of(tok)]
    assert len(alphabet) == 11 and len(corpus) == 44 and len(merges) == 25 - 11 == 14
    assert {"чита", "игра", "дела", "ет", "ла", "ть", "ли", "читать", "читает"} <= set(merges)
    seg = {w: tok.encode(w).tokens for w in ["читала", "читали", "играла", "делать", "делаю"]}
    assert seg == {"читала": ["чита", "ла"], "читали": ["чита", "ли"], "играла": ["игра", "ла"],
                   "делать": ["дела", "ть"], "делаю": ["дела", "ю"]}
    assert not {"играла", "делать", "делаю"} & set(VERBS)
    lemmas = {w: w[:4] + "ть" for w in VERBS}
    assert len(set(lemmas.values())) == 3 and lemmas["читала"] == lemmas["читали"] == "читать"
    assert_in_pages(slug, *(" ".join(f"`{t}`" for t in pieces) for pieces in seg.values()),
                    "11 ", "44 ", "25", "14 ")


# --------------------------------------------------------------------------- Q68


def test_q68_bpe_merges_by_hand_equal_the_library():
    slug = "wordpiece-and-bpe"
    tok = train("bpe", TOY_CORPUS, 22)
    library = merges_of(tok)
    figure = cp.load_figure("bpe-merge-tree")
    assert figure.learn_merges(TOY) == library
    assert ["".join(m) for m in library] == BPE_MERGES and tok.get_vocab_size() == 22 == 10 + 12
    assert tok.encode("lowest newer wider").tokens == ["low", "est", "new", "er", "w", "i", "d", "er"]
    # replay the steps of the table: top candidates, the winner by (id, id), the new id
    ids = {c: i for i, c in enumerate(sorted(set("".join(TOY))))}
    assert ids == dict(zip("deilnorstw", range(10)))
    words = {w: list(w) for w in TOY}
    for step, (a, b) in enumerate(library, start=1):
        pairs = Counter()
        for w, s in words.items():
            for pair in zip(s, s[1:]):
                pairs[pair] += TOY[w]
        top = max(pairs.values())
        cands = sorted(f"{x}+{y}" for (x, y), n in pairs.items() if n == top)
        assert min((p for p in pairs if pairs[p] == top), key=lambda p: (ids[p[0]], ids[p[1]])) == (a, b)
        ids[a + b] = len(ids)
        assert_in_pages(slug, f"| {step} | {', '.join(cands)} ({top}) |", f"{a + b} ({ids[a + b]}) |")
        words = {w: figure.apply_merge(s, a, b) for w, s in words.items()}
    # the figure shows the same merge steps
    steps = sorted(s for w in TOY for s in figure.node_steps(figure.tree(w, library)))
    assert set(steps) == set(range(1, 13))
    cp.assert_figure_used(SECTION, "bpe-merge-tree", [slug])
    assert_in_pages(slug, "`low` `est`", "`new` `er`", "`w` `i` `d` `er`")
    cp.assert_in_each_page(SECTION, slug, {"en": ["10 characters + 12 merges = 22"],
                                           "ru": ["10 символов + 12 слияний = 22"]})


def test_q68_wordpiece_score_and_the_library_trainer():
    slug = "wordpiece-and-bpe"
    splits = {w: [w[0]] + ["##" + c for c in w[1:]] for w in TOY}
    units, pairs = unit_and_pair_counts(splits)
    assert units["##e"] == 17 and units["##w"] == 13
    score = wordpiece_scores(splits)
    table = [("w", "##i"), ("##i", "##d"), ("l", "##o"), ("##s", "##t"), ("##e", "##s")]
    assert sorted(score, key=lambda p: -score[p])[:4] == table[:4]
    assert f3(score["##e", "##s"]) == "0.059" and pairs["##e", "##s"] == max(pairs.values()) == 9
    for a, b in table:
        assert_in_pages(slug, f"| {a} + {b} | {pairs[a, b]} | {units[a]} ", f"| {f3(score[a, b])} |")
    # the first four merges by score (ties: the first pair met, as in the course's code)
    merges = []
    for _ in range(4):
        scores = wordpiece_scores(splits)
        best = max(scores, key=scores.get)
        joined = best[0] + best[1].removeprefix("##")
        merges.append(joined)
        splits = {w: merge_pair(s, best, joined) for w, s in splits.items()}
    assert merges == ["wi", "wid", "lo", "##st"]
    cp.assert_in_each_page(SECTION, slug, {"en": ["wi, wid, lo and ##st"], "ru": ["wi, wid, lo и ##st"]})
    # the likelihood criterion of the paper, for a unigram model over the pieces: computed by
    # re-segmenting and recounting, and by updating the counts in closed form; they agree
    start = {w: [w[0]] + ["##" + c for c in w[1:]] for w in TOY}
    units0, pairs0 = unit_and_pair_counts(start)
    assert sum(units0.values()) == 79
    gain = {p: unigram_gain(start, p) for p in pairs0}
    for (a, b), n in pairs0.items():
        N, ca, cb = sum(units0.values()), units0[a], units0[b]
        rest = sum(c * math.log(c / (N - n)) for u, c in units0.items() if u not in (a, b))
        new = n * math.log(n / (N - n)) + sum(c * math.log(c / (N - n)) for c in (ca - n, cb - n) if c > 0)
        old = sum(c * math.log(c / N) for c in units0.values())
        assert gain[a, b] == pytest.approx(rest + new - old, abs=1e-9)
    assert max(gain, key=gain.get) == ("##s", "##t") and min(gain[p] for p in table) == gain["w", "##i"]
    shown = [f"{gain[p]:.1f}" for p in table]
    assert shown == ["12.8", "12.8", "23.6", "28.0", "16.3"]
    for (a, b), s in zip(table, shown):
        assert_in_pages(slug, f"| {f3(score[a, b])} | {s} |")
    assert_in_pages(slug, "79")
    # the library's WordPieceTrainer merges by frequency (BPE with a ## prefix), not by the score
    from tokenizers import pre_tokenizers

    wp = train("wordpiece", TOY_CORPUS, 31, pre_tokenizer=pre_tokenizers.Whitespace())
    vocab = wp.get_vocab()
    learned = [t for t in sorted(vocab, key=vocab.get) if len(t.removeprefix("##")) > 1 and t != "[UNK]"]
    assert learned == ["##es", "##est", "lo", "low", "ne", "##west", "newest", "wi", "##dest", "widest", "##er", "lower"]
    assert wp.encode("lowest newer wider").tokens == ["low", "##est", "ne", "##w", "##er", "wi", "##d", "##er"]
    assert_in_pages(slug, ", ".join(learned), "`low` `##est`", "`ne` `##w` `##er`", "`wi` `##d` `##er`")
    # HF course example: the score's first merge is ##g+##s, the library's is ##u+##g
    course = [w for w, n in {"hug": 10, "pug": 5, "pun": 12, "bun": 4, "hugs": 5}.items() for _ in range(n)]
    first = train("wordpiece", course, 13, pre_tokenizer=pre_tokenizers.Whitespace())  # 12 symbols + 1 merge
    assert first.get_vocab_size() == 13 and "##ug" in first.get_vocab() and "##gs" not in first.get_vocab()


def unit_and_pair_counts(splits):
    units, pairs = Counter(), Counter()
    for w, s in splits.items():
        for u in s:
            units[u] += TOY[w]
        for p in zip(s, s[1:]):
            pairs[p] += TOY[w]
    return units, pairs


def unigram_log_likelihood(splits) -> float:
    units, _ = unit_and_pair_counts(splits)
    n = sum(units.values())
    return sum(c * math.log(c / n) for c in units.values())


def unigram_gain(splits, pair) -> float:
    joined = pair[0] + pair[1].removeprefix("##")
    merged = {w: merge_pair(s, pair, joined) for w, s in splits.items()}
    return unigram_log_likelihood(merged) - unigram_log_likelihood(splits)


def wordpiece_scores(splits):
    """freq(ab) / (freq(a) freq(b)) for every adjacent pair, in the order the pairs are met."""
    units, pairs = unit_and_pair_counts(splits)
    return {p: n / (units[p[0]] * units[p[1]]) for p, n in pairs.items()}


def merge_pair(symbols, pair, joined):
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and (symbols[i], symbols[i + 1]) == pair:
            out.append(joined)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def test_q68_numbers_in_the_text():
    from tokenizers import Tokenizer, models, pre_tokenizers

    assert 256 + 50000 + 1 == 50257
    tok = Tokenizer(models.WordPiece({"[UNK]": 0, "a": 1, "##a": 2}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    assert tok.encode("a" * 100 + " " + "a" * 101).tokens[-1] == "[UNK]"   # max_input_chars_per_word
    assert models.WordPiece().max_input_chars_per_word == 100
    assert_in_pages("wordpiece-and-bpe", 50257, 50000, 100)


# --------------------------------------------------------------------------- Q69


def test_q69_cls_sees_everything_only_in_bert():
    import torch
    from transformers import (BertConfig, BertModel, GPT2Config, GPT2ForSequenceClassification, GPT2Model,
                              XLNetConfig, XLNetTokenizer)

    slug = "cls-position"
    torch.manual_seed(0)
    bert = BertModel(BertConfig(vocab_size=10, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                                intermediate_size=32, max_position_embeddings=16, initializer_range=0.5),
                     add_pooling_layer=False).eval()
    gpt2 = GPT2Model(GPT2Config(vocab_size=10, n_embd=16, n_layer=2, n_head=2, n_positions=16,
                                bos_token_id=0, eos_token_id=0, initializer_range=0.5)).eval()
    a, b = torch.tensor([[2, 5, 6, 7, 3]]), torch.tensor([[2, 5, 6, 8, 3]])
    diffs = {}
    with torch.no_grad():
        for name, model in (("BERT", bert), ("GPT-2", gpt2)):
            ha, hb = model(a).last_hidden_state[0], model(b).last_hidden_state[0]
            diffs[name] = ((ha[0] - hb[0]).abs().max().item(), (ha[-1] - hb[-1]).abs().max().item())
        assert diffs["GPT-2"][0] == 0.0 and diffs["BERT"][0] > 0.1
        bert.embeddings.position_embeddings.weight.zero_()
        moved = torch.tensor([[5, 6, 7, 3, 2]])
        gap = (bert(a).last_hidden_state[0, 0] - bert(moved).last_hidden_state[0, -1]).abs().max().item()
        assert gap < 1e-5
    assert [f3(x) for x in diffs["BERT"]] == ["0.695", "1.315"] and f3(diffs["GPT-2"][1]) == "1.354"
    assert_in_pages(slug, "| 0.695 | 1.315 |", "| 0.0 | 1.354 |", "0.5", "2 5 6 7 3", "(7 → 8)")

    # GPT-2 classification reads the last non-padding token
    torch.manual_seed(0)
    clf = GPT2ForSequenceClassification(GPT2Config(vocab_size=10, n_embd=16, n_layer=1, n_head=2, n_positions=16,
                                                   num_labels=2, pad_token_id=0, bos_token_id=1,
                                                   eos_token_id=1)).eval()
    ids = torch.tensor([[4, 5, 6, 0, 0], [4, 5, 6, 7, 8]])
    with torch.no_grad():
        hidden = clf.transformer(ids).last_hidden_state
        logits = clf(ids).logits
    assert torch.allclose(logits[0], clf.score(hidden[0, 2]), atol=1e-6)
    assert torch.allclose(logits[1], clf.score(hidden[1, 4]), atol=1e-6)

    # XLNet: <cls> last, padding on the left, summary of the last position
    vocab = [("<unk>", 0.0), ("<s>", 0.0), ("</s>", 0.0), ("<cls>", 0.0), ("<sep>", 0.0), ("<pad>", 0.0),
             ("<mask>", 0.0)] + [(f"▁{w}", -1.0) for w in "the cat sat a dog".split()]
    xlnet = XLNetTokenizer(vocab=vocab)
    enc = xlnet("the cat sat", "a dog", padding="max_length", max_length=9)
    tokens = xlnet.convert_ids_to_tokens(enc["input_ids"])
    assert tokens[-1] == "<cls>" and tokens[-2] == "<sep>" and tokens[0] == "<pad>"
    assert XLNetConfig().summary_type == "last" and XLNetConfig().attn_type == "bi"
    assert_in_pages(slug, "`A <sep> B <sep> <cls>`", 'summary_type="last"')


# --------------------------------------------------------------------------- Q70


def test_q70_bert_and_gpt2_styles():
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import BertConfig, GPT2Config

    slug = "bert-and-gpt-tokenizers"
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "cafe", "token", "##izer", "##s", "read", ",", "!"]
    assert len(vocab) == 13
    bert = Tokenizer(models.WordPiece({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]"))
    bert.normalizer = normalizers.BertNormalizer(lowercase=True)
    bert.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    bert.decoder = decoders.WordPiece()
    gpt2 = Tokenizer(models.BPE())
    gpt2.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    gpt2.decoder = decoders.ByteLevel()
    gpt2.train_from_iterator(["The cafe tokenizers read the tokens."] * 3, trainers.BpeTrainer(
        vocab_size=280, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    s = "The Café tokenizers read, 🙂!"
    eb, eg = bert.encode(s), gpt2.encode(s)
    assert eb.tokens == ["the", "cafe", "token", "##izer", "##s", "read", ",", "[UNK]", "!"]
    assert eg.tokens == ["The", "Ġ", "C", "af", "Ã", "©", "Ġtokenizers", "Ġread", ",", "Ġ", "ð", "Ł", "Ļ", "Ĥ", "!"]
    assert bert.decode(eb.ids) == "the cafe tokenizers read, [UNK]!" and gpt2.decode(eg.ids) == s
    assert len("é".encode()) == 2 and len("🙂".encode()) == 4
    assert BertConfig().vocab_size == 30522 and GPT2Config().vocab_size == 50257 == 256 + 50000 + 1
    assert_in_pages(slug, " ".join(f"`{t}`" for t in eb.tokens), " ".join(f"`{t}`" for t in eg.tokens),
                    f"`{bert.decode(eb.ids)}`", f"`{s}`", "| 9 | 15 |", 30522, 50257, 50000, 40000, 28996)


# --------------------------------------------------------------------------- Q71


def test_q71_byte_level_never_unknown_wordpiece_unk():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    slug = "out-of-vocabulary"
    corpus = ["the tokenizer splits rare words into pieces", "the model reads the pieces"] * 3
    byte_bpe = Tokenizer(models.BPE())
    byte_bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    byte_bpe.decoder = decoders.ByteLevel()
    byte_bpe.train_from_iterator(corpus, trainers.BpeTrainer(
        vocab_size=300, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
    assert byte_bpe.get_vocab_size() == 300 and len(merges_of(byte_bpe)) == 44
    vocab = ["[UNK]", "token", "un", "##izer", "##s", "##believ", "##able", "ё", "##ж", "##ик"]
    assert len(vocab) == 10
    wordpiece = Tokenizer(models.WordPiece({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]"))
    wordpiece.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    expected_wp = {"tokenizers": ["token", "##izer", "##s"], "unbelievable": ["un", "##believ", "##able"],
                   "ёжик": ["ё", "##ж", "##ик"], "ёжики": ["[UNK]"], "🙂": ["[UNK]"]}
    rows = {}
    for text, wp_tokens in expected_wp.items():
        enc = byte_bpe.encode(text)
        assert byte_bpe.decode(enc.ids) == text
        assert wordpiece.encode(text).tokens == wp_tokens
        rows[text] = (len(text.encode()), enc.tokens)
    assert rows["tokenizers"] == (10, ["to", "kenizer", "s"])
    assert rows["unbelievable"] == (12, list("unbelievable"))
    assert rows["ёжик"] == (8, ["Ñ", "ĳ", "Ð", "¶", "Ð", "¸", "Ð", "º"])
    assert rows["ёжики"][0] == 10 == len(rows["ёжики"][1])
    assert rows["🙂"] == (4, ["ð", "Ł", "Ļ", "Ĥ"])
    for text, (n_bytes, toks) in rows.items():
        assert_in_pages(slug, f"| {text} | {n_bytes} |", " ".join(f"`{t}`" for t in expected_wp[text]))
    assert_in_pages(slug, "`to` `kenizer` `s` (3)", "`Ñ` `ĳ` `Ð` `¶` `Ð` `¸` `Ð` `º` (8)", "`ð` `Ł` `Ļ` `Ĥ` (4)",
                    "300 ", "256 ", "44 ")
    # a BPE without unk_token (and without bytes) silently drops unknown characters
    plain = train("bpe", TOY_CORPUS, 22)
    enc = plain.encode("lowest ёж 🙂")
    assert enc.tokens == ["low", "est"] and plain.decode(enc.ids) == "low est"
    assert_in_pages(slug, "lowest ёж 🙂", "low est")


# --------------------------------------------------------------------------- Q72


def test_q72_vocabulary_size_on_the_corpus(corpus):
    import statistics

    slug = "vocab-size"
    rows = {500: ("3.69", "4.49", 62), 1000: ("2.80", "3.29", 19), 2000: ("2.20", "2.67", 7),
            4000: ("1.84", "2.20", 3), 8000: ("1.61", "1.90", 1), 20000: ("1.58", "1.88", 0)}
    for size, (en, ru, median) in rows.items():
        tok = train("byte-bpe", corpus["train"], size)
        v = tok.get_vocab_size()
        stats = per_word(tok, corpus)
        counts = Counter(i for e in tok.encode_batch(corpus["train"]) for i in e.ids)
        freq = [counts.get(i, 0) for i in range(v)]
        assert (f2(stats["en"][0]), f2(stats["ru"][0]), statistics.median(freq)) == (en, ru, median)
        if size == 20000:
            assert v == 8736                                   # every training word is one token
            assert sum(f == 0 for f in freq) > v / 2
            label = "8736 (every training word whole)"
        else:
            assert v == size
            label = str(size)
        cp.assert_in_page(SECTION, slug, "en", f"| {label} | {en} | {ru} | {median} | {fmt_int(v * 768, 'en')} |")
        cp.assert_in_page(SECTION, slug, "ru", f" | {en} | {ru} | {median} | {fmt_int(v * 768, 'ru')} |")


def test_q72_embedding_share_of_real_models():
    import torch
    from transformers import BertConfig, BertModel, GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM

    slug = "vocab-size"
    n = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    with torch.device("meta"):
        bert, gpt2 = BertModel(BertConfig()), GPT2LMHeadModel(GPT2Config())
        llama = LlamaForCausalLM(LlamaConfig(vocab_size=128256, hidden_size=4096, intermediate_size=14336,
                                             num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=8,
                                             tie_word_embeddings=False))
    rows = [(bert.get_input_embeddings().weight.numel(), n(bert)),
            (gpt2.get_input_embeddings().weight.numel(), n(gpt2)),
            (llama.get_input_embeddings().weight.numel() + llama.lm_head.weight.numel(), n(llama))]
    assert rows == [(30522 * 768, 109482240), (50257 * 768, 124439808), (2 * 128256 * 4096, 8030261248)]
    assert gpt2.lm_head.weight is gpt2.get_input_embeddings().weight
    for (emb, total), share in zip(rows, ("21.4%", "31.0%", "13.1%")):
        assert f"{100 * emb / total:.1f}%" == share
        assert_in_pages(slug, f"| {share} |", emb, total)
    assert f3(rows[0][0] / rows[0][1]) == "0.214" and round(rows[1][0] / rows[1][1], 3) == 0.31
    assert_in_pages(slug, "× 768 |", "2 × ", "× 4096 |")
    # logits of a batch of 8 x 2048 tokens with V = 128,256 in float32; a 250K vocabulary at d = 512
    assert f"{8 * 2048 * 128256 * 4 / 1e9:.1f}" == "8.4" and 250_000 * 512 == 128_000_000
    assert 50257 % 64 != 0 and 50304 % 64 == 0 and 50304 - 64 < 50257
    assert_in_pages(slug, "8.4", fmt_math(128256), "128", 50304, 30522, 50257, 32000, 32128, 128256)
