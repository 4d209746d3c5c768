"""Reference computations for LLM basics, questions 97–101 (catastrophic forgetting, KV cache and
GQA/MQA, mixture of experts, small talk, PEFT vs full fine-tuning): every number of the worked
examples, recomputed with our own formulas and with PyTorch, transformers and peft (tiny models built
from their configs, big ones on the meta device), and found on both language versions of the page.
Nothing is downloaded."""
from __future__ import annotations

import contextlib
import io
import math
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, LANGS, fmt_math, single_thread_torch  # noqa: F401  (autouse fixture)

SECTION = DOCS / "llm" / "llm-basics"
SLUGS = {
    97: "catastrophic-forgetting",
    98: "kv-cache-gqa-mqa",
    99: "mixture-of-experts",
    100: "how-are-you",
    101: "peft-vs-full-finetuning",
}
assert_in_pages = partial(cp.assert_in_pages, SECTION)
page = partial(cp.read_page, SECTION)

LLAMA2_7B = dict(hidden_size=4096, intermediate_size=11008, num_hidden_layers=32, num_attention_heads=32)
N_7B = 6738415616
TINY = dict(vocab_size=1000, hidden_size=64, intermediate_size=176, num_hidden_layers=2, num_attention_heads=4)


def run_page_block(slug: str, i: int, lang: str = "en") -> tuple[dict, str]:
    """Execute code block i of a page; return its namespace and what it printed."""
    block = cp.python_blocks(page(slug, lang))[i]
    namespace: dict = {"__name__": "__page__"}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(block, f"{slug}.{lang}.md#{i}", "exec"), namespace)
    return namespace, out.getvalue()


# --------------------------------------------------------------------------- Q97 forgetting


def test_q97_ewc_penalty_by_hand_and_with_autograd():
    import torch
    import torch.nn.functional as F
    from torch.func import grad, vmap

    w_star = torch.tensor([1.0, -1.0])
    xs = torch.tensor([[1.0, 0.0], [0.0, 2.0]])
    ys = torch.tensor([1.0, 0.0])
    sigmoid = lambda z: 1 / (1 + math.exp(-z))  # noqa: E731

    # by hand: the gradient of -log p(y | x) is (sigmoid(w.x) - y) x
    g_hand = [[(sigmoid(1.0) - 1) * 1.0, 0.0], [0.0, (sigmoid(-2.0) - 0) * 2.0]]
    fisher_hand = [(g_hand[0][i] ** 2 + g_hand[1][i] ** 2) / 2 for i in range(2)]
    penalty_hand = 100 / 2 * sum(f * 0.5**2 for f in fisher_hand)

    # PyTorch 1: an nn.Linear without bias and a loop over the examples
    lin = torch.nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        lin.weight.copy_(w_star[None])
    per_example = []
    for x, y in zip(xs, ys):
        lin.zero_grad()
        F.binary_cross_entropy_with_logits(lin(x[None])[:, 0], y[None]).backward()
        per_example.append(lin.weight.grad[0].clone())
    grads = torch.stack(per_example)
    fisher = grads.pow(2).mean(0)
    # PyTorch 2: per-example gradients with torch.func
    loss = lambda w, x, y: F.binary_cross_entropy_with_logits(w @ x, y)  # noqa: E731
    fisher_vmap = vmap(grad(loss), in_dims=(None, 0, 0))(w_star, xs, ys).pow(2).mean(0)
    assert torch.allclose(fisher, torch.tensor(fisher_hand), atol=1e-7)
    assert torch.allclose(fisher_vmap, fisher, atol=1e-7)
    penalty = 100 / 2 * (fisher * (w_star + 0.5 - w_star) ** 2).sum()
    assert penalty.item() == pytest.approx(penalty_hand, abs=1e-6)
    wrong = grads.mean(0).pow(2)
    assert torch.allclose(wrong, fisher / 2, atol=1e-7)                  # disjoint gradients: exactly half
    shown = [f"{v:.4f}" for v in fisher.tolist()], f"{penalty:.3f}", [f"{v:.4f}" for v in wrong.tolist()]
    assert shown == (["0.0362", "0.0284"], "0.807", ["0.0181", "0.0142"])
    assert (f"{sigmoid(1.0) - 1:.3f}", f"{sigmoid(-2.0):.3f}", f"{2 * sigmoid(-2.0):.3f}") == ("-0.269", "0.119", "0.238")
    assert_in_pages(SLUGS[97], "F = (0.0362, 0.0284)", "0.0284 \\cdot 0.25) = 0.807", "(0.0181, 0.0142)",
                    "\\sigma(1) - 1 = -0.269", "(-0.269, 0)", "\\sigma(-2) = 0.119", "(0, 0.238)",
                    "\\lambda = 100", "w^* = (1, -1)")
    # the page's code block computes the same
    _, printed = run_page_block(SLUGS[97], 0)
    assert "[0.0362, 0.0284] [0.0362, 0.0284]" in printed and "0.807" in printed and "[0.0181, 0.0142]" in printed


def test_q97_forgetting_experiment():
    import copy

    import torch
    import torch.nn.functional as F
    from torch.func import functional_call, grad, vmap

    ns, printed = run_page_block(SLUGS[97], 1)
    lines = dict(line.split(" ", 1) for line in printed.strip().splitlines() if not line.startswith("after"))
    after_a = printed.splitlines()[0].removeprefix("after A ").split()
    results = {"after A": after_a, **{k: v.split() for k, v in lines.items()}}
    assert results == {"after A": ["0.998", "0.028"], "plain": ["0.334", "1.000"],
                       "replay": ["0.832", "0.988"], "EWC": ["0.934", "0.982"]}

    # the page's Fisher (a loop over examples) equals per-example gradients from torch.func
    base, xa, ya = ns["base"], ns["xa"], ns["ya"]
    params = {k: v.detach() for k, v in base.named_parameters()}
    one = lambda p, x, y: F.cross_entropy(functional_call(base, p, (x[None],)), y[None])  # noqa: E731
    per_example = vmap(grad(one), in_dims=(None, 0, 0))(params, xa, ya)
    for f, (name, g) in zip(ns["fisher"], per_example.items()):
        assert torch.allclose(f, g.pow(2).mean(0), atol=1e-7, rtol=1e-5), name
    # pitfall: at task A's optimum the squared full-batch gradient is thousands of times below the Fisher
    squared_mean = sum(g.mean(0).pow(2).sum() for g in per_example.values())
    fisher_sum = sum(f.sum() for f in ns["fisher"])
    assert squared_mean < fisher_sum / 1000
    cp.assert_in_each_page(SECTION, SLUGS[97], {"en": ["thousands of times smaller than the Fisher"],
                                                "ru": ["в тысячи раз меньше Фишера"]})
    # the page's EWC term is (lambda / 2) sum F (theta - theta*)^2
    moved = ns["runs"]["EWC"]
    own = 1e4 / 2 * sum((f * (p - s) ** 2).sum() for f, p, s in zip(ns["fisher"], moved.parameters(), ns["star"]))
    assert ns["ewc"](moved).item() == pytest.approx(own.item(), rel=1e-6) and own.item() > 0
    assert ns["ewc"](base).item() == 0.0
    # replay uses 20 of the 200 examples of task A: 10%
    assert (len(xa), 20 / len(xa)) == (200, 0.1)
    # the same run, independently: accuracy after plain fine-tuning on B with a fresh copy
    again = ns["train"](copy.deepcopy(base), ns["xb"], ns["yb"])
    assert f"{ns['accuracy'](again, ns['test_a']):.3f}" == "0.334"
    for lang in LANGS:
        text = page(SLUGS[97], lang)
        for row in ("| 0.998 | 0.028 |", "| 0.334 | 1.000 |", "| 0.832 | 0.988 |", "| 0.934 | 0.982 |"):
            assert row in text, (lang, row)
    assert_in_pages(SLUGS[97], "\\lambda = 10^4", "10%", "500", "20 ")


# --------------------------------------------------------------------------- Q98 KV cache


def kv_bytes(layers: int, kv_heads: int, head_dim: int, tokens: int, batch: int = 1, bytes_per: int = 2) -> int:
    return 2 * layers * kv_heads * head_dim * bytes_per * tokens * batch


def test_q98_cache_sizes_llama_shapes():
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    with torch.device("meta"):
        mha = LlamaForCausalLM(LlamaConfig(**LLAMA2_7B))
        gqa = LlamaForCausalLM(LlamaConfig(**LLAMA2_7B, num_key_value_heads=8))
    assert cp.n_params(mha) == N_7B
    # the key/value projections shrink with GQA: 2 * 32 layers * (4096 * 4096 - 4096 * 1024)
    assert N_7B - cp.n_params(gqa) == 2 * 32 * 4096 * (4096 - 1024)
    gib, kib = 2**30, 2**10
    per_token = {kv: kv_bytes(32, kv, 128, 1) for kv in (32, 8, 1)}
    assert per_token == {32: 524288, 8: 131072, 1: 16384}
    assert [per_token[kv] // kib for kv in (32, 8, 1)] == [512, 128, 16]
    assert [kv_bytes(32, kv, 128, 4096) / gib for kv in (32, 8, 1)] == [2.0, 0.5, 0.0625]
    assert [kv_bytes(32, kv, 128, 4096, batch=8) / gib for kv in (32, 8, 1)] == [16.0, 4.0, 0.5]
    assert [32 // kv for kv in (32, 8, 1)] == [1, 4, 32]
    assert kv_bytes(32, 32, 128, 4096) == 2147483648
    weights = N_7B * 2
    assert weights == 13476831232 and f"{weights / gib:.2f}" == "12.55"
    cross_mha, cross_gqa = weights / per_token[32], weights / per_token[8]
    assert (round(cross_mha, -2), round(cross_gqa, -2), int(cross_mha / 8)) == (25700, 102800, 3213)
    # LLaMA-2-70B: 80 layers, 64 query heads, 8 key-value heads of size 128
    assert kv_bytes(80, 8, 128, 1) // kib == 320 and kv_bytes(80, 64, 128, 1) / 2**20 == 2.5
    assert (kv_bytes(80, 8, 128, 4096) / gib, kv_bytes(80, 64, 128, 4096) / gib) == (1.25, 10.0)
    assert_in_pages(SLUGS[98], "2 \\cdot 32 \\cdot 32 \\cdot 128 \\cdot 2 = 524\\,288", "524\\,288 \\cdot 4096 = 2\\,147\\,483\\,648",
                    "6\\,738\\,415\\,616 \\cdot 2 = 13\\,476\\,831\\,232", "12.55", 25700, 102800, "3213",
                    "| 32 | 512 ", "| 2 ", "| 16 ", "| 8 | 128 ", "| 0.5 ", "| 4 ", "| 1 | 16 ", "| 0.0625 ",
                    "320 ", "1.25", "2.5 ", "10 ")
    # the figure draws the same numbers
    fig = cp.load_figure("kv-cache-growth")
    assert (fig.kv_bytes(32, 4096), fig.kv_bytes(8, 4096), fig.kv_bytes(1, 4096)) == tuple(
        kv_bytes(32, kv, 128, 4096) for kv in (32, 8, 1))
    assert f"{fig.weights_gib():.2f}" == "12.55" and fig.crossover_tokens() == 25700
    assert fig.kv_bytes(32, fig.MAX_TOKENS) / gib == 16.0
    cp.assert_figure_used(SECTION, "kv-cache-growth", [SLUGS[98]])


def test_q98_tiny_llama_stores_what_the_formula_says():
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(0)
    ids = torch.randint(0, 1000, (3, 10))
    stored = {}
    for kv in (4, 2, 1):
        model = LlamaForCausalLM(LlamaConfig(**TINY, num_key_value_heads=kv)).to(torch.float16)
        with torch.no_grad():
            cache = model(ids, use_cache=True).past_key_values
        assert len(cache.layers) == 2
        assert tuple(cache.layers[0].keys.shape) == tuple(cache.layers[0].values.shape) == (3, kv, 10, 16)
        stored[kv] = sum(t.numel() * t.element_size() for layer in cache.layers for t in (layer.keys, layer.values))
        assert stored[kv] == kv_bytes(2, kv, 16, 10, batch=3)
    assert stored == {4: 15360, 2: 7680, 1: 3840}
    assert_in_pages(SLUGS[98], 15360, "7680", "3840", "(3, $n_{\\text{kv}}$, 10, 16)")
    _, printed = run_page_block(SLUGS[98], 0)
    assert "4 (3, 4, 10, 16) 15360 15360" in printed and "1 (3, 1, 10, 16) 3840 3840" in printed


def test_q98_gqa_is_mha_with_repeated_heads_and_the_paper_numbers():
    import torch
    import torch.nn.functional as F
    from transformers.models.llama.modeling_llama import repeat_kv

    torch.manual_seed(0)
    q = torch.randn(1, 8, 5, 16)
    k, v = torch.randn(2, 1, 2, 5, 16)
    gqa = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    assert torch.allclose(gqa, F.scaled_dot_product_attention(q, repeat_kv(k, 4), repeat_kv(v, 4), is_causal=True),
                          atol=1e-6)
    assert torch.equal(repeat_kv(k, 4), k.repeat_interleave(4, dim=1))
    # uptraining starts from the mean of the heads of a group
    w_k = torch.randn(8 * 16, 64)
    pooled = w_k.view(2, 4, 16, 64).mean(dim=1).reshape(2 * 16, 64)
    assert torch.allclose(pooled[:16], w_k[:64].view(4, 16, 64).mean(0))
    _, printed = run_page_block(SLUGS[98], 1)
    assert printed.split() == ["True", "(128,", "64)", "(32,", "64)"]
    # Ainslie et al. (2023), Table 1: inference time per sample (s) and average score
    table = {"MHA-Large": (0.37, 46.0), "MHA-XXL": (1.51, 47.2), "MQA-XXL (uptrained)": (0.24, 46.6),
             "GQA-8-XXL (uptrained)": (0.28, 47.1)}
    for lang in LANGS:
        text = page(SLUGS[98], lang)
        for name, (t, score) in table.items():
            key = name if lang == "en" else name.replace("uptrained", "uptraining")
            assert f"| {key} | {t} | {score} |" in text, (lang, name)
    assert (f"{1.51 / 0.28:.1f}", f"{1.51 / 0.24:.1f}", f"{47.2 - 47.1:.1f}", f"{47.2 - 46.6:.1f}") == ("5.4", "6.3", "0.1", "0.6")
    assert_in_pages(SLUGS[98], "5.4", "6.3", "0.1", "0.6", "\\alpha = 0.05", "93.3%")


# --------------------------------------------------------------------------- Q99 mixture of experts


MIXTRAL = dict(V=32000, d=4096, L=32, kv_width=8 * 128, f=14336, E=8, k=2)


def mixtral_formula(V, d, L, kv_width, f, E, k):
    attention = d * (2 * d + 2 * kv_width)
    per_layer = lambda experts: attention + experts * 3 * d * f + E * d + 2 * d  # noqa: E731
    return 2 * V * d + L * per_layer(E) + d, 2 * V * d + L * per_layer(k) + d


def test_q99_total_and_active_parameters():
    import torch
    from transformers import MistralConfig, MistralForCausalLM, MixtralConfig, MixtralForCausalLM

    cfg = MixtralConfig()
    assert (cfg.vocab_size, cfg.hidden_size, cfg.num_hidden_layers, cfg.num_attention_heads, cfg.num_key_value_heads,
            cfg.intermediate_size, cfg.num_local_experts, cfg.num_experts_per_tok) == (32000, 4096, 32, 32, 8, 14336, 8, 2)
    with torch.device("meta"):
        model = MixtralForCausalLM(cfg)
        mistral = MistralForCausalLM(MistralConfig())
    total = cp.n_params(model)
    expert = 3 * cfg.hidden_size * cfg.intermediate_size
    experts_per_layer = model.model.layers[0].mlp.experts
    assert sum(p.numel() for p in experts_per_layer.parameters()) == 8 * expert
    active = total - cfg.num_hidden_layers * (cfg.num_local_experts - cfg.num_experts_per_tok) * expert
    assert (total, active) == mixtral_formula(**MIXTRAL) == (46702792704, 12879925248)
    parts = (2 * 32000 * 4096, 4096 * (2 * 4096 + 2 * 1024), expert, 8 * expert, 4096 * 8)
    assert parts == (262144000, 41943040, 176160768, 1409286144, 32768)
    assert (f"{total / 1e9:.1f}", f"{active / 1e9:.1f}") == ("46.7", "12.9")
    assert f"{100 * active / total:.1f}%" == "27.6%" and f"{100 * 32 * 8 * expert / total:.1f}%" == "96.6%"
    assert cp.n_params(mistral) == 7241732096 and f"{8 * 7241732096 / 1e9:.1f}" == "57.9"
    assert (f"{2 * total / 1e9:.2f}", f"{2 * active / 1e9:.2f}", f"{total / active:.1f}") == ("93.41", "25.76", "3.6")
    assert_in_pages(SLUGS[99], *parts, 46702792704, 12879925248, 7241732096, "46.7B", "12.9B", "27.6%",
                    "96.6%", "57.9B", "93.41", "25.76", "3.6", fmt_math(32000), fmt_math(14336),
                    "d(2d + 2 \\cdot 1024)")
    _, printed = run_page_block(SLUGS[99], 1)
    assert printed.split() == ["46702792704", "12879925248"]


def test_q99_routing_one_token_and_the_figure():
    import torch
    from transformers import MixtralConfig
    from transformers.models.mixtral.modeling_mixtral import MixtralTopKRouter

    logits = torch.tensor([0.3, -1.2, 2.1, 0.0, -0.5, 1.6, 0.8, -2.0])
    probs = logits.softmax(-1)
    top_p, top_i = probs.topk(2)
    gates = logits[top_i].softmax(-1)
    assert top_i.tolist() == [2, 5] and torch.allclose(gates, top_p / top_p.sum())
    # the transformers router with weights that produce exactly these logits for x = e_0
    router = MixtralTopKRouter(MixtralConfig(hidden_size=8, num_local_experts=8, num_experts_per_tok=2))
    with torch.no_grad():
        router.weight.zero_()
        router.weight[:, 0] = logits
        _, scores, index = router(torch.eye(8)[:1])
    assert index[0].tolist() == [2, 5] and torch.allclose(scores[0], gates, atol=1e-6)
    shown = [f"{v:.3f}" for v in gates.tolist()], [f"{v:.3f}" for v in top_p.tolist()]
    assert shown == (["0.622", "0.378"], ["0.436", "0.264"])
    assert_in_pages(SLUGS[99], "(0.3, -1.2, 2.1, 0.0, -0.5, 1.6, 0.8, -2.0)", "0.622", "0.378", "0.436", "0.264")
    fig = cp.load_figure("moe-routing")
    fig_probs, fig_chosen, fig_gates = fig.routing()
    assert torch.allclose(torch.tensor(fig.LOGITS), logits)
    assert fig_chosen == [2, 5] and fig_gates == pytest.approx(gates.tolist(), abs=1e-6)
    assert fig_probs == pytest.approx(probs.tolist(), abs=1e-6)
    cp.assert_figure_used(SECTION, "moe-routing", [SLUGS[99]])


def test_q99_toy_layer_and_load_balancing_loss():
    import torch
    import torch.nn.functional as F
    from transformers.models.mixtral.modeling_mixtral import load_balancing_loss_func

    ns, printed = run_page_block(SLUGS[99], 0)
    assert printed.split()[0] == "True"
    logits, probs, top_i = ns["logits"], ns["probs"], ns["top_i"]
    # own top-2 Mixtral layer against MixtralSparseMoeBlock, once more on a second batch of tokens
    torch.manual_seed(1)
    x2 = torch.randn(5, 16)
    l2 = x2 @ ns["moe"].gate.weight.T
    w2, i2 = l2.softmax(-1).topk(2, dim=-1)
    w2 = w2 / w2.sum(-1, keepdim=True)
    own = torch.stack([sum(w2[t, j] * ns["expert"](i2[t, j], x2[t]) for j in range(2)) for t in range(5)])
    with torch.no_grad():
        assert torch.allclose(own, ns["moe"](x2[None])[0], atol=1e-6)
    # the auxiliary loss: E * sum_i f_i P_i with f counting all top-k slots (as transformers does)
    f = F.one_hot(top_i, 4).sum(dim=1).float().mean(dim=0)
    aux = 4 * (f * probs.mean(0)).sum()
    ref = load_balancing_loss_func((logits,), 4, 2)
    assert aux.item() == pytest.approx(ref.item(), abs=1e-6)
    assert f.tolist() == [0.5, 0.5, 0.625, 0.375] and f"{aux:.4f}" == "2.0106"
    # Switch Transformer's top-1 form: balanced routing gives 1; the same function with top_k=1
    f1 = F.one_hot(probs.argmax(-1), 4).float().mean(0)
    assert (4 * (f1 * probs.mean(0)).sum()).item() == pytest.approx(load_balancing_loss_func((logits,), 4, 1).item(), abs=1e-6)
    uniform = torch.zeros(8, 4)
    assert load_balancing_loss_func((uniform,), 4, 1).item() == pytest.approx(1.0)
    assert load_balancing_loss_func((uniform,), 4, 2).item() == pytest.approx(2.0)
    collapsed = torch.tensor([[5.0, 5.0, 0.0, 0.0]]).repeat(8, 1)
    c = load_balancing_loss_func((collapsed,), 4, 2).item()
    assert f"{c:.4f}" == "3.9732" and c < 4
    assert_in_pages(SLUGS[99], "f = (0.5, 0.5, 0.625, 0.375)", "4 \\sum_i f_i P_i = 2.0106", "3.9732",
                    "\\alpha = 10^{-2}", "router_aux_loss_coef = 0.001")


def test_q99_cited_figures_of_newer_moes():
    """Figures quoted from the model reports (not computable here): pinned so that both pages keep them.
    DeepSeek-V3: 671B total, 37B active, 1 shared + 256 routed experts, 8 routed per token (arXiv 2412.19437);
    Qwen3-235B-A22B: 128 experts, 8 per token (arXiv 2505.09388); gpt-oss-120b: 117B / 5.1B (arXiv 2508.10925)."""
    assert_in_pages(SLUGS[99], "235B / 22B", "117B / 5.1B", "Qwen3-235B-A22B", "DeepSeek-V3")
    cp.assert_in_each_page(SECTION, SLUGS[99], {
        "en": ["671B total, 37B active", "(128 per layer)", "8 of 128 in Qwen3-235B-A22B", "8 of 256 routed experts plus one shared expert"],
        "ru": ["всего 671B, активных 37B", "(128 на слой)", "к 8 из 128 в Qwen3-235B-A22B", "к 8 из 256 маршрутизируемых плюс один общий эксперт"],
    })
    # Mixtral paper vs Mistral AI's release post: 47B / 13B rounded, 46.7B / 12.9B exact (checked above)
    cp.assert_in_each_page(SECTION, SLUGS[99], {"en": ["\"47B total, 13B active\""], "ru": ["«47B всего, 13B активных»"]})


# --------------------------------------------------------------------------- Q100 small talk


def test_q100_model_exchanges_and_sources():
    # the exchanges are quoted verbatim on both pages, each with a gloss in the other language
    en_lines = ["— Hi, thanks for joining! How are you doing today?", "— Good, thanks, and you? I can hear you well, by the way."]
    ru_lines = ["— Добрый день! Как добрались?", "— Хорошее, спасибо! Немного волнуюсь, но очень ждал этой встречи."]
    assert_in_pages(SLUGS[100], *en_lines, *ru_lines, "Good, thanks! How are you?", "«Хорошо, спасибо! А у вас?»",
                    "«Как дела?»", "0.42", "0.22", "10–20", "Meyer, 2014")
    cp.assert_in_each_page(SECTION, SLUGS[100], {
        "en": ["in American English the question is a greeting", "until they suggest «ты»"],
        "ru": ["в американском английском это приветствие", "пока он сам не предложит перейти на «ты»"],
    })
    # the Talantix survey (2025, reported by Gazeta.Ru): 69% of job seekers want «вы», 13% accept «ты»
    assert_in_pages(SLUGS[100], "69%", "13%", "Talantix, 2025", "gazeta.ru/business/news/2025/10/21/26993678")


# --------------------------------------------------------------------------- Q101 PEFT vs full


def memory_gb(n_total: int, n_trainable: int, frozen_bytes: int = 2, trainable_bytes: int = 16) -> float:
    """The calculator of question 91: frozen parameters cost their 16-bit weight, trainable ones 16
    bytes (16-bit weight and gradient, fp32 master copy and two fp32 Adam moments)."""
    return ((n_total - n_trainable) * frozen_bytes + n_trainable * trainable_bytes) / 1e9


def test_q101_memory_agrees_with_question_91():
    import torch
    import torch.nn as nn
    from transformers import LlamaConfig, LlamaForCausalLM

    with torch.device("meta"):
        model = LlamaForCausalLM(LlamaConfig(**LLAMA2_7B))
    names = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
    n_lora = sum(16 * (m.in_features + m.out_features) for name, m in model.named_modules()
                 if isinstance(m, nn.Linear) and name.split(".")[-1] in names)
    assert (cp.n_params(model), n_lora) == (N_7B, 39976960)
    assert f"{100 * n_lora / N_7B:.2f}%" == "0.59%"
    assert 2 + 2 + 4 + 8 == 4 + 4 + 8 == 16
    full, lora = memory_gb(N_7B, N_7B), memory_gb(N_7B + n_lora, n_lora)
    f2 = lambda v: f"{v:.2f}"  # noqa: E731
    assert (f2(full), f2(N_7B * 2 / 1e9), f2(n_lora * 16 / 1e9), f2(lora)) == ("107.81", "13.48", "0.64", "14.12")
    assert float(f2(N_7B * 2 / 1e9)) + float(f2(n_lora * 16 / 1e9)) == pytest.approx(float(f2(lora)))
    assert (f2(N_7B * 8 / 1e9), f2(n_lora * 8 / 1e9), f"{full / lora:.1f}") == ("53.91", "0.32", "7.6")
    for lang in LANGS:
        gb = "ГБ" if lang == "ru" else "GB"
        text = page(SLUGS[101], lang)
        assert f"| **107.81 {gb}** | **13.48 + 0.64 = 14.12 {gb}** |" in text, lang
        assert f": 107.81 {gb} |" in text and f": 0.64 {gb} |" in text and f": 13.48 {gb} |" in text, lang
        # the LoRA answer (question 91) shows the same numbers for LLaMA-7B
        lora_page = page("lora", lang)
        assert f"| LLaMA-7B | 107.81 {gb} | 13.48 + 0.64 = 14.12 {gb} |" in lora_page, lang
    storage = N_7B * 2 * 100 / 1e9, (N_7B * 2 + 100 * n_lora * 2) / 1e9
    assert (n_lora * 2, f"{storage[0]:.2f}", f"{N_7B * 2 / 1e9:.3f}", f"{100 * n_lora * 2 / 1e9:.3f}",
            f"{storage[1]:.3f}") == (79953920, "1347.68", "13.477", "7.995", "21.472")
    assert_in_pages(SLUGS[101], N_7B, 39976960, "0.59%", "107.81", "14.12", "7.6", "53.91", "0.32", "13.48",
                    "39\\,976\\,960 \\cdot 2 = 79\\,953\\,920", "1347.68", "13.477 + 7.995 = 21.472",
                    "2 + 2 + 4 + 8 = 16", "4 + 4 + 8 = 16", 108)
    _, printed = run_page_block(SLUGS[101], 0)
    assert printed.split() == ["107.81", "14.12", "1347.68", "21.472"]


def test_q101_cited_figures_of_the_lora_paper():
    """Hu et al. (2021) on GPT-3 175B: training memory 1.2 TB -> 350 GB, checkpoint 350 GB -> 35 MB with r = 4
    on W_q and W_v (about 10,000 times), 25% faster training; Biderman et al. (2024): full fine-tuning finds
    updates of rank 10-100 times higher than typical LoRA ranks."""
    assert round(350e9 / 35e6) == 10_000
    cp.assert_in_each_page(SECTION, SLUGS[101], {
        "en": ["from 1.2 TB to 350 GB", "350 GB to 35 MB", "about 10,000 times smaller", "25% faster training",
               "10–100 times higher"],
        "ru": ["с 1.2 ТБ до 350 ГБ", "350 ГБ → 35 МБ", "примерно в 10\u00a0000 раз меньше", "на 25% быстрее",
               "в 10–100 раз выше"],
    })


def test_q101_one_optimizer_step_full_vs_lora():
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import LlamaConfig, LlamaForCausalLM

    ns, printed = run_page_block(SLUGS[101], 1)
    assert printed.splitlines() == ["full (228672, 914688, 1829376)", "LoRA (19712, 78848, 157696)"]
    # independently: gradients and Adam moments exist only for trainable parameters, 4 + 8 bytes each in fp32
    model = get_peft_model(LlamaForCausalLM(LlamaConfig(**TINY, num_key_value_heads=4)),
                           LoraConfig(r=8, lora_alpha=16, target_modules="all-linear"))
    trainable, total = model.get_nb_trainable_parameters()
    assert (trainable, total - trainable) == (19712, 228672)
    ids = torch.randint(0, 1000, (2, 16))
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-4)
    model(input_ids=ids, labels=ids).loss.backward()
    opt.step()
    frozen_with_grad = [n for n, p in model.named_parameters() if not p.requires_grad and p.grad is not None]
    assert frozen_with_grad == []
    assert sum(p.grad.numel() for p in model.parameters() if p.grad is not None) * 4 == 78848 == trainable * 4
    assert sum(s["exp_avg"].numel() + s["exp_avg_sq"].numel() for s in opt.state.values()) * 4 == 157696
    assert (228672 * 4, 228672 * 8) == (914688, 1829376)
    assert_in_pages(SLUGS[101], 228672, 914688, 1829376, 19712, 78848, 157696)
