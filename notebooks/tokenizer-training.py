# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown] lang="ru"
# # Обучаем токенизатор: BPE и WordPiece
#
# Обучаем BPE и WordPiece библиотекой Hugging Face `tokenizers` на игрушечном корпусе из примера Сеннриха (low ×5, lower ×2, newest ×6, widest ×3). Потом пишем BPE с нуля и добиваемся, чтобы слияния совпали с библиотечными один в один, включая разбиение ничьих. Дальше — жадный кодировщик WordPiece с нуля, скор WordPiece из курса Hugging Face и byte-level BPE, которому не нужен `[UNK]`. Корпус задан прямо в коде, так что блокнот работает и в Colab.

# %% [markdown] lang="en"
# # Training a tokenizer: BPE and WordPiece
#
# We train BPE and WordPiece with the Hugging Face `tokenizers` library on the toy corpus of Sennrich's example (low ×5, lower ×2, newest ×6, widest ×3). Then we write BPE from scratch and make its merges match the library's exactly, ties included. After that come a from-scratch greedy WordPiece encoder, the WordPiece score of the Hugging Face course, and byte-level BPE, which never needs `[UNK]`. The corpus lives in the code, so the notebook also runs in Colab.

# %%
import json
import math
from collections import Counter

from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

COUNTS = {"low": 5, "lower": 2, "newest": 6, "widest": 3}
CORPUS = [word for word, n in COUNTS.items() for _ in range(n)]


def merges_of(tok):
    """The merges of a trained BPE tokenizer as (a, b) pairs (older versions store "a b")."""
    raw = json.loads(tok.to_str())["model"]["merges"]
    return [tuple(m.split(" ")) if isinstance(m, str) else tuple(m) for m in raw]


# %% [markdown] lang="ru"
# ## BPE в `tokenizers`
#
# Претокенизатор `Whitespace` режет текст на слова, тренер считает пары символов внутри слов и сливает самую частую. В алфавите 10 символов, и каждое из четырёх слов собирается целиком за 12 слияний, поэтому при `vocab_size=22` тренер выучит все слияния.

# %% [markdown] lang="en"
# ## BPE in `tokenizers`
#
# The `Whitespace` pre-tokenizer splits the text into words, and the trainer counts symbol pairs inside words and merges the most frequent one. The alphabet has 10 characters, and all four words are built whole after 12 merges, so `vocab_size=22` lets the trainer learn every merge.

# %%
bpe = Tokenizer(models.BPE())
bpe.pre_tokenizer = pre_tokenizers.Whitespace()
bpe.train_from_iterator(CORPUS, trainers.BpeTrainer(vocab_size=22, show_progress=False))
library_merges = merges_of(bpe)
print([a + b for a, b in library_merges])
print(bpe.encode("lowest newer wider").tokens)
assert len(library_merges) == 12 and bpe.get_vocab_size() == 22

# %% [markdown] lang="ru"
# ## BPE с нуля
#
# Алгоритм короткий: посчитать пары с весом, равным частоте слова, выбрать лучшую, слить её во всех словах, повторить. Тонкость одна — **ничьи**. На шаге 1 у пар e+s и s+t одинаковая частота 9. `tokenizers` выбирает пару с наименьшими id: у символов id идут в порядке кодовых точек (d=0, e=1, …), а новый токен получает следующий свободный id. С этим правилом наши слияния совпадают с библиотечными; с правилом «первая встреченная пара» — уже нет.

# %% [markdown] lang="en"
# ## BPE from scratch
#
# The algorithm is short: count the pairs, weighting each by its word's frequency, take the best one, merge it in every word, and repeat. The one subtlety is **ties**. At step 1 the pairs e+s and s+t both occur 9 times. `tokenizers` takes the pair with the smallest ids: characters get ids in code-point order (d=0, e=1, …), and a new token gets the next free id. With this rule our merges equal the library's; with "the first pair seen" they do not.

# %%
def merge_word(symbols, a, b, joined=None):
    out, i = [], 0
    while i < len(symbols):
        if i + 1 < len(symbols) and symbols[i] == a and symbols[i + 1] == b:
            out.append(joined or a + b)
            i += 2
        else:
            out.append(symbols[i])
            i += 1
    return out


def train_bpe(counts, tie_rule="ids"):
    ids = {c: i for i, c in enumerate(sorted(set("".join(counts))))}
    words = {w: list(w) for w in counts}
    merges = []
    while True:
        pairs = Counter()
        for w, symbols in words.items():
            for pair in zip(symbols, symbols[1:]):
                pairs[pair] += counts[w]
        if not pairs:
            return merges
        if tie_rule == "ids":
            a, b = min(pairs, key=lambda p: (-pairs[p], ids[p[0]], ids[p[1]]))
        else:  # the first pair with the top count, in the order the pairs were met
            a, b = max(pairs, key=pairs.get)
        merges.append((a, b))
        ids[a + b] = len(ids)
        words = {w: merge_word(s, a, b) for w, s in words.items()}


ours = train_bpe(COUNTS)
assert ours == library_merges
first_seen = train_bpe(COUNTS, tie_rule="first seen")
assert first_seen != library_merges
print("ids rule:       ", [a + b for a, b in ours])
print("first-seen rule:", [a + b for a, b in first_seen])
print("OK: the from-scratch merges equal the library's only with the same tie rule")

# %% [markdown] lang="ru"
# ## Кодирование: повтор слияний по рангу
#
# Новое слово режем на символы и применяем слияния в том порядке, в каком они выучены. Проверяем на обучающих и на новых словах.

# %% [markdown] lang="en"
# ## Encoding: replay the merges by rank
#
# A new word is split into characters, and the merges are applied in the order they were learned. We check this on training words and on new ones.

# %%
def encode_bpe(word, merges):
    symbols = list(word)
    for a, b in merges:
        symbols = merge_word(symbols, a, b)
    return symbols


for word in ["low", "lowest", "newer", "wider", "widowed", "lower"]:
    assert encode_bpe(word, ours) == bpe.encode(word).tokens, word
    print(f"{word:8} -> {encode_bpe(word, ours)}")
print("OK: replaying the merges reproduces the library's segmentation")

# %% [markdown] lang="ru"
# ## WordPiece в `tokenizers`
#
# `WordPieceTrainer` — это тренер BPE с префиксом `##` у кусков внутри слова: он тоже сливает самую частую пару. Отличается модель-кодировщик: она не повторяет слияния, а жадно берёт самое длинное совпадение из словаря. Напишем этот кодировщик и сверимся с библиотекой, в том числе на слове с незнакомым символом: оно целиком превращается в `[UNK]`.

# %% [markdown] lang="en"
# ## WordPiece in `tokenizers`
#
# `WordPieceTrainer` is the BPE trainer with a `##` prefix on word-internal pieces, so it too merges the most frequent pair. What differs is the encoding model: it does not replay merges but greedily takes the longest match in the vocabulary. We write that encoder and check it against the library, including a word with an unknown character, which becomes `[UNK]` as a whole.

# %%
wp = Tokenizer(models.WordPiece(unk_token="[UNK]"))
wp.pre_tokenizer = pre_tokenizers.Whitespace()
wp.train_from_iterator(CORPUS, trainers.WordPieceTrainer(vocab_size=31, special_tokens=["[UNK]"], show_progress=False))
vocab = wp.get_vocab()
learned = [t for t in sorted(vocab, key=vocab.get) if len(t.removeprefix("##")) > 1 and t != "[UNK]"]
print("learned pieces:", learned)
assert learned == ["##es", "##est", "lo", "low", "ne", "##west", "newest", "wi", "##dest", "widest", "##er", "lower"]


def encode_wordpiece(word, vocab, unk="[UNK]"):
    pieces, start = [], 0
    while start < len(word):
        end = len(word)
        while end > start:
            piece = word[start:end] if start == 0 else "##" + word[start:end]
            if piece in vocab:
                break
            end -= 1
        if end == start:
            return [unk]  # stuck: the whole word is unknown
        pieces.append(piece)
        start = end
    return pieces


for word in ["lowest", "newer", "wider", "lowx", "slow"]:
    assert encode_wordpiece(word, vocab) == wp.encode(word).tokens, word
    print(f"{word:7} -> {encode_wordpiece(word, vocab)}")
print("OK: greedy longest-match-first reproduces the library's WordPiece encoding")

# %% [markdown] lang="ru"
# ## Скор WordPiece
#
# Курс Hugging Face описывает обучение WordPiece скором $\operatorname{freq}(ab)/(\operatorname{freq}(a)\operatorname{freq}(b))$. Это реконструкция: свой тренер Google не публиковал. Такой скор предпочитает пары кусков, которые редко встречаются порознь. Первое слияние у него — w+##i (скор 1/3), а не частая пара ##e+##s (9/(17·9) ≈ 0.059), потому что ##e встречается везде.
#
# В исходной статье критерий другой: прирост правдоподобия обучающих данных. Для униграммной модели на кусках посчитаем его точно — лучшей окажется ##s+##t, а прирост у w+##i более чем вдвое меньше. Частота (как в `WordPieceTrainer`), прирост правдоподобия и скор из курса дают три разных первых слияния.

# %% [markdown] lang="en"
# ## The WordPiece score
#
# The Hugging Face course describes WordPiece training with the score $\operatorname{freq}(ab)/(\operatorname{freq}(a)\operatorname{freq}(b))$. It is a reconstruction, since Google never released its trainer. The score prefers pairs of pieces that rarely occur apart. Its first merge is w+##i (score 1/3), not the frequent pair ##e+##s (9/(17·9) ≈ 0.059), because ##e is everywhere.
#
# The original paper's criterion is different: the gain in the likelihood of the training data. For a unigram model over the pieces we compute it exactly. The best pair is ##s+##t, and the gain of w+##i is less than half of that. Frequency (as in `WordPieceTrainer`), likelihood gain and the course score give three different first merges.

# %%
def wordpiece_scores(counts, splits):
    units, pairs = Counter(), Counter()
    for w, s in splits.items():
        for u in s:
            units[u] += counts[w]
        for pair in zip(s, s[1:]):
            pairs[pair] += counts[w]
    return {p: n / (units[p[0]] * units[p[1]]) for p, n in pairs.items()}


splits = {w: [w[0]] + ["##" + c for c in w[1:]] for w in COUNTS}
score_merges = []
for _ in range(4):
    scores = wordpiece_scores(COUNTS, splits)
    a, b = max(scores, key=scores.get)  # ties: the first pair met
    joined = a + b.removeprefix("##")
    score_merges.append(joined)
    splits = {w: merge_word(s, a, b, joined) for w, s in splits.items()}
print("first merges by score:", score_merges)
assert score_merges == ["wi", "wid", "lo", "##st"]
first = wordpiece_scores(COUNTS, {w: [w[0]] + ["##" + c for c in w[1:]] for w in COUNTS})
assert abs(first[("w", "##i")] - 1 / 3) < 1e-12 and abs(first[("##e", "##s")] - 9 / (17 * 9)) < 1e-12


def unigram_log_likelihood(counts, splits):
    units = Counter()
    for w, s in splits.items():
        for u in s:
            units[u] += counts[w]
    n = sum(units.values())
    return sum(c * math.log(c / n) for c in units.values())


start = {w: [w[0]] + ["##" + c for c in w[1:]] for w in COUNTS}
base = unigram_log_likelihood(COUNTS, start)
gains = {}
for a, b in first:
    merged = {w: merge_word(s, a, b, a + b.removeprefix("##")) for w, s in start.items()}
    gains[a, b] = unigram_log_likelihood(COUNTS, merged) - base
for pair in sorted(gains, key=gains.get, reverse=True)[:5]:
    print(pair, "gain", round(gains[pair], 1), "score", round(first[pair], 3))
assert max(gains, key=gains.get) == ("##s", "##t") and round(gains["##s", "##t"], 1) == 28.0
assert gains["w", "##i"] < gains["##s", "##t"] / 2
assert max(first, key=first.get) == ("w", "##i") and library_merges[0] == ("e", "s")

# %% [markdown] lang="ru"
# ## Byte-level BPE: `[UNK]` не нужен
#
# Если алфавит — все 256 байтов (так делает GPT-2), любой текст в UTF-8 раскладывается на известные символы. Эмодзи, кириллица и редкие знаки кодируются без `[UNK]` и декодируются обратно в точности.

# %% [markdown] lang="en"
# ## Byte-level BPE: no `[UNK]` needed
#
# When the alphabet is all 256 bytes (as in GPT-2), any UTF-8 text splits into known symbols. Emoji, Cyrillic and rare signs are encoded without `[UNK]` and decoded back exactly.

# %%
byte_bpe = Tokenizer(models.BPE())
byte_bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
byte_bpe.decoder = decoders.ByteLevel()
byte_bpe.train_from_iterator(CORPUS, trainers.BpeTrainer(
    vocab_size=300, initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False))
for text in ["lowest", "ёжик", "🙂 ok", "naïve ∑"]:
    enc = byte_bpe.encode(text)
    assert byte_bpe.decode(enc.ids) == text
    print(f"{text!r}: {len(text.encode())} bytes -> {len(enc.ids)} tokens {enc.tokens}")
print("OK: every string round-trips through byte-level BPE, no unknown token")
