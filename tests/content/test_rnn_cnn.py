"""Checks for the RNN & CNN section (questions 25-31).

Every number in the worked examples is computed twice, with our own small code and with
torch / numpy, and must appear, formatted, in both the Russian and the English page.
Every ```python block of these pages must run as written.

Number formatting used by the pages:
  * decimals always with a point;
  * integers >= 10000 outside math: "29,312" (en) and "29\u00a0312" (ru, no-break space);
  * integers >= 10000 inside math: "29\\,312" in both languages.
"""
from __future__ import annotations

import math
import re
from functools import partial

import numpy as np
import pytest

import content_pages as cp
from content_pages import (  # noqa: F401  (single_thread_torch: an autouse fixture)
    DOCS,
    LANGS,
    fmt_int,
    fmt_math,
    single_thread_torch,
)

torch = cp.lazy("torch")
nn = cp.lazy("torch.nn")


SECTION = DOCS / "classic-nlp" / "rnn-cnn"
SLUGS = {
    25: "rnn-parameter-count",
    26: "rnn-training",
    27: "rnn-problems",
    28: "lstm-vs-gru",
    29: "rnn-hyperparameters",
    30: "vanishing-gradients",
    31: "cnn-for-text",
}
FIGURE = "rnn-gradient-norm"

page = partial(cp.read_page, SECTION)
assert_in_pages = partial(cp.assert_in_pages, SECTION)


# --------------------------------------------------------------------------- Q25


def rnn_block(x: int, h: int, biases: int) -> int:
    return h * x + h * h + biases * h


GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}


def own_count(cell, x, h, layers=1, bidirectional=False, biases=2):
    dirs = 2 if bidirectional else 1
    total, inp = 0, x
    for _ in range(layers):
        total += dirs * GATES[cell.__name__] * rnn_block(inp, h, biases)
        inp = dirs * h
    return total


def test_q25_parameter_counts():
    x, h = 100, 128
    expected = {
        nn.RNN: (29312, 29440, 58880, 157696),
        nn.GRU: (87936, 88320, 176640, 473088),
        nn.LSTM: (117248, 117760, 235520, 630784),
    }
    for cell, (one_bias, pt, pt_bi, pt_bi2) in expected.items():
        assert own_count(cell, x, h, biases=1) == one_bias
        assert own_count(cell, x, h) == cp.n_params(cell(x, h)) == pt
        assert own_count(cell, x, h, bidirectional=True) == cp.n_params(cell(x, h, bidirectional=True)) == pt_bi
        assert (own_count(cell, x, h, layers=2, bidirectional=True)
                == cp.n_params(cell(x, h, num_layers=2, bidirectional=True)) == pt_bi2)
        assert pt_bi == 2 * pt
        assert_in_pages(SLUGS[25], one_bias, pt, pt_bi, pt_bi2)
    # unidirectional 2-layer RNN, second layer alone, bidirectional second layer per direction
    assert cp.n_params(nn.RNN(x, h, num_layers=2)) == own_count(nn.RNN, x, h, layers=2) == 62464
    assert rnn_block(h, h, 2) == 33024
    assert rnn_block(2 * h, h, 2) == 49408 and 2 * 49408 == 98816
    # output layer with 10 classes, embedding of a 20,000-word vocabulary
    assert cp.n_params(nn.Linear(h, 10)) == h * 10 + 10 == 1290
    assert cp.n_params(nn.Embedding(20000, 300)) == 6000000
    assert_in_pages(SLUGS[25], 62464, 98816, 1290, 6000000)
    assert_in_pages(SLUGS[25], *(fmt_math(n) for n in (12800, 16384, 29312, 29440, 58880, 49408,
                                                       98816, 157696, 33024)))


# --------------------------------------------------------------------------- Q26

X26, Y26, W26, U26 = (1.0, 0.0, -1.0), (0.5, 0.5, -0.5), 0.5, 1.0


def scalar_bptt(chunk: int | None = None):
    """Own forward/backward for the scalar RNN of the worked example (chunk: TBPTT length)."""
    hs, pre = [0.0], [None]
    for t in range(3):
        pre.append(W26 * hs[-1] + U26 * X26[t])
        hs.append(math.tanh(pre[-1]))
    losses = [0.5 * (hs[t] - Y26[t - 1]) ** 2 for t in (1, 2, 3)]
    deltas, contrib = {}, {}
    d_next = 0.0
    for t in (3, 2, 1):
        cut = chunk is not None and t % chunk == 0   # h_t is detached before step t + 1
        carry = 0.0 if cut else W26 * d_next
        deltas[t] = (hs[t] - Y26[t - 1] + carry) * (1 - hs[t] ** 2)
        contrib[t] = deltas[t] * hs[t - 1]
        d_next = deltas[t]
    return pre, hs, losses, deltas, contrib


def torch_bptt(chunk: int | None = None):
    w = torch.tensor(W26, dtype=torch.float64, requires_grad=True)
    h = torch.tensor(0.0, dtype=torch.float64)
    loss = 0.0
    for t in range(3):
        if chunk is not None and t > 0 and t % chunk == 0:
            h = h.detach()
        h = torch.tanh(w * h + U26 * X26[t])
        loss = loss + 0.5 * (h - Y26[t]) ** 2
    loss.backward()
    return loss.item(), w.grad.item()


def test_q26_bptt_example():
    pre, hs, losses, deltas, contrib = scalar_bptt()
    loss_t, grad_t = torch_bptt()
    assert sum(losses) == pytest.approx(loss_t, abs=1e-12)
    assert sum(contrib.values()) == pytest.approx(grad_t, abs=1e-12)

    _, _, _, d_tr, c_tr = scalar_bptt(chunk=2)
    _, grad_tr = torch_bptt(chunk=2)
    assert sum(c_tr.values()) == pytest.approx(grad_tr, abs=1e-12)
    assert c_tr[3] == pytest.approx(contrib[3])

    f4 = lambda v: f"{v:.4f}"
    shown = [f4(pre[t]) for t in (1, 2, 3)] + [f4(hs[t]) for t in (1, 2, 3)]
    shown += [f4(v) for v in losses] + [f4(deltas[t]) for t in (1, 2, 3)]
    shown += [f4(contrib[t]) for t in (1, 2, 3)]
    shown += [f4(loss_t), f4(grad_t), f4(d_tr[2]), f4(c_tr[2]), f4(grad_tr)]
    assert shown == ["1.0000", "0.3808", "-0.8183", "0.7616", "0.3634", "-0.6741",
                     "0.0342", "0.0093", "0.0152", "0.0763", "-0.1598", "-0.0950",
                     "0.0000", "-0.1217", "-0.0345",
                     "0.0587", "-0.1562", "-0.1186", "-0.0903", "-0.1248"]
    assert_in_pages(SLUGS[26], *shown)


# --------------------------------------------------------------------------- Q27


def test_q27_numbers():
    assert f"{0.9 ** 50:.5f}" == f"{np.float64(0.9) ** 50:.5f}" == "0.00515"
    assert f"{1.1 ** 50:.1f}" == f"{np.float64(1.1) ** 50:.1f}" == "117.4"
    assert round(1 / 0.9 ** 50) == 194          # "about 200 times weaker"
    numbers = 32 * 1000 * 512
    states = torch.zeros(32, 1000, 512, dtype=torch.float32)
    assert states.numel() == numbers == 16384000
    nbytes = states.numel() * states.element_size()
    assert nbytes == numbers * 4 == 65536000
    assert f"{nbytes / 1e6:.1f}" == "65.5"
    assert f"{6 * nbytes / 1e6:.1f}" == "393.2"
    assert_in_pages(SLUGS[27], "0.00515", "117.4", fmt_math(numbers), 65536000, "65.5", "393.2",
                    "1000", "999")


# --------------------------------------------------------------------------- Q28


def logit(p: float) -> float:
    return math.log(p / (1 - p))


def test_q28_counts_and_cells():
    lstm, gru = cp.n_params(nn.LSTM(100, 128)), cp.n_params(nn.GRU(100, 128))
    assert lstm == 4 * rnn_block(100, 128, 2) == 117760
    assert gru == 3 * rnn_block(100, 128, 2) == 88320
    assert gru / lstm == 0.75
    assert_in_pages(SLUGS[28], fmt_math(117760), fmt_math(88320), "0.75", "25%")

    # hand-computed LSTM step
    c_prev, f, i, g, o = 1.0, 0.9, 0.5, 0.8, 0.6
    c = f * c_prev + i * g
    h = o * math.tanh(c)
    cell = nn.LSTMCell(1, 1).double()
    with torch.no_grad():
        cell.weight_ih.zero_(); cell.weight_hh.zero_(); cell.bias_hh.zero_()
        cell.bias_ih.copy_(torch.tensor([logit(i), logit(f), math.atanh(g), logit(o)]))
    one = torch.ones(1, 1, dtype=torch.float64)
    h_t, c_t = cell(torch.zeros(1, 1, dtype=torch.float64), (one, one * c_prev))
    assert c_t.item() == pytest.approx(c) and h_t.item() == pytest.approx(h)
    assert (f"{c:.1f}", f"{math.tanh(c):.4f}", f"{h:.4f}") == ("1.3", "0.8617", "0.5170")

    # hand-computed GRU step, PyTorch convention h = (1 - z) n + z h_prev
    h_prev, z, n = 1.0, 0.8, -0.5
    h_gru = (1 - z) * n + z * h_prev
    gcell = nn.GRUCell(1, 1).double()
    with torch.no_grad():
        gcell.weight_ih.zero_(); gcell.weight_hh.zero_(); gcell.bias_hh.zero_()
        gcell.bias_ih.copy_(torch.tensor([0.0, logit(z), math.atanh(n)]))
    out = gcell(torch.zeros(1, 1, dtype=torch.float64), one * h_prev)
    assert out.item() == pytest.approx(h_gru) == pytest.approx(0.7)
    assert_in_pages(SLUGS[28], "= 1.3", "0.8617", "0.5170", "= 0.7", "20%")


# --------------------------------------------------------------------------- Q29


def test_q29_counts():
    emb = cp.n_params(nn.Embedding(20000, 300))
    assert emb == 20000 * 300 == 6000000
    layer1 = 2 * 4 * rnn_block(300, 256, 2)
    layer2 = 2 * 4 * rnn_block(512, 256, 2)
    assert (layer1, layer2) == (1142784, 1576960)
    small = cp.n_params(nn.LSTM(300, 256, num_layers=2, bidirectional=True))
    big = cp.n_params(nn.LSTM(300, 512, num_layers=2, bidirectional=True))
    assert small == layer1 + layer2 == own_count(nn.LSTM, 300, 256, 2, True) == 2719744
    assert big == own_count(nn.LSTM, 300, 512, 2, True) == 9633792
    assert f"{big / small:.2f}" == "3.54"
    assert small < emb / 2
    assert_in_pages(SLUGS[29], 20000, fmt_math(20000), fmt_math(6000000), fmt_math(1142784),
                    fmt_math(1576960), 2719744, 9633792, "3.54")


# --------------------------------------------------------------------------- Q30


def test_q30_figure_numbers_match_autograd():
    fig = cp.load_figure(FIGURE)
    for rho in (0.9, 1.1):
        norms = fig.jacobian_norms(rho)
        # independent check of one point with torch autograd: d h_T / d h_{T-k}, k = 10
        w = torch.from_numpy(fig.recurrent_matrix(rho))
        assert torch.linalg.svdvals(w).max().item() == pytest.approx(rho)
        rng = np.random.default_rng(fig.SEED + 1)
        u = torch.from_numpy(rng.standard_normal((fig.HIDDEN, fig.HIDDEN)) / np.sqrt(fig.HIDDEN))
        xs = torch.from_numpy(rng.standard_normal((fig.STEPS, fig.HIDDEN)) * fig.INPUT_STD)
        h = torch.zeros(fig.HIDDEN, dtype=torch.float64)
        k = 10
        for t in range(fig.STEPS - k):
            h = torch.tanh(w @ h + u @ xs[t])

        def tail(h_start):
            for t in range(fig.STEPS - k, fig.STEPS):
                h_start = torch.tanh(w @ h_start + u @ xs[t])
            return h_start

        jac = torch.autograd.functional.jacobian(tail, h)
        assert torch.linalg.matrix_norm(jac, 2).item() == pytest.approx(norms[k], rel=1e-9)

    n09, n11 = fig.jacobian_norms(0.9), fig.jacobian_norms(1.1)
    shown = {
        "lin09": [f"{0.9 ** 10:.3f}", f"{0.9 ** 50:.5f}", f"{0.9 ** 100:.2e}"],
        "tanh09": [f"{n09[10]:.3f}", f"{n09[50]:.5f}", f"{n09[100]:.2e}"],
        "lin11": [f"{1.1 ** 10:.2f}", f"{1.1 ** 50:.1f}", round(1.1 ** 100)],
        "tanh11": [f"{n11[10]:.2f}", f"{n11[50]:.2f}", f"{n11[100]:.2f}"],
    }
    assert shown == {
        "lin09": ["0.349", "0.00515", "2.66e-05"],
        "tanh09": ["0.334", "0.00349", "1.17e-05"],
        "lin11": ["2.59", "117.4", 13781],
        "tanh11": ["1.56", "2.02", "5.99"],
    }
    for lang in LANGS:
        text = page(SLUGS[30], lang)
        rows = {
            "lin09": r"\| [^|\n]*0\.9\^k\$ \| (.*?) \|\n",
            "tanh09": r"\| tanh[^|\n]*0\.9\$ \| (.*?) \|\n",
            "lin11": r"\| [^|\n]*1\.1\^k\$ \| (.*?) \|\n",
            "tanh11": r"\| tanh[^|\n]*1\.1\$ \| (.*?) \|\n",
        }
        for key, pattern in rows.items():
            m = re.search(pattern, text)
            assert m, (lang, key)
            cells = [c.strip() for c in m.group(1).split("|")]
            want = [fmt_int(v, lang) if isinstance(v, int) else v.replace("e-05", "e-5")
                    for v in shown[key]]
            assert cells == want, (lang, key, cells, want)


def test_q30_other_numbers():
    # exact linear regime via autograd: h0 = 0, no input, gradient norm = rho ** 50
    torch.manual_seed(0)
    q, _ = torch.linalg.qr(torch.randn(64, 64, dtype=torch.float64))
    for rho, text in ((0.9, "0.00515"), (1.1, "117.39085")):
        h0 = torch.zeros(64, dtype=torch.float64, requires_grad=True)
        h = h0
        for _ in range(50):
            h = torch.tanh(rho * q @ h)
        h[0].backward()
        assert h0.grad.norm().item() == pytest.approx(rho ** 50, rel=1e-10)
        assert f"{h0.grad.norm().item():.5f}" == text
    assert f"{0.99 ** 50:.3f}" == "0.605" and f"{0.99 ** 100:.3f}" == "0.366"
    assert f"{torch.sigmoid(torch.tensor(1.0)).item():.2f}" == "0.73"
    assert_in_pages(SLUGS[30], "0.605", "0.366", "0.73", "117.39085")
    cp.assert_figure_used(SECTION, FIGURE, [SLUGS[30]])


# --------------------------------------------------------------------------- Q31


def conv_out_len(length, k, padding=0, dilation=1, stride=1):
    return (length + 2 * padding - dilation * (k - 1) - 1) // stride + 1


def test_q31_conv_numbers():
    conv = nn.Conv1d(300, 100, 3)
    assert cp.n_params(conv) == 100 * 300 * 3 + 100 == 90100
    x = torch.randn(1, 300, 20)
    assert conv(x).shape[-1] == conv_out_len(20, 3) == 18
    assert nn.Conv1d(300, 100, 3, padding=1)(x).shape[-1] == conv_out_len(20, 3, padding=1) == 20
    kim = nn.ModuleList(nn.Conv1d(300, 100, k) for k in (3, 4, 5))
    assert cp.n_params(kim) == (3 + 4 + 5) * 300 * 100 + 3 * 100 == 360300
    assert [c(x).shape[-1] for c in kim] == [conv_out_len(20, k) for k in (3, 4, 5)] == [18, 17, 16]
    assert torch.cat([c(x).max(dim=2).values for c in kim], dim=1).shape[-1] == 300

    def receptive_field(dilations, k=3):
        net = nn.Sequential(*[nn.Conv1d(1, 1, k, dilation=d, bias=False) for d in dilations])
        for p in net.parameters():
            nn.init.constant_(p, 1.0)
        inp = torch.zeros(1, 1, 64, requires_grad=True)
        net(inp)[0, 0, 0].backward()
        return int((inp.grad != 0).sum())

    assert receptive_field([1, 1, 1]) == 1 + 3 * (3 - 1) == 7
    assert receptive_field([1, 2, 4]) == 1 + (3 - 1) * (2 ** 3 - 1) == 15
    d, k = 512, 3
    crossover = k * d
    assert crossover == 1536
    assert (crossover - 1) ** 2 * d < (crossover - 1) * k * d * d
    assert (crossover + 1) ** 2 * d > (crossover + 1) * k * d * d
    assert_in_pages(SLUGS[31], fmt_math(90100), fmt_math(360300), "= 18", "18, 17", "= 7",
                    "= 15", "= 1536")


