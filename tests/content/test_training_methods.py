"""Reference computations for the Training section, questions 73, 79, 80 and 83-86: every number
of the worked examples, recomputed with PyTorch, scikit-learn, scipy and transformers (BertConfig
on the meta device, DataCollatorWithFlattening, the length-grouped sampler) and peft, found on
both language versions of the page.
"""
from __future__ import annotations

import math
import re
from functools import partial

import pytest

import content_pages as cp
from content_pages import DOCS, LANGS, fmt_int, fmt_math, f3, single_thread_torch  # noqa: F401

SECTION = DOCS / "transformers" / "training"
SLUGS = {
    73: "class-imbalance",
    79: "text-augmentation",
    80: "padding-alternatives",
    83: "teacher-forcing",
    84: "skip-connections",
    85: "adapters",
    86: "metric-learning",
}
assert_in_pages = partial(cp.assert_in_pages, SECTION)
page = partial(cp.read_page, SECTION)


def table_row(text: str, first_cell: str) -> list[str]:
    """The cells after the first one of the Markdown table row that starts with `first_cell`."""
    m = re.search(rf"^\| {re.escape(first_cell)} \|(.*)\|$", text, re.M)
    assert m, f"no table row starting with {first_cell!r}"
    return [c.strip() for c in m.group(1).split("|")]


# --------------------------------------------------------------------------- Q73


LOGITS73 = [[2.0, 0.5, -1.0], [1.5, 1.0, 0.0], [0.2, 0.1, 1.0], [1.0, -0.5, 0.3]]
TARGET73 = [0, 1, 2, 2]


def test_q73_class_weights_weighted_ce_and_focal_loss():
    import numpy as np
    import torch
    import torch.nn.functional as F
    from sklearn.utils.class_weight import compute_class_weight

    counts = [900, 80, 20]
    y = np.repeat([0, 1, 2], counts)
    sk = compute_class_weight("balanced", classes=np.array([0, 1, 2]), y=y)
    own = [sum(counts) / (3 * c) for c in counts]
    assert np.allclose(sk, own)
    assert [f3(v) for v in own] == ["0.370", "4.167", "16.667"]
    # every class gets the same total weight n / k
    assert all(math.isclose(w * c, 1000 / 3) for w, c in zip(own, counts))

    logits = torch.tensor(LOGITS73, dtype=torch.float64)
    target = torch.tensor(TARGET73)
    weight = torch.tensor(sk, dtype=torch.float64)
    # own cross-entropy, p_t, weighted mean (normalised by the sum of the weights) and focal loss
    p_t = [math.exp(row[t]) / sum(math.exp(v) for v in row) for row, t in zip(LOGITS73, TARGET73)]
    ce_own = [-math.log(p) for p in p_t]
    ce = F.cross_entropy(logits, target, reduction="none")
    assert np.allclose(ce.numpy(), ce_own)
    w_t = [own[t] for t in TARGET73]
    num, den = sum(w * l for w, l in zip(w_t, ce_own)), sum(w_t)
    weighted = F.cross_entropy(logits, target, weight=weight).item()
    assert weighted == pytest.approx(num / den)
    assert (weight[target] * ce).mean().item() == pytest.approx(num / 4)
    focal_factor = [(1 - p) ** 2 for p in p_t]
    focal_direct = [-(1 - p) ** 2 * math.log(p) for p in p_t]
    # the page's implementation (log_softmax + gather) against the direct formula
    logp_t = F.log_softmax(logits, dim=-1).gather(1, target[:, None]).squeeze(1)
    focal_impl = -(1 - logp_t.exp()) ** 2 * logp_t
    assert np.allclose(focal_impl.numpy(), focal_direct)
    # gamma = 0 gives back the cross-entropy
    assert np.allclose((-(1 - logp_t.exp()) ** 0 * logp_t).numpy(), ce_own)

    shown = {
        "p_t": [f3(v) for v in p_t], "ce": [f3(v) for v in ce_own],
        "factor": [f3(v) for v in focal_factor], "focal": [f3(v) for v in focal_direct],
    }
    assert shown == {
        "p_t": ["0.786", "0.331", "0.539", "0.289"], "ce": ["0.241", "1.104", "0.618", "1.242"],
        "factor": ["0.046", "0.447", "0.213", "0.506"], "focal": ["0.011", "0.493", "0.132", "0.628"],
    }
    means = [f3(sum(ce_own) / 4), f3(num), f3(den), f3(weighted), f3(num / 4), f3(sum(focal_direct) / 4)]
    assert means == ["0.801", "35.699", "37.870", "0.943", "8.925", "0.316"]

    for lang in LANGS:
        text = page(SLUGS[73], lang)
        for i in range(4):
            cells = table_row(text, str(i + 1))
            assert cells[2:] == [shown["p_t"][i], shown["ce"][i], shown["factor"][i], shown["focal"][i]], \
                (lang, i, cells)
    assert_in_pages(SLUGS[73], *means, "$1000 / (3 \\cdot 900) = 0.370$", "4.167", "16.667",
                    "$35.699 / 37.870 = 0.943$", "0.25", "$\\gamma = 2$",
                    "$\\alpha_t = \\alpha = 0.25$", "$1 - \\alpha = 0.75$")


def test_q73_weighting_vs_resampling_vs_threshold():
    import numpy as np
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import (accuracy_score, average_precision_score, f1_score,
                                 precision_recall_curve, precision_score, recall_score)
    from sklearn.model_selection import train_test_split

    X, y = make_classification(n_samples=4000, n_features=10, n_informative=4, weights=[0.95],
                               flip_y=0, class_sep=1.0, random_state=3)
    X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.5, stratify=y, random_state=0)
    n_pos, n_neg = int(y_tr.sum()), int(len(y_tr) - y_tr.sum())
    assert (n_pos, n_neg, int(y_te.sum())) == (100, 1900, 100)

    rng = np.random.default_rng(0)
    pos, neg = np.flatnonzero(y_tr == 1), np.flatnonzero(y_tr == 0)
    idx = np.concatenate([neg, pos, rng.choice(pos, size=len(neg) - len(pos))])
    assert y_tr[idx].mean() == 0.5 and n_neg / n_pos == 19

    # balanced weights 2000 / (2 * 1900) and 2000 / (2 * 100): ratio 19, as oversampling
    from sklearn.utils.class_weight import compute_class_weight

    balanced = LogisticRegression(class_weight="balanced")
    w_neg, w_pos = 2000 / (2 * n_neg), 2000 / (2 * n_pos)
    assert np.allclose(compute_class_weight("balanced", classes=np.array([0, 1]), y=y_tr), [w_neg, w_pos])
    assert (f3(w_neg), w_pos, w_pos / w_neg) == ("0.526", 10.0, pytest.approx(19))

    plain = LogisticRegression().fit(X_tr, y_tr)
    prec, rec, thr = precision_recall_curve(y_tr, plain.predict_proba(X_tr)[:, 1])
    f1_curve = 2 * prec[:-1] * rec[:-1] / (prec[:-1] + rec[:-1] + 1e-12)
    best_thr = thr[np.argmax(f1_curve)]
    assert f3(best_thr) == "0.212"

    runs = {
        "plain": (plain, 0.5),
        "weighted": (balanced.fit(X_tr, y_tr), 0.5),
        "oversampled": (LogisticRegression().fit(X_tr[idx], y_tr[idx]), 0.5),
        "threshold": (plain, best_thr),
    }
    trivial_ap = average_precision_score(y_te, np.zeros(len(y_te)))
    rows = {"majority": [f3(1 - y_te.mean()), "0.000", "0.000", "0.000", f3(trivial_ap)]}
    for name, (model, t) in runs.items():
        score = model.predict_proba(X_te)[:, 1]
        pred = (score >= t).astype(int)
        tp = int(((pred == 1) & (y_te == 1)).sum())
        # own precision / recall against scikit-learn
        assert precision_score(y_te, pred) == pytest.approx(tp / pred.sum())
        assert recall_score(y_te, pred) == pytest.approx(tp / y_te.sum())
        rows[name] = [f3(m) for m in (accuracy_score(y_te, pred), precision_score(y_te, pred),
                                      recall_score(y_te, pred), f1_score(y_te, pred),
                                      average_precision_score(y_te, score))]
    assert rows == {
        "majority": ["0.950", "0.000", "0.000", "0.000", "0.050"],
        "plain": ["0.951", "0.522", "0.120", "0.195", "0.352"],
        "weighted": ["0.867", "0.266", "0.940", "0.414", "0.315"],
        "oversampled": ["0.866", "0.264", "0.940", "0.412", "0.313"],
        "threshold": ["0.932", "0.339", "0.380", "0.358", "0.352"],
    }
    first_cells = {
        "en": {"majority": 'always "majority"', "plain": "plain, threshold 0.5",
               "weighted": '`class_weight="balanced"`', "oversampled": "random oversampling to 50/50",
               "threshold": "plain, threshold 0.212 (best F1 on train)"},
        "ru": {"majority": "всегда «мажоритарный»", "plain": "без изменений, порог 0.5",
               "weighted": '`class_weight="balanced"`', "oversampled": "случайный oversampling до 50/50",
               "threshold": "без изменений, порог 0.212 (лучший F1 на трейне)"},
    }
    for lang in LANGS:
        text = page(SLUGS[73], lang)
        for key, first in first_cells[lang].items():
            assert table_row(text, first) == rows[key], (lang, key)
    assert_in_pages(SLUGS[73], 4000, "12%", "0.212")
    cp.assert_in_each_page(SECTION, SLUGS[73], {
        "en": ["1900 negatives and 100 positives", "19 times", "0.526 and 10", "a factor of 19"],
        "ru": ["1900 негативов и 100 позитивов", "19 раз", "0.526 и 10", "в 19 раз"],
    })


# --------------------------------------------------------------------------- Q79


def test_q79_eda_counts_and_mixup():
    import numpy as np
    import scipy.stats
    import torch
    import torch.nn.functional as F

    words = "the delivery was fast and the price was great but the box arrived damaged".split()
    l, alpha, num_aug = len(words), 0.1, 9
    n = max(1, int(alpha * l))
    per_op = num_aug // 4 + 1
    assert (l, n, per_op, 4 * per_op, min(num_aug, 4 * per_op)) == (14, 1, 3, 12, 9)
    assert f"{alpha * l:.1f}" == "1.4"

    # the page's EDA: run its code block and check the four shown sentences
    block = cp.python_blocks(page(SLUGS[79], "en"))[0]
    printed = cp.run_python_block(SLUGS[79], "en", 0, block).splitlines()
    assert printed == [
        "14 1",
        "the delivery was rapid and the price was great but the box arrived damaged",
        "the delivery was and the price was great but the box arrived damaged",
        "the delivery was rapid and the price was great but the box arrived damaged",
        "the delivery was fast and the price great but the box arrived",
    ]
    for lang in LANGS:
        text = page(SLUGS[79], lang)
        assert "the delivery was **rapid** and the price was great but the box arrived damaged" in text
        for sentence in printed[2], printed[4]:
            assert f"| RD | {sentence} |" in text, (lang, sentence)

    # MixUp with a soft label = the lambda-mixture of two cross-entropies
    torch.manual_seed(0)
    head = torch.nn.Linear(4, 3)
    e_i = torch.tensor([0.5, -1.0, 0.3, 0.8])
    e_j = torch.tensor([-0.2, 0.4, 1.1, -0.6])
    lam = 0.7
    logits = head(lam * e_i + (1 - lam) * e_j)
    logp = torch.log_softmax(logits, -1)
    own = -(lam * logp[0] + (1 - lam) * logp[2]).item()
    soft = torch.tensor([[lam, 0.0, 1 - lam]])
    assert F.cross_entropy(logits[None], soft).item() == pytest.approx(own, abs=1e-6)
    assert f"{own:.4f}" == "1.3851"

    # Beta(0.2, 0.2): share of lambda below 0.1 or above 0.9
    beta = scipy.stats.beta(0.2, 0.2)
    share = beta.cdf(0.1) + beta.sf(0.9)
    draws = np.random.default_rng(0).beta(0.2, 0.2, 200000)
    assert ((draws < 0.1) | (draws > 0.9)).mean() == pytest.approx(share, abs=0.005)
    assert f3(share) == "0.673"

    assert_in_pages(SLUGS[79], "$l = 14$", "$\\lfloor 0.1 \\cdot 14 \\rfloor = 1$", "$n = 1$",
                    "$0.1 \\cdot 14 = 1.4$", "$\\lfloor 9/4 \\rfloor + 1 = 3$", "12", "1.3851",
                    "$(0.7, 0, 0.3)$", "0.673", "$\\alpha = 0.2$", "$\\alpha = 0.1$", "3.0", "0.8",
                    "500", "50%", "2026")


# --------------------------------------------------------------------------- Q80

N80, B80, L80 = 1024, 16, 512


def lengths80():
    import numpy as np

    rng = np.random.default_rng(0)
    return np.clip(rng.lognormal(4.5, 0.8, N80).round().astype(int), 8, L80)


def batches(ls, size):
    return [ls[i:i + size] for i in range(0, len(ls), size)]


def pack_rows(lengths, capacity):
    """Own first-fit decreasing, returning the rows (lists of lengths)."""
    rows: list[list[int]] = []
    for n in sorted(lengths, reverse=True):
        for row in rows:
            if sum(row) + n <= capacity:
                row.append(n)
                break
        else:
            rows.append([n])
    return rows


def test_q80_padding_table():
    import numpy as np
    import torch
    from transformers.trainer_pt_utils import get_length_grouped_indices

    ls = [int(v) for v in lengths80()]
    real, needed = sum(ls), sum(n * n for n in ls)
    assert (real, f"{real / N80:.1f}", float(np.median(ls)), needed) == (117830, "115.1", 85.5, 22694648)

    def cost(order):
        bs = batches(order, B80)
        return sum(len(b) * max(b) for b in bs), sum(len(b) * max(b) ** 2 for b in bs)

    rows = pack_rows(ls, L80)
    assert all(sum(r) <= L80 for r in rows) and sorted(n for r in rows for n in r) == sorted(ls)
    assert len(rows) == math.ceil(real / L80) == 231          # optimal: the lower bound is reached
    # transformers' LengthGroupedSampler order; with one mega-batch it is a full sort
    grouped = get_length_grouped_indices(ls, B80, generator=torch.Generator().manual_seed(0))
    assert min(50, N80 // (B80 * 4)) * B80 == 256
    full = get_length_grouped_indices(ls, B80, mega_batch_mult=N80 // B80,
                                      generator=torch.Generator().manual_seed(0))
    strategies = {
        "max_length": (N80 * L80, N80 * L80 ** 2),
        "dynamic": cost(ls),
        "grouped": cost([ls[i] for i in grouped]),
        "sorted": cost(sorted(ls)),
        "packed": (len(rows) * L80, len(rows) * L80 ** 2),
    }
    assert cost([ls[i] for i in full]) == strategies["sorted"]
    shown = {k: (slots, f"{100 * (1 - real / slots):.1f}%", f"{pairs / needed:.2f}")
             for k, (slots, pairs) in strategies.items()}
    assert shown == {
        "max_length": (524288, "77.5%", "11.83"), "dynamic": (346208, "66.0%", "5.71"),
        "grouped": (134352, "12.3%", "1.41"), "sorted": (121232, "2.8%", "1.07"),
        "packed": (118272, "0.4%", "2.67"),
    }
    assert strategies["packed"][0] - real == 442
    first = {
        "en": {"max_length": "pad to `max_length` 512", "dynamic": "dynamic padding, random batches",
               "grouped": "transformers `LengthGroupedSampler` (mega-batches of 256, torch seed 0)",
               "sorted": "fully sorted by length", "packed": "packed, first-fit decreasing, 231 rows"},
        "ru": {"max_length": "паддинг до `max_length` 512", "dynamic": "динамический паддинг, случайные батчи",
               "grouped": "`LengthGroupedSampler` из transformers (мега-батчи по 256, torch seed 0)",
               "sorted": "полная сортировка по длине", "packed": "упаковка first-fit decreasing, 231 строка"},
    }
    for lang in LANGS:
        text = page(SLUGS[80], lang)
        for key, cell in first[lang].items():
            slots, share, ratio = shown[key]
            want = [fmt_int(slots, lang), share, ratio if key != "packed" else f"{ratio} "]
            got = table_row(text, cell)
            assert got[:2] == want[:2] and got[2].startswith(want[2]), (lang, key, got)
        assert "1.00" in table_row(text, first[lang]["packed"])[2]
    assert_in_pages(SLUGS[80], 117830, "115.1", "85.5", 1024, fmt_math(22694648), 442, "50%", "2x")


def test_q80_figure_and_packed_row():
    import torch
    import torch.nn.functional as F
    from transformers import DataCollatorWithFlattening

    fig = cp.load_figure("padding-vs-packing")
    ls = fig.batch_lengths()
    assert ls == [int(v) for v in lengths80()[:8]] == [100, 81, 150, 98, 59, 120, 255, 192]
    rows = pack_rows(ls, fig.ROW)
    assert sorted(sorted(ls[i] for i in r) for r in fig.pack_rows(ls)) == sorted(sorted(r) for r in rows)
    s = fig.summary()
    assert s == {"real": 1055, "longest": 255, "padded_slots": 2040, "packed_rows": 5, "packed_slots": 1280}
    assert (f"{100 * (2040 - 1055) / 2040:.1f}%", f"{100 * (1280 - 1055) / 1280:.1f}%") == ("48.3%", "17.6%")
    assert_in_pages(SLUGS[80], "2040", "1055", "48.3%", "17.6%", "256", "5 ")
    cp.assert_figure_used(SECTION, "padding-vs-packing", [SLUGS[80]])

    # the packed row of 3 + 2 + 4 tokens: transformers' collator, block-diagonal causal mask
    lengths = list(fig.MASK_LENGTHS)
    feats, start = [], 1
    for n in lengths:
        feats.append({"input_ids": list(range(start, start + n))})
        start += n
    batch = DataCollatorWithFlattening(return_flash_attn_kwargs=True)(feats)
    pos = batch["position_ids"][0].tolist()
    cu = batch["cu_seq_lens_q"].tolist()
    ignored = [i for i, v in enumerate(batch["labels"][0].tolist()) if v == -100]
    assert (pos, cu, ignored) == ([0, 1, 2, 0, 1, 0, 1, 2, 3], [0, 3, 5, 9], [0, 3, 5])
    seq = torch.repeat_interleave(torch.arange(3), torch.tensor(lengths))
    p = torch.tensor(pos)
    mask = (seq[:, None] == seq[None, :]) & (p[:, None] >= p[None, :])
    assert int(mask.sum()) == sum(n * (n + 1) // 2 for n in lengths) == 19
    # packed attention equals per-sequence attention; so does a jagged nested tensor
    torch.manual_seed(0)
    seqs = [torch.randn(1, n, 8) for n in lengths]
    packed = torch.cat(seqs, dim=1)
    out = F.scaled_dot_product_attention(packed, packed, packed, attn_mask=mask)
    ref = torch.cat([F.scaled_dot_product_attention(x, x, x, is_causal=True) for x in seqs], dim=1)
    assert torch.allclose(out, ref, atol=1e-6)
    nt = torch.nested.nested_tensor([x[0] for x in seqs], layout=torch.jagged)
    assert nt.offsets().tolist() == cu
    assert_in_pages(SLUGS[80], "$[0, 1, 2, 0, 1, 0, 1, 2, 3]$", "$[0, 3, 5, 9]$", "0, 3", "19", "81")


# --------------------------------------------------------------------------- Q83


def test_q83_teacher_forcing_vs_free_running():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    torch.manual_seed(1)
    V, T, P = 10, 20, 4

    def batch(n):
        x = torch.zeros(n, T, dtype=torch.long)
        x[:, :2] = torch.randint(0, V, (n, 2))
        for t in range(2, T):
            x[:, t] = (x[:, t - 1] + x[:, t - 2]) % V
        return x

    emb, rnn, head = nn.Embedding(V, 16), nn.RNN(16, 16, batch_first=True), nn.Linear(16, V)
    opt = torch.optim.Adam([*emb.parameters(), *rnn.parameters(), *head.parameters()], lr=0.02)
    for _ in range(100):
        x = batch(32)
        out, _ = rnn(emb(x[:, :-1]))
        loss = F.cross_entropy(head(out).reshape(-1, V), x[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()

    test = batch(1000)
    # the data follow the rule
    assert torch.equal(test[:, 2:], (test[:, 1:-1] + test[:, :-2]) % V)
    gold = test[:, P:]
    with torch.no_grad():
        out, _ = rnn(emb(test[:, :-1]))
        logits = head(out)[:, P - 1:]
        tf_loss = F.cross_entropy(logits.reshape(-1, V), gold.reshape(-1)).item()
        # own cross-entropy
        own = -torch.log_softmax(logits, -1).gather(-1, gold[..., None]).mean().item()
        assert tf_loss == pytest.approx(own, rel=1e-5)
        tf_ok = logits.argmax(-1) == gold
        # free running with an explicit step-by-step RNN cell (own recurrence) for cross-checking
        w_ih, w_hh = rnn.weight_ih_l0, rnn.weight_hh_l0
        b = rnn.bias_ih_l0 + rnn.bias_hh_l0
        h = torch.zeros(1000, 16)
        for t in range(P):
            h = torch.tanh(emb(test[:, t]) @ w_ih.T + h @ w_hh.T + b)
        generated = []
        for _ in range(gold.shape[1]):
            tok = head(h).argmax(-1)
            generated.append(tok)
            h = torch.tanh(emb(tok) @ w_ih.T + h @ w_hh.T + b)
        free_ok = torch.stack(generated, 1) == gold

    acc = tf_ok.float().mean().item()
    # until the first error both runs see the same prefix: fully correct in both or in neither
    assert torch.equal(tf_ok.cumprod(1).bool(), (tf_ok.cumprod(1).bool() & free_ok))
    assert torch.equal(tf_ok.all(1), free_ok.all(1))
    steps = [1, 2, 4, 8, 12, 16]
    rows = {k: [f3(tf_ok.float().mean(0)[k - 1].item()), f3(free_ok.float().mean(0)[k - 1].item()),
                f3(tf_ok.cumprod(1).float().mean(0)[k - 1].item())] for k in steps}
    assert rows == {1: ["0.855", "0.855", "0.855"], 2: ["0.896", "0.815", "0.760"],
                    4: ["0.932", "0.713", "0.665"], 8: ["0.912", "0.590", "0.443"],
                    12: ["0.920", "0.498", "0.279"], 16: ["0.914", "0.436", "0.220"]}
    assert [f3(tf_loss), f3(acc), f3(free_ok.float().mean().item()), f3(acc ** 16)] == \
        ["0.535", "0.916", "0.602", "0.244"]
    for lang in LANGS:
        text = page(SLUGS[83], lang)
        for k in steps:
            assert table_row(text, str(k)) == rows[k], (lang, k)
    assert_in_pages(SLUGS[83], "0.535", "0.916", "0.602", "$0.916^{16} = 0.244$", "0.220", 1000,
                    "0.02", "1989", "2015", "2016")


# --------------------------------------------------------------------------- Q84


def own_grad_norms(kind, depth=30, width=64, seed=0):
    """An independent implementation: nn.Sequential-free, gradients from torch.autograd.grad."""
    import torch
    import torch.nn as nn

    torch.manual_seed(seed)
    layers = [nn.Linear(width, width) for _ in range(depth)]
    x, target = torch.randn(32, width), torch.randn(32, width)

    def ln(v):
        mu = v.mean(-1, keepdim=True)
        var = v.var(-1, unbiased=False, keepdim=True)
        return (v - mu) / torch.sqrt(var + 1e-5)

    h = x
    for layer in layers:
        branch_in = ln(h) if kind == "pre-LN" else h
        f = torch.tanh(branch_in @ layer.weight.T + layer.bias)
        h = {"plain": f, "plain+LN": ln(f)}.get(kind, h + f)
    loss = ((h - target) ** 2).mean()
    grads = torch.autograd.grad(loss, [layer.weight for layer in layers])
    return [g.norm().item() for g in grads], h.std().item()


def test_q84_gradient_norms_with_and_without_residuals():
    fig = cp.load_figure("residual-gradient-norms")
    expected = {"plain": ("2.83e-08", "3.14e-02"), "plain+LN": ("1.37e+00", "6.92e-01"),
                "residual": ("6.93e+00", "3.34e+00"), "pre-LN": ("2.26e+00", "1.28e+00")}
    ratios = {}
    for kind, (first, last) in expected.items():
        norms = fig.grad_norms(kind)
        own, _ = own_grad_norms(kind)
        assert norms == pytest.approx(own, rel=1e-4)
        assert (f"{norms[0]:.2e}", f"{norms[-1]:.2e}") == (first, last)
        ratios[kind] = norms[0] / norms[-1]
    assert {k: f"{v:.2e}" for k, v in ratios.items() if k != "plain+LN"} == \
        {"plain": "9.04e-07", "residual": "2.07e+00", "pre-LN": "1.77e+00"}
    assert f"{own_grad_norms('residual')[1]:.2f}" == "4.06"
    assert f"{2 ** 30 / 1e9:.2f}" == "1.07" and 12 * 2 == 24
    for lang in LANGS:
        text = page(SLUGS[84], lang)
        for kind, (first, last) in expected.items():
            assert re.search(rf"\| {re.escape(first)} \| {re.escape(last)} \|", text), (lang, kind)
    assert_in_pages(SLUGS[84], "$9.04 \\cdot 10^{-7}$", "2.07", "1.77", "4.06",
                    "$2^{30} \\approx 1.07 \\cdot 10^9$", "24", "56", "20", "$1/\\sqrt{N}$")
    cp.assert_figure_used(SECTION, "residual-gradient-norms", [SLUGS[84]])


# --------------------------------------------------------------------------- Q85


def test_q85_adapter_parameter_counts():
    import torch
    import torch.nn as nn
    from transformers import BertConfig, BertModel

    d, m, n_layers = 768, 64, 12

    class Adapter(nn.Module):
        def __init__(self):
            super().__init__()
            self.down, self.up = nn.Linear(d, m), nn.Linear(m, d)

        def forward(self, h):
            return h + self.up(nn.functional.gelu(self.down(h)))

    per_adapter = sum(p.numel() for p in Adapter().parameters())
    assert per_adapter == 2 * d * m + d + m == 99136
    assert 2 * per_adapter == 198272 and 2 * per_adapter * n_layers == 2379264

    config = BertConfig()
    assert (config.hidden_size, config.num_hidden_layers, config.intermediate_size) == (d, n_layers, 4 * d)
    with torch.device("meta"):
        bert = BertModel(config)
        total = sum(p.numel() for p in bert.parameters())
        for layer in bert.encoder.layer:      # Houlsby: after the attention output projection and the FFN
            layer.attention.output.dense = nn.Sequential(layer.attention.output.dense, Adapter())
            layer.output.dense = nn.Sequential(layer.output.dense, Adapter())
    for name, param in bert.named_parameters():
        param.requires_grad = ".1.down." in name or ".1.up." in name
    trainable = sum(p.numel() for p in bert.parameters() if p.requires_grad)
    encoder_ln = sum(p.numel() for n, p in bert.named_parameters() if "encoder" in n and "LayerNorm" in n)
    assert total == 109482240 and trainable == 2379264 and encoder_ln == 24 * 2 * d == 36864
    assert sum(p.numel() for p in bert.parameters()) == total + trainable
    with_ln = trainable + encoder_ln
    assert with_ln == 2416128
    shares = [f"{100 * trainable / total:.2f}%", f"{100 * with_ln / total:.2f}%"]
    assert shares == ["2.17%", "2.21%"] and round(total / trainable) == 46

    # LoRA r = 8 on query and value: formula and peft on the meta device
    lora = n_layers * 2 * 8 * (d + d)
    assert lora == 294912 and f"{100 * lora / total:.2f}%" == "0.27%"
    from peft import LoraConfig, get_peft_model
    with torch.device("meta"):
        peft_model = get_peft_model(BertModel(config), LoraConfig(r=8, target_modules=["query", "value"]))
    assert peft_model.get_nb_trainable_parameters()[0] == lora

    # storage in fp32 and extra multiply-adds per token and layer
    assert (f"{total * 4 / 1e6:.2f}", f"{trainable * 4 / 1e6:.2f}") == ("437.93", "9.52")
    extra, linear = 2 * 2 * d * m, 4 * d * d + 2 * d * 4 * d
    assert (extra, linear, f"{100 * extra / linear:.2f}%") == (196608, 7077888, "2.78%")
    # latency numbers quoted from Hu et al. (2021), Table 1
    assert [f"+{100 * (v / 19.8 - 1):.1f}%" for v in (23.9, 25.8)] == ["+20.7%", "+30.3%"]

    # identity at initialisation on a tiny real model: same output with zero-initialised adapters
    tiny = BertConfig(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
                      vocab_size=50, max_position_embeddings=16)
    torch.manual_seed(0)
    base = BertModel(tiny).eval()
    ids = torch.randint(0, 50, (2, 7))
    before = base(ids).last_hidden_state
    for layer in base.encoder.layer:
        small = nn.Sequential(nn.Linear(32, 4), nn.GELU(), nn.Linear(4, 32))
        nn.init.zeros_(small[2].weight)
        nn.init.zeros_(small[2].bias)

        class Wrapped(nn.Module):
            def __init__(self, dense, adapter):
                super().__init__()
                self.dense, self.adapter = dense, adapter

            def forward(self, x):
                h = self.dense(x)
                return h + self.adapter(h)

        layer.output.dense = Wrapped(layer.output.dense, small)
    assert torch.allclose(base(ids).last_hidden_state, before)

    assert_in_pages(SLUGS[85], 99136, 198272, 2379264, 2416128, 109482240, 294912,
                    fmt_math(99136), fmt_math(198272), fmt_math(2379264), fmt_math(196608),
                    fmt_math(7077888), *shares, "0.27%", "46", "437.93", "9.52", "2.78%", "19.8",
                    "23.9", "25.8", "+20.7%", "+30.3%", "60%", "4–6%", "39%", "3.6%", "0.4%",
                    "$m = 64$", "$d = 768$")


# --------------------------------------------------------------------------- Q86


def test_q86_contrastive_triplet_infonce():
    import torch
    import torch.nn as nn
    import torch.nn.functional as F

    a, p, n = (1.0, 0.0), (0.8, 0.6), (0.6, 0.2)
    d_ap, d_an = math.dist(a, p), math.dist(a, n)
    assert (f3(d_ap), f3(d_an), round(d_ap ** 2, 12), round(d_an ** 2, 12)) == ("0.632", "0.447", 0.4, 0.2)
    contrastive_pos = 0.5 * d_ap ** 2
    contrastive_neg = 0.5 * max(0.0, 1.0 - d_an) ** 2
    assert (f"{contrastive_pos:.4f}", f"{contrastive_neg:.4f}") == ("0.2000", "0.1528")
    triplet_own = max(0.0, d_ap - d_an + 1.0)
    ta, tp, tn = (torch.tensor([v], dtype=torch.float64) for v in (a, p, n))
    triplet_torch = nn.TripletMarginLoss(margin=1.0)(ta, tp, tn).item()
    assert triplet_torch == pytest.approx(triplet_own, abs=1e-5) and f"{triplet_own:.4f}" == "1.1852"
    facenet = max(0.0, d_ap ** 2 - d_an ** 2 + 0.2)
    assert f"{facenet:.4f}" == "0.4000"

    Q = F.normalize(torch.tensor([[0.9, 0.1, 0.0], [0.1, 0.8, 0.3], [0.0, 0.3, 0.9]], dtype=torch.float64), dim=-1)
    K = F.normalize(torch.tensor([[1.0, 0.2, 0.1], [0.2, 0.9, 0.0], [0.1, 0.5, 0.8]], dtype=torch.float64), dim=-1)
    hard = F.normalize(torch.tensor([[0.3, 0.7, 0.5]], dtype=torch.float64), dim=-1)
    sim = Q @ K.T
    assert [f3(v) for v in sim.diag().tolist()] == ["0.991", "0.933", "0.967"]
    off = sim - torch.diag(sim.diag()) - 2 * torch.eye(3, dtype=torch.float64)
    assert f3(off.max().item()) == "0.796" and off.argmax().item() == 1 * 3 + 2
    assert f3((Q[1] @ hard[0]).item()) == "0.944"

    def info_nce_own(logits):
        """-log softmax of the diagonal, averaged: the formula of the page."""
        rows = logits.tolist()
        return sum(-(r[i] - math.log(sum(math.exp(v) for v in r))) for i, r in enumerate(rows)) / len(rows)

    results = {}
    for tau in (1.0, 0.05):
        logits = sim / tau
        with_hard = torch.cat([logits, Q @ hard.T / tau], dim=1)
        ce, ce_hard = F.cross_entropy(logits, torch.arange(3)).item(), F.cross_entropy(with_hard, torch.arange(3)).item()
        assert ce == pytest.approx(info_nce_own(logits)) and ce_hard == pytest.approx(info_nce_own(with_hard))
        results[tau] = (ce, ce_hard)
        if tau == 0.05:
            probs = (logits.softmax(1)[1, 1].item(), with_hard.softmax(1)[1, 1].item())
    assert {t: (f"{a_:.4f}", f"{b_:.4f}") for t, (a_, b_) in results.items()} == \
        {1.0: ("0.7416", "1.0582"), 0.05: ("0.0210", "0.2856")}
    assert (f3(probs[0]), f3(probs[1])) == ("0.939", "0.432")
    assert int(results[0.05][1] / results[0.05][0]) == 13 and f"{math.log(3):.4f}" == "1.0986"
    for lang in LANGS:
        text = page(SLUGS[86], lang)
        assert table_row(text, "$\\tau = 1.0$") == ["0.7416", "1.0582"], lang
        assert table_row(text, "$\\tau = 0.05$ (`scale=20`)") == ["0.0210", "0.2856"], lang
    assert_in_pages(SLUGS[86], "\\sqrt{0.4} = 0.632$", "\\sqrt{0.2} = 0.447$", "0.1528", "1.1852",
                    "$0.4 - 0.2 + 0.2 = 0.4$", "$(1 - 0.447)^2 / 2 = 0.1528$", "$0.632 - 0.447 + 1 = 1.1852$",
                    "0.939", "0.432", "13", "$\\log 3 = 1.0986$", "$\\alpha = 0.2$", "`scale=20`",
                    "0.991, 0.933", "0.967", "0.796", "0.944", "(0.8, 0.6)", "(0.6, 0.2)",
                    "$\\tau = 0.05$", "2006", "2015", "2018", "2020")
