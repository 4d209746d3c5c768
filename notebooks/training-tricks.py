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
# # Приёмы обучения: dropout, AdamW, накопление градиентов, клиппинг, разогрев и калькулятор памяти
#
# Каждый приём пишем сами в несколько строк и сверяем с PyTorch или `transformers`: dropout в режимах train и eval и Monte Carlo dropout, один шаг Adam и AdamW вручную, накопление градиентов с правильной нормировкой по токенам, клиппинг по норме и по значению, расписания с разогревом. В конце — калькулятор памяти для смешанной точности, 8-битного Adam и стадий ZeRO и доля простоя конвейера. Всё считается на CPU за несколько секунд.

# %% [markdown] lang="en"
# # Training tricks: dropout, AdamW, gradient accumulation, clipping, warm-up and a memory calculator
#
# We write each trick ourselves in a few lines and check it against PyTorch or `transformers`: dropout in train and eval mode and Monte Carlo dropout, one Adam and AdamW step by hand, gradient accumulation with the right token normalisation, clipping by norm and by value, and schedules with warm-up. At the end comes a memory calculator for mixed precision, 8-bit Adam and the ZeRO stages, and the idle share of a pipeline. Everything runs on a CPU in a few seconds.

# %%
import math

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from transformers import get_cosine_schedule_with_warmup, get_linear_schedule_with_warmup

torch.manual_seed(0)

# %% [markdown] lang="ru"
# ## Dropout: train, eval и Monte Carlo
#
# В PyTorch dropout инвертированный: на обучении выжившие значения делятся на $1-p$, поэтому матожидание не меняется, а в режиме eval слой ничего не делает. Для MC dropout включаем обратно только слои dropout и делаем $T$ проходов одним батчем из $T$ копий входа.

# %% [markdown] lang="en"
# ## Dropout: train, eval and Monte Carlo
#
# PyTorch's dropout is inverted: during training the survivors are divided by $1-p$, so the expectation does not change, and in eval mode the layer does nothing. For MC dropout we switch only the dropout layers back on and run $T$ passes as one batch of $T$ copies of the input.

# %%
drop = nn.Dropout(p=0.5)
out = drop(torch.ones(8))
assert set(out.tolist()) <= {0.0, 2.0}                   # survivors times 1 / (1 - 0.5)
drop.eval()
assert torch.equal(drop(torch.ones(8)), torch.ones(8))   # identity at inference
drop.train()
y = drop(torch.ones(1_000_000))
assert abs(y.mean().item() - 1.0) < 0.01 and abs(y.var().item() - 1.0) < 0.01   # mean 1, variance p / (1 - p)

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Dropout(p=0.3), nn.Linear(32, 1))
x = torch.tensor([[0.5, -1.0, 2.0, 0.1]])
model.eval()
with torch.no_grad():
    p_eval = torch.sigmoid(model(x)).item()
    for m in model.modules():
        if isinstance(m, nn.Dropout):
            m.train()
    probs = torch.sigmoid(model(x.repeat(100, 1))).squeeze(1)
print(f"eval pass {p_eval:.3f}; MC dropout, T = 100: mean {probs.mean():.3f}, std {probs.std():.3f}")
assert (f"{p_eval:.3f}", f"{probs.mean():.3f}", f"{probs.std():.3f}") == ("0.508", "0.516", "0.044")

# %% [markdown] lang="ru"
# ## Adam и AdamW: один шаг вручную
#
# На первом шаге поправки на смещение дают $\hat m = g$ и $\hat v = g^2$, так что Adam сдвигает каждую координату на $\eta\,g/(|g|+\varepsilon)$. L2-вариант (`Adam(weight_decay=λ)`) прибавляет $\lambda\theta$ к градиенту *до* нормировки, AdamW умножает веса на $1 - \eta\lambda$ *отдельно* от шага Adam.

# %% [markdown] lang="en"
# ## Adam and AdamW: one step by hand
#
# On the first step the bias corrections give $\hat m = g$ and $\hat v = g^2$, so Adam moves every coordinate by $\eta\,g/(|g|+\varepsilon)$. The L2 version (`Adam(weight_decay=λ)`) adds $\lambda\theta$ to the gradient *before* the normalisation; AdamW multiplies the weights by $1 - \eta\lambda$ *separately* from the Adam step.

# %%
def adam_first_step(theta, grad, lr, wd, decoupled, b1=0.9, b2=0.999, eps=1e-8):
    if decoupled:
        theta = theta * (1 - lr * wd)
    else:
        grad = grad + wd * theta
    m_hat = (1 - b1) * grad / (1 - b1)
    v_hat = (1 - b2) * grad**2 / (1 - b2)
    return theta - lr * m_hat / (v_hat.sqrt() + eps)


def torch_first_step(opt_cls, **kwargs):
    w = nn.Parameter(torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64))
    opt = opt_cls([w], lr=0.1, **kwargs)
    w.grad = torch.tensor([0.5, 0.0, -0.2], dtype=torch.float64)
    opt.step()
    return w.detach()


theta = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
grad = torch.tensor([0.5, 0.0, -0.2], dtype=torch.float64)
l2 = adam_first_step(theta, grad, 0.1, 0.1, decoupled=False)
decoupled = adam_first_step(theta, grad, 0.1, 0.1, decoupled=True)
assert torch.allclose(l2, torch_first_step(torch.optim.Adam, weight_decay=0.1))
assert torch.allclose(decoupled, torch_first_step(torch.optim.AdamW, weight_decay=0.1))
print("Adam + L2:", l2.numpy().round(4), " AdamW:", decoupled.numpy().round(4))
assert l2.numpy().round(4).tolist() == [0.9, 1.9, 2.9]
assert decoupled.numpy().round(4).tolist() == [0.89, 1.98, 3.07]

# %% [markdown] lang="ru"
# ## Накопление градиентов
#
# `backward()` прибавляет к `.grad`, поэтому $k$ микробатчей дают градиент полного батча, если правильно нормировать потерю. Для потерь по токенам каждую сумму по микробатчу делим на число токенов *всего* батча; «среднее средних» даёт другой градиент. BatchNorm считает статистики по микробатчу и ломает равносильность.

# %% [markdown] lang="en"
# ## Gradient accumulation
#
# `backward()` adds to `.grad`, so $k$ micro-batches give the full-batch gradient as long as the loss is normalised correctly. For token losses, each micro-batch sum is divided by the token count of the *whole* batch; the "mean of means" gives a different gradient. BatchNorm computes statistics per micro-batch and breaks the equivalence.

# %%
torch.manual_seed(0)
clf = nn.Linear(4, 3)
x = torch.randn(8, 4)
y = torch.tensor([0, 1, 2, 0, 1, -100, -100, 2])        # -100 = padding
micro = [slice(0, 4), slice(4, 8)]                      # 4 and 2 real tokens


def grad_of(run):
    clf.zero_grad()
    run()
    return clf.weight.grad.clone()


def per_token():
    n_tokens = (y != -100).sum()
    for s in micro:
        (F.cross_entropy(clf(x[s]), y[s], reduction="sum") / n_tokens).backward()


def mean_of_means():
    for s in micro:
        (F.cross_entropy(clf(x[s]), y[s]) / len(micro)).backward()


full = grad_of(lambda: F.cross_entropy(clf(x), y).backward())
assert torch.allclose(full, grad_of(per_token))
assert not torch.allclose(full, grad_of(mean_of_means))

xb_all, yb_all = torch.randn(8, 4), torch.randn(8, 1)


def accumulates_exactly(net, k=4):
    net.zero_grad()
    F.mse_loss(net(xb_all), yb_all).backward()
    ref = [p.grad.clone() for p in net.parameters()]
    net.zero_grad()
    for xb, yb in zip(xb_all.chunk(k), yb_all.chunk(k)):
        (F.mse_loss(net(xb), yb) / k).backward()
    return all(torch.allclose(r, p.grad, atol=1e-6) for r, p in zip(ref, net.parameters()))


assert accumulates_exactly(nn.Sequential(nn.Linear(4, 8), nn.LayerNorm(8), nn.ReLU(), nn.Linear(8, 1)))
assert not accumulates_exactly(nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 1)))
print("per-token normalisation = full batch; mean of means and BatchNorm do not match")

# %% [markdown] lang="ru"
# ## Клиппинг градиентов
#
# По норме: все градиенты умножаются на $\min(1, c/\lVert g\rVert)$, где норма общая для всех параметров; направление сохраняется. По значению: каждая компонента обрезается до $[-c, c]$, направление меняется.

# %% [markdown] lang="en"
# ## Gradient clipping
#
# By norm: every gradient is multiplied by $\min(1, c/\lVert g\rVert)$ with one norm over all parameters; the direction is kept. By value: each component is clamped to $[-c, c]$, and the direction changes.

# %%
def params_with_grads():
    a, b = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
    a.grad, b.grad = torch.tensor([3.0, 4.0]), torch.tensor([12.0])
    return [a, b]


ps = params_with_grads()
g = torch.cat([p.grad for p in ps])
ours = g * min(1.0, 5.0 / (g.norm().item() + 1e-6))
total = torch.nn.utils.clip_grad_norm_(ps, max_norm=5.0)
assert total.item() == 13.0 and torch.allclose(torch.cat([p.grad for p in ps]), ours)

ps = params_with_grads()
torch.nn.utils.clip_grad_value_(ps, clip_value=2.0)
by_value = torch.cat([p.grad for p in ps])
assert torch.equal(by_value, g.clamp(-2.0, 2.0))
cosine = F.cosine_similarity(g, by_value, dim=0).item()
print(f"norm before clipping {total:.1f}; by norm {ours.numpy().round(4)}; by value: cosine with g = {cosine:.3f}")
assert f"{cosine:.3f}" == "0.844"

# %% [markdown] lang="ru"
# ## Разогрев и спад скорости обучения
#
# Линейный разогрев за $N_w$ шагов, затем линейный или косинусный спад до нуля. Сверяем свою функцию с расписаниями `transformers` на всех шагах и рисуем оба.

# %% [markdown] lang="en"
# ## Warm-up and decay of the learning rate
#
# Linear warm-up over $N_w$ steps, then linear or cosine decay to zero. We compare our function with the `transformers` schedules at every step and plot both.

# %%
def lr_multiplier(step, warmup=100, total=1000, kind="cosine"):
    if step < warmup:
        return step / warmup
    progress = (step - warmup) / (total - warmup)
    return max(0.0, 1.0 - progress) if kind == "linear" else 0.5 * (1.0 + math.cos(math.pi * progress))


fig, ax = plt.subplots(figsize=(7, 3.5))
for kind, make in (("linear", get_linear_schedule_with_warmup), ("cosine", get_cosine_schedule_with_warmup)):
    opt = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=1.0)
    sched = make(opt, num_warmup_steps=100, num_training_steps=1000)
    lrs = []
    for step in range(1001):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    assert all(abs(lr_multiplier(s, kind=kind) - lrs[s]) < 1e-12 for s in range(1001))
    ax.plot(lrs, label=kind)
ax.axvspan(0, 100, color="#e4e4e4")
ax.set_xlabel("step")
ax.set_ylabel("lr / peak lr")
ax.legend()
plt.show()
print([round(lr_multiplier(s), 3) for s in (0, 50, 100, 325, 550, 775, 1000)])

# %% [markdown] lang="ru"
# ## Калькулятор памяти
#
# Байты на параметр для состояний модели: fp32 с Adam $4 + 4 + 8 = 16$; смешанная точность с Adam $2 + 2 + 4 + 4 + 4 = 16$ (как $2\Psi + 2\Psi + 12\Psi$ в статье ZeRO); 8-битный Adam $2 + 2 + 4 + 1 + 1 = 10$. Стадии ZeRO делят эти байты между $N_d$ GPU; проверяем пример из статьи: 7.5B параметров на 64 GPU. Последняя строка — доля простоя конвейера GPipe $(p-1)/(m+p-1)$.

# %% [markdown] lang="en"
# ## Memory calculator
#
# Bytes per parameter of model states: fp32 with Adam $4 + 4 + 8 = 16$; mixed precision with Adam $2 + 2 + 4 + 4 + 4 = 16$ (the ZeRO paper's $2\Psi + 2\Psi + 12\Psi$); 8-bit Adam $2 + 2 + 4 + 1 + 1 = 10$. The ZeRO stages divide these bytes among $N_d$ GPUs; we check the paper's example of 7.5B parameters on 64 GPUs. The last line is GPipe's pipeline idle share $(p-1)/(m+p-1)$.

# %%
BYTES = {"fp32 + Adam": 4 + 4 + 8, "mixed + Adam": 2 + 2 + 4 + 4 + 4, "mixed + 8-bit Adam": 2 + 2 + 4 + 1 + 1}
for name, per_param in BYTES.items():
    print(f"{name:>20}: {per_param:2d} B/param -> {per_param * 7e9 / 1e9:.0f} GB for 7B")
assert [b * 7 for b in BYTES.values()] == [112, 112, 70]


def zero_gb(psi_billions, n_d, stage, k=12):
    psi = psi_billions
    return [(2 + 2 + k) * psi, 4 * psi + k * psi / n_d, 2 * psi + (2 + k) * psi / n_d, (2 + 2 + k) * psi / n_d][stage]


paper = [round(zero_gb(7.5, 64, st), 1) for st in range(4)]
print("ZeRO, 7.5B on 64 GPUs, GB per GPU:", paper)
assert paper == [120.0, 31.4, 16.6, 1.9]

for p, m in ((4, 1), (4, 4), (4, 16), (8, 32)):
    print(f"pipeline p = {p}, m = {m:2d}: idle share {(p - 1) / (m + p - 1):.3f}")
