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
# # Арифметика LLM: LoRA, память при дообучении, KV-кэш, MoE и квантизация
#
# Большая часть вопросов на собеседовании про LLM сводится к счёту на салфетке: сколько параметров добавит LoRA, сколько памяти съест дообучение, сколько весит KV-кэш, сколько параметров у Mixtral «всего» и «активных», какую ошибку даёт int8. Здесь каждое такое число считается по формуле и сверяется с эталонной библиотекой: PyTorch, transformers и peft. Большие модели строятся из конфигов на устройстве `meta` (только формы, без памяти), маленькие — со случайными весами; ничего не скачивается.

# %% [markdown] lang="en"
# # LLM arithmetic: LoRA, fine-tuning memory, the KV cache, MoE and quantization
#
# Many LLM interview questions come down to back-of-the-envelope arithmetic: how many parameters LoRA adds, how much memory fine-tuning needs, how large the KV cache is, how many parameters Mixtral has "in total" and "active", what error int8 introduces. Here each number is computed from a formula and checked against a reference library: PyTorch, transformers and peft. Big models are built from their configs on the `meta` device (shapes only, no memory), small ones with random weights; nothing is downloaded.

# %%
import warnings

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from torch import nn
from transformers import LlamaConfig, LlamaForCausalLM, MixtralConfig, MixtralForCausalLM

warnings.filterwarnings("ignore", category=FutureWarning)
warnings.filterwarnings("ignore", message="IProgress not found")
torch.manual_seed(0)
torch.set_num_threads(1)                       # tiny tensors: one thread is faster


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def on_meta(model_class, config):
    with torch.device("meta"):
        return model_class(config)


LLAMA_7B = LlamaConfig(hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32)
TINY = dict(vocab_size=1000, hidden_size=64, intermediate_size=176, num_hidden_layers=2, num_attention_heads=4,
            num_key_value_heads=4)
llama_7b = on_meta(LlamaForCausalLM, LLAMA_7B)
N_7B = n_params(llama_7b)
assert N_7B == 6_738_415_616
print(f"LLaMA-7B: {N_7B:,} parameters")

# %% [markdown] lang="ru"
# ## 1. Сколько параметров добавляет LoRA
#
# Адаптер на линейном слое $d_\text{out} \times d_\text{in}$ — это матрицы $A \in \mathbb{R}^{r \times d_\text{in}}$ и $B \in \mathbb{R}^{d_\text{out} \times r}$, то есть $r(d_\text{in} + d_\text{out})$ параметров без смещения. Суммируем по целевым слоям и сверяем с `get_nb_trainable_parameters` из peft.

# %% [markdown] lang="en"
# ## 1. How many parameters LoRA adds
#
# An adapter on a $d_\text{out} \times d_\text{in}$ linear layer is $A \in \mathbb{R}^{r \times d_\text{in}}$ and $B \in \mathbb{R}^{d_\text{out} \times r}$, i.e. $r(d_\text{in} + d_\text{out})$ parameters without a bias. We sum over the target layers and compare with peft's `get_nb_trainable_parameters`.

# %%
from peft import LoraConfig, get_peft_model

ALL_LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


def lora_params(model, r, targets):
    return sum(r * (m.in_features + m.out_features) for name, m in model.named_modules()
               if isinstance(m, nn.Linear) and name.split(".")[-1] in targets)


for targets, peft_targets in ((("q_proj", "v_proj"), ["q_proj", "v_proj"]), (ALL_LINEAR, "all-linear")):
    base = LlamaForCausalLM(LlamaConfig(**TINY))
    own = lora_params(base, 8, targets)
    peft_model = get_peft_model(base, LoraConfig(r=8, lora_alpha=16, target_modules=peft_targets))
    assert peft_model.get_nb_trainable_parameters()[0] == own
    print(f"tiny Llama, r = 8, {peft_targets}: {own:,} trainable parameters")

lora_7b = lora_params(llama_7b, 16, ALL_LINEAR)
assert lora_7b == 39_976_960
print(f"LLaMA-7B, r = 16, all linear layers: {lora_7b:,} = {100 * lora_7b / N_7B:.2f}% of the model")

# %% [markdown] lang="ru"
# ## 2. Память при дообучении
#
# С Adam каждый обучаемый параметр стоит 16 байт (16-битные вес и градиент, мастер-копия в fp32 и два момента в fp32; обучение целиком в fp32 даёт те же $4 + 4 + 8$), замороженный — только свои байты хранения: 2 в bf16, $4.5/8$ в NF4, $4.127/8$ в NF4 с двойной квантизацией. Активации не считаем. Затем проверяем на крошечной модели, что после шага AdamW градиенты и моменты есть только у обучаемых параметров.

# %% [markdown] lang="en"
# ## 2. Memory for fine-tuning
#
# With Adam every trainable parameter costs 16 bytes (16-bit weight and gradient, an fp32 master copy and two fp32 moments; pure fp32 training gives the same $4 + 4 + 8$), a frozen one only its storage: 2 bytes in bf16, $4.5/8$ in NF4, $4.127/8$ in NF4 with double quantization. Activations are not counted. Then we check on a tiny model that after an AdamW step only the trainable parameters have gradients and moments.

# %%
def model_state_gb(n_total, n_trainable, frozen_bits=16, trainable_bytes=16):
    return ((n_total - n_trainable) * frozen_bits / 8 + n_trainable * trainable_bytes) / 1e9


plans = {
    "full fine-tuning": model_state_gb(N_7B, N_7B),
    "LoRA, bf16 base": model_state_gb(N_7B + lora_7b, lora_7b),
    "QLoRA, NF4 base": model_state_gb(N_7B + lora_7b, lora_7b, frozen_bits=4.5),
    "QLoRA, NF4 + double quantization": model_state_gb(N_7B + lora_7b, lora_7b, frozen_bits=4.127),
}
for name, gb in plans.items():
    print(f"LLaMA-7B, {name}: {gb:.2f} GB")
assert [f"{gb:.2f}" for gb in plans.values()] == ["107.81", "14.12", "4.43", "4.12"]


def one_step_bytes(model):
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=1e-4)
    ids = torch.randint(0, 1000, (2, 16))
    model(input_ids=ids, labels=ids).loss.backward()
    opt.step()
    grads = sum(p.grad.numel() * p.grad.element_size() for p in model.parameters() if p.grad is not None)
    moments = sum(s[k].numel() * s[k].element_size() for s in opt.state.values() for k in ("exp_avg", "exp_avg_sq"))
    return sum(p.numel() for p in params), grads, moments


full = one_step_bytes(LlamaForCausalLM(LlamaConfig(**TINY)))
lora = one_step_bytes(get_peft_model(LlamaForCausalLM(LlamaConfig(**TINY)),
                                     LoraConfig(r=8, lora_alpha=16, target_modules="all-linear")))
assert full == (228_672, 4 * 228_672, 8 * 228_672) and lora == (19_712, 4 * 19_712, 8 * 19_712)
print("full fine-tuning (parameters, gradient bytes, Adam bytes):", full)
print("LoRA             (parameters, gradient bytes, Adam bytes):", lora)

# %% [markdown] lang="ru"
# ## 3. KV-кэш
#
# $M_\text{KV} = 2 \cdot L \cdot n_\text{kv} \cdot d_\text{head} \cdot b \cdot T \cdot B$: ключи и значения в каждом слое для каждого токена каждой последовательности. Считаем для размеров LLaMA-2-7B с MHA, GQA-8 и MQA и сверяем формулу с тем, что крошечная Llama действительно кладёт в `past_key_values`.

# %% [markdown] lang="en"
# ## 3. The KV cache
#
# $M_\text{KV} = 2 \cdot L \cdot n_\text{kv} \cdot d_\text{head} \cdot b \cdot T \cdot B$: keys and values in every layer for every token of every sequence. We compute it for LLaMA-2-7B shapes with MHA, GQA-8 and MQA and check the formula against what a tiny Llama really stores in `past_key_values`.

# %%
def kv_cache_bytes(layers, kv_heads, head_dim, tokens, batch=1, bytes_per_value=2):
    return 2 * layers * kv_heads * head_dim * bytes_per_value * tokens * batch


for name, kv_heads in (("MHA", 32), ("GQA-8", 8), ("MQA", 1)):
    gib = kv_cache_bytes(32, kv_heads, 128, 4096) / 2**30
    print(f"{name:6} KV heads: {kv_heads:2}, {gib:.4f} GiB for 4096 tokens, reduction {32 // kv_heads}x")
assert kv_cache_bytes(32, 32, 128, 4096) == 2 * 2**30

ids = torch.randint(0, 1000, (3, 10))
for kv_heads in (4, 2, 1):
    model = LlamaForCausalLM(LlamaConfig(**{**TINY, "num_key_value_heads": kv_heads})).to(torch.float16)
    with torch.no_grad():
        cache = model(ids, use_cache=True).past_key_values
    stored = sum(t.numel() * t.element_size() for layer in cache.layers for t in (layer.keys, layer.values))
    assert stored == kv_cache_bytes(2, kv_heads, 16, 10, batch=3)
    print(f"tiny Llama, KV heads: {kv_heads}, {stored} bytes in the cache, keys of shape {tuple(cache.layers[0].keys.shape)}")

tokens = torch.arange(0, 32769, 1024)
for name, kv_heads in (("MHA", 32), ("GQA-8", 8), ("MQA", 1)):
    plt.plot(tokens, [kv_cache_bytes(32, kv_heads, 128, int(t)) / 2**30 for t in tokens], label=name)
plt.axhline(N_7B * 2 / 2**30, ls="--", color="grey", label="fp16 weights of LLaMA-2-7B")
plt.xlabel("cached tokens")
plt.ylabel("GiB")
plt.legend()
plt.show()

# %% [markdown] lang="ru"
# ## 4. Mixtral: всего и активных параметров
#
# Размножаются только FFN-эксперты; attention, эмбеддинги и нормализации общие. Из $E = 8$ экспертов на токен работают $k = 2$, поэтому активных параметров — все минус $L (E - k)$ экспертов. Конфиг по умолчанию `MixtralConfig` — это Mixtral 8x7B. Затем один токен проходит через роутер transformers, а функция потерь для балансировки сверяется с `load_balancing_loss_func`.

# %% [markdown] lang="en"
# ## 4. Mixtral: total and active parameters
#
# Only the FFN experts are replicated; attention, embeddings and norms are shared. Of $E = 8$ experts, $k = 2$ work per token, so the active count is the total minus $L (E - k)$ experts. The default `MixtralConfig` is Mixtral 8x7B. Then one token goes through transformers' router, and the load-balancing loss is checked against `load_balancing_loss_func`.

# %%
from transformers.models.mixtral.modeling_mixtral import MixtralTopKRouter, load_balancing_loss_func

cfg = MixtralConfig()
mixtral = on_meta(MixtralForCausalLM, cfg)
total = n_params(mixtral)
expert = 3 * cfg.hidden_size * cfg.intermediate_size
active = total - cfg.num_hidden_layers * (cfg.num_local_experts - cfg.num_experts_per_tok) * expert
d, V, L, f = cfg.hidden_size, cfg.vocab_size, cfg.num_hidden_layers, cfg.intermediate_size
attention = d * (2 * d + 2 * cfg.num_key_value_heads * (d // cfg.num_attention_heads))
formula = lambda k: 2 * V * d + L * (attention + k * 3 * d * f + 8 * d + 2 * d) + d  # noqa: E731
assert (total, active) == (formula(8), formula(2)) == (46_702_792_704, 12_879_925_248)
print(f"Mixtral 8x7B: {total / 1e9:.1f}B total, {active / 1e9:.1f}B active ({100 * active / total:.1f}%)")

logits = torch.tensor([0.3, -1.2, 2.1, 0.0, -0.5, 1.6, 0.8, -2.0])
router = MixtralTopKRouter(MixtralConfig(hidden_size=8, num_local_experts=8, num_experts_per_tok=2))
with torch.no_grad():
    router.weight.zero_()
    router.weight[:, 0] = logits                      # then x = e_0 gives exactly these logits
    _, weights, experts = router(torch.eye(8)[:1])
assert experts[0].tolist() == [2, 5] and torch.allclose(weights[0], logits[[2, 5]].softmax(-1))
print("top-2 experts", experts[0].tolist(), "with weights", [round(w, 3) for w in weights[0].tolist()])

router_logits = torch.randn(8, 4)                      # 8 tokens, 4 experts
probs = router_logits.softmax(-1)
share = F.one_hot(probs.topk(2, dim=-1).indices, 4).sum(1).float().mean(0)
own = 4 * (share * probs.mean(0)).sum()
assert torch.isclose(own, load_balancing_loss_func((router_logits,), 4, 2), atol=1e-6)
print(f"load-balancing loss: {own:.4f} (2 for perfectly balanced top-2 routing)")

# %% [markdown] lang="ru"
# ## 5. int8 туда и обратно
#
# Absmax: $s = \max|x| / 127$, $q = \operatorname{round}(x / s)$. С нулевой точкой: $s = (\max x - \min x) / 255$, $z = \operatorname{round}(-\min x / s)$. Сверяем с `torch.fake_quantize_per_tensor_affine` и показываем, как выбросы портят масштаб на весь тензор и почему помогают масштабы по каналам и группам по 128.

# %% [markdown] lang="en"
# ## 5. An int8 round trip
#
# Absmax: $s = \max|x| / 127$, $q = \operatorname{round}(x / s)$. Zero point: $s = (\max x - \min x) / 255$, $z = \operatorname{round}(-\min x / s)$. We check against `torch.fake_quantize_per_tensor_affine` and show how outliers ruin a per-tensor scale and why per-channel scales and groups of 128 help.

# %%
x = torch.tensor([-0.4, 0.1, 0.6, 1.2, 2.0, 3.1])
s = float(x.abs().max() / 127)
q = torch.clamp(torch.round(x / s), -127, 127)
s_zp = float((x.max() - x.min()) / 255)
z = int(torch.round(-x.min() / s_zp))
q_zp = torch.clamp(torch.round(x / s_zp) + z, 0, 255)
assert torch.allclose(q * s, torch.fake_quantize_per_tensor_affine(x, s, 0, -127, 127))
assert torch.allclose((q_zp - z) * s_zp, torch.fake_quantize_per_tensor_affine(x, s_zp, z, 0, 255))
assert q.int().tolist() == [-16, 4, 25, 49, 82, 127] and q_zp.int().tolist() == [0, 36, 73, 116, 175, 255]
print(f"absmax: codes {q.int().tolist()}, max error {(q * s - x).abs().max():.5f}")
print(f"zero point {z}: codes {q_zp.int().tolist()}, max error {((q_zp - z) * s_zp - x).abs().max():.5f}")

torch.manual_seed(0)                                   # the same matrix as on the page of question 102
w = torch.randn(256, 1024) * 0.02
idx = torch.randperm(w.numel())[:16]
w.view(-1)[idx] = 0.5 * torch.randn(16).sign()         # 16 outliers, 25 times the typical size


def absmax_round_trip(rows, bits):                     # one scale per row, via PyTorch's op
    qmax = 2 ** (bits - 1) - 1
    scale = rows.abs().amax(dim=1) / qmax
    return torch.fake_quantize_per_channel_affine(rows, scale, torch.zeros(len(scale), dtype=torch.int32), 0,
                                                  -qmax, qmax)


for bits in (8, 4):
    errors = []
    for rows in (w.reshape(1, -1), w, w.reshape(-1, 128)):
        approx = absmax_round_trip(rows, bits).reshape(w.shape)
        errors.append(((approx - w).pow(2).mean() / w.pow(2).mean()).sqrt().item())
    assert errors[0] > errors[1] > errors[2]
    assert [f"{e:.4f}" for e in errors] == {8: ["0.0557", "0.0158", "0.0080"], 4: ["0.8709", "0.2570", "0.1383"]}[bits]
    print(f"int{bits} relative error: per tensor {errors[0]:.4f}, per channel {errors[1]:.4f}, groups of 128 {errors[2]:.4f}")

# %% [markdown] lang="ru"
# ## 6. Потолок скорости на устройстве
#
# При батче 1 каждый новый токен читает все веса и весь KV-кэш, так что токенов в секунду не больше, чем пропускная способность памяти, делённая на эти байты. Для LLaMA 3.2 1B (связанные эмбеддинги) и Raspberry Pi 5 (17.068 ГБ/с):

# %% [markdown] lang="en"
# ## 6. The speed ceiling on a device
#
# At batch size 1 every new token reads all the weights and the whole KV cache, so tokens per second are at most the memory bandwidth divided by those bytes. For LLaMA 3.2 1B (tied embeddings) and a Raspberry Pi 5 (17.068 GB/s):

# %%
llama_1b = on_meta(LlamaForCausalLM, LlamaConfig(vocab_size=128256, hidden_size=2048, intermediate_size=8192,
                                                   num_hidden_layers=16, num_attention_heads=32,
                                                   num_key_value_heads=8, head_dim=64, tie_word_embeddings=True))
n_1b = n_params(llama_1b)
assert n_1b == 1_235_814_400
kv = kv_cache_bytes(16, 8, 64, 4096)
for bits in (16, 8, 4.5):
    per_token = n_1b * bits / 8 + kv
    print(f"{bits:>4} bits: {per_token / 1e9:.3f} GB per token, at most {17.068e9 / per_token:.1f} tokens/s")
assert f"{17.068e9 / (n_1b * 4.5 / 8 + kv):.1f}" == "20.6"
