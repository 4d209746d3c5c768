"""Reference computations for the Training section (questions 74-78, 81, 82): every number of the
worked examples, recomputed with PyTorch (dropout, Adam/AdamW/RAdam, clipping, checkpointing) and
transformers (schedules, loss normalisation, model configs on the meta device), found on both
language versions of the page."""
from __future__ import annotations

import dataclasses
import math
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, f3, fmt_math, single_thread_torch  # noqa: F401 (autouse fixture)

SECTION = DOCS / "transformers" / "training"
assert_in_pages = partial(cp.assert_in_pages, SECTION)

SLUGS = {
    74: "dropout-at-inference",
    75: "adam-vs-adamw",
    76: "gradient-accumulation",
    77: "training-efficiency",
    78: "distributed-training",
    81: "warm-up",
    82: "gradient-clipping",
}
GB = 1e9


def f1(x: float) -> str:
    return f"{x:.1f}"


# --------------------------------------------------------------------------- Q74 dropout


def test_q74_inverted_dropout_scaling():
    import torch
    from torch import nn

    torch.manual_seed(0)
    drop = nn.Dropout(p=0.5)
    assert drop.training                                  # a fresh module is in training mode
    x = torch.ones(8)
    out = drop(x)
    assert out.tolist() == [0.0, 0.0, 2.0, 0.0, 0.0, 0.0, 2.0, 2.0]
    assert set(out.tolist()) <= {0.0, 1 / (1 - 0.5)}     # survivors scaled by 1 / (1 - p)
    drop.eval()
    assert torch.equal(drop(x), x)                        # identity at inference
    drop.train()
    y = drop(torch.ones(1_000_000))
    assert (f"{y.mean():.3f}", f"{y.var():.3f}") == ("1.000", "1.000")
    assert 0.5 / (1 - 0.5) == 1.0                         # variance p / (1 - p)
    assert (f3(1 / 0.9), f3(0.1 / 0.9)) == ("1.111", "0.111")
    # the functional form ignores model.eval(): training=True is its default
    import inspect
    import torch.nn.functional as F
    assert inspect.signature(F.dropout).parameters["training"].default is True
    assert_in_pages(SLUGS[74], "tensor([0., 0., 2., 0., 0., 0., 2., 2.])",
                    "tensor([1., 1., 1., 1., 1., 1., 1., 1.])", "1.000 1.000", "1.111", "0.111",
                    "1/(1 − 0.5) = 2", "*p* = 0.1", "$P_{drop} = 0.1$")


def test_q74_mc_dropout():
    import torch
    from torch import nn

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 32), nn.ReLU(), nn.Dropout(p=0.3), nn.Linear(32, 1))
    x = torch.tensor([[0.5, -1.0, 2.0, 0.1]])
    model.eval()
    with torch.no_grad():
        p_eval = torch.sigmoid(model(x)).item()
        model[2].train()
        probs = torch.sigmoid(model(x.repeat(100, 1))).squeeze(1)
        # one batch of T copies = T independent passes: same numbers as a loop of 100 passes
        many = torch.sigmoid(model(x.repeat(200000, 1))).mean().item()
    shown = [f3(p_eval), f3(probs.mean()), f3(probs.std()), f3(probs.min()), f3(probs.max())]
    assert shown == ["0.508", "0.516", "0.044", "0.401", "0.602"]
    assert f"{0.044 / math.sqrt(100):.4f}" == "0.0044"
    assert abs(probs.mean().item() - p_eval) < 2 * probs.std().item() / math.sqrt(100)
    assert f3(many) == "0.508"                            # the MC mean converges to the eval pass here
    assert_in_pages(SLUGS[74], *shown, "0.0044", 200000, "*T* = 100", "dropout 0.3")


def test_q74_transformers_dropout_facts(tmp_path):
    import torch
    from torch import nn
    from transformers import BertConfig, BertModel, GPT2Config, LlamaConfig

    assert LlamaConfig().attention_dropout == 0.0
    bert = BertConfig()
    assert bert.hidden_dropout_prob == bert.attention_probs_dropout_prob == 0.1
    gpt2 = GPT2Config()
    assert gpt2.resid_pdrop == gpt2.embd_pdrop == gpt2.attn_pdrop == 0.1

    # attention-probability dropout follows the attention module's own `training` flag:
    # switching on only the nn.Dropout modules of an eval-mode BERT leaves it off
    cfg = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=16, hidden_dropout_prob=0.0,
                     attention_probs_dropout_prob=0.5, attn_implementation="eager")
    torch.manual_seed(0)
    model = BertModel(cfg)
    ids = torch.tensor([[1, 5, 7, 9, 11, 2]])
    with torch.no_grad():
        model.eval()
        for m in model.modules():
            if isinstance(m, nn.Dropout):
                m.train()
        a, b = (model(ids).last_hidden_state for _ in range(2))
        assert torch.equal(a, b)
        model.train()
        c, d = (model(ids).last_hidden_state for _ in range(2))
        assert not torch.equal(c, d)
    # from_pretrained (here from a local folder) returns a model in eval mode
    model.save_pretrained(tmp_path)
    assert not BertModel.from_pretrained(tmp_path).training
    assert_in_pages(SLUGS[74], "`attention_dropout=0.0`", "0.0 if not self.training", "`BertConfig`")


# --------------------------------------------------------------------------- Q75 Adam vs AdamW

THETA, GRAD, LR, WD = [1.0, 2.0, 3.0], [0.5, 0.0, -0.2], 0.1, 0.1


def adam_first_step(theta, grad, lr, wd, decoupled, b1=0.9, b2=0.999, eps=1e-8):
    """Our own first Adam step: L2 (wd added to the gradient) or decoupled (AdamW)."""
    out = []
    for w, g in zip(theta, grad):
        if decoupled:
            w = w * (1 - lr * wd)
        else:
            g = g + wd * w
        m, v = (1 - b1) * g, (1 - b2) * g * g
        m_hat, v_hat = m / (1 - b1), v / (1 - b2)
        out.append(w - lr * m_hat / (math.sqrt(v_hat) + eps))
    return out


def torch_first_step(opt_cls, **kwargs):
    import torch

    w = torch.nn.Parameter(torch.tensor(THETA, dtype=torch.float64))
    opt = opt_cls([w], lr=LR, **kwargs)
    w.grad = torch.tensor(GRAD, dtype=torch.float64)
    opt.step()
    return w.detach().tolist()


def test_q75_one_step_by_hand_and_torch():
    import torch

    cases = {
        "adam": (torch_first_step(torch.optim.Adam), adam_first_step(THETA, GRAD, LR, 0.0, False)),
        "l2": (torch_first_step(torch.optim.Adam, weight_decay=WD), adam_first_step(THETA, GRAD, LR, WD, False)),
        "l2_tiny": (torch_first_step(torch.optim.Adam, weight_decay=0.0001),
                    adam_first_step(THETA, GRAD, LR, 0.0001, False)),
        "adamw": (torch_first_step(torch.optim.AdamW, weight_decay=WD), adam_first_step(THETA, GRAD, LR, WD, True)),
        "decoupled": (torch_first_step(torch.optim.Adam, weight_decay=WD, decoupled_weight_decay=True),
                      adam_first_step(THETA, GRAD, LR, WD, True)),
    }
    for name, (ref, ours) in cases.items():
        assert ours == pytest.approx(ref, abs=1e-12), name
    shown = {name: [round(v, 4) for v in ref] for name, (ref, _) in cases.items()}
    assert shown == {"adam": [0.9, 2.0, 3.1], "l2": [0.9, 1.9, 2.9], "l2_tiny": [0.9, 1.9, 3.1],
                     "adamw": [0.89, 1.98, 3.07], "decoupled": [0.89, 1.98, 3.07]}
    # the L2-augmented gradients and the decoupled decay amounts of the table
    assert [round(g + WD * w, 4) for w, g in zip(THETA, GRAD)] == [0.6, 0.2, 0.1]
    assert [round(LR * WD * w, 4) for w in THETA] == [0.01, 0.02, 0.03]
    assert [round(w * (1 - LR * WD), 4) for w in THETA] == [0.99, 1.98, 2.97]
    # Adam + L2 on the first weight is exactly Adam without decay (up to eps)
    assert cases["l2"][0][0] == pytest.approx(cases["adam"][0][0], abs=1e-7)
    for text in ("[0.9, 2.0, 3.1]", "[0.9, 1.9, 2.9]", "[0.9, 1.9, 3.1]", "[0.89, 1.98, 3.07]",
                 "0.99 − 0.1 = 0.89", "1.98 − 0 = 1.98", "2.97 + 0.1 = 3.07", "0.0001",
                 "$\\eta\\lambda\\theta = 0.01$", "$\\eta\\lambda\\theta = 0.02$", "| 0.6 |", "| 0.2 |", "| 0.1 |"):
        assert_in_pages(SLUGS[75], text)


def test_q75_defaults_and_long_run_decay():
    import torch
    from transformers import TrainingArguments

    adam = torch.optim.Adam([torch.nn.Parameter(torch.zeros(1))])
    adamw = torch.optim.AdamW([torch.nn.Parameter(torch.zeros(1))])
    d, dw = adam.defaults, adamw.defaults
    assert (d["lr"], d["betas"], d["eps"], d["weight_decay"]) == (0.001, (0.9, 0.999), 1e-8, 0)
    assert dw["weight_decay"] == 0.01
    # AdamW shrinks a weight with zero gradient by (1 - lr * wd) per step
    w = torch.nn.Parameter(torch.ones(1, dtype=torch.float64))
    opt = torch.optim.AdamW([w], lr=0.001, weight_decay=0.01)
    for _ in range(200):
        w.grad = torch.zeros(1, dtype=torch.float64)
        opt.step()
    assert w.item() == pytest.approx((1 - 1e-5) ** 200, rel=1e-12)
    assert 0.001 * 0.01 == pytest.approx(1e-5)
    assert f3((1 - 1e-5) ** 10000) == "0.905"
    # eps = 1e-8 is below the smallest fp16 subnormal (2^-24): it rounds to zero in half precision
    assert torch.tensor(1e-8, dtype=torch.float16).item() == 0.0 and 2.0 ** -24 > 1e-8
    assert torch.tensor(2.0 ** -24, dtype=torch.float16).item() > 0
    # memory: beta memory ~ 1 / (1 - beta)
    assert round(1 / (1 - 0.9)) == 10 and round(1 / (1 - 0.999)) == 1000
    # Trainer defaults quoted on the page
    fields = {f.name: f.default for f in dataclasses.fields(TrainingArguments)}
    assert fields["weight_decay"] == 0.0
    assert fields["optim"] in ("adamw_torch", "adamw_torch_fused")
    assert_in_pages(SLUGS[75], "0.905", 10000, "$1 - 10^{-5}$", "`weight_decay=0.0`", "$\\lambda = 0.1$",
                    "$\\beta_2 = 0.95$", "$\\eta = 0.001$", "$\\varepsilon = 10^{-8}$", "| 0.01 |")


# --------------------------------------------------------------------------- Q76 accumulation


def test_q76_token_normalisation_and_mean_of_means():
    import torch
    import torch.nn.functional as F
    from torch import nn
    from transformers.loss.loss_utils import ForCausalLMLoss

    # the hand example: A = (1.0, 3.0), B = six tokens of 0.5
    a, b = torch.tensor([1.0, 3.0]), torch.full((6,), 0.5)
    assert torch.cat([a, b]).mean().item() == 0.875 == 7 / 8
    assert ((a.mean() + b.mean()) / 2).item() == 1.25
    assert (1 / (2 * 2), f"{1 / (2 * 6):.4f}", 1 / 8) == (0.25, "0.0833", 0.125)
    assert_in_pages(SLUGS[76], "= 7/8 = 0.875", "= 1.25", "= 0.25", "= 0.0833", "1/8 = 0.125")

    # the page's token classifier with padding
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    x = torch.randn(8, 4)
    y = torch.tensor([0, 1, 2, 0, 1, -100, -100, 2])
    micro = [slice(0, 4), slice(4, 8)]

    def grad_of(run):
        model.zero_grad()
        run()
        return model.weight.grad.clone()

    full = grad_of(lambda: F.cross_entropy(model(x), y).backward())
    n_tokens = (y != -100).sum()
    assert n_tokens.item() == 6 and [(y[s] != -100).sum().item() for s in micro] == [4, 2]

    def per_token():
        for s in micro:
            (F.cross_entropy(model(x[s]), y[s], reduction="sum") / n_tokens).backward()

    def mean_of_means():
        for s in micro:
            (F.cross_entropy(model(x[s]), y[s]) / len(micro)).backward()

    def hf_loss():                 # transformers' loss with num_items_in_batch = tokens of the whole batch
        for s in micro:
            logits = model(x[s]).unsqueeze(0)
            ForCausalLMLoss(logits, y[s].unsqueeze(0), vocab_size=3, num_items_in_batch=n_tokens,
                            shift_labels=y[s].unsqueeze(0)).backward()

    assert torch.allclose(full, grad_of(per_token))
    assert torch.allclose(full, grad_of(hf_loss))
    assert not torch.allclose(full, grad_of(mean_of_means))


def test_q76_batchnorm_breaks_equivalence():
    import torch
    import torch.nn.functional as F
    from torch import nn

    torch.manual_seed(0)
    x, y = torch.randn(8, 4), torch.randn(8, 1)

    def same_as_full_batch(net, k=4):
        net.zero_grad()
        F.mse_loss(net(x), y).backward()
        full = [p.grad.clone() for p in net.parameters()]
        net.zero_grad()
        for xb, yb in zip(x.chunk(k), y.chunk(k)):
            (F.mse_loss(net(xb), yb) / k).backward()
        return all(torch.allclose(a, p.grad, atol=1e-6) for a, p in zip(full, net.parameters()))

    mlp = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))
    with_bn = nn.Sequential(nn.Linear(4, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 1))
    with_ln = nn.Sequential(nn.Linear(4, 8), nn.LayerNorm(8), nn.ReLU(), nn.Linear(8, 1))
    assert same_as_full_batch(mlp) and same_as_full_batch(with_ln) and not same_as_full_batch(with_bn)


def gpt2_medium_params() -> int:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    with torch.device("meta"):
        model = GPT2LMHeadModel(GPT2Config(n_embd=1024, n_layer=24, n_head=16, n_positions=1024))
    return sum(p.numel() for p in model.parameters())


def activations_per_layer(s, b, h, a):
    """Korthikanti et al. (2022): bytes of saved activations per layer, 16-bit, no recomputation."""
    return s * b * h * (34 + 5 * a * s / h)


def test_q76_memory_and_time_for_gpt2_medium():
    psi = gpt2_medium_params()
    assert psi == 354823168
    states = 16 * psi
    per_seq = 24 * activations_per_layer(1024, 1, 1024, 16)
    assert 34 + 5 * 16 * 1024 / 1024 == 114
    assert per_seq == 24 * 1024 * 1024 * 114 == 2868903936
    assert (f"{states / GB:.2f}", f"{per_seq / GB:.2f}") == ("5.68", "2.87")
    rows = []
    for k in (1, 2, 4, 8, 32):
        micro = 32 // k
        rows.append((k, micro, f1(micro * per_seq / GB), f1((micro * per_seq + states) / GB)))
    assert rows == [(1, 32, "91.8", "97.5"), (2, 16, "45.9", "51.6"), (4, 8, "23.0", "28.6"),
                    (8, 4, "11.5", "17.2"), (32, 1, "2.9", "8.5")]
    assert float(rows[0][3]) > 80 and float(rows[2][3]) < 40 and float(rows[3][3]) < 24
    tokens = 32 * 1024
    assert tokens == 32768 and f1(6 * psi * tokens / 1e12) == "69.8"
    assert (f"{2 * psi / GB:.2f}", f"{4 * 2 * psi / GB:.2f}") == ("0.71", "2.84")
    for k, micro, act, total in rows:
        assert_in_pages(SLUGS[76], f"| {k} | {micro} | {act} | {total} |")
    assert_in_pages(SLUGS[76], 354823168, fmt_math(354823168), fmt_math(2868903936), "5.68", "2.87",
                    "69.8", fmt_math(32768), 32768, "0.71", "2.84", "*h* = 1024", "*s* = 1024")


# --------------------------------------------------------------------------- Q77 saving resources


def test_q77_memory_calculator():
    psi = 7e9
    setups = {"fp32": 4 + 4 + 8, "mixed": 2 + 2 + 4 + 4 + 4, "mixed_8bit": 2 + 2 + 4 + 1 + 1,
              "lora_base": 2, "qlora_base": 0.5, "zero3_8gpu": 16 / 8}
    assert setups == {"fp32": 16, "mixed": 16, "mixed_8bit": 10, "lora_base": 2, "qlora_base": 0.5,
                      "zero3_8gpu": 2}
    gb = {k: v * psi / GB for k, v in setups.items()}
    assert gb == {"fp32": 112, "mixed": 112, "mixed_8bit": 70, "lora_base": 14, "qlora_base": 3.5,
                  "zero3_8gpu": 14}
    # the ZeRO paper's accounting: 2 + 2 + K with K = 12
    assert 2 + 2 + 12 == setups["mixed"]
    scales = psi * 2 * 4 / 2048                       # one fp32 scale per block of 2048, for m and v
    assert scales == 27343750 and f"{scales / GB:.3f}" == "0.027" and f"{8 / 2048:.4f}" == "0.0039"
    assert f"{2 ** 30 / 1e9 - 1:.2f}" == "0.07"       # GiB vs GB: 7%
    assert_in_pages(SLUGS[77], "4 + 4 + 8 = 16", "2 + 2 + 4 + 4 + 4 = 16", "2 + 2 + 4 + 1 + 1 = 10",
                    "| 112 ", "| 70 ", "| 14 ", "3.5", "16/8 = 2",
                    fmt_math(27343750), "0.027", "0.0039", "7%", "2048", "4096")


def test_q77_activations_and_checkpointing():
    import torch
    from torch import nn
    from torch.utils.checkpoint import checkpoint_sequential
    from transformers import GPT2Config, GPT2LMHeadModel

    # "GPT-3 6.7B shape": 32 layers, d_model 4096, 32 heads (GPT-3 paper, Table 2.1)
    with torch.device("meta"):
        gpt = GPT2LMHeadModel(GPT2Config(n_embd=4096, n_layer=32, n_head=32, n_positions=2048))
    n = sum(p.numel() for p in gpt.parameters())
    assert abs(n / 6.7e9 - 1) < 0.01

    L, h, a, s = 32, 4096, 32, 2048
    per_layer = activations_per_layer(s, 1, h, a)
    assert 5 * a * s / h == 80 and per_layer == 2048 * 4096 * 114 == 956301312
    shown = [f3(per_layer / GB), f1(L * per_layer / GB), f"{L * 34 * s * h / GB:.2f}",
             f"{(L * 2 * s * h + per_layer) / GB:.2f}", f1(2 * s * h / 1e6)]
    assert shown == ["0.956", "30.6", "9.13", "1.49", "16.8"]
    # sqrt(n) checkpointing of 64 equal layers: 8 checkpoints + 8 recomputed layers
    n_layers = 64
    k = math.isqrt(n_layers)
    assert (k, n_layers // k + k) == (8, 16)
    assert min(range(1, n_layers + 1), key=lambda seg: n_layers / seg + seg) == 8
    # recomputation gives the same gradients
    torch.manual_seed(0)
    net = nn.Sequential(*[nn.Sequential(nn.Linear(16, 16), nn.Tanh()) for _ in range(16)])
    x = torch.randn(4, 16)
    net(x).sum().backward()
    plain = [p.grad.clone() for p in net.parameters()]
    net.zero_grad()
    checkpoint_sequential(net, 4, x, use_reentrant=False).sum().backward()
    assert all(torch.allclose(g, p.grad) for g, p in zip(plain, net.parameters()))
    assert_in_pages(SLUGS[77], *shown, fmt_math(956301312), "*n* = 64", "*h* = 4096", "*s* = 2048")


# --------------------------------------------------------------------------- Q78 distributed


def zero_memory(psi, nd, stage, k=12):
    """Per-GPU model-state bytes (in units of psi's scale) from the ZeRO paper."""
    return {0: (2 + 2 + k) * psi, 1: 2 * psi + 2 * psi + k * psi / nd,
            2: 2 * psi + (2 + k) * psi / nd, 3: (2 + 2 + k) * psi / nd}[stage]


def test_q78_zero_stages():
    paper = [zero_memory(7.5, 64, st) for st in range(4)]
    assert paper == [120, 31.40625, 16.640625, 1.875]
    assert [f1(v) for v in paper] == ["120.0", "31.4", "16.6", "1.9"]   # the paper: 120, 31.4, 16.6, 1.9 GB
    ours = [zero_memory(7, 8, st) for st in range(4)]
    assert ours == [112, 38.5, 26.25, 14]
    assert 12 * 7.5 / 64 == 1.40625
    for name, p, o in zip(("Plain DP", "ZeRO-1", "ZeRO-2", "ZeRO-3"), ("120", "31.4", "16.6", "1.9"),
                          ("112", "38.5", "26.25", "14")):
        cp.assert_in_each_page(SECTION, SLUGS[78], {
            "en": [f"| {p} GB | {o} GB |"], "ru": [f"| {p} ГБ | {o} ГБ |"]})
    assert_in_pages(SLUGS[78], "= 30 + 1.40625 = 31.4$", "$N_d = 64$", "$K = 12$")


def test_q78_pipeline_bubble_and_tensor_parallel():
    import torch
    import torch.nn.functional as F
    from torch import nn

    def bubble(p, m):
        return (p - 1) / (m + p - 1)

    rows = [(4, 1), (4, 4), (4, 16), (4, 32), (8, 32)]
    shown = [f"{bubble(p, m):.3f}".rstrip("0") for p, m in rows]
    assert shown == ["0.75", "0.429", "0.158", "0.086", "0.179"]
    for (p, m), v in zip(rows, shown):
        assert_in_pages(SLUGS[78], f"| {p} | {m} | {v} |")
    # idle share = 1 - m / (m + p - 1): each GPU works in m of the m + p - 1 slots
    assert all(bubble(p, m) == pytest.approx(1 - m / (m + p - 1)) for p, m in rows)

    # Megatron MLP split: parameter counts for h = 4096, t = 8, and the exactness of the split
    h, t = 4096, 8
    with torch.device("meta"):
        mlp = nn.Sequential(nn.Linear(h, 4 * h, bias=False), nn.Linear(4 * h, h, bias=False))
    total = sum(p.numel() for p in mlp.parameters())
    assert total == 2 * 4096 * 16384 == 134217728 and total // t == 16777216 and 32 // t == 4
    torch.manual_seed(0)
    hs, ts = 8, 4
    x = torch.randn(3, hs, dtype=torch.float64)
    A = torch.randn(hs, 4 * hs, dtype=torch.float64)
    B = torch.randn(4 * hs, hs, dtype=torch.float64)
    full = F.gelu(x @ A) @ B
    parts = [F.gelu(x @ a) @ b for a, b in zip(A.chunk(ts, dim=1), B.chunk(ts, dim=0))]
    assert torch.allclose(full, sum(parts))
    wrong = sum(F.gelu(xi @ a) for xi, a in zip(x.chunk(ts, dim=1), A.chunk(ts, dim=0))) @ B
    assert not torch.allclose(full, wrong)
    # ring all-reduce of bf16 gradients of a 7B model over 8 GPUs
    grads_gb = 2 * 7e9 / GB
    assert grads_gb == 14 and 2 * 7 / 8 * grads_gb == 24.5
    assert_in_pages(SLUGS[78], fmt_math(16384), fmt_math(134217728), 16777216, "24.5", "$h = 4096$",
                    "$t = 8$", r"$m \ge 4p$", "$m = 16$")


# --------------------------------------------------------------------------- Q81 warm-up

STEPS81 = (0, 50, 100, 325, 550, 775, 1000)


def test_q81_schedules_match_transformers():
    import torch
    from transformers import get_cosine_schedule_with_warmup, get_linear_schedule_with_warmup

    fig = cp.load_figure("lr-warmup-schedules")
    assert (fig.WARMUP, fig.TOTAL, fig.MARKED_STEPS) == (100, 1000, STEPS81)
    expected = {"linear": [0.0, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0],
                "cosine": [0.0, 0.5, 1.0, 0.854, 0.5, 0.146, 0.0]}
    for kind, make in (("linear", get_linear_schedule_with_warmup), ("cosine", get_cosine_schedule_with_warmup)):
        opt = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
        sched = make(opt, num_warmup_steps=100, num_training_steps=1000)
        assert opt.param_groups[0]["lr"] == 0.0          # the very first step is taken with lr = 0
        lrs = {}
        for step in range(1001):
            lrs[step] = opt.param_groups[0]["lr"]
            opt.step()
            sched.step()
        for step in range(0, 1001, 25):
            assert fig.multiplier(step, kind) == pytest.approx(lrs[step], abs=1e-12), (kind, step)
        assert [round(lrs[s], 3) for s in STEPS81] == expected[kind]
    assert f3(0.5 * (1 + math.cos(math.pi / 4))) == "0.854"
    for kind in ("linear", "cosine"):
        row = " | ".join(str(v) for v in expected[kind])
        assert_in_pages(SLUGS[81], f"| {row} |")
    assert_in_pages(SLUGS[81], "| 0 | 50 | 100 | 325 | 550 | 775 | 1000 |", "[0.0, 0.5, 1.0, 0.75, 0.5, 0.25, 0.0]",
                    "[0.0, 0.5, 1.0, 0.854, 0.5, 0.146, 0.0]", "$T = 1000$", "$N_w = 100$")
    cp.assert_figure_used(SECTION, "lr-warmup-schedules", [SLUGS[81]])


def test_q81_other_numbers():
    import torch
    from transformers import TrainingArguments

    # the Transformer's inverse-square-root schedule peaks at step 4000
    def noam(step, d=512, warmup=4000):
        return d ** -0.5 * min(step ** -0.5, step * warmup ** -1.5)

    assert max(range(1, 20001), key=noam) == 4000
    assert f"{noam(4000):.6f}" == "0.000699"
    # Goyal et al.: linear scaling rule
    assert 0.1 * 8192 / 256 == pytest.approx(3.2)
    # Ma & Yarats: 2 / (1 - beta2) warm-up steps
    assert round(2 / (1 - 0.999)) == 2000
    # RAdam's rho_t with beta2 = 0.999
    b2 = 0.999
    rho_inf = 2 / (1 - b2) - 1
    rho = [rho_inf - 2 * t * b2 ** t / (1 - b2 ** t) for t in range(1, 7)]
    assert round(rho_inf) == 1999
    assert [f1(r) for r in rho[:4]] + [f3(r) for r in rho[4:]] == ["1.0", "2.0", "3.0", "4.0", "4.996", "5.994"]
    assert min(t for t in range(1, 7) if rho[t - 1] > 4) == 5
    assert min(t for t in range(1, 7) if rho[t - 1] > 5) == 6
    # torch.optim.RAdam: the first five updates are lr * m_hat (no adaptive term), the sixth is not
    w = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.RAdam([w], lr=0.1)
    grads = [1.0, -2.0, 0.5, 3.0, -1.0, 2.0]
    m, prev = 0.0, 0.0
    for t, g in enumerate(grads, start=1):
        w.grad = torch.tensor([g], dtype=torch.float64)
        opt.step()
        m = 0.9 * m + 0.1 * g
        plain = -0.1 * m / (1 - 0.9 ** t)
        assert (w.item() - prev == pytest.approx(plain, rel=1e-12)) == (t <= 5), t
        prev = w.item()
    # Trainer: linear schedule without warm-up by default
    fields = {f.name: f.default for f in dataclasses.fields(TrainingArguments)}
    assert fields["lr_scheduler_type"] == "linear" and fields["warmup_steps"] == 0
    assert_in_pages(SLUGS[81], "0.000699", "3.2", "2000", "1999", "1.0, 2.0, 3.0, 4.0, 4.996, 5.994",
                    "$t = 5$", "$\\rho_t > 5$", "N_w = 4000 .", "$d_{\\text{model}} = 512$", 10000, 1000000,
                    "8192")


# --------------------------------------------------------------------------- Q82 clipping


def test_q82_clip_by_norm_and_value():
    import torch

    def params_with_grads():
        a, b = torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)
        a.grad, b.grad = torch.tensor([3.0, 4.0]), torch.tensor([12.0])
        return [a, b]

    g = [3.0, 4.0, 12.0]
    norm = math.sqrt(sum(v * v for v in g))
    assert norm == 13.0
    ps = params_with_grads()
    total = torch.nn.utils.clip_grad_norm_(ps, max_norm=5.0)
    assert total.item() == 13.0                                   # the norm before clipping
    clipped = [v for p in ps for v in p.grad.tolist()]
    ours = [v * 5.0 / (norm + 1e-6) for v in g]                   # PyTorch's factor
    assert clipped == pytest.approx(ours, rel=1e-6)
    assert [round(v, 4) for v in clipped] == [1.1538, 1.5385, 4.6154]
    assert f1(math.sqrt(sum(v * v for v in clipped))) == "5.0" and f3(5 / 13) == "0.385"
    ps = params_with_grads()
    torch.nn.utils.clip_grad_value_(ps, clip_value=2.0)
    by_value = [v for p in ps for v in p.grad.tolist()]
    assert by_value == [2.0, 2.0, 2.0]

    def cosine(u, v):
        return sum(a * b for a, b in zip(u, v)) / (math.hypot(*u) * math.hypot(*v))

    assert f3(cosine(g, by_value)) == "0.844" and 6 + 8 + 24 == 38
    per_tensor = [3.0, 4.0, 5.0]                                  # each tensor clipped to norm 5 separately
    assert f3(cosine(g, per_tensor)) == "0.925" and 9 + 16 + 60 == 85
    assert_in_pages(SLUGS[82], "13.0 [[1.1538, 1.5385], [4.6154]]", "[[2.0, 2.0], [2.0]]", "5/13 = 0.385",
                    "(1.1538, 1.5385)", "(4.6154)", "0.844", "0.925", "\\sqrt{169} = 13")
    cp.assert_in_each_page(SECTION, SLUGS[82], {"en": ["with norm 5.0"], "ru": ["норма 5.0"]})


def test_q82_figure_and_defaults():
    import torch
    from transformers import TrainingArguments

    fig = cp.load_figure("gradient-clipping")
    assert (fig.G, fig.C) == ((4.0, 1.0), 2.0)
    t = torch.tensor(fig.G, requires_grad=True)
    t.grad = torch.tensor(fig.G)
    torch.nn.utils.clip_grad_norm_([t], max_norm=fig.C)
    assert t.grad.tolist() == pytest.approx(fig.clip_by_norm(fig.G), rel=1e-6)
    t.grad = torch.tensor(fig.G)
    torch.nn.utils.clip_grad_value_([t], clip_value=fig.C)
    assert tuple(t.grad.tolist()) == fig.clip_by_value(fig.G) == (2.0, 1.0)
    by_norm = fig.clip_by_norm(fig.G)
    shown = [f"{math.hypot(*fig.G):.3f}", f"({by_norm[0]:.2f}, {by_norm[1]:.2f})",
             f1(fig.angle_deg(by_norm)), f1(fig.angle_deg(fig.clip_by_value(fig.G)))]
    assert shown == ["4.123", "(1.94, 0.49)", "14.0", "26.6"]
    assert f1(fig.angle_deg(fig.G)) == "14.0"
    # Adam's moment memories and the Trainer default threshold
    assert round(1 / (1 - 0.9)) == 10 and round(1 / (1 - 0.999)) == 1000
    fields = {f.name: f.default for f in dataclasses.fields(TrainingArguments)}
    assert fields["max_grad_norm"] == 1.0
    assert_in_pages(SLUGS[82], *shown, "(2, 1)", "`max_grad_norm=1.0`")
    cp.assert_figure_used(SECTION, "gradient-clipping", [SLUGS[82]])
