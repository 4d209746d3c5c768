"""Reference computations for LLM basics (questions 91–96): every number of the worked examples,
recomputed with our own formulas and with PyTorch, transformers + peft (tiny models built from their
configs, big ones on the meta device), scipy and scikit-learn, and found on both language versions
of the page. Nothing is downloaded."""
from __future__ import annotations

import math
import re
import warnings
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, LANGS, fmt_math, single_thread_torch  # noqa: F401  (autouse fixture)

SECTION = DOCS / "llm" / "llm-basics"
SLUGS = {
    91: "lora",
    92: "prefix-p-prompt-tuning",
    93: "scaling-laws",
    94: "llm-training-stages",
    95: "rag",
    96: "quantization-methods",
}
assert_in_pages = partial(cp.assert_in_pages, SECTION)
page = partial(cp.read_page, SECTION)

# The tiny Llama shared by the examples of questions 91 and 92.
TINY = dict(vocab_size=1000, hidden_size=64, intermediate_size=176, num_hidden_layers=2,
            num_attention_heads=4, num_key_value_heads=4)
LLAMA_7B = dict(hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32)
LLAMA_65B = dict(hidden_size=8192, intermediate_size=22016, num_hidden_layers=80, num_attention_heads=64)
N_7B, N_65B = 6738415616, 65285660672


def tiny_llama(**overrides):
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    return LlamaForCausalLM(LlamaConfig(**{**TINY, **overrides}))


def lora_count(model, r: int, names) -> int:
    """r * (d_in + d_out) summed over the adapted nn.Linear layers (LoRA layers have no bias)."""
    import torch.nn as nn

    return sum(r * (m.in_features + m.out_features) for name, m in model.named_modules()
               if isinstance(m, nn.Linear) and name.split(".")[-1] in names)


ALL_LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


# --------------------------------------------------------------------------- Q91 LoRA


def test_q91_lora_layer_by_hand():
    import torch

    torch.manual_seed(0)
    d_in, d_out, r, alpha = 6, 4, 2, 4
    W = torch.randn(d_out, d_in)
    A = torch.randn(r, d_in) * 0.01
    B = torch.zeros(d_out, r)
    x = torch.randn(3, d_in)
    lora = lambda x: x @ W.T + (alpha / r) * (x @ A.T) @ B.T  # noqa: E731
    assert torch.equal(lora(x), x @ W.T)                       # B = 0: the base layer exactly
    B = torch.randn(d_out, r)
    assert torch.allclose(lora(x), x @ (W + (alpha / r) * B @ A).T, atol=1e-6)
    assert (r * (d_in + d_out), d_in * d_out, alpha / r) == (20, 24, 2.0)
    assert_in_pages(SLUGS[91], "2 \\cdot (6 + 4) = 20", "24", "r = 2", "\\alpha = 4", "2 \\cdot BA")


def test_q91_peft_counts_step0_and_merge():
    import torch
    from peft import LoraConfig, get_peft_model

    base_params = cp.n_params(tiny_llama())
    assert base_params == 228672
    expected = {("q_proj", "v_proj"): (2048, 4096), ALL_LINEAR: (9856, 19712)}
    for names, (per_layer, total) in expected.items():
        base = tiny_llama()
        own = lora_count(base, 8, names)
        assert own == total == 2 * per_layer
        targets = list(names) if len(names) == 2 else "all-linear"
        model = get_peft_model(tiny_llama(), LoraConfig(r=8, lora_alpha=16, target_modules=targets))
        assert model.get_nb_trainable_parameters() == (total, base_params + total)
    assert 2 * 8 * (64 + 64) == 2048 and 4 * 8 * 128 + 3 * 8 * (64 + 176) == 9856
    assert_in_pages(SLUGS[91], 228672, 4096, 19712, "= 2048", "= 9856", "(4096, 232768)", "(19712, 248384)")

    # step 0: B = 0, so the adapted model computes exactly what the base computes
    ids = torch.tensor([[1, 5, 17, 42]])
    base = tiny_llama()
    model = get_peft_model(tiny_llama(), LoraConfig(r=8, lora_alpha=16, target_modules="all-linear"))
    with torch.no_grad():
        assert torch.equal(model(ids).logits, base(ids).logits)

    # after "training" (random B): merge_and_unload gives W + (alpha / r) B A for every adapted layer
    torch.manual_seed(1)
    expected_w = {}
    with torch.no_grad():
        for name, module in model.named_modules():
            if hasattr(module, "lora_B"):
                module.lora_B["default"].weight.normal_()
                assert module.scaling["default"] == 16 / 8
                b, a = module.lora_B["default"].weight, module.lora_A["default"].weight
                expected_w[name.removeprefix("base_model.model.")] = module.base_layer.weight + 2.0 * b @ a
        logits_adapted = model(ids).logits
    merged = model.merge_and_unload()
    assert len(expected_w) == 14
    modules = dict(merged.named_modules())
    for name, w in expected_w.items():
        assert torch.allclose(modules[name].weight, w, atol=1e-6), name
    with torch.no_grad():
        assert torch.allclose(merged(ids).logits, logits_adapted, atol=1e-5)


def test_q91_llama_sizes_on_meta_device():
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    with torch.device("meta"):
        m7 = LlamaForCausalLM(LlamaConfig(**LLAMA_7B))
        m65 = LlamaForCausalLM(LlamaConfig(**LLAMA_65B))
        one_layer = LlamaForCausalLM(LlamaConfig(**{**LLAMA_7B, "num_hidden_layers": 1}))
    assert (cp.n_params(m7), cp.n_params(m65)) == (N_7B, N_65B)
    lora_7b, lora_65b = lora_count(m7, 16, ALL_LINEAR), lora_count(m65, 16, ALL_LINEAR)
    assert (lora_7b, lora_65b) == (39976960, 199884800)
    assert lora_7b == 32 * 16 * (4 * 8192 + 3 * 15104)
    assert lora_count(m7, 8, ("q_proj", "v_proj")) == 4194304
    # peft itself, at the real 7B dimensions, on one layer (no memory is allocated on "meta")
    one = get_peft_model(one_layer, LoraConfig(r=16, target_modules="all-linear"))
    assert 32 * one.get_nb_trainable_parameters()[0] == lora_7b
    shares = f"{100 * lora_7b / N_7B:.2f}%", f"{100 * lora_65b / N_65B:.2f}%"
    assert shares == ("0.59%", "0.31%")
    assert 8 * (4096 + 4096) == 65536 and f"{100 * 65536 / 4096**2:.2f}%" == "0.39%"
    assert_in_pages(SLUGS[91], N_7B, N_65B, 4194304, 199884800, 65536, 16777216, *shares, "0.39%",
                    fmt_math(39976960), fmt_math(15104))


def memory_gb(n_total: int, n_trainable: int, frozen_bits: float, trainable_bytes: int = 16) -> float:
    """Frozen weights at `frozen_bits`, each trainable parameter `trainable_bytes` (mixed-precision
    Adam as the ZeRO paper counts it, 2 + 2 + 12; fp32 LoRA weights, 4 + 4 + 8, give the same);
    activations are not included."""
    return ((n_total - n_trainable) * frozen_bits / 8 + n_trainable * trainable_bytes) / 1e9


def test_q91_memory_calculator():
    import torch
    from peft import LoraConfig, get_peft_model

    # quantization constants as defined in the QLoRA paper
    one_level = 32 / 64
    double = 8 / 64 + 32 / (64 * 256)
    assert one_level == 0.5 and f"{double:.3f}" == "0.127" and f"{one_level - double:.3f}" == "0.373"
    # 16 bytes per trainable parameter both ways; peft keeps the adapters of a bf16 base in fp32
    assert 2 + 2 + 12 == 4 + 4 + 8 == 16
    bf16 = tiny_llama().to(torch.bfloat16)
    lora = get_peft_model(bf16, LoraConfig(r=8, target_modules=["q_proj", "v_proj"]))
    dtypes = {p.dtype for p in lora.parameters() if p.requires_grad}
    assert dtypes == {torch.float32}
    rows = {}
    for n, n_lora in ((N_7B, 39976960), (N_65B, 199884800)):
        full = memory_gb(n, n, 16)
        adapters = n_lora * 16 / 1e9
        base16, nf4, nf4dq = n * 2 / 1e9, n * 4.5 / 8 / 1e9, n * 4.127 / 8 / 1e9
        assert full == pytest.approx(16 * n / 1e9)
        assert memory_gb(n + n_lora, n_lora, 16) == pytest.approx(base16 + adapters)
        assert memory_gb(n + n_lora, n_lora, 4.127) == pytest.approx(nf4dq + adapters)
        f = lambda v: f"{v:.2f}"  # noqa: E731
        rows[n] = [f(full), f"{f(base16)} + {f(adapters)} = {f(base16 + adapters)}",
                   f"{f(nf4)} + {f(adapters)} = {f(nf4 + adapters)}",
                   f"{f(nf4dq)} + {f(adapters)} = {f(nf4dq + adapters)}",
                   f(memory_gb(n, n, 16, trainable_bytes=12)), f(n * 0.373 / 8 / 1e9)]
    assert rows[N_7B][:4] == ["107.81", "13.48 + 0.64 = 14.12", "3.79 + 0.64 = 4.43", "3.48 + 0.64 = 4.12"]
    assert rows[N_65B][:4] == ["1044.57", "130.57 + 3.20 = 133.77", "36.72 + 3.20 = 39.92",
                               "33.68 + 3.20 = 36.88"]
    # the QLoRA headline: "more than 780 GB" counts 12 bytes per parameter (no fp32 master copy)
    assert (rows[N_65B][4], rows[N_65B][5]) == ("783.43", "3.04")
    assert float(rows[N_65B][4]) > 780 and float(rows[N_65B][3].split()[-1]) < 48
    for lang in LANGS:
        text = page(SLUGS[91], lang)
        for n, unit in ((N_7B, "7B"), (N_65B, "65B")):
            row = re.search(rf"^\| LLaMA-{unit} \|(.*)\|$", text, re.M)
            assert row, (lang, unit)
            gb = "ГБ" if lang == "ru" else "GB"
            assert [c.strip() for c in row.group(1).split("|")] == [f"{v} {gb}" for v in rows[n][:4]]
    assert_in_pages(SLUGS[91], "783.43", "780", "3.04", "0.373", "0.127", "32 / 64 = 0.5",
                    "8 / 64 + 32 / (64 \\cdot 256) = 0.127", "4 + 0.5 = 4.5", "4 + 0.127 = 4.127",
                    "2 + 2 + 12 = 16", "4 + 4 + 8 = 16")
    cp.assert_figure_used(SECTION, "lora-diagram", [SLUGS[91]])


# --------------------------------------------------------------------------- Q92 soft prompts


def test_q92_prompt_prefix_ptuning_counts():
    import torch.nn as nn
    from peft import (PrefixTuningConfig, PromptEncoderConfig, PromptTuningConfig, TaskType,
                      get_peft_model, get_peft_model_state_dict)

    n, d, layers, h = 10, 64, 2, 32
    lm = TaskType.CAUSAL_LM
    lstm = nn.LSTM(d, h, num_layers=2, bidirectional=True)
    own = {
        "prompt": (n * d, n * d),
        "ptuning": (n * d + (d * h + h) + (h * h + h) + (h * d + d), n * d),
        "ptuning_lstm": (n * d + cp.n_params(lstm) + (2 * h * 2 * h + 2 * h) + (2 * h * d + d), n * d),
        "prefix": (n * layers * 2 * d, n * layers * 2 * d),
        "prefix_mlp": (n * d + (d * h + h) + (h * layers * 2 * d + layers * 2 * d), n * layers * 2 * d),
    }
    configs = {
        "prompt": PromptTuningConfig(task_type=lm, num_virtual_tokens=n),
        "ptuning": PromptEncoderConfig(task_type=lm, num_virtual_tokens=n, encoder_hidden_size=h),
        "ptuning_lstm": PromptEncoderConfig(task_type=lm, num_virtual_tokens=n, encoder_hidden_size=h,
                                            encoder_reparameterization_type="LSTM"),
        "prefix": PrefixTuningConfig(task_type=lm, num_virtual_tokens=n),
        "prefix_mlp": PrefixTuningConfig(task_type=lm, num_virtual_tokens=n, prefix_projection=True,
                                         encoder_hidden_size=h),
    }
    for name, config in configs.items():
        model = get_peft_model(tiny_llama(), config)
        trainable, kept = own[name]
        assert model.get_nb_trainable_parameters()[0] == trainable, name
        saved = get_peft_model_state_dict(model)
        assert sum(t.numel() for t in saved.values()) == kept, name
    assert [own[k][0] for k in own] == [640, 5888, 59136, 2560, 11168]
    assert_in_pages(SLUGS[92], 228672, 59136, 11168, "| 640 | 640 | 640 |", "| 5888 | 5888 | 640 |",
                    "| 2560 | 2560 | 2560 |")
    # grouped-query attention: the prefix is 2 * n_kv * d_head wide per layer and token
    gqa = get_peft_model(tiny_llama(num_key_value_heads=2), PrefixTuningConfig(task_type=lm, num_virtual_tokens=n))
    assert gqa.get_nb_trainable_parameters()[0] == n * layers * 2 * (2 * 16) == 1280
    # the LLaMA-7B scale and T5-XXL, by the same formulas
    assert (20 * 4096, 20 * 32 * 2 * 4096, 100 * 4096) == (81920, 5242880, 409600)
    assert 409600 / 11e9 < 1e-4
    assert_in_pages(SLUGS[92], "= 1280", fmt_math(81920), fmt_math(5242880), 409600, 4194304,
                    "0.3", "(1, 13, 1000)")


# --------------------------------------------------------------------------- Q93 scaling laws


def test_q93_scaling_numbers():
    import numpy as np
    from scipy.optimize import minimize_scalar

    fig = cp.load_figure("chinchilla-isoflop")
    E, A, B, al, be = 1.69, 406.4, 410.7, 0.34, 0.28
    assert (fig.E, fig.A, fig.B, fig.ALPHA, fig.BETA) == (E, A, B, al, be)
    loss = lambda n, d: E + A / n**al + B / d**be  # noqa: E731

    c_chin, c_gopher = 6 * 70e9 * 1.4e12, 6 * 280e9 * 300e9
    assert (f"{c_chin:.3g}", f"{c_gopher:.3g}") == ("5.88e+23", "5.04e+23")
    n_rule, d_rule = fig.rule_of_thumb(c_chin)
    assert n_rule == pytest.approx(70e9) and d_rule == pytest.approx(1.4e12)
    assert (f"{loss(70e9, 1.4e12):.3f}", f"{loss(280e9, 300e9):.3f}") == ("1.937", "1.993")
    assert (c_chin / (6 * 280e9), f"{loss(280e9, c_chin / (6 * 280e9)):.3f}") == (350e9, "1.983")

    a, b = be / (al + be), al / (al + be)
    # the printed (rounded) alpha and beta do not even reproduce the reported a = 0.46 of approach 3
    assert f"{a:.2f}" == "0.45" and 1.4e12 / 70e9 == 20
    g = (al * A / (be * B)) ** (1 / (al + be))
    assert (f"{a:.3f}", f"{b:.3f}", f"{g:.3f}") == ("0.452", "0.548", "1.345")
    shown = {}
    for c in (c_chin, 1.2e22):
        n_opt, d_opt = fig.optimum(c)
        # independent check: numerical minimum of L(N, C / 6N) over log N
        res = minimize_scalar(lambda t: loss(10**t, c / (6 * 10**t)), bounds=(8, 14), method="bounded",
                              options={"xatol": 1e-10})
        assert 10**res.x == pytest.approx(n_opt, rel=1e-5)
        assert n_opt == pytest.approx(g * (c / 6) ** a) and 6 * n_opt * d_opt == pytest.approx(c)
        shown[c] = (n_opt, d_opt, d_opt / n_opt, loss(n_opt, d_opt))
    n_opt, d_opt, ratio, l_opt = shown[c_chin]
    assert (f"{n_opt:.3g}", f"{d_opt:.3g}", round(ratio), f"{l_opt:.3f}") == ("3.25e+10", "3.02e+12", 93, "1.930")
    assert f"{loss(70e9, 1.4e12) - l_opt:.3f}" == "0.007"
    n_s, d_s, ratio_s, l_s = shown[1.2e22]
    assert (f"{n_s / 1e9:.1f}", f"{d_s / 1e12:.2f}", round(ratio_s), f"{l_s:.3f}") == ("5.6", "0.36", 64, "2.126")
    n10, d10 = fig.rule_of_thumb(1.2e22)
    assert n10 == pytest.approx(1e10) and d10 == pytest.approx(2e11) and f"{loss(n10, d10):.3f}" == "2.133"
    gpu_hours = 1.2e22 / (312e12 * 0.4) / 3600
    assert round(gpu_hours) == 26709 and round(gpu_hours / 24 / 32) == 35
    assert f"{6 * 405e9 * 15.6e12:.3g}" == "3.79e+25"
    assert (15e12 / 8e9, round(15e12 / 8e9 / 20)) == (1875, 94)
    # the figure draws what the page says
    assert fig.BUDGETS == (1.2e22, 5.88e23, 3.79e25) and fig.GOPHER == (280e9, 300e9)
    grid = np.logspace(9, 13, 4001)
    assert f"{grid[np.argmin(loss(grid, c_chin / (6 * grid)))]:.3g}" == "3.25e+10"
    assert_in_pages(SLUGS[93], "= 5.88 \\cdot 10^{23}", "= 5.04 \\cdot 10^{23}", "5.76 \\cdot 10^{23}",
                    "N = 7 \\cdot 10^{10}", "D = 1.4 \\cdot 10^{12}", "= 1.937", "= 1.993", "1.983",
                    "350B", "a = 0.452", "b = 0.548", "G = 1.345", "N_{\\text{opt}} = 3.25 \\cdot 10^{10}",
                    "D_{\\text{opt}} = 3.02 \\cdot 10^{12}", "93", "L = 1.930", "0.007", "L = 2.133",
                    "L = 2.126", "5.6B", "0.36T", "64", "= 26\\,709", "35", "= 3.79 \\cdot 10^{25}",
                    "3.8 \\cdot 10^{25}", "1875", "94", "E = 1.69", "A = 406.4", "B = 410.7",
                    "\\alpha = 0.34", "\\beta = 0.28", "0.46", "b > a")
    cp.assert_figure_used(SECTION, "chinchilla-isoflop", [SLUGS[93]])


# --------------------------------------------------------------------------- Q94 DPO


def test_q94_dpo_loss():
    import torch
    import torch.nn.functional as F

    beta = 0.1
    pairs = [(-12.0, -14.0, -15.0, -13.0), (-20.0, -19.0, -18.0, -18.5)]
    sigmoid = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    z = [beta * ((pw - rw) - (pl - rl)) for pw, rw, pl, rl in pairs]
    by_hand = [-math.log(sigmoid(v)) for v in z]

    pi_w = torch.tensor([p[0] for p in pairs], dtype=torch.float64, requires_grad=True)
    ref_w, pi_l, ref_l = (torch.tensor([p[i] for p in pairs], dtype=torch.float64) for i in (1, 2, 3))
    logits = beta * ((pi_w - ref_w) - (pi_l - ref_l))
    losses = -F.logsigmoid(logits)
    losses.mean().backward()
    assert losses.tolist() == pytest.approx(by_hand, abs=1e-12)
    assert F.softplus(-logits).tolist() == pytest.approx(by_hand, abs=1e-12)   # the same loss
    grads = [-beta * sigmoid(-v) / 2 for v in z]
    assert pi_w.grad.tolist() == pytest.approx(grads, abs=1e-12)

    f3 = lambda v: f"{v:.3f}"  # noqa: E731
    assert [round(v, 10) for v in z] == [0.4, -0.15]
    assert [f3(v) for v in by_hand] == ["0.513", "0.771"]
    assert f3(sum(by_hand) / 2) == "0.642" and f3(math.log(2)) == "0.693"
    assert [f3(sigmoid(-v)) for v in z] == ["0.401", "0.537"]
    assert [f3(v) for v in grads] == ["-0.020", "-0.027"]
    rewards = [(round(beta * (pw - rw), 10), round(beta * (pl - rl), 10)) for pw, rw, pl, rl in pairs]
    assert rewards == [(0.2, -0.2), (-0.1, 0.05)]
    assert_in_pages(SLUGS[94], "= 0.4", "= 0.513", "= -0.15", "= 0.771", "= 0.642", "= 0.693",
                    "0.401", "0.537", "−0.020", "−0.027", "0.2", "−0.2", "−0.1", "0.05", "1/2",
                    "\\beta = 0.1")


# --------------------------------------------------------------------------- Q95 RAG


def page_retriever():
    """The Retriever class exactly as the code block of the RAG page defines it."""
    block = cp.python_blocks(page(SLUGS[95], "en"))[0]
    namespace: dict = {}
    exec(compile(block.split("# RAG:")[0], "rag.en.md#0", "exec"), namespace)
    return namespace["Retriever"]


def own_tfidf(docs: list[str], query: str, analyzer) -> list[float]:
    """TF-IDF as scikit-learn defines it: sublinear tf 1 + ln(count), smooth idf
    ln((1 + n) / (1 + df)) + 1, l2-normalised rows; cosine similarity to the query."""
    import numpy as np

    tokens = [analyzer(d) for d in docs]
    vocab = sorted({t for toks in tokens for t in toks})
    n = len(docs)
    df = np.array([sum(term in toks for toks in tokens) for term in vocab])
    idf = np.log((1 + n) / (1 + df)) + 1

    def vector(toks):
        counts = np.array([toks.count(term) for term in vocab], dtype=float)
        tf = np.where(counts > 0, 1 + np.log(np.maximum(counts, 1)), 0.0)
        v = tf * idf
        return v / np.linalg.norm(v) if v.any() else v

    q = vector(analyzer(query))
    return [float(vector(toks) @ q) for toks in tokens]


def test_q95_retrieval_demo_and_tfidf():
    Retriever = page_retriever()
    docs = {
        "lora": "LoRA freezes the pretrained weights and trains two small low-rank matrices.",
        "chinchilla": "Chinchilla: a compute-optimal model is trained on about 20 tokens per parameter.",
        "rope": "Rotary position embeddings rotate query and key vectors by an angle set by the position.",
        "kv-cache": "The KV cache keeps the keys and values of past tokens, so generation does not recompute them.",
    }
    question = "How many training tokens per parameter are compute-optimal?"
    retriever = Retriever(docs)
    assert retriever.search(question, k=2) == [("chinchilla", 0.689), ("kv-cache", 0.105)]
    own = own_tfidf(list(docs.values()), question, retriever.vectorizer.build_analyzer())
    assert [round(own[1], 3), round(own[3], 3)] == [0.689, 0.105]
    assert max(own) == own[1]

    train = ["The plot was gripping from start to finish.", "A dull film with wooden acting.",
             "Clever dialogue and a gripping story.", "The jokes fell flat and the story dragged."]
    review = "A gripping story, but the acting is wooden."
    knn = Retriever({t: t for t in train})
    assert knn.search(review, k=2) == [(train[1], 0.555), (train[2], 0.383)]
    own = own_tfidf(train, review, knn.vectorizer.build_analyzer())
    assert [round(own[1], 3), round(own[2], 3)] == [0.555, 0.383]
    assert_in_pages(SLUGS[95], "0.689", "0.105", "(0.555)", "(0.383)")


def guide_pages(lang: str = "en") -> dict[str, str]:
    """Title and text (code blocks removed) of every answered question page of the guide in `lang`
    (placeholders are a title and nothing else: they would crowd short queries)."""
    pages = {}
    for q in cp.CATALOG.questions.values():
        if not q.answered(lang):
            continue
        text = cp.text_of(q, lang)
        meta = cp.front_matter(text)
        body = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
        pages[q.slug] = meta["title"] + "\n" + cp.without_code(body)
    return pages


def test_q95_retrieval_over_the_guide():
    pages = guide_pages("en")
    assert len(pages) > 60 and "rotary-embeddings" in pages
    retriever = page_retriever()(pages)
    assert retriever.search("rotary position embeddings", k=3)[0][0] == "rotary-embeddings"
    assert_in_pages(SLUGS[95], "rotary position embeddings", "`Retriever`")


# --------------------------------------------------------------------------- Q96 quantization


def test_q96_int8_round_trip_matches_torch():
    import torch

    x = torch.tensor([-0.4, 0.1, 0.6, 1.2, 2.0, 3.1])
    scale = float(x.abs().max() / 127)
    q = torch.clamp(torch.round(x / scale), -127, 127)
    scale_zp = float((x.max() - x.min()) / 255)
    zp = int(torch.round(-x.min() / scale_zp))
    q_zp = torch.clamp(torch.round(x / scale_zp) + zp, 0, 255)
    with warnings.catch_warnings():          # these quantized dtypes are deprecated in PyTorch 2.13
        warnings.simplefilter("ignore")
        ref = torch.quantize_per_tensor(x, scale, 0, torch.qint8)
        ref_zp = torch.quantize_per_tensor(x, scale_zp, zp, torch.quint8)
    assert torch.equal(ref.int_repr().int(), q.int()) and torch.equal(ref_zp.int_repr().int(), q_zp.int())
    assert torch.allclose(ref.dequantize(), q * scale) and torch.allclose(ref_zp.dequantize(), (q_zp - zp) * scale_zp)
    err, err_zp = (ref.dequantize() - x).abs().max(), (ref_zp.dequantize() - x).abs().max()
    assert q.int().tolist() == [-16, 4, 25, 49, 82, 127] and q_zp.int().tolist() == [0, 36, 73, 116, 175, 255]
    shown = [f"{scale:.5f}", f"{err:.5f}", f"{scale_zp:.5f}", zp, f"{err_zp:.5f}", f"{scale / scale_zp:.1f}"]
    assert shown == ["0.02441", "0.01024", "0.01373", 29, "0.00588", "1.8"]
    # one outlier
    y = torch.cat([x, torch.tensor([60.0])])
    s = float(y.abs().max() / 127)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref_y = torch.quantize_per_tensor(y, s, 0, torch.qint8)
    assert ref_y.int_repr().tolist() == [-1, 0, 1, 3, 4, 7, 127]
    assert (f"{s:.3f}", f"{(ref_y.dequantize() - y)[:6].abs().max():.3f}") == ("0.472", "0.217")
    assert_in_pages(SLUGS[96], "3.1 / 127 = 0.02441", "(-16, 4, 25, 49, 82, 127)", "0.01024",
                    "3.5 / 255 = 0.01373", "z = 29", "(0, 36, 73, 116, 175, 255)", "0.00588", "1.8",
                    "60 / 127 = 0.472", "(-1, 0, 1, 3, 4, 7)", "0.217")


# The NF4 code book as hard-coded in the bitsandbytes kernels (functional.py / CUDA dequantize).
BNB_NF4 = [-1.0, -0.6961928009986877, -0.5250730514526367, -0.39491748809814453, -0.28444138169288635,
           -0.18477343022823334, -0.09105003625154495, 0.0, 0.07958029955625534, 0.16093020141124725,
           0.24611230194568634, 0.33791524171829224, 0.44070982933044434, 0.5626170039176941,
           0.7229568362236023, 1.0]


def test_q96_nf4_codebook_and_error():
    import numpy as np
    import torch
    from scipy.stats import norm

    offset = 0.9677083
    assert offset == pytest.approx((1 - 1 / (2 * 15) + 1 - 1 / (2 * 16)) / 2, abs=1e-7)
    levels = np.sort(np.concatenate([-norm.ppf(np.linspace(offset, 0.5, 8)[:-1]), [0.0],
                                     norm.ppf(np.linspace(offset, 0.5, 9)[:-1])]))
    levels = levels / levels.max()
    assert levels.tolist() == pytest.approx(BNB_NF4, abs=1e-6)
    assert len(levels) == 16 and (levels == 0).sum() == 1

    torch.manual_seed(0)
    blocks = torch.randn(256, 64)
    absmax = blocks.abs().amax(dim=1, keepdim=True)
    normed = blocks / absmax
    table = torch.tensor(BNB_NF4)
    nf4 = table[(normed.unsqueeze(-1) - table).abs().argmin(-1)] * absmax
    int4 = torch.round(normed * 7) / 7 * absmax
    rmse = [f"{(v - blocks).pow(2).mean().sqrt():.4f}" for v in (nf4, int4)]
    assert rmse == ["0.0928", "0.1083"]
    assert_in_pages(SLUGS[96], "0.0928", "0.1083")


def test_q96_bits_per_weight():
    # bytes per block from the ggml block structs (ggml-common.h), QK_K = 256
    half = 2
    layouts = {
        "Q8_0": (half + 32, 32),
        "Q6_K": (256 // 2 + 256 // 4 + 256 // 16 + half, 256),
        "Q5_K": (2 * half + 12 + 256 // 2 + 256 // 8, 256),
        "Q4_K": (2 * half + 12 + 256 // 2, 256),
        "Q3_K": (256 // 8 + 256 // 4 + 12 + half, 256),
        "Q2_K": (256 // 16 + 256 // 4 + 2 * half, 256),
    }
    assert {k: v[0] for k, v in layouts.items()} == {"Q8_0": 34, "Q6_K": 210, "Q5_K": 176, "Q4_K": 144,
                                                     "Q3_K": 110, "Q2_K": 84}
    bpw = {k: 8 * b / n for k, (b, n) in layouts.items()}
    bpw |= {"BF16": 16.0, "NF4": 4 + 32 / 64, "MXFP4": 4 + 8 / 32, "NF4+DQ": 4 + 8 / 64 + 32 / (64 * 256)}
    assert bpw == pytest.approx({"Q8_0": 8.5, "Q6_K": 6.5625, "Q5_K": 5.5, "Q4_K": 4.5, "Q3_K": 3.4375,
                                 "Q2_K": 2.625, "BF16": 16, "NF4": 4.5, "MXFP4": 4.25, "NF4+DQ": 4.126953125})
    sizes = {k: f"{N_7B * (4.127 if k == 'NF4+DQ' else v) / 8 / 1e9:.2f}" for k, v in bpw.items()}
    assert sizes == {"Q8_0": "7.16", "Q6_K": "5.53", "Q5_K": "4.63", "Q4_K": "3.79", "Q3_K": "2.90",
                     "Q2_K": "2.21", "BF16": "13.48", "NF4": "3.79", "MXFP4": "3.58", "NF4+DQ": "3.48"}
    for lang in LANGS:
        text = page(SLUGS[96], lang)
        for name, label in (("BF16", "BF16"), ("Q8_0", "GGUF Q8_0"), ("Q6_K", "GGUF Q6_K"),
                            ("Q5_K", "GGUF Q5_K"), ("Q4_K", "GGUF Q4_K"), ("Q3_K", "GGUF Q3_K"),
                            ("Q2_K", "GGUF Q2_K"), ("MXFP4", "MXFP4")):
            row = re.search(rf"^\| {re.escape(label)} \|.*\| ([\d.]+) \| ([\d.]+) \|$", text, re.M)
            assert row, (lang, label)
            assert (float(row.group(1)), row.group(2)) == (bpw[name], sizes[name]), (lang, label)
    assert_in_pages(SLUGS[96], N_7B, "| 4.5 | 3.79 |", "| 4.127 | 3.48 |", "4.25", "34 ", "210 ", "176 ",
                    "144 ", "110 ", "84 ")
