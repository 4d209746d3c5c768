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
# # Attention с нуля: маски, multi-head и сверка с PyTorch
#
# Пишем scaled dot-product attention в несколько строк, добавляем каузальную маску и маску паддинга и сверяемся с `F.scaled_dot_product_attention`. Затем собираем multi-head attention из тех же кусков, копируем в него веса `nn.MultiheadAttention` и добиваемся совпадения выходов и весов внимания. Всё считаем в float64, чтобы сравнивать с допуском $10^{-12}$. Попутно сравним функции оценки Bahdanau и Luong, проверим формы тензоров при реальных размерах, посчитаем FLOPs и память attention против RNN и посмотрим, чем двунаправленное внимание (BERT) отличается от каузального (GPT).

# %% [markdown] lang="en"
# # Attention from scratch: masks, multi-head, and a check against PyTorch
#
# We write scaled dot-product attention in a few lines, add a causal mask and a padding mask, and compare with `F.scaled_dot_product_attention`. Then we build multi-head attention from the same pieces, copy the weights of `nn.MultiheadAttention` into it and get identical outputs and attention weights. Everything runs in float64 so that we can compare with a tolerance of $10^{-12}$. Along the way we compare the score functions of Bahdanau and Luong, check the tensor shapes at realistic sizes, count the FLOPs and memory of attention against an RNN, and see how bidirectional attention (BERT) differs from causal attention (GPT).

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
DT = torch.float64
TOL = dict(rtol=0, atol=1e-12)
assert_close = np.testing.assert_allclose  # accepts CPU tensors


# %% [markdown] lang="ru"
# ## Формула
#
# Каждый запрос $q_i$ сравнивается со всеми ключами $k_j$ через скалярное произведение, softmax превращает сходства в веса, и выход — взвешенная сумма значений $v_j$:
#
# $$
# \operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}} + M\right) V .
# $$
#
# Маска $M$ аддитивная: $0$ там, где смотреть можно, и $-\infty$ там, где нельзя; после softmax запрещённые позиции получают вес ровно 0. Ниже маска хранится как булев тензор `keep` (True — можно смотреть) и переводится в аддитивную функцией `additive`.

# %% [markdown] lang="en"
# ## The formula
#
# Each query $q_i$ is compared with every key $k_j$ by a dot product, softmax turns the similarities into weights, and the output is the weighted sum of the values $v_j$:
#
# $$
# \operatorname{Attention}(Q, K, V) = \operatorname{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}} + M\right) V .
# $$
#
# The mask $M$ is additive: $0$ where attending is allowed and $-\infty$ where it is not, so after softmax the forbidden positions get a weight of exactly 0. Below the mask is kept as a boolean tensor `keep` (True = may attend) and turned into the additive form by `additive`.

# %%
def additive(keep):
    """bool mask (True = may attend) -> 0 / -inf"""
    return torch.zeros(keep.shape, dtype=DT).masked_fill(~keep, float("-inf"))


def attention(q, k, v, mask=None):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores + mask
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


B, L, d_k = 2, 5, 8
q, k, v = (torch.randn(B, L, d_k, dtype=DT) for _ in range(3))

out, w = attention(q, k, v)
assert_close(out, F.scaled_dot_product_attention(q, k, v), **TOL)
assert_close(w.sum(-1), 1.0, **TOL)
print("OK: no mask, matches F.scaled_dot_product_attention; every row of weights sums to 1")

# %% [markdown] lang="ru"
# ## Зачем делить на $\sqrt{d_k}$
#
# Если компоненты $q$ и $k$ независимы, с нулевым средним и единичной дисперсией, то у $q^\top k$ дисперсия равна $d_k$. При $d_k = 64$ логиты имеют разброс порядка $\pm 8$, softmax почти вырождается в one-hot, и градиенты через него становятся крошечными. Деление на $\sqrt{d_k}$ возвращает дисперсию к 1.

# %% [markdown] lang="en"
# ## Why divide by $\sqrt{d_k}$
#
# If the components of $q$ and $k$ are independent with zero mean and unit variance, $q^\top k$ has variance $d_k$. With $d_k = 64$ the logits spread over roughly $\pm 8$, softmax becomes almost one-hot and the gradients through it get tiny. Dividing by $\sqrt{d_k}$ brings the variance back to 1.

# %%
g = torch.Generator().manual_seed(1)
a, b = torch.randn(2, 20000, 64, generator=g, dtype=DT)
dots = (a * b).sum(-1)
print(f"var(q.k) = {dots.var():.2f}, var(q.k / sqrt(64)) = {(dots / 8).var():.3f}")
assert 0.9 < (dots / 8).var() < 1.1
print("OK: scaling by sqrt(d_k) brings the variance of the logits to about 1")

# %% [markdown] lang="ru"
# ## Другие функции оценки: Bahdanau и Luong
#
# Скалярное произведение — не единственный способ сравнить запрос с ключом. У Bahdanau et al. (2014) оценка аддитивная, $v_a^\top \tanh(W_a q + U_a k)$, у Luong et al. (2015) есть ещё билинейная general, $q^\top W_a k$. Пример из вопроса 32: состояния энкодера $h_1 = (1, 0)$, $h_2 = (0, 1)$, $h_3 = (1, 1)$ служат ключами и значениями, состояние декодера $s = (2, 1)$ — запросом. Варианты со скалярным произведением сверяем с SDPA (достаточно передать нужный запрос и `scale`), аддитивный — с расчётом на обычных числах.

# %% [markdown] lang="en"
# ## Other score functions: Bahdanau and Luong
#
# The dot product is not the only way to compare a query with a key. Bahdanau et al. (2014) use an additive score, $v_a^\top \tanh(W_a q + U_a k)$, and Luong et al. (2015) add a bilinear "general" one, $q^\top W_a k$. The example of question 32: the encoder states $h_1 = (1, 0)$, $h_2 = (0, 1)$, $h_3 = (1, 1)$ are the keys and values, the decoder state $s = (2, 1)$ is the query. The dot-product variants are checked against SDPA (pass the right query and `scale`), the additive one against a computation with plain floats.

# %%
h_enc = torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], dtype=DT)  # keys = values
s_dec = torch.tensor([2.0, 1.0], dtype=DT)                               # the query
W_g = torch.tensor([[1.0, 0.0], [0.0, -1.0]], dtype=DT)                  # Luong "general"
W_a, U_a, v_a = 0.5 * torch.eye(2, dtype=DT), torch.eye(2, dtype=DT), torch.tensor([1.0, -1.0], dtype=DT)

score_fns = {
    "dot": h_enc @ s_dec,
    "scaled dot": h_enc @ s_dec / math.sqrt(2),
    "general": h_enc @ (W_g.T @ s_dec),
    "additive": torch.tanh(W_a @ s_dec + h_enc @ U_a.T) @ v_a,
}
alphas = {name: torch.softmax(e, dim=0) for name, e in score_fns.items()}
for name, a_ in alphas.items():
    print(f"{name:10s} weights {a_.numpy().round(3)}  context {(a_ @ h_enc).numpy().round(3)}")

assert_close(alphas["dot"] @ h_enc, F.scaled_dot_product_attention(s_dec[None], h_enc, h_enc, scale=1.0)[0], **TOL)
assert_close(alphas["scaled dot"] @ h_enc, F.scaled_dot_product_attention(s_dec[None], h_enc, h_enc)[0], **TOL)
assert_close(alphas["general"] @ h_enc,
             F.scaled_dot_product_attention((W_g.T @ s_dec)[None], h_enc, h_enc, scale=1.0)[0], **TOL)
by_hand = [math.tanh(0.5 * 2 + h1) - math.tanh(0.5 * 1 + h2) for h1, h2 in [(1, 0), (0, 1), (1, 1)]]
assert_close(score_fns["additive"], by_hand, **TOL)
assert_close(alphas["dot"], [0.245, 0.090, 0.665], rtol=0, atol=5e-4)
assert_close(alphas["additive"], [0.462, 0.242, 0.296], rtol=0, atol=5e-4)
assert (score_fns["additive"].abs() < v_a.abs().sum()).all()  # tanh bounds the additive scores by 2
print("OK: dot, scaled dot and general match SDPA; additive matches the computation by hand")

# %% [markdown] lang="ru"
# ## Каузальная маска
#
# В декодере токен $i$ не должен видеть будущие токены $j > i$. Разрешённые пары — нижний треугольник матрицы, включая диагональ. В `F.scaled_dot_product_attention` это можно задать тремя способами: флагом `is_causal=True`, булевой маской или аддитивной маской. **Внимание:** в SDPA булева маска означает True = *можно* смотреть, а в `nn.MultiheadAttention` наоборот — True = *запрещено*.

# %% [markdown] lang="en"
# ## Causal mask
#
# In a decoder token $i$ must not see future tokens $j > i$. The allowed pairs form the lower triangle of the matrix, diagonal included. `F.scaled_dot_product_attention` accepts this in three ways: the flag `is_causal=True`, a boolean mask, or an additive mask. **Watch out:** in SDPA a boolean mask means True = *may* attend, whereas in `nn.MultiheadAttention` it is the other way round, True = *blocked*.

# %%
causal = torch.tril(torch.ones(L, L, dtype=torch.bool))
out_c, w_c = attention(q, k, v, additive(causal))

assert_close(out_c, F.scaled_dot_product_attention(q, k, v, is_causal=True), **TOL)
assert_close(out_c, F.scaled_dot_product_attention(q, k, v, attn_mask=causal), **TOL)
assert_close(out_c, F.scaled_dot_product_attention(q, k, v, attn_mask=additive(causal)), **TOL)
assert (w_c[:, ~causal] == 0).all()
assert_close(out_c[:, 0], v[:, 0], **TOL)  # the first token can only see itself
print("OK: causal attention matches SDPA with is_causal=True, a bool mask and an additive mask")
print("OK: weights above the diagonal are exactly 0; position 0 just copies v[0]")

# %% [markdown] lang="ru"
# Если перепутать соглашение и передать в SDPA маску «True = запрещено», ответ молча станет другим: каждый токен будет смотреть только в будущее, а последней строке вообще некуда смотреть.

# %% [markdown] lang="en"
# Mix up the convention and pass SDPA a "True = blocked" mask, and the answer silently changes: every token attends only to the future, and the last row has nowhere to look at all.

# %%
wrong = F.scaled_dot_product_attention(q, k, v, attn_mask=~causal)
assert not torch.allclose(wrong, out_c)
print("OK: the inverted mask gives a different result (no error is raised)")

# %% [markdown] lang="ru"
# ## Маска паддинга
#
# В батче последовательности разной длины дополняют паддингом до общей длины. Паддинг — это *ключи*, на которые нельзя смотреть: маска зависит от номера столбца $j$ и одинакова для всех запросов. Форма `(B, 1, L)` растягивается по оси запросов. Её можно объединить с каузальной маской логическим И.

# %% [markdown] lang="en"
# ## Padding mask
#
# In a batch, sequences of different lengths are padded to a common length. Padding positions are *keys* that must not be attended to: the mask depends on the column $j$ and is the same for every query. A mask of shape `(B, 1, L)` broadcasts over the query axis, and a logical AND combines it with the causal mask.

# %%
lengths = torch.tensor([5, 3])
key_keep = torch.arange(L)[None, :] < lengths[:, None]  # (B, L), True = real token
keep = key_keep[:, None, :] & causal                      # (B, L, L)

out_p, w_p = attention(q, k, v, additive(keep))
assert_close(out_p, F.scaled_dot_product_attention(q, k, v, attn_mask=keep), **TOL)
assert (w_p[1, :, 3:] == 0).all()  # padded keys of sequence 2 get zero weight from every query
assert_close(w_p.sum(-1), 1.0, **TOL)
print("OK: causal + padding mask matches SDPA; padded keys get exactly zero weight")

# %% [markdown] lang="ru"
# Строки для *запросов*-паддингов мы не маскируем: их выходы бессмысленны, но конечны, и их просто игнорируют в лоссе. Если же замаскировать строку целиком, в ней останутся одни $-\infty$, и наивный softmax выдаст NaN. SDPA в свежих версиях PyTorch возвращает для такой строки нули, но полагаться на это не стоит.

# %% [markdown] lang="en"
# We do not mask the rows of padded *queries*: their outputs are meaningless but finite, and the loss simply ignores them. If a whole row is masked, it contains nothing but $-\infty$ and a naive softmax returns NaN. Recent PyTorch versions of SDPA return zeros for such a row, but it is better not to rely on that.

# %%
row = torch.full((1, 1, L), float("-inf"), dtype=DT)
assert torch.isnan(torch.softmax(row, dim=-1)).all()
print("OK: a fully masked row gives NaN with a plain softmax")
dead = keep.clone()
dead[1, 4] = False
print("SDPA output for a fully masked row:", F.scaled_dot_product_attention(q, k, v, attn_mask=dead)[1, 4])


# %% [markdown] lang="ru"
# Как избежать NaN. В PyTorch 2.13 SDPA возвращает для полностью замаскированной строки нули («безопасный softmax»), а `nn.MultiheadAttention` — NaN. Hugging Face в eager-реализации внимания вместо $-\infty$ берёт самое отрицательное конечное число, `torch.finfo(dtype).min` (а в SDPA передаёт булеву маску): в частично замаскированных строках запрещённые ключи по-прежнему получают ровно 0, а полностью замаскированная строка остаётся конечной и равномерной. Только не складывайте две такие маски: сумма переполнится обратно в $-\infty$.

# %% [markdown] lang="en"
# How to avoid the NaN. In PyTorch 2.13 SDPA returns zeros for a fully masked row (a "safe softmax"), while `nn.MultiheadAttention` returns NaN. Hugging Face, in its eager attention, uses the most negative finite number, `torch.finfo(dtype).min`, instead of $-\infty$ (for SDPA it passes a boolean mask): in partly masked rows the blocked keys still get exactly 0, and a fully masked row stays finite and uniform. Just do not add two such masks: the sum overflows back to $-\infty$.

# %%
assert (F.scaled_dot_product_attention(q, k, v, attn_mask=dead)[1, 4] == 0).all()
finite_mask = torch.zeros(dead.shape, dtype=DT).masked_fill(~dead, torch.finfo(DT).min)  # instead of -inf
finite = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(d_k) + finite_mask, dim=-1)
assert torch.isfinite(finite).all()
assert_close(finite[1, 4], torch.full((L,), 1 / L, dtype=DT), **TOL)  # uniform over the keys
partly = ~dead & dead.any(dim=-1, keepdim=True)                      # blocked keys of rows that see something
assert (finite[partly] == 0).all()
assert torch.tensor(torch.finfo(DT).min, dtype=DT) * 2 == float("-inf")
probe = nn.MultiheadAttention(8, 2, batch_first=True, dtype=DT)
x_probe = torch.randn(1, 3, 8, dtype=DT)
with torch.no_grad():
    assert torch.isnan(probe(x_probe, x_probe, x_probe, key_padding_mask=torch.ones(1, 3, dtype=torch.bool))[0]).all()
print("OK: SDPA gives zeros, a finfo.min mask gives a uniform finite row, nn.MultiheadAttention gives NaN")


# %% [markdown] lang="ru"
# ## Multi-head attention с нуля
#
# Вход $X$ (размер $d_{\text{model}}$) линейно проецируется в $Q$, $K$, $V$. Каждую проекцию режем на $h$ голов по $d_k = d_{\text{model}}/h$ признаков, внимание считается в каждой голове отдельно, результаты склеиваются и проходят через выходную проекцию $W^O$:
#
# $$
# \operatorname{MHA}(X) = \operatorname{Concat}(\text{head}_1, \dots, \text{head}_h)\, W^O, \qquad \text{head}_i = \operatorname{Attention}(X W_i^Q, X W_i^K, X W_i^V).
# $$
#
# В `nn.MultiheadAttention` три матрицы $W^Q, W^K, W^V$ лежат одна под другой в `in_proj_weight` размера $3d \times d$, а $W^O$ — в `out_proj`. PyTorch хранит матрицы в виде $W$ для $y = xW^\top + b$. По умолчанию смещения инициализированы нулями, поэтому мы заполним их случайными числами, чтобы проверка была честной.

# %% [markdown] lang="en"
# ## Multi-head attention from scratch
#
# The input $X$ (width $d_{\text{model}}$) is projected linearly into $Q$, $K$, $V$. Each projection is cut into $h$ heads of $d_k = d_{\text{model}}/h$ features, attention runs in every head separately, and the results are concatenated and passed through the output projection $W^O$:
#
# $$
# \operatorname{MHA}(X) = \operatorname{Concat}(\text{head}_1, \dots, \text{head}_h)\, W^O, \qquad \text{head}_i = \operatorname{Attention}(X W_i^Q, X W_i^K, X W_i^V).
# $$
#
# `nn.MultiheadAttention` stacks $W^Q, W^K, W^V$ on top of each other in `in_proj_weight` of size $3d \times d$ and keeps $W^O$ in `out_proj`. PyTorch stores weights as $W$ in $y = xW^\top + b$. The biases start at zero by default, so we fill them with random numbers to make the check meaningful.

# %%
def mha(x_q, x_kv, in_w, in_b, out_w, out_b, n_heads, key_padding_mask=None, attn_mask=None):
    """Masks follow nn.MultiheadAttention: True = blocked."""
    Bq, Lq, E = x_q.shape
    d = E // n_heads
    w_q, w_k, w_v = in_w.chunk(3)
    b_q, b_k, b_v = in_b.chunk(3)

    def heads(t):  # (B, L, E) -> (B, H, L, d)
        return t.view(Bq, -1, n_heads, d).transpose(1, 2)

    Q, K, V = heads(x_q @ w_q.T + b_q), heads(x_kv @ w_k.T + b_k), heads(x_kv @ w_v.T + b_v)
    keep = torch.ones(Bq, 1, Lq, x_kv.shape[1], dtype=torch.bool)
    if key_padding_mask is not None:
        keep = keep & ~key_padding_mask[:, None, None, :]
    if attn_mask is not None:
        keep = keep & ~attn_mask
    o, w = attention(Q, K, V, additive(keep))
    o = o.transpose(1, 2).reshape(Bq, Lq, E)  # concat heads
    return o @ out_w.T + out_b, w.mean(dim=1), w


E, H = 16, 4
ref = nn.MultiheadAttention(E, H, batch_first=True, dtype=DT).eval()
with torch.no_grad():
    ref.in_proj_bias.normal_()
    ref.out_proj.bias.normal_()
params = (ref.in_proj_weight, ref.in_proj_bias, ref.out_proj.weight, ref.out_proj.bias)

x = torch.randn(B, L, E, dtype=DT)
pad = ~key_keep  # nn.MultiheadAttention: True = padding, ignore

with torch.no_grad():
    for name, kw in [("no mask", {}),
                     ("key_padding_mask", dict(key_padding_mask=pad)),
                     ("padding + causal", dict(key_padding_mask=pad, attn_mask=~causal))]:
        y_ref, w_ref = ref(x, x, x, need_weights=True, average_attn_weights=True, **kw)
        y, w_avg, _ = mha(x, x, *params, H, **kw)
        assert_close(y, y_ref, **TOL)
        assert_close(w_avg, w_ref, **TOL)
        print(f"OK: {name}: outputs and head-averaged weights match nn.MultiheadAttention")

# %% [markdown] lang="ru"
# Те же функции работают и для cross-attention (запросы из декодера, ключи и значения из энкодера, длины разные), и для весов по каждой голове отдельно (`average_attn_weights=False`).

# %% [markdown] lang="en"
# The same function handles cross-attention as well (queries from the decoder, keys and values from the encoder, different lengths), and per-head weights (`average_attn_weights=False`).

# %%
x_dec = torch.randn(B, 3, E, dtype=DT)
with torch.no_grad():
    y_ref, w_ref = ref(x_dec, x, x, key_padding_mask=pad, need_weights=True, average_attn_weights=False)
    y, _, w_heads = mha(x_dec, x, *params, H, key_padding_mask=pad)
assert_close(y, y_ref, **TOL)
assert_close(w_heads, w_ref, **TOL)
assert w_heads.shape == (B, H, 3, L) and (w_heads[1, :, :, 3:] == 0).all()
print("OK: cross-attention (3 queries, 5 keys) and per-head weights match; padded keys get 0")

# %% [markdown] lang="ru"
# ## Формы тензоров при реальных размерах
#
# Вопрос 37: батч $B = 2$, $n = 10$ токенов, $d_{\text{model}} = 512$, $h = 8$ голов, $d_k = 64$. Прогоняем через ту же функцию `mha` с весами `nn.MultiheadAttention(512, 8)` и проверяем формы всех промежуточных тензоров.

# %% [markdown] lang="en"
# ## Tensor shapes at realistic sizes
#
# Question 37: batch $B = 2$, $n = 10$ tokens, $d_{\text{model}} = 512$, $h = 8$ heads, $d_k = 64$. We run the same `mha` function with the weights of `nn.MultiheadAttention(512, 8)` and check the shape of every intermediate tensor.

# %%
B2, H2, n2, E2 = 2, 8, 10, 512
big = nn.MultiheadAttention(E2, H2, batch_first=True, dtype=DT)
x2 = torch.randn(B2, n2, E2, dtype=DT)
with torch.no_grad():
    q2 = (x2 @ big.in_proj_weight.chunk(3)[0].T).view(B2, n2, H2, E2 // H2).transpose(1, 2)
    y2, w2_avg, w2 = mha(x2, x2, big.in_proj_weight, big.in_proj_bias, big.out_proj.weight, big.out_proj.bias, H2)
    y2_ref, _ = big(x2, x2, x2)
assert_close(y2, y2_ref, **TOL)
shapes = {"input / output": y2.shape, "Q, K, V per head": q2.shape, "scores, weights": w2.shape,
          "averaged weights": w2_avg.shape, "in_proj_weight": big.in_proj_weight.shape}
for name, shape in shapes.items():
    print(f"{name:18s} {tuple(shape)}")
assert tuple(q2.shape) == (2, 8, 10, 64) and tuple(w2.shape) == (2, 8, 10, 10) and tuple(y2.shape) == (2, 10, 512)
assert tuple(big.in_proj_weight.shape) == (1536, 512)
assert sum(p.numel() for p in big.parameters()) == 4 * E2 ** 2 + 4 * E2 == 1050624
print("OK: shapes (2, 8, 10, 64), (2, 8, 10, 10), (2, 10, 512); 1,050,624 parameters")

# %% [markdown] lang="ru"
# ## Карта внимания
#
# Усреднённые по головам веса для второй последовательности (3 настоящих токена и 2 паддинга) с каузальной маской: над диагональю и в столбцах паддинга стоят нули.

# %% [markdown] lang="en"
# ## An attention map
#
# Head-averaged weights for the second sequence (3 real tokens and 2 padding positions) with the causal mask: zeros above the diagonal and in the padding columns.

# %%
with torch.no_grad():
    _, w_avg, _ = mha(x, x, *params, H, key_padding_mask=pad, attn_mask=~causal)
tokens = ["<s>", "a", "dog", "<pad>", "<pad>"]
m = w_avg[1].numpy()

fig, ax = plt.subplots(figsize=(6, 3.5), dpi=80)
im = ax.imshow(m, cmap="viridis", vmin=0, vmax=1)
for i in range(L):
    for j in range(L):
        ax.text(j, i, f"{m[i, j]:.2f}", ha="center", va="center", fontsize=8,
                color="black" if m[i, j] > 0.6 else "white")
ax.set_xticks(range(L), tokens, fontsize=8)
ax.set_yticks(range(L), tokens, fontsize=8)
ax.set_xlabel("key", fontsize=9)
ax.set_ylabel("query", fontsize=9)
ax.set_title("causal + padding, mean over 4 heads", fontsize=10)
fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
fig.tight_layout()
plt.show()


# %% [markdown] lang="ru"
# ## Стоимость: FLOPs и память против RNN
#
# Вопрос 33. Слой self-attention стоит $4nd^2 + 2n^2d$ умножений-сложений (проекции плюс $QK^\top$ и веса на $V$), обычная RNN — $2nd^2$, LSTM — $8nd^2$. Сверяем формулы со счётчиком `FlopCounterMode`, который записывает 2 FLOPs на умножение-сложение (`nn.MultiheadAttention` в режиме обучения считает через обычные matmul, и счётчик видит их все), и печатаем таблицу для $d = 512$ в GMAC. Последний столбец — память под веса внимания $h n^2$ во float32, в МБ.

# %% [markdown] lang="en"
# ## Cost: FLOPs and memory against an RNN
#
# Question 33. A self-attention layer costs $4nd^2 + 2n^2d$ multiply-adds (projections plus $QK^\top$ and weights times $V$), a plain RNN $2nd^2$, an LSTM $8nd^2$. We check the formulas against `FlopCounterMode`, which records 2 FLOPs per multiply-add (`nn.MultiheadAttention` in training mode computes with plain matmuls, all of which the counter sees), and print a table for $d = 512$ in GMAC. The last column is the memory of the attention weights $h n^2$ in float32, in MB.

# %%
from torch.utils.flop_counter import FlopCounterMode


def macs(fn, *args):
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        fn(*args)
    return counter.get_total_flops() // 2


def attention_macs(n, d):
    return 4 * n * d * d + 2 * n * n * d


n3, d3 = 16, 32
x3 = torch.randn(1, n3, d3)
lstm_cell = nn.LSTMCell(d3, d3)
assert macs(nn.MultiheadAttention(d3, 4, batch_first=True), x3, x3, x3) == attention_macs(n3, d3) == 81920
assert macs(nn.RNN(d3, d3, batch_first=True), x3) == 2 * n3 * d3 * d3 == 32768
assert macs(lambda s: [lstm_cell(s[:, t]) for t in range(n3)], x3) == 8 * n3 * d3 * d3 == 131072

print(f"{'n':>5} {'attention':>10} {'RNN':>8} {'LSTM':>8} {'weights MB':>11}")
for n in (128, 512, 1024, 2048, 8192):
    att, rnn, lstm = attention_macs(n, 512), 2 * n * 512 ** 2, 8 * n * 512 ** 2
    print(f"{n:>5} {att / 1e9:>10.3f} {rnn / 1e9:>8.3f} {lstm / 1e9:>8.3f} {8 * n * n * 4 / 1e6:>11.1f}")
assert 2 * 512 ** 2 * 512 == 2 * 512 * 512 ** 2                  # n = d: pairwise part = Elman RNN
assert attention_macs(1024, 512) == 8 * 1024 * 512 ** 2           # n = 2d: attention layer = LSTM layer
print("OK: the formulas match the FLOP counter; crossovers at n = d and n = 2d")

# %% [markdown] lang="ru"
# ## BERT и GPT: двунаправленное и каузальное внимание
#
# Вопрос 38. Модели различаются маской: у энкодера (BERT) только паддинг, у декодера (GPT) ещё и каузальная маска. Проверим следствие: если заменить последний токен, то с каузальной маской выходы первых позиций не меняются вовсе — поэтому декодер может кэшировать ключи и значения прошлых токенов, — а без маски меняются все.

# %% [markdown] lang="en"
# ## BERT and GPT: bidirectional and causal attention
#
# Question 38. The models differ in the mask: an encoder (BERT) masks only padding, a decoder (GPT) adds the causal mask. Check the consequence: replace the last token, and with the causal mask the outputs of the earlier positions do not change at all, which is why a decoder can cache the keys and values of past tokens; without the mask all of them change.

# %%
x4 = x.clone()
x4[:, -1] = torch.randn(B, E, dtype=DT)
with torch.no_grad():
    bidir = (mha(x, x, *params, H)[0] - mha(x4, x4, *params, H)[0])[:, :-1].abs().max().item()
    caus = (mha(x, x, *params, H, attn_mask=~causal)[0] - mha(x4, x4, *params, H, attn_mask=~causal)[0])[:, :-1]
print(f"bidirectional: max change {bidir:.3f}; causal: max change {caus.abs().max().item()}")
assert bidir > 0 and (caus == 0).all()
assert int(causal.sum()) == L * (L + 1) // 2                       # allowed pairs: 15 of 25
print("OK: with the causal mask earlier positions ignore later tokens exactly")
