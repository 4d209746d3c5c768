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
# # Температура, top-k, top-p и beam search
#
# Разбираем, как модель превращает логиты в следующий токен. На словаре из восьми слов с придуманными логитами смотрим, что делает температура, пишем top-k и top-p (nucleus) фильтрацию двумя разными способами и проверяем их выборкой из 20 000 сэмплов. В конце сравниваем beam search с полным перебором на крошечной «языковой модели» и находим случай, где жадный поиск проигрывает.

# %% [markdown] lang="en"
# # Temperature, top-k, top-p and beam search
#
# How a model turns logits into the next token. On an eight-word vocabulary with made-up logits we look at what temperature does, write top-k and top-p (nucleus) filtering in two different ways each and check them with 20,000 samples. Finally we compare beam search with exhaustive search on a tiny "language model" and find a case where greedy decoding loses.

# %%
import heapq
import itertools
import math

import matplotlib.pyplot as plt
import numpy as np
import torch

torch.manual_seed(0)
DT = torch.float64
assert_close = np.testing.assert_allclose  # accepts CPU tensors

vocab = ["the", "a", "cat", "dog", "sat", "ran", "mat", "."]
logits = torch.tensor([2.2, 1.6, 1.1, 0.7, 0.2, -0.3, -1.0, -1.8], dtype=DT)


# %% [markdown] lang="ru"
# ## Softmax с температурой
#
# $$
# p_i(T) = \frac{\exp(z_i / T)}{\sum_j \exp(z_j / T)} .
# $$
#
# Температура масштабирует логиты перед softmax. Важны только разности логитов: отношение вероятностей двух токенов равно $\exp\big((z_i - z_j)/T\big)$. При $T < 1$ разности растут, и распределение становится острее; при $T > 1$ они сжимаются, и распределение ближе к равномерному.
#
# Проверим на двух логитах, которые отличаются на $\ln 3$: при $T = 1$ отношение вероятностей равно 3, то есть $[0.25, 0.75]$; при $T = 0.5$ оно равно $3^2 = 9$, то есть $[0.1, 0.9]$; при $T = 5$ — $3^{1/5} \approx 1.246$, то есть примерно $[0.4453, 0.5547]$.

# %% [markdown] lang="en"
# ## Softmax with temperature
#
# $$
# p_i(T) = \frac{\exp(z_i / T)}{\sum_j \exp(z_j / T)} .
# $$
#
# Temperature rescales the logits before softmax. Only differences between logits matter: the ratio of two probabilities is $\exp\big((z_i - z_j)/T\big)$. With $T < 1$ the differences grow and the distribution gets sharper; with $T > 1$ they shrink and the distribution moves towards uniform.
#
# A check on two logits that differ by $\ln 3$: at $T = 1$ the ratio of the probabilities is 3, i.e. $[0.25, 0.75]$; at $T = 0.5$ it is $3^2 = 9$, i.e. $[0.1, 0.9]$; at $T = 5$ it is $3^{1/5} \approx 1.246$, i.e. about $[0.4453, 0.5547]$.

# %%
def softmax_t(z, T=1.0):
    return torch.softmax(z / T, dim=-1)


two = torch.tensor([0.0, math.log(3)], dtype=DT)
for T in (1, 0.5, 5):
    print(f"T={T}: {softmax_t(two, T).numpy().round(4)}")

assert_close(softmax_t(two, 1), [0.25, 0.75], rtol=0, atol=1e-12)
assert_close(softmax_t(two, 0.5), [0.1, 0.9], rtol=0, atol=1e-12)
assert_close(softmax_t(two, 5), [0.4453, 0.5547], rtol=0, atol=5e-5)
assert_close(softmax_t(two + 10, 5), softmax_t(two, 5), rtol=0, atol=1e-12)  # shift-invariant
print("OK: [0.25, 0.75] at T=1, [0.1, 0.9] at T=0.5, [0.4453, 0.5547] at T=5; adding a constant changes nothing")

# %% [markdown] lang="ru"
# ## Температурные кривые
#
# При $T \to 0$ вся масса уходит на самый вероятный токен (жадный выбор), при $T \to \infty$ распределение стремится к равномерному $1/|V|$. Энтропия при этом монотонно растёт с температурой.

# %% [markdown] lang="en"
# ## Temperature curves
#
# As $T \to 0$ all the mass moves to the most likely token (greedy choice); as $T \to \infty$ the distribution approaches the uniform $1/|V|$. Entropy grows monotonically with temperature.

# %%
Ts = torch.logspace(-1, 1, 41, dtype=DT)  # 0.1 ... 10
P = torch.stack([softmax_t(logits, T) for T in Ts])
entropy = -(P * P.log()).sum(-1)

assert (entropy.diff() > 0).all()
assert softmax_t(logits, 0.01)[0] > 1 - 1e-12
assert_close(softmax_t(logits, 1e4), 1 / 8, rtol=0, atol=1e-3)
print(f"entropy: {entropy[0]:.3f} nats at T=0.1, {entropy[-1]:.3f} at T=10, max ln 8 = {math.log(8):.3f}")
print("OK: entropy increases with T; T->0 gives argmax, T->inf gives uniform")

fig, ax = plt.subplots(figsize=(6, 3.5), dpi=80)
for i, w in enumerate(vocab):
    ax.plot(Ts, P[:, i], label=w, lw=1.5)
ax.axhline(1 / 8, color="gray", ls=":", lw=1)
ax.axvline(1, color="gray", ls="--", lw=1)
ax.set_xscale("log")
ax.set_xlabel("temperature T", fontsize=9)
ax.set_ylabel("p(token)", fontsize=9)
ax.legend(fontsize=7, ncol=2)
ax.set_title("softmax(z / T) for 8 tokens", fontsize=10)
fig.tight_layout()
plt.show()

# %% [markdown] lang="ru"
# ## Top-k
#
# Оставляем $k$ самых вероятных токенов, остальным ставим логит $-\infty$ и заново нормируем softmax. Первая реализация — через сортировку индексов, вторая (эталон) — через `torch.topk` и порог: всё, что меньше $k$-го по величине логита, выкидываем. На логитах без повторов они обязаны совпасть при любом $k$.

# %% [markdown] lang="en"
# ## Top-k
#
# Keep the $k$ most likely tokens, set the logits of the others to $-\infty$ and renormalise with softmax. The first version works by sorting the indices; the second (the reference) uses `torch.topk` and a threshold: everything below the $k$-th largest logit is dropped. With no tied logits they must agree for every $k$.

# %%
NEG_INF = float("-inf")


def top_k_sort(z, k):
    keep = sorted(range(len(z)), key=lambda i: -float(z[i]))[:k]
    out = torch.full_like(z, NEG_INF)
    out[keep] = z[keep]
    return out


def top_k_ref(z, k):
    kth = torch.topk(z, k).values[-1]
    return z.masked_fill(z < kth, NEG_INF)


for k in range(1, len(vocab) + 1):
    assert_close(torch.softmax(top_k_sort(logits, k), -1),
                 torch.softmax(top_k_ref(logits, k), -1), rtol=0, atol=1e-12)
print("top-3:", {w: round(float(x), 3) for w, x in zip(vocab, torch.softmax(top_k_sort(logits, 3), -1)) if x > 0})
print("OK: top-k by sorting equals top-k via torch.topk for k = 1..8")


# %% [markdown] lang="ru"
# ## Top-p (nucleus)
#
# Берём самый маленький набор самых вероятных токенов, чья суммарная вероятность не меньше $p$, и нормируем внутри него. В отличие от top-k, размер набора подстраивается под форму распределения: при уверенной модели остаётся один-два токена, при неуверенной — много.
#
# Первая реализация — прямой цикл: идём по токенам в порядке убывания и складываем вероятности, пока сумма не дойдёт до $p$. Вторая написана иначе, векторно, как это принято в библиотеках: сортируем по возрастанию, считаем накопленную сумму и выбрасываем хвост, чья масса не больше $1 - p$.

# %% [markdown] lang="en"
# ## Top-p (nucleus)
#
# Take the smallest set of most likely tokens whose total probability is at least $p$ and renormalise within it. Unlike top-k, the size of the set adapts to the shape of the distribution: a confident model keeps one or two tokens, an uncertain one keeps many.
#
# The first version is a plain loop: walk through the tokens in decreasing order and add up probabilities until the sum reaches $p$. The second is written differently, vectorised, the way libraries usually do it: sort in increasing order, take the cumulative sum and drop the tail whose mass is at most $1 - p$.

# %%
def top_p_loop(z, p):
    probs = torch.softmax(z, -1)
    order = sorted(range(len(z)), key=lambda i: -float(probs[i]))
    keep, total = [], 0.0
    for i in order:
        keep.append(i)
        total += float(probs[i])
        if total >= p:
            break
    out = torch.full_like(z, NEG_INF)
    out[keep] = z[keep]
    return out


def top_p_ref(z, p):
    sorted_z, idx = torch.sort(z)  # ascending
    cum = torch.softmax(sorted_z, -1).cumsum(-1)
    drop_sorted = cum <= 1 - p
    drop_sorted[-1] = False  # always keep the top token
    drop = torch.zeros_like(drop_sorted).scatter(0, idx, drop_sorted)
    return z.masked_fill(drop, NEG_INF)


for p in np.linspace(0.01, 0.99, 99):
    a, b = top_p_loop(logits, p), top_p_ref(logits, p)
    assert torch.equal(a.isinf(), b.isinf()), p
    assert_close(torch.softmax(a, -1), torch.softmax(b, -1), rtol=0, atol=1e-12)

probs = softmax_t(logits)
print("p(token):", {w: round(float(x), 3) for w, x in zip(vocab, probs)})
for p in (0.5, 0.8, 0.9, 0.95):
    kept = [w for w, zz in zip(vocab, top_p_loop(logits, p)) if zz > NEG_INF]
    print(f"top-p {p}: keeps {len(kept)} tokens {kept}")
print("OK: the loop and the vectorised top-p agree for p = 0.01..0.99")


# %% [markdown] lang="ru"
# ## Min-p и сверка с transformers
#
# Min-p (Nguyen et al., 2024) оставляет токены, чья вероятность не меньше $p_{\min}$, умноженного на вероятность самого вероятного токена: порог подстраивается под уверенность модели. Сверяем наши top-k, top-p и min-p с процессорами логитов из `transformers` (`TopKLogitsWarper`, `TopPLogitsWarper`, `MinPLogitsWarper`) на тех же логитах. В `generate` они применяются по очереди: температура, top-k, top-p, min-p, и каждый следующий видит перенормированный результат предыдущего. Поэтому `top_k=4` с `top_p=0.8` оставляют меньше токенов, чем один `top_p=0.8`.

# %% [markdown] lang="en"
# ## Min-p and a check against transformers
#
# Min-p (Nguyen et al., 2024) keeps the tokens whose probability is at least $p_{\min}$ times that of the most likely token, so the threshold follows the model's confidence. We check our top-k, top-p and min-p against the logits processors of `transformers` (`TopKLogitsWarper`, `TopPLogitsWarper`, `MinPLogitsWarper`) on the same logits. In `generate` they run one after another: temperature, top-k, top-p, min-p, each seeing the renormalised output of the previous one. That is why `top_k=4` with `top_p=0.8` keeps fewer tokens than `top_p=0.8` alone.

# %%
from transformers import MinPLogitsWarper, TopKLogitsWarper, TopPLogitsWarper


def min_p_ref(z, ratio):
    probs = torch.softmax(z, -1)
    return z.masked_fill(probs < ratio * probs.max(), NEG_INF)


ids = torch.zeros(1, 1, dtype=torch.long)  # the warpers take a batch; here they ignore the prefix
row = logits[None]
for k in range(1, len(vocab) + 1):
    assert torch.equal(top_k_sort(logits, k).isinf(), TopKLogitsWarper(k)(ids, row)[0].isinf())
for p in np.linspace(0.01, 0.99, 99):
    assert torch.equal(top_p_loop(logits, p).isinf(), TopPLogitsWarper(float(p))(ids, row)[0].isinf()), p
for r in (0.05, 0.1, 0.2):
    assert torch.equal(min_p_ref(logits, r).isinf(), MinPLogitsWarper(r)(ids, row)[0].isinf())

min_p_kept = {r: int((~min_p_ref(logits, r).isinf()).sum()) for r in (0.05, 0.1, 0.2)}
both = TopPLogitsWarper(0.8)(ids, TopKLogitsWarper(4)(ids, row))
assert min_p_kept == {0.05: 6, 0.1: 5, 0.2: 4}
assert int((~both.isinf()).sum()) == 3 and int((~top_p_loop(logits, 0.8).isinf()).sum()) == 4
print(f"min-p threshold at 0.1: {0.1 * float(probs.max()):.3f}; tokens kept {min_p_kept}")
print("OK: top-k, top-p and min-p equal the transformers warpers; top_k=4 then top_p=0.8 keeps 3 tokens, top_p=0.8 alone 4")


# %% [markdown] lang="ru"
# ## Проверка выборкой
#
# Фильтр должен менять только распределение, из которого мы сэмплируем. Возьмём $T = 0.8$ и два фильтра по отдельности: top-k с $k = 3$ и top-p с $p = 0.9$. Для каждого сделаем 20 000 сэмплов генератором с фиксированным сидом и сравним частоты с перенормированными вероятностями. Допуск — четыре стандартных отклонения частоты, $4\sqrt{q(1-q)/n}$, где $q$ — вероятность токена после фильтра. Выкинутые токены не должны выпасть ни разу.

# %% [markdown] lang="en"
# ## Checking by sampling
#
# A filter should only change the distribution we sample from. Take $T = 0.8$ and two filters separately: top-k with $k = 3$ and top-p with $p = 0.9$. For each, draw 20,000 samples with a seeded generator and compare the frequencies with the renormalised probabilities. The tolerance is four standard deviations of a frequency, $4\sqrt{q(1-q)/n}$, where $q$ is the token's probability after filtering. Filtered-out tokens must never appear.

# %%
def sample(z, n, seed):
    g = torch.Generator().manual_seed(seed)
    return torch.multinomial(torch.softmax(z, -1), n, replacement=True, generator=g)


n = 20_000
for name, filtered in [("top-k=3, T=0.8", top_k_sort(logits / 0.8, 3)),
                       ("top-p=0.9, T=0.8", top_p_loop(logits / 0.8, 0.9))]:
    target = torch.softmax(filtered, -1)
    freq = torch.bincount(sample(filtered, n, seed=42), minlength=len(vocab)).to(DT) / n
    tol = 4 * torch.sqrt(target * (1 - target) / n)
    assert (freq[target == 0] == 0).all()
    assert ((freq - target).abs() <= tol + 1e-12).all()
    print(f"{name}: max |freq - p| = {(freq - target).abs().max():.4f}")
    print(f"OK: {name}: frequencies match the renormalised distribution, dropped tokens never sampled")

# %% [markdown] lang="ru"
# Где проходит отсечение top-p: столбцы — вероятности в порядке убывания, линия — накопленная сумма. Ядро — это токены до первого пересечения уровня $p$ включительно.

# %% [markdown] lang="en"
# Where the top-p cut falls: the bars are the probabilities in decreasing order, the line is their running sum. The nucleus is every token up to and including the first one that crosses $p$.

# %%
p_cut = 0.9
order = torch.argsort(probs, descending=True)
kept = ~top_p_loop(logits, p_cut).isinf()

fig, ax = plt.subplots(figsize=(6, 3.5), dpi=80)
ax.bar(range(8), probs[order], color=["tab:blue" if kept[i] else "lightgray" for i in order])
ax.plot(range(8), probs[order].cumsum(0), "o-", color="tab:orange", lw=1.5, label="cumulative")
ax.axhline(p_cut, color="tab:red", ls="--", lw=1, label=f"p = {p_cut}")
ax.set_xticks(range(8), [vocab[i] for i in order], fontsize=8)
ax.set_ylabel("probability", fontsize=9)
ax.set_title(f"top-p = {p_cut}: blue tokens are kept", fontsize=10)
ax.legend(fontsize=8)
fig.tight_layout()
plt.show()

# %% [markdown] lang="ru"
# ## Beam search против полного перебора
#
# «Языковая модель» — таблица вероятностей следующего токена при предыдущем (биграммы) над словарём $\{A, B, C\}$. Ищем последовательность длины $L = 3$ с максимальной вероятностью, то есть с максимальной суммой логарифмов вероятностей.
#
# Таблица устроена так, чтобы жадный выбор ошибся: первый шаг $A$ самый вероятный (0.5), но после $A$ модель не уверена, а после $B$ (0.4) следующий токен почти однозначен ($C$ с вероятностью 0.9).

# %% [markdown] lang="en"
# ## Beam search versus exhaustive search
#
# The "language model" is a table of next-token probabilities given the previous token (bigrams) over the vocabulary $\{A, B, C\}$. We look for the sequence of length $L = 3$ with the highest probability, i.e. the highest sum of log-probabilities.
#
# The table is built so that greedy choice goes wrong: $A$ is the most likely first step (0.5), but after $A$ the model is unsure, whereas after $B$ (0.4) the next token is almost certain ($C$ with probability 0.9).

# %%
SYM = "ABC"
TABLE = {  # P(next | previous)
    "<s>": [0.50, 0.40, 0.10],
    "A": [0.40, 0.30, 0.30],
    "B": [0.05, 0.05, 0.90],
    "C": [0.50, 0.30, 0.20],
}


def lm(prefix):
    prev = SYM[prefix[-1]] if prefix else "<s>"
    return [math.log(p) for p in TABLE[prev]]


def seq_logprob(seq):
    return sum(lm(seq[:t])[w] for t, w in enumerate(seq))


def beam_search(lm, V, L, B):
    beams, n_scored = [((), 0.0)], 0
    for _ in range(L):
        candidates = []
        for seq, score in beams:
            logp = lm(seq)
            candidates += [(seq + (w,), score + logp[w]) for w in range(V)]
            n_scored += V
        beams = heapq.nlargest(B, candidates, key=lambda c: c[1])  # top-B of B*V
    return beams[0], n_scored


def exhaustive(V, L):
    return max(((s, seq_logprob(s)) for s in itertools.product(range(V), repeat=L)), key=lambda c: c[1])


def show(seq):
    return "".join(SYM[w] for w in seq)


V, L = 3, 3
best, best_score = exhaustive(V, L)
for B in (1, 2, 3, V ** (L - 1)):
    (seq, score), n_scored = beam_search(lm, V, L, B)
    print(f"beam {B}: {show(seq)}  p = {math.exp(score):.3f}  scored {n_scored} candidates")
print(f"exhaustive: {show(best)}  p = {math.exp(best_score):.3f}  scored {V ** L} sequences")

(greedy, greedy_score), _ = beam_search(lm, V, L, 1)
assert show(greedy) == "AAA" and math.isclose(math.exp(greedy_score), 0.08)
assert show(best) == "BCA" and math.isclose(math.exp(best_score), 0.18)
assert greedy_score < best_score
for B in (2, 3, V ** (L - 1)):
    (seq, score), _ = beam_search(lm, V, L, B)
    assert seq == best and math.isclose(score, best_score)
print("OK: greedy finds AAA (0.08) < optimum BCA (0.18); beams of width 2, 3, 9 find the optimum")


# %% [markdown] lang="ru"
# ## Когда луч гарантированно находит оптимум
#
# Если ширина луча $B \ge |V|^{L-1}$, то до последнего шага ни один префикс не отбрасывается, и beam search становится полным перебором. Проверим это на 100 случайных биграммных таблицах ($|V| = 4$, $L = 4$, $4^4 = 256$ последовательностей) и посчитаем, как часто ошибаются узкие лучи.
#
# Стоимость: на каждом из $L$ шагов оцениваем $B \cdot |V|$ продолжений и выбираем из них лучшие $B$ (куча даёт $O(B|V|\log B)$, `argpartition` — $O(B|V|)$). Итого $O(L \cdot B \cdot |V|)$ вызовов оценки вместо $|V|^L$ у перебора. В реальной модели один шаг — это прогон сети на батче из $B$ префиксов, и каждый прогон сразу выдаёт все $|V|$ оценок. Поэтому основная цена — $L$ шагов по $B$ префиксов, а $|V|$ входит через выходной слой $d \times |V|$ и через выбор лучших $B$ из $B \cdot |V|$ кандидатов.

# %% [markdown] lang="en"
# ## When a beam is guaranteed to find the optimum
#
# With a beam width $B \ge |V|^{L-1}$ no prefix is dropped before the last step, and beam search turns into exhaustive search. Let us check this on 100 random bigram tables ($|V| = 4$, $L = 4$, $4^4 = 256$ sequences) and count how often narrow beams miss.
#
# Cost: at each of the $L$ steps we score $B \cdot |V|$ continuations and pick the best $B$ of them (a heap gives $O(B|V|\log B)$, `argpartition` gives $O(B|V|)$). In total that is $O(L \cdot B \cdot |V|)$ scoring calls instead of $|V|^L$ for exhaustive search. In a real model one step is a network pass over a batch of $B$ prefixes, and each pass yields all $|V|$ scores at once. So the main cost is $L$ steps over $B$ prefixes, while $|V|$ enters through the $d \times |V|$ output layer and the selection of the best $B$ out of $B \cdot |V|$ candidates.

# %%
def random_lm(V, seed):
    g = torch.Generator().manual_seed(seed)
    table = torch.log_softmax(2 * torch.randn(V + 1, V, generator=g, dtype=DT), -1).tolist()
    return lambda prefix: table[prefix[-1] + 1 if prefix else 0]


V, L, trials = 4, 4, 100
misses = {1: 0, 2: 0, 4: 0}
for seed in range(trials):
    lm_r = random_lm(V, seed)
    seqs = list(itertools.product(range(V), repeat=L))
    scores = [sum(lm_r(s[:t])[w] for t, w in enumerate(s)) for s in seqs]
    opt = max(scores)
    (_, full), n_scored = beam_search(lm_r, V, L, V ** (L - 1))
    assert math.isclose(full, opt, abs_tol=1e-12)
    for B in misses:
        (_, sc), n_b = beam_search(lm_r, V, L, B)
        misses[B] += sc < opt - 1e-12
        assert n_b <= L * B * V
print({f"beam {B}": f"misses the optimum in {m}/{trials}" for B, m in misses.items()})
assert misses[1] > 0
print(f"OK: beam width {V ** (L - 1)} = |V|^(L-1) always equals exhaustive search; "
      f"scored candidates never exceed L*B*V")
