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
# Пишем scaled dot-product attention в несколько строк, добавляем каузальную маску и маску паддинга и сверяемся с `F.scaled_dot_product_attention`. Затем собираем multi-head attention из тех же кусков, копируем в него веса `nn.MultiheadAttention` и добиваемся совпадения выходов и весов внимания. Всё считаем в float64, чтобы сравнивать с допуском $10^{-12}$.

# %% [markdown] lang="en"
# # Attention from scratch: masks, multi-head, and a check against PyTorch
#
# We write scaled dot-product attention in a few lines, add a causal mask and a padding mask, and compare with `F.scaled_dot_product_attention`. Then we build multi-head attention from the same pieces, copy the weights of `nn.MultiheadAttention` into it and get identical outputs and attention weights. Everything runs in float64 so that we can compare with a tolerance of $10^{-12}$.

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
# Те же функции работают и для cross-attention (запросы из декодера, ключи и значения из кодировщика, длины разные), и для весов по каждой голове отдельно (`average_attn_weights=False`).

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
