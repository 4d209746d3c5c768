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
# # Считаем параметры: RNN, GRU, LSTM, эмбеддинги, attention, слой трансформера
#
# Для каждого модуля выводим число параметров по формуле и сверяем с `sum(p.numel() for p in module.parameters())` в PyTorch. Заодно убеждаемся, что число голов внимания на количество параметров не влияет.

# %% [markdown] lang="en"
# # Counting parameters: RNN, GRU, LSTM, embeddings, attention, a transformer layer
#
# For each module we derive the parameter count from a formula and check it against `sum(p.numel() for p in module.parameters())` in PyTorch. Along the way we confirm that the number of attention heads does not change the count.

# %%
import matplotlib.pyplot as plt
import torch
from torch import nn

torch.manual_seed(0)


def n_params(module):
    return sum(p.numel() for p in module.parameters())


# %% [markdown] lang="ru"
# ## Рекуррентные сети
#
# Один «блок» рекуррентной ячейки — аффинное преобразование входа и прошлого состояния: матрица $h \times x$, матрица $h \times h$ и смещение. В PyTorch смещений два (`bias_ih` и `bias_hh`, так устроены ядра cuDNN), поэтому блок стоит $h x + h^2 + 2h$. У простой RNN один блок, у GRU три (гейты сброса и обновления плюс кандидат), у LSTM четыре (входной, забывающий, выходной гейты и кандидат):
#
# $$
# N_{\text{layer}} = g \cdot (h \cdot x_{\text{in}} + h^2 + 2h), \qquad g = 1, 3, 4 .
# $$
#
# Двунаправленный слой — это две независимые копии. Второй слой получает на вход выход первого: $h$ признаков, а после двунаправленного слоя $2h$.

# %% [markdown] lang="en"
# ## Recurrent networks
#
# One "block" of a recurrent cell is an affine map of the input and the previous state: an $h \times x$ matrix, an $h \times h$ matrix and a bias. PyTorch keeps two biases (`bias_ih` and `bias_hh`, following the cuDNN kernels), so a block costs $h x + h^2 + 2h$. A plain RNN has one block, a GRU three (reset and update gates plus the candidate), an LSTM four (input, forget and output gates plus the candidate):
#
# $$
# N_{\text{layer}} = g \cdot (h \cdot x_{\text{in}} + h^2 + 2h), \qquad g = 1, 3, 4 .
# $$
#
# A bidirectional layer is two independent copies. The second layer takes the output of the first as its input: $h$ features, or $2h$ after a bidirectional layer.

# %%
GATES = {nn.RNN: 1, nn.GRU: 3, nn.LSTM: 4}


def rnn_formula(cell, x, h, num_layers=1, bidirectional=False):
    dirs = 2 if bidirectional else 1
    total = 0
    for layer in range(num_layers):
        x_in = x if layer == 0 else h * dirs
        total += dirs * GATES[cell] * (h * x_in + h * h + 2 * h)
    return total


x, h = 100, 128
configs = [(1, False), (2, False), (1, True), (2, True)]
print(f"{'':>5}" + "".join(f"{f'L={n}, bi={b}':>16}" for n, b in configs))
for cell in GATES:
    row = []
    for num_layers, bi in configs:
        got = n_params(cell(x, h, num_layers=num_layers, bidirectional=bi))
        assert got == rnn_formula(cell, x, h, num_layers, bi), (cell, num_layers, bi)
        row.append(got)
    print(f"{cell.__name__:>5}" + "".join(f"{v:>16,}" for v in row))

assert [n_params(c(x, h)) for c in GATES] == [29440, 88320, 117760]
assert n_params(nn.RNN(x, h, num_layers=2)) == 62464
assert [n_params(c(x, h, num_layers=2, bidirectional=True)) for c in GATES] == [157696, 473088, 630784]
print("OK: formula = PyTorch for RNN/GRU/LSTM, 1-2 layers, uni- and bidirectional")

# %% [markdown] lang="ru"
# Откуда берутся числа, видно по именам тензоров: у LSTM четыре блока сложены в одну матрицу, поэтому у `weight_ih_l0` $4h = 512$ строк. Учебная формула с одним смещением даёт $h(x + h + 1) = 29\,312$ для простой RNN — на $h = 128$ меньше, чем в PyTorch (так считает, например, Keras `SimpleRNN`).

# %% [markdown] lang="en"
# The tensor names show where the numbers come from: an LSTM stacks its four blocks into one matrix, so `weight_ih_l0` has $4h = 512$ rows. The textbook formula with one bias gives $h(x + h + 1) = 29{,}312$ for a plain RNN, which is $h = 128$ fewer than in PyTorch (this is what Keras `SimpleRNN` reports, for instance).

# %%
for name, p in nn.LSTM(x, h).named_parameters():
    print(f"{name:<14} {str(tuple(p.shape)):<12} {p.numel():>7,}")
assert h * (x + h + 1) == 29312 == n_params(nn.RNN(x, h)) - h
print("OK: single-bias textbook count 29,312 = PyTorch count minus h")

# %% [markdown] lang="ru"
# ## Эмбеддинги и связанные веса
#
# `nn.Embedding(V, d)` — это просто таблица $V \times d$. Словарь в 20 000 слов при размерности 300 — уже 6 млн параметров, больше, чем во всей RNN выше. `padding_idx` число параметров не меняет: строка паддинга остаётся в таблице, просто не обучается.
#
# Если выходной слой языковой модели делит матрицу с эмбеддингами (weight tying), `module.parameters()` отдаёт общий тензор один раз, и он не считается дважды.

# %% [markdown] lang="en"
# ## Embeddings and tied weights
#
# `nn.Embedding(V, d)` is just a $V \times d$ table. A 20,000-word vocabulary with 300 dimensions is already 6 million parameters, more than the whole RNN above. `padding_idx` does not change the count: the padding row stays in the table, it just is not trained.
#
# When the output layer of a language model shares its matrix with the embeddings (weight tying), `module.parameters()` yields the shared tensor once, so it is not counted twice.

# %%
V, d = 20_000, 300
emb = nn.Embedding(V, d, padding_idx=0)
assert n_params(emb) == V * d == 6_000_000

lm = nn.ModuleDict({"emb": nn.Embedding(V, d), "out": nn.Linear(d, V)})
untied = n_params(lm)
lm["out"].weight = lm["emb"].weight  # tie: both (V, d)
tied = n_params(lm)
assert untied == 2 * V * d + V and tied == V * d + V
print(f"untied: {untied:,}   tied: {tied:,}")
print("OK: embedding = V*d; a tied output matrix is counted once")

# %% [markdown] lang="ru"
# ## Multi-head attention
#
# Четыре проекции $W^Q, W^K, W^V, W^O$ размера $d \times d$ и четыре вектора смещений длины $d$:
#
# $$
# N_{\text{MHA}} = 4d^2 + 4d .
# $$
#
# Головы не добавляют параметров: $H$ голов по $d/H$ признаков — это та же матрица $d \times d$, разрезанная на $H$ полос. Меняется только то, как считается внимание, но не число весов.

# %% [markdown] lang="en"
# ## Multi-head attention
#
# Four projections $W^Q, W^K, W^V, W^O$ of size $d \times d$ and four bias vectors of length $d$:
#
# $$
# N_{\text{MHA}} = 4d^2 + 4d .
# $$
#
# Heads add no parameters: $H$ heads of $d/H$ features each are the same $d \times d$ matrix cut into $H$ strips. What changes is how attention is computed, not how many weights there are.

# %%
d = 512
mha_counts = {H: n_params(nn.MultiheadAttention(d, H, batch_first=True)) for H in (1, 2, 4, 8)}
print(mha_counts)
assert set(mha_counts.values()) == {4 * d * d + 4 * d} == {1_050_624}
assert n_params(nn.MultiheadAttention(d, 8, bias=False)) == 4 * d * d
print("OK: MultiheadAttention has 4d^2 + 4d = 1,050,624 parameters for 1, 2, 4 and 8 heads; 4d^2 without bias")


# %% [markdown] lang="ru"
# ## Слой кодировщика трансформера
#
# `nn.TransformerEncoderLayer(d_model=512, nhead=8, dim_feedforward=2048)` состоит из self-attention, двухслойной FFN ($d \to d_{ff} \to d$) и двух LayerNorm (у каждой вектор масштаба и вектор сдвига длины $d$):
#
# $$
# N = \underbrace{4d^2 + 4d}_{\text{attention}} + \underbrace{2 d\, d_{ff} + d_{ff} + d}_{\text{FFN}} + \underbrace{2 \cdot 2d}_{\text{LayerNorm}} .
# $$
#
# При $d_{ff} = 4d$ это $12d^2 + 13d$: почти всё — матрицы, треть в attention и две трети в FFN.

# %% [markdown] lang="en"
# ## A transformer encoder layer
#
# `nn.TransformerEncoderLayer(d_model=512, nhead=8, dim_feedforward=2048)` consists of self-attention, a two-layer FFN ($d \to d_{ff} \to d$) and two LayerNorms (each with a scale and a shift vector of length $d$):
#
# $$
# N = \underbrace{4d^2 + 4d}_{\text{attention}} + \underbrace{2 d\, d_{ff} + d_{ff} + d}_{\text{FFN}} + \underbrace{2 \cdot 2d}_{\text{LayerNorm}} .
# $$
#
# With $d_{ff} = 4d$ this is $12d^2 + 13d$: almost everything sits in the matrices, one third in attention and two thirds in the FFN.

# %%
def encoder_formula(d, d_ff):
    return (4 * d * d + 4 * d) + (2 * d * d_ff + d_ff + d) + 2 * 2 * d


d, d_ff = 512, 2048
layer = nn.TransformerEncoderLayer(d_model=d, nhead=8, dim_feedforward=d_ff)
parts = {"attention": 0, "FFN": 0, "LayerNorm": 0}
for name, p in layer.named_parameters():
    key = "attention" if name.startswith("self_attn") else "FFN" if name.startswith("linear") else "LayerNorm"
    parts[key] += p.numel()
print({k: f"{v:,}" for k, v in parts.items()}, f"total {n_params(layer):,}")

assert parts == {"attention": 4 * d * d + 4 * d, "FFN": 2 * d * d_ff + d_ff + d, "LayerNorm": 4 * d}
assert n_params(layer) == encoder_formula(d, d_ff) == 3_152_384
for H in (1, 2, 4, 8):
    assert n_params(nn.TransformerEncoderLayer(d, H, d_ff)) == 3_152_384
print("OK: encoder layer = 1,050,624 + 2,099,712 + 2,048 = 3,152,384, the same for nhead = 1, 2, 4, 8")

# %% [markdown] lang="ru"
# ## Проверка на BERT-base
#
# BERT-base: $d = 768$, $d_{ff} = 3072$, 12 слоёв, словарь 30 522 токена, 512 позиций, 2 типа сегментов, LayerNorm после эмбеддингов и пулер ($d \times d$ плюс смещение). Соберём эти части из модулей PyTorch (один слой кодировщика умножим на 12) и получим известные 109 482 240 параметров.

# %% [markdown] lang="en"
# ## Sanity check on BERT-base
#
# BERT-base: $d = 768$, $d_{ff} = 3072$, 12 layers, a 30,522-token vocabulary, 512 positions, 2 segment types, a LayerNorm after the embeddings and a pooler ($d \times d$ plus bias). Assembling these parts from PyTorch modules (one encoder layer, times 12) gives the well-known 109,482,240 parameters.

# %%
d, d_ff, n_layers = 768, 3072, 12
one_layer = n_params(nn.TransformerEncoderLayer(d, 12, d_ff))
assert one_layer == encoder_formula(d, d_ff) == 12 * d * d + 13 * d
embeddings = sum(n_params(nn.Embedding(n, d)) for n in (30522, 512, 2)) + n_params(nn.LayerNorm(d))
pooler = n_params(nn.Linear(d, d))
bert_base = embeddings + n_layers * one_layer + pooler
print(f"embeddings {embeddings:,} + 12 x {one_layer:,} + pooler {pooler:,} = {bert_base:,}")
assert bert_base == 109_482_240
print(f"OK: BERT-base adds up to 109,482,240 parameters; the embeddings alone are {embeddings / bert_base:.0%}")

# %% [markdown] lang="ru"
# ## Сравнение на графике
#
# Слева — рекуррентные ячейки с $x = 100$, $h = 128$ (соотношение ровно 1 : 3 : 4). Справа — из чего состоит слой кодировщика с $d = 512$: FFN вдвое тяжелее attention, а LayerNorm почти ничего не весит.

# %% [markdown] lang="en"
# ## A chart
#
# Left: recurrent cells with $x = 100$, $h = 128$ (the ratio is exactly 1 : 3 : 4). Right: what an encoder layer with $d = 512$ is made of: the FFN is twice as heavy as attention, and LayerNorm weighs next to nothing.

# %%
rnn_counts = {c.__name__: n_params(c(100, 128)) for c in GATES}
fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(6, 3.5), dpi=80)
bars = ax1.bar(list(rnn_counts), list(rnn_counts.values()), color=["tab:blue", "tab:orange", "tab:green"])
ax1.bar_label(bars, labels=[f"{v:,}" for v in rnn_counts.values()], fontsize=7)
ax1.set_title("x=100, h=128", fontsize=9)
ax1.set_ylabel("parameters", fontsize=9)
ax1.tick_params(labelsize=8)
bars = ax2.bar(list(parts), list(parts.values()), color=["tab:purple", "tab:red", "tab:gray"])
ax2.bar_label(bars, labels=[f"{v:,}" for v in parts.values()], fontsize=7)
ax2.set_title("encoder layer, d=512, d_ff=2048", fontsize=9)
ax2.tick_params(labelsize=8)
for ax in (ax1, ax2):
    ax.ticklabel_format(axis="y", style="plain")
    ax.margins(y=0.15)
fig.tight_layout()
plt.show()
