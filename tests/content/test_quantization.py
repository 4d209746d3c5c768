"""Reference computations for the quantization section (questions 102–104): every number of the
worked examples, recomputed with our own code and with PyTorch's fake-quantization ops and transformers
configs on the meta device, and found on both language versions of the page. Nothing is downloaded."""
from __future__ import annotations

import contextlib
import io
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, LANGS, single_thread_torch  # noqa: F401  (autouse fixture)

SECTION = DOCS / "llm" / "quantization"
SLUGS = {102: "quantization-constrained", 103: "qat-vs-ptq", 104: "edge-inference"}
assert_in_pages = partial(cp.assert_in_pages, SECTION)
page = partial(cp.read_page, SECTION)

LLAMA3_8B = dict(vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                 num_attention_heads=32, num_key_value_heads=8, tie_word_embeddings=False)
LLAMA32_1B = dict(vocab_size=128256, hidden_size=2048, intermediate_size=8192, num_hidden_layers=16,
                  num_attention_heads=32, num_key_value_heads=8, head_dim=64, tie_word_embeddings=True)
LLAMA32_3B = dict(vocab_size=128256, hidden_size=3072, intermediate_size=8192, num_hidden_layers=28,
                  num_attention_heads=24, num_key_value_heads=8, head_dim=128, tie_word_embeddings=True)


def run_page_block(slug: str, i: int, lang: str = "en") -> tuple[dict, str]:
    block = cp.python_blocks(page(slug, lang))[i]
    namespace: dict = {"__name__": "__page__"}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        exec(compile(block, f"{slug}.{lang}.md#{i}", "exec"), namespace)
    return namespace, out.getvalue()


def meta_count(**config) -> int:
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    with torch.device("meta"):
        return sum(p.numel() for p in LlamaForCausalLM(LlamaConfig(**config)).parameters())


# --------------------------------------------------------------------------- Q102


def seeded_matrix():
    import torch

    torch.manual_seed(0)
    w = torch.randn(256, 1024) * 0.02
    clean = w.clone()
    idx = torch.randperm(w.numel())[:16]
    w.view(-1)[idx] = 0.5 * torch.randn(16).sign()
    return w, clean


def torch_round_trip(x, bits: int, symmetric: bool, rows):
    """The same round trip with PyTorch's fake-quantization ops; `rows` is the 2-D view whose rows
    share a scale (one row = per tensor)."""
    import torch

    r = rows(x)
    if symmetric:
        qmin, qmax = -(2 ** (bits - 1) - 1), 2 ** (bits - 1) - 1
        scale = r.abs().amax(dim=1) / qmax
        zero = torch.zeros(r.shape[0], dtype=torch.int32)
    else:
        qmin, qmax = 0, 2**bits - 1
        scale = (r.amax(dim=1) - r.amin(dim=1)) / qmax
        zero = torch.round(-r.amin(dim=1) / scale).to(torch.int32)
    if r.shape[0] == 1:
        out = torch.fake_quantize_per_tensor_affine(r, float(scale), int(zero), qmin, qmax)
    else:
        out = torch.fake_quantize_per_channel_affine(r, scale, zero, 0, qmin, qmax)
    return out.reshape(x.shape)


def test_q102_round_trip_errors():
    w, clean = seeded_matrix()
    assert (w != clean).sum().item() == 16 and f"{100 * 16 / w.numel():.3f}%" == "0.006%"
    assert float(w.abs().max()) == 0.5 and 0.5 / 0.02 == 25
    views = {"tensor": lambda x: x.reshape(1, -1), "channel": lambda x: x, "group": lambda x: x.reshape(-1, 128)}
    rel = lambda approx, x: ((approx - x).pow(2).mean() / x.pow(2).mean()).sqrt().item()  # noqa: E731
    ns, printed = run_page_block(SLUGS[102], 0)
    page_rows = {}
    for line in printed.splitlines():
        if line.startswith("int"):
            name, *values = line.split()
            page_rows[(name, values[0] if values[0] in ("absmax", "zero-point") else "")] = values[1:]
    expected = {
        (8, True): ["0.0557", "0.0158", "0.0080"], (8, False): ["0.0555", "0.0106", "0.0064"],
        (4, True): ["0.8709", "0.2570", "0.1383"], (4, False): ["0.8412", "0.1793", "0.1089"],
    }
    for (bits, symmetric), values in expected.items():
        own_fn = ns["absmax"] if symmetric else ns["zero_point"]
        own = [f"{ns['rel_error'](w, own_fn, bits, g):.4f}" for g in ("tensor", None, 128)]
        ref = [f"{rel(torch_round_trip(w, bits, symmetric, views[g]), w):.4f}" for g in ("tensor", "channel", "group")]
        assert own == ref == values, (bits, symmetric)
        assert page_rows[(f"int{bits}", "absmax" if symmetric else "zero-point")] == values
        for lang in LANGS:
            label = f"int{bits} absmax" if symmetric else (f"int{bits} zero-point" if lang == "en" else f"int{bits} с нулевой точкой")
            assert f"| {label} | {' | '.join(values)} |" in page(SLUGS[102], lang), (lang, label)
    clean_err = [f"{rel(torch_round_trip(clean, b, True, views[g]), clean):.4f}" for b, g in ((8, "tensor"), (4, "tensor"), (4, "group"))]
    assert clean_err == ["0.0106", "0.1920", "0.1177"]
    assert "0.0106 0.1920" in printed
    assert round(0.0557 / 0.0106) == 5 and 16 / 128 == 0.125 and (16 / 64, 16 / 32) == (0.25, 0.5)
    assert_in_pages(SLUGS[102], "0.0106", "0.1920", "0.1177", "16 / 128 = 0.125", "0.006%", "256 \\times 1024",
                    "0.25", "0.5 ")


def test_q102_memory_budget_llama3_8b():
    n_total = meta_count(**LLAMA3_8B)
    n_embed = 2 * 128256 * 4096
    n_norm = 32 * 2 * 4096 + 4096
    assert (n_total, n_embed, n_norm) == (8030261248, 1050673152, 266240)
    kv = 2 * 32 * 8 * 128 * 2 * 8192
    assert kv == 1073741824
    gb = lambda params, bits: params * bits / 8 / 1e9  # noqa: E731
    n_blocks = n_total - n_embed - n_norm
    plans = {
        "bf16": gb(n_total, 16),
        "int8": gb(n_total - n_norm, 8) + gb(n_norm, 16),
        "4-bit": gb(n_total - n_norm, 4.125) + gb(n_norm, 16),
        "mixed8": gb(n_blocks, 4.125) + gb(n_embed, 8) + gb(n_norm, 16),
        "mixed16": gb(n_blocks, 4.125) + gb(n_embed, 16) + gb(n_norm, 16),
    }
    shown = {k: (f"{v:.2f}", f"{v + kv / 1e9:.2f}") for k, v in plans.items()}
    assert shown == {"bf16": ("16.06", "17.13"), "int8": ("8.03", "9.10"), "4-bit": ("4.14", "5.21"),
                     "mixed8": ("4.65", "5.72"), "mixed16": ("5.70", "6.77")}
    for w, total in shown.values():                     # the displayed sums are consistent
        assert f"{float(w) + 1.07:.2f}" == total
    assert 4 + 16 / 128 == 4.125
    assert (f"{100 * n_embed / n_total:.1f}%", f"{plans['mixed8'] - plans['4-bit']:.2f}",
            f"{plans['mixed16'] - plans['mixed8']:.2f}") == ("13.1%", "0.51", "1.05")
    for lang in LANGS:
        text = page(SLUGS[102], lang)
        for w, total in shown.values():
            assert f"| {w} | {w} + 1.07 = {total} |" in text, (lang, w)
    assert_in_pages(SLUGS[102], 8030261248, 1050673152, 266240, "13.1%", "1.07", "0.51", "1.05", "4.125",
                    "2 \\cdot 32 \\cdot 8 \\cdot 128 \\cdot 2 \\cdot 8192", "128 ", "2048")
    _, printed = run_page_block(SLUGS[102], 1)
    assert printed.splitlines() == ["bf16: 16.06 + 1.07 = 17.13 GB", "int8: 8.03 + 1.07 = 9.10 GB",
                                    "4-bit g128: 4.14 + 1.07 = 5.21 GB", "4-bit g128 + 8-bit embeddings: 4.65 + 1.07 = 5.72 GB"]


# --------------------------------------------------------------------------- Q103


def test_q103_fake_quantization_and_the_straight_through_estimator():
    import torch

    w = torch.tensor([[0.62, -0.15, 0.33, -0.9]], requires_grad=True)
    s = w.detach().abs().amax(dim=1) / 7
    codes = torch.round(w.detach() / s[:, None])
    ref = torch.fake_quantize_per_channel_affine(w, s, torch.zeros(1, dtype=torch.int32), 0, -7, 7)
    ref.sum().backward()
    assert f"{float(s):.4f}" == "0.1286" and codes.int().tolist() == [[5, -1, 3, -7]]
    assert [f"{v:.4f}" for v in ref.detach()[0].tolist()] == ["0.6429", "-0.1286", "0.3857", "-0.9000"]
    assert w.grad.tolist() == [[1.0, 1.0, 1.0, 1.0]]
    _, printed = run_page_block(SLUGS[103], 0)
    assert printed.splitlines() == ["[0.6429, -0.1286, 0.3857, -0.9] [[1.0, 1.0, 1.0, 1.0]]", "True"]
    # PyTorch's STE is clipped: outside [qmin, qmax] the gradient is 0
    x = torch.tensor([0.05, 0.5, 2.0], requires_grad=True)
    torch.fake_quantize_per_tensor_affine(x, 0.1, 0, -7, 7).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 0.0]
    assert_in_pages(SLUGS[103], "w = (0.62, -0.15, 0.33, -0.9)", "s = 0.9 / 7 = 0.1286", "(5, -1, 3, -7)",
                    "(0.6429, -0.1286, 0.3857, -0.9)", "(1, 1, 1, 1)", "q \\in [-7, 7]", "r = S(q - Z)")


def test_q103_ptq_against_qat():
    import copy

    import torch

    ns, printed = run_page_block(SLUGS[103], 1)
    rows = [line.split() for line in printed.splitlines()]
    assert rows == [["float", "1.000"], ["4", "1.000", "1.000"], ["3", "0.952", "1.000"], ["2", "0.308", "0.999"]]
    fp, accuracy, train = ns["fp"], ns["accuracy"], ns["train"]
    # the page's fake quantizer equals PyTorch's per-channel fake quantization, forward and backward
    for layer in fp.layers:
        for bits in (4, 3, 2):
            w = layer.weight.detach().clone().requires_grad_()
            qmax = 2 ** (bits - 1) - 1
            scale = w.detach().abs().amax(dim=1) / qmax
            ref = torch.fake_quantize_per_channel_affine(w, scale, torch.zeros(len(scale), dtype=torch.int32), 0,
                                                         -qmax, qmax)
            own = ns["fake_quant"](w, bits)
            assert torch.allclose(own, ref, atol=1e-6)
            assert torch.autograd.grad(own.sum(), w)[0].equal(torch.ones_like(w))
    # PTQ accuracy with PyTorch's op in place of the page's quantizer
    for bits, expected in ((4, "1.000"), (3, "0.952"), (2, "0.308")):
        ptq = copy.deepcopy(fp)
        with torch.no_grad():
            for layer in ptq.layers:
                qmax = 2 ** (bits - 1) - 1
                scale = layer.weight.abs().amax(dim=1) / qmax
                layer.weight.copy_(torch.fake_quantize_per_channel_affine(
                    layer.weight, scale, torch.zeros(len(scale), dtype=torch.int32), 0, -qmax, qmax))
        assert f"{accuracy(ptq):.3f}" == expected, bits
    # 2-bit symmetric = ternary levels -s, 0, s
    w2 = ns["fake_quant"](fp.layers[1].weight.detach(), 2)
    levels = (w2 / fp.layers[1].weight.detach().abs().amax(dim=1, keepdim=True)).unique()
    assert levels.tolist() == [-1.0, 0.0, 1.0]
    # control: 200 more float steps, then PTQ at 2 bits
    control = train(copy.deepcopy(fp), 200, 0.003)
    control.bits = 2
    assert f"{accuracy(control):.3f}" == "0.304"
    assert f"{1 / 3:.3f}" == "0.333" and (len(ns["x_test"]), len(ns["x"])) == (900, 600)
    for lang in LANGS:
        text = page(SLUGS[103], lang)
        for row in ("| 4 | 1.000 | 1.000 |", "| 3 | 0.952 | 1.000 |", "| 2 | 0.308 | 0.999 |"):
            assert row in text, (lang, row)
    assert_in_pages(SLUGS[103], "0.304", "0.333", "900", "200 ", "2 \\to 64 \\to 64 \\to 3", "54%")
    cp.assert_in_each_page(SECTION, SLUGS[103], {"en": ["about 5,000 steps"], "ru": ["около 5000 шагов"]})


# --------------------------------------------------------------------------- Q104


def test_q104_edge_budget():
    n_1b, n_3b = meta_count(**LLAMA32_1B), meta_count(**LLAMA32_3B)
    assert (n_1b, n_3b) == (1235814400, 3212749824)
    assert (f"{n_1b / 1e9:.2f}", f"{n_3b / 1e9:.2f}") == ("1.24", "3.21")   # model card: 1.23B (rounded down), 3.21B
    kv_token = {"1B": 2 * 16 * 8 * 64 * 2, "3B": 2 * 28 * 8 * 128 * 2}
    assert kv_token == {"1B": 32768, "3B": 114688}
    bandwidth = {"pi": 4267e6 * 4 / 1e9, "m2": 100.0}
    assert f"{bandwidth['pi']:.3f}" == "17.068"
    assert 18 * 8 / 32 == 4.5 and 640 / 4 == 160
    expected = {
        ("1B", 16): ("2.472", "0.134", "2.606", "6.5", "38.4", "0.417"),
        ("1B", 8): ("1.236", "0.134", "1.370", "12.5", "73.0", "0.219"),
        ("1B", 4.5): ("0.695", "0.134", "0.829", "20.6", "120.6", "0.133"),
        ("3B", 16): ("6.425", "0.470", "6.895", "2.5", "14.5", "1.103"),
        ("3B", 8): ("3.213", "0.470", "3.683", "4.6", "27.2", "0.589"),
        ("3B", 4.5): ("1.807", "0.470", "2.277", "7.5", "43.9", "0.364"),
    }
    for (name, bits), row in expected.items():
        n = n_1b if name == "1B" else n_3b
        weights, kv = n * bits / 8, kv_token[name] * 4096
        per_token = weights + kv
        got = (f"{weights / 1e9:.3f}", f"{kv / 1e9:.3f}", f"{per_token / 1e9:.3f}",
               f"{bandwidth['pi'] * 1e9 / per_token:.1f}", f"{bandwidth['m2'] * 1e9 / per_token:.1f}",
               f"{per_token * 160e-12:.3f}")
        assert got == row, (name, bits)
        assert float(row[0]) + float(row[1]) == pytest.approx(float(row[2]), abs=1e-9)   # the table adds up
        fmt = {16: "bf16", 8: "int8", 4.5: "4.5 bits"}[bits]
        for lang in LANGS:
            label = fmt if lang == "en" else fmt.replace("bits", "бита")
            assert f"| {name}, {label} | {' | '.join(row)} |" in page(SLUGS[104], lang), (lang, name, bits)
    assert (f"{6.895 / 2.277:.1f}", f"{100 * 0.470 / 2.277:.0f}%") == ("3.0", "21%")
    assert (f"{n_1b * 4.5 / 8 / 1e9:.1f}", f"{6738415616 * 2 / 1e9:.1f}") == ("0.7", "13.5")
    assert_in_pages(SLUGS[104], 1235814400, 3212749824, "1.23B", "3.21B", 114688, "17.068", "100 ",
                    "4267 \\cdot 10^6 \\cdot 4", "640", "160", "3.7", "21%", "6.895 / 2.277", "0.7", "13.5",
                    "56%", "41%", "2–4", "2 \\cdot 16 \\cdot 8 \\cdot 64 \\cdot 2 = 32\\,768")
    _, printed = run_page_block(SLUGS[104], 0)
    lines = printed.splitlines()
    assert lines[0] == "1B 16 2.606 GB, 6.5 tokens/s on a Raspberry Pi 5, 0.417 J"
    assert lines[-1] == "3B 4.5 2.277 GB, 7.5 tokens/s on a Raspberry Pi 5, 0.364 J"
    assert len(lines) == 6


def test_q104_cited_figures():
    """Figures quoted from sources (not computable here), pinned on both pages: gpt-oss-20b has 21B parameters,
    3.6B active, and runs within 16 GB (OpenAI model card, arXiv 2508.10925); the energy figures are
    Horowitz (2014) as tabulated by Han et al. (2015), 45 nm: 640 pJ per 32-bit DRAM read, 3.7 pJ per fp32 multiply."""
    assert 640 / 3.7 > 170                                  # data movement dwarfs arithmetic
    cp.assert_in_each_page(SECTION, SLUGS[104], {
        "en": ["gpt-oss-20b (21B parameters, 3.6B active)", "within 16 GB", "about 640 pJ", "3.7 pJ",
               "a 2014 estimate"],
        "ru": ["gpt-oss-20b (21B параметров, 3.6B активных)", "16 ГБ", "около 640 пДж", "3.7 пДж",
               "оценка 2014 года"],
    })
