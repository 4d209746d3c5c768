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
# # Позиционное кодирование: синусоиды, обучаемые эмбеддинги, RoPE, ALiBi
#
# Сначала убеждаемся, что attention без позиций не видит порядка. Затем строим синусоидальное кодирование по формуле и сверяем его с `transformers`, смотрим, почему сырой номер позиции не годится и где кончается обучаемая таблица, разбираем относительные схемы (обрезка Shaw, корзины T5, ALiBi из BLOOM) и, наконец, RoPE: наш поворот против `LlamaRotaryEmbedding` и GPT-J. Все модели строятся из конфигураций со случайными весами, ничего не скачивается.

# %% [markdown] lang="en"
# # Positional encodings: sinusoidal, learned, RoPE, ALiBi
#
# First we check that attention without positions cannot see the order. Then we build the sinusoidal encoding from its formula and compare it with `transformers`, see why the raw index does not work and where a learned table ends, go through the relative schemes (Shaw's clipping, T5's buckets, BLOOM's ALiBi) and finish with RoPE: our rotation against `LlamaRotaryEmbedding` and GPT-J. All models are built from configurations with random weights; nothing is downloaded.

# %%
import math

import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

torch.manual_seed(0)
assert_close = np.testing.assert_allclose

# %% [markdown] lang="ru"
# ## 1. Attention эквивариантен к перестановкам
#
# Если переставить токены, выход `nn.MultiheadAttention` переставится так же: $\operatorname{Attn}(PX) = P\operatorname{Attn}(X)$. Позиционное кодирование или каузальная маска это свойство ломают.

# %% [markdown] lang="en"
# ## 1. Attention is permutation-equivariant
#
# Shuffle the tokens and the output of `nn.MultiheadAttention` is shuffled in the same way: $\operatorname{Attn}(PX) = P\operatorname{Attn}(X)$. A positional encoding or a causal mask breaks this.

# %%
def sinusoidal(n_pos, d, base=10000.0):
    """Vaswani et al. (2017): sin in the even columns, cos in the odd ones."""
    angle = np.arange(n_pos)[:, None] / base ** (np.arange(0, d, 2) / d)
    pe = np.zeros((n_pos, d))
    pe[:, 0::2], pe[:, 1::2] = np.sin(angle), np.cos(angle)
    return pe


L, d = 5, 8
mha = nn.MultiheadAttention(d, num_heads=2, batch_first=True, dtype=torch.float64).eval()
x = torch.randn(1, L, d, dtype=torch.float64)
perm = torch.tensor([3, 0, 4, 1, 2])
pe = torch.tensor(sinusoidal(L, d))
causal = torch.triu(torch.ones(L, L, dtype=torch.bool), diagonal=1)


def attend(inp, mask=None):
    with torch.no_grad():
        return mha(inp, inp, inp, attn_mask=mask)[0]


assert torch.allclose(attend(x)[:, perm], attend(x[:, perm]), atol=1e-12)
assert not torch.allclose(attend(x + pe)[:, perm], attend(x[:, perm] + pe), atol=1e-6)
assert not torch.allclose(attend(x, causal)[:, perm], attend(x[:, perm], causal), atol=1e-6)
print("OK: shuffled input -> shuffled output; with positions or a causal mask this no longer holds")

# %% [markdown] lang="ru"
# ## 2. Синусоидальное кодирование
#
# $\operatorname{PE}(p, 2i) = \sin(p / 10000^{2i/d})$, $\operatorname{PE}(p, 2i+1) = \cos(p / 10000^{2i/d})$. Сверяемся с `create_sinusoidal_embeddings` из DistilBERT в `transformers` и проверяем два свойства: сдвиг на $k$ — одна и та же блочно-диагональная матрица поворотов $M_k$ для всех позиций, а скалярное произведение $\operatorname{PE}(p)\cdot\operatorname{PE}(q)$ зависит только от $p - q$.

# %% [markdown] lang="en"
# ## 2. The sinusoidal encoding
#
# $\operatorname{PE}(p, 2i) = \sin(p / 10000^{2i/d})$, $\operatorname{PE}(p, 2i+1) = \cos(p / 10000^{2i/d})$. We compare with DistilBERT's `create_sinusoidal_embeddings` in `transformers` and check two properties: a shift by $k$ is the same block-diagonal rotation matrix $M_k$ for every position, and the dot product $\operatorname{PE}(p)\cdot\operatorname{PE}(q)$ depends only on $p - q$.

# %%
from transformers.models.distilbert.modeling_distilbert import create_sinusoidal_embeddings

pe = sinusoidal(64, 32)
ref = create_sinusoidal_embeddings(64, 32, torch.empty(64, 32)).numpy()
assert_close(pe, ref, atol=1e-6)
print(sinusoidal(4, 4).round(3))


def shift_matrix(d, k, base=10000.0):
    m = np.zeros((d, d))
    for i, w in enumerate(base ** (-np.arange(0, d, 2) / d)):
        c, s = np.cos(w * k), np.sin(w * k)
        m[2 * i:2 * i + 2, 2 * i:2 * i + 2] = [[c, s], [-s, c]]
    return m


assert_close(pe[5:], pe[:-5] @ shift_matrix(32, 5).T, atol=1e-12)
big = sinusoidal(1200, 512)
assert math.isclose(big[3] @ big[5], big[1003] @ big[1005])
assert_close(np.linalg.norm(big, axis=1), 16.0)
print("OK: matches transformers; PE(p + 5) = M_5 PE(p); dot products depend on the offset; every norm is 16 at d = 512")

fig, (a1, a2) = plt.subplots(1, 2, figsize=(10, 3.5), dpi=80)
a1.imshow(pe, cmap="RdBu_r", vmin=-1, vmax=1, aspect="auto")
a1.set(xlabel="dimension", ylabel="position", title="sinusoidal encoding, 64 x 32")
a2.plot(big[100] @ big[:300].T)
a2.set(xlabel="position q", title="PE(100) . PE(q), d = 512")
fig.tight_layout()
plt.show()

# %% [markdown] lang="ru"
# ## 3. Почему не сырой номер позиции
#
# Прибавим номер $p$ к каждой координате эмбеддинга с нормой около 1. Уже на позиции 10 два несвязанных слова становятся почти одним вектором. Синусоиды имеют одну и ту же норму $\sqrt{d/2} = 16$ на любой позиции, а после умножения эмбеддингов на $\sqrt{d}$ слова остаются различимыми.

# %% [markdown] lang="en"
# ## 3. Why not the raw index
#
# Add the index $p$ to every coordinate of embeddings of norm about 1. Already at position 10 two unrelated words become almost the same vector. Sinusoids have the same norm $\sqrt{d/2} = 16$ at every position, and once the embeddings are multiplied by $\sqrt{d}$ the words stay distinguishable.

# %%
torch.manual_seed(0)
d = 512
cat, dog = torch.randn(2, d) / math.sqrt(d)
pe512 = torch.tensor(sinusoidal(501, d), dtype=torch.float32)
cos = lambda a, b: F.cosine_similarity(a, b, dim=0).item()  # noqa: E731
print(f"norms {cat.norm():.2f} {dog.norm():.2f}, cosine {cos(cat, dog):.3f}")
for p in (1, 10, 500):
    shift = torch.full((d,), float(p))
    raw, scaled = cos(cat + shift, dog + shift), cos(math.sqrt(d) * cat + pe512[p], math.sqrt(d) * dog + pe512[p])
    print(f"p = {p:3d}: raw index cosine {raw:.3f}, sinusoid cosine {scaled:.3f}")
assert cos(cat + 10, dog + 10) > 0.9999 and abs(cos(math.sqrt(d) * cat + pe512[500], math.sqrt(d) * dog + pe512[500])) < 0.5
print("OK: the raw index drowns the words, the scaled sinusoid does not")

# %% [markdown] lang="ru"
# ## 4. Обучаемая таблица кончается
#
# У GPT-2 позиционная таблица `wpe` размера `n_positions × n_embd`. На девятом токене модели с `n_positions=8` просто нет строки. Для полноразмерных BERT-base и GPT-2 считаем размер таблиц на устройстве `meta`.

# %% [markdown] lang="en"
# ## 4. A learned table runs out
#
# GPT-2 has a position table `wpe` of size `n_positions × n_embd`. A model with `n_positions=8` has no row for a ninth token. For full-size BERT-base and GPT-2 we count the tables on the `meta` device.

# %%
from transformers import BertConfig, BertModel, GPT2Config, GPT2Model

tiny = GPT2Model(GPT2Config(vocab_size=100, n_positions=8, n_embd=16, n_layer=1, n_head=2,
                            bos_token_id=0, eos_token_id=0)).eval()
with torch.no_grad():
    assert tiny(torch.zeros(1, 8, dtype=torch.long)).last_hidden_state.shape == (1, 8, 16)
    try:
        tiny(torch.zeros(1, 9, dtype=torch.long))
        raise AssertionError("expected an IndexError")
    except IndexError as err:
        print("9 tokens:", err)

with torch.device("meta"):
    bert, gpt2 = BertModel(BertConfig()), GPT2Model(GPT2Config())
n_bert = bert.embeddings.position_embeddings.weight.numel()
n_gpt2 = gpt2.wpe.weight.numel()
assert (n_bert, n_gpt2) == (512 * 768, 1024 * 768) == (393216, 786432)
print(f"BERT-base: {n_bert} position parameters, {100 * n_bert / sum(p.numel() for p in bert.parameters()):.2f}%")
print(f"GPT-2:     {n_gpt2} position parameters, {100 * n_gpt2 / sum(p.numel() for p in gpt2.parameters()):.2f}%")

# %% [markdown] lang="ru"
# ## 5. Относительные схемы: обрезка Shaw и корзины T5
#
# У Shaw et al. (2018) вектор выбирается по $\operatorname{clip}(j - i, k)$, поэтому векторов всего $2k + 1$. T5 складывает сдвиги в 32 корзины, по 16 на каждое направление: расстояния меньше 8 получают свою корзину, дальше корзины логарифмические, а всё начиная с 91 попадает в последнюю корзину своего направления (это энкодер, внимание двунаправленное).

# %% [markdown] lang="en"
# ## 5. Relative schemes: Shaw's clipping and T5's buckets
#
# Shaw et al. (2018) pick a vector by $\operatorname{clip}(j - i, k)$, so there are only $2k + 1$ vectors. T5 sorts offsets into 32 buckets, 16 per direction: distances below 8 get a bucket each, larger ones logarithmic buckets, and everything from 91 on lands in the last bucket of its direction (this is the encoder, with bidirectional attention).

# %%
from transformers.models.t5.modeling_t5 import T5Attention

n, k = 5, 2
clipped = (torch.arange(n)[None, :] - torch.arange(n)[:, None]).clamp(-k, k)
print(clipped)
assert clipped.unique().numel() == 2 * k + 1

rel = torch.arange(-150, 151)
buckets = T5Attention._relative_position_bucket(rel, bidirectional=True)
assert buckets[rel == -90].item() == 14 and (buckets[rel <= -91] == 15).all() and 16 not in buckets.tolist()
plt.figure(figsize=(6, 3), dpi=80)
plt.step(rel, buckets, where="mid")
plt.xlabel("offset j - i")
plt.ylabel("T5 bucket")
plt.show()

# %% [markdown] lang="ru"
# ## 6. ALiBi: наклоны и реализация BLOOM
#
# Для $H$ голов наклоны $m_h = 2^{-8h/H}$, при 8 головах это $1/2, \dots, 1/256$. BLOOM прибавляет $m\,j$ вместо $m\,(j - i)$: разница постоянна в строке, и softmax её не замечает.

# %% [markdown] lang="en"
# ## 6. ALiBi: slopes and BLOOM's implementation
#
# With $H$ heads the slopes are $m_h = 2^{-8h/H}$; for 8 heads that is $1/2, \dots, 1/256$. BLOOM adds $m\,j$ instead of $m\,(j - i)$: the difference is constant within a row, and softmax does not notice it.

# %%
from transformers.models.bloom.modeling_bloom import build_alibi_tensor

heads, n = 8, 6
slopes = 2.0 ** (-8.0 * torch.arange(1, heads + 1) / heads)
i, j = torch.arange(n)[:, None], torch.arange(n)[None, :]
future = j > i
paper_bias = (slopes[:, None, None] * (j - i)).masked_fill(future, float("-inf"))
bloom = build_alibi_tensor(torch.ones(1, n), heads, torch.float32).view(heads, 1, n)
assert torch.equal(bloom[:, 0, 1], slopes) and slopes[-1].item() == 1 / 256
scores = torch.randn(heads, n, n)
w_paper = torch.softmax(scores + paper_bias, dim=-1)
w_bloom = torch.softmax((scores + bloom).masked_fill(future, float("-inf")), dim=-1)
assert torch.allclose(w_paper, w_bloom, atol=1e-6)
print(paper_bias[0])
print("OK: BLOOM's build_alibi_tensor gives the same attention weights as the paper's bias")

# %% [markdown] lang="ru"
# ## 7. RoPE
#
# Поворачиваем пары $(x_i, x_{i+d/2})$ на углы $p\,\theta_i$ (расположение Llama в `transformers`) и сверяемся с `LlamaRotaryEmbedding` + `apply_rotary_pos_emb`. Чередующееся расположение статьи проверяем против GPT-J; оно отличается лишь перестановкой измерений. Затем проверяем, что нормы сохраняются, а оценка зависит только от сдвига.

# %% [markdown] lang="en"
# ## 7. RoPE
#
# We rotate the pairs $(x_i, x_{i+d/2})$ by the angles $p\,\theta_i$ (Llama's layout in `transformers`) and compare with `LlamaRotaryEmbedding` + `apply_rotary_pos_emb`. The paper's interleaved layout is checked against GPT-J; it differs only by a permutation of the dimensions. Then we check that norms are kept and that the score depends only on the offset.

# %%
from transformers import LlamaConfig
from transformers.models.gptj.modeling_gptj import apply_rotary_pos_emb as gptj_rotary
from transformers.models.gptj.modeling_gptj import create_sinusoidal_positions
from transformers.models.llama.modeling_llama import LlamaRotaryEmbedding, apply_rotary_pos_emb


def rope(x, pos, base=10000.0):
    d = x.shape[-1]
    theta = base ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    angle = pos[:, None].double() * theta
    x1, x2 = x[..., : d // 2], x[..., d // 2:]
    return torch.cat([x1 * angle.cos() - x2 * angle.sin(), x1 * angle.sin() + x2 * angle.cos()], dim=-1)


L, d = 6, 8
q, k = torch.randn(2, 1, 1, L, d, dtype=torch.float64)
pos = torch.arange(L)
cos_, sin_ = LlamaRotaryEmbedding(LlamaConfig(hidden_size=16, num_attention_heads=2, num_key_value_heads=2,
                                              head_dim=d))(q, pos[None])
q_hf, k_hf = apply_rotary_pos_emb(q, k, cos_, sin_)
assert torch.allclose(rope(q, pos), q_hf, atol=1e-6) and torch.allclose(rope(k, pos), k_hf, atol=1e-6)

# interleaved (paper, GPT-J) = half-split after a fixed permutation of the head dimensions
to_half = torch.cat([torch.arange(0, d, 2), torch.arange(1, d, 2)])
from_half = torch.argsort(to_half)
sincos = create_sinusoidal_positions(L, d)[None].double()
gptj = gptj_rotary(q[0, 0][None, :, None, :], sincos[..., : d // 2], sincos[..., d // 2:])[0, :, 0]
assert torch.allclose(gptj, rope(q[0, 0][:, to_half], pos)[:, from_half], atol=1e-6)

assert torch.allclose(rope(q, pos).norm(dim=-1), q.norm(dim=-1))
qv, kv = torch.randn(2, 1, 64, dtype=torch.float64)
def score(m, n, a=qv, b=kv):
    return (rope(a, torch.tensor([m])) * rope(b, torch.tensor([n]))).sum().item()
assert math.isclose(score(3, 1), score(12, 10)) and math.isclose(score(3, 1), score(1003, 1001))
print("OK: matches Llama and GPT-J; norms kept; the score depends only on m - n")

offsets = np.arange(0, 300)
same = [score(int(o), 0, qv, qv) for o in offsets]  # q = k: the score as a function of the offset
plt.figure(figsize=(6, 3), dpi=80)
plt.plot(offsets, same)
plt.xlabel("offset m - n")
plt.ylabel("score, q = k, d = 64")
plt.show()
