"""Checks for the Metrics section (questions 9-15).

Every number in the worked examples is computed twice, with our own small code and with a
reference library (scikit-learn, torch, sacrebleu, rouge-score, nltk), and must appear, formatted,
in both the Russian and the English page. Every ```python block of these pages must run as written.

Number formatting used by the pages:
  * decimals always with a point;
  * integers >= 10000 outside math: "50,000" (en) and "50\u00a0000" (ru, no-break space).
"""
from __future__ import annotations

import math
from collections import Counter
from functools import partial
from itertools import combinations

import numpy as np
import pytest

import content_pages as cp
from content_pages import DOCS, f3

sacrebleu = cp.lazy("sacrebleu")
torch = cp.lazy("torch")
F = cp.lazy("torch.nn.functional")
rouge_scorer = cp.lazy("rouge_score.rouge_scorer")
skm = cp.lazy("sklearn.metrics")

SECTION = DOCS / "classic-nlp" / "metrics"
SLUGS = {
    9: "precision-recall",
    10: "specificity",
    11: "macro-micro-weighted",
    12: "perplexity",
    13: "bleu",
    14: "rouge",
    15: "bleu-vs-rouge",
}
NOTEBOOK = {9, 11, 13, 14}
FIGURES = {"confusion-matrix-pr": ("precision-recall", "specificity"), "roc-specificity": ("specificity",)}

assert_in_pages = partial(cp.assert_in_pages, SECTION)


def close(a: float, b: float, tol: float = 1e-9) -> bool:
    return math.isclose(a, b, rel_tol=tol, abs_tol=tol)


# --------------------------------------------------------------------------- layout


@pytest.mark.parametrize("name,slugs", sorted(FIGURES.items()))
def test_figures_exist_and_are_used(name, slugs):
    cp.assert_figure_used(SECTION, name, slugs)


# --------------------------------------------------------------------------- Q9 precision / recall

TP, FN, FP, TN = 80, 20, 40, 860


def labels_from_counts(tp, fn, fp, tn):
    y_true = np.array([1] * tp + [1] * fn + [0] * fp + [0] * tn)
    y_pred = np.array([1] * tp + [0] * fn + [1] * fp + [0] * tn)
    return y_true, y_pred


def f_beta(p: float, r: float, beta: float) -> float:
    return (1 + beta**2) * p * r / (beta**2 * p + r)


def test_q9_confusion_matrix_numbers():
    y_true, y_pred = labels_from_counts(TP, FN, FP, TN)
    p, r = TP / (TP + FP), TP / (TP + FN)
    f1 = 2 * TP / (2 * TP + FP + FN)
    assert close(p, skm.precision_score(y_true, y_pred))
    assert close(r, skm.recall_score(y_true, y_pred))
    assert close(f1, skm.f1_score(y_true, y_pred)) and close(f1, f_beta(p, r, 1)) and close(f1, 160 / 220)
    f2, f05 = f_beta(p, r, 2), f_beta(p, r, 0.5)
    assert close(f2, skm.fbeta_score(y_true, y_pred, beta=2))
    assert close(f05, skm.fbeta_score(y_true, y_pred, beta=0.5))
    acc = (TP + TN) / 1000
    assert close(acc, skm.accuracy_score(y_true, y_pred))
    # the model that never flags anything
    never = np.zeros_like(y_pred)
    assert close(skm.accuracy_score(y_true, never), 0.9)
    assert skm.recall_score(y_true, never) == 0
    # harmonic vs arithmetic mean for P = 1, R = 0.01
    assert round(f_beta(1, 0.01, 1), 2) == 0.02
    assert_in_pages("precision-recall", f"80/(80+40) = {f3(p)}", f"80/(80+20) = {f3(r)}",
                    f"160/220 = {f3(f1)}", f"$F_2 = {f3(f2)}$", f"$F_{{0.5}} = {f3(f05)}$",
                    f"(80+860)/1000 = {acc:g}", "0.900", "0.02")


SCORES_POS = [0.9, 0.8, 0.6, 0.4]
SCORES_NEG = [0.7, 0.45, 0.35, 0.2, 0.1, 0.05]
Y10 = [1] * 4 + [0] * 6
S10 = SCORES_POS + SCORES_NEG


def own_counts(threshold: float) -> tuple[int, int, int, int]:
    tp = sum(s >= threshold for s in SCORES_POS)
    fp = sum(s >= threshold for s in SCORES_NEG)
    return tp, len(SCORES_POS) - tp, fp, len(SCORES_NEG) - fp


def own_average_precision() -> float:
    ranked = sorted(zip(S10, Y10), reverse=True)
    hits, precisions = 0, []
    for k, (_, y) in enumerate(ranked, start=1):
        if y:
            hits += 1
            precisions.append(hits / k)
    return sum(precisions) / len(precisions)


def test_q9_threshold_table_and_average_precision():
    for threshold in (0.8, 0.6, 0.4):
        tp, fn, fp, tn = own_counts(threshold)
        pred = [int(s >= threshold) for s in S10]
        p, r = tp / (tp + fp), tp / (tp + fn)
        assert close(p, skm.precision_score(Y10, pred)) and close(r, skm.recall_score(Y10, pred))
        assert_in_pages("precision-recall", f"| {threshold} | {tp} | {fp} | {f3(p)} | {r:.2f} |")
    ap = own_average_precision()
    assert close(ap, skm.average_precision_score(Y10, S10))
    assert close(ap, (1 + 1 + 0.75 + 2 / 3) / 4)
    # best precision when every positive must be found
    best = max(tp / (tp + fp) for tp, fn, fp, tn in map(own_counts, S10) if fn == 0)
    assert f3(best) == "0.667"
    # a random (constant) model has AP = share of positives
    y_true, _ = labels_from_counts(TP, FN, FP, TN)
    assert close(skm.average_precision_score(y_true, np.zeros(len(y_true))), 0.1)
    assert_in_pages("precision-recall", f"(1 + 1 + 0.75 + 0.667)/4 = {f3(ap)}", "(0.1 ")


# --------------------------------------------------------------------------- Q10 specificity


def specificity(tn: int, fp: int) -> float:
    return tn / (tn + fp)


def test_q10_specificity_and_prevalence():
    y_true, y_pred = labels_from_counts(TP, FN, FP, TN)
    spec = specificity(TN, FP)
    assert close(spec, skm.recall_score(y_true, y_pred, pos_label=0))
    assert close(1 - spec, FP / (FP + TN))
    assert_in_pages("specificity", f"860/(860+40) = {f3(spec)}", f"40/900 = {f3(1 - spec)}")

    # ten times more clean comments, same behaviour on them
    fp10, tn10 = 10 * FP, 10 * TN
    y10, p10 = labels_from_counts(TP, FN, fp10, tn10)
    spec10 = specificity(tn10, fp10)
    prec10 = TP / (TP + fp10)
    f1_10 = 2 * TP / (2 * TP + fp10 + FN)
    assert close(spec10, skm.recall_score(y10, p10, pos_label=0)) and close(spec10, spec)
    assert close(skm.recall_score(y10, p10), TP / (TP + FN))
    assert close(prec10, skm.precision_score(y10, p10)) and close(f1_10, skm.f1_score(y10, p10))
    assert (fp10, tn10) == (400, 8600)
    assert_in_pages("specificity", "FP = 400", "TN = 8600",
                    f"| specificity | {f3(spec)} | {f3(spec10)} |",
                    f"| recall | {f3(TP / (TP + FN))} | {f3(skm.recall_score(y10, p10))} |",
                    f"| precision | {f3(skm.precision_score(y_true, y_pred))} | {f3(prec10)} |",
                    f"| F1 | {f3(skm.f1_score(y_true, y_pred))} | {f3(f1_10)} |")


def test_q10_base_rate():
    people, sick = 100_000, 100
    healthy = people - sick
    tp, fp = round(0.99 * sick), round(0.01 * healthy)
    assert (tp, fp, healthy) == (99, 999, 99_900)
    y_true, y_pred = labels_from_counts(tp, sick - tp, fp, healthy - fp)
    assert close(skm.recall_score(y_true, y_pred), 0.99)
    assert close(skm.recall_score(y_true, y_pred, pos_label=0), 0.99)
    prec = tp / (tp + fp)
    assert close(prec, skm.precision_score(y_true, y_pred))
    assert_in_pages("specificity", people, healthy, "0.1%", "999", f"99/1098 = {f3(prec)}")


def test_q10_thresholds_and_auc():
    expected = {0.5: ("5/6", "3/4", "0.75"), 0.3: ("3/6", "4/4", "1.00")}
    for threshold, (spec_frac, rec_frac, rec_str) in expected.items():
        tp, fn, fp, tn = own_counts(threshold)
        pred = [int(s >= threshold) for s in S10]
        cm_tn, cm_fp, cm_fn, cm_tp = skm.confusion_matrix(Y10, pred).ravel()
        assert (tp, fn, fp, tn) == (cm_tp, cm_fn, cm_fp, cm_tn)
        spec, rec = specificity(tn, fp), tp / (tp + fn)
        assert close(spec, skm.recall_score(Y10, pred, pos_label=0))
        assert f"{rec:.2f}" == rec_str
        assert_in_pages("specificity", f"{spec_frac} = {f3(spec)}", f"{rec_frac} = {rec_str}",
                        f"FP = {fp}")
    pairs = [(p, n) for p in SCORES_POS for n in SCORES_NEG]
    correct = sum(p > n for p, n in pairs)
    assert (correct, len(pairs)) == (21, 24)
    auc = correct / len(pairs)
    assert close(auc, skm.roc_auc_score(Y10, S10))
    assert_in_pages("specificity", f3(auc), "21", "24")


# --------------------------------------------------------------------------- Q11 macro / micro / weighted

CLASSES = ["neutral", "positive", "negative"]
CM = np.array([[67, 2, 1], [2, 18, 0], [5, 2, 3]])


def cm_labels():
    y_true, y_pred = [], []
    for i, row in enumerate(CM):
        for j, count in enumerate(row):
            y_true += [CLASSES[i]] * int(count)
            y_pred += [CLASSES[j]] * int(count)
    return y_true, y_pred


def test_q11_per_class_and_averages():
    y_true, y_pred = cm_labels()
    tp = np.diag(CM).astype(float)
    support, predicted = CM.sum(axis=1), CM.sum(axis=0)
    p, r = tp / predicted, tp / support
    f = 2 * p * r / (p + r)
    sk = skm.precision_recall_fscore_support(y_true, y_pred, labels=CLASSES, average=None)
    assert np.allclose(p, sk[0]) and np.allclose(r, sk[1]) and np.allclose(f, sk[2])
    assert list(support) == list(sk[3]) == [70, 20, 10] and list(predicted) == [74, 22, 4]

    w = support / support.sum()
    ours = {
        "macro": (p.mean(), r.mean(), f.mean()),
        "weighted": ((w * p).sum(), (w * r).sum(), (w * f).sum()),
        "micro": (tp.sum() / predicted.sum(), tp.sum() / support.sum(), None),
    }
    micro_p, micro_r, _ = ours["micro"]
    ours["micro"] = (micro_p, micro_r, 2 * micro_p * micro_r / (micro_p + micro_r))
    for average, values in ours.items():
        ref = skm.precision_recall_fscore_support(y_true, y_pred, average=average)[:3]
        assert np.allclose(values, ref), average
        assert_in_pages("macro-micro-weighted", f"| {average} | " + " | ".join(f3(v) for v in values) + " |")

    # micro P = micro R = micro F1 = accuracy; weighted recall = accuracy
    acc = skm.accuracy_score(y_true, y_pred)
    assert close(acc, 0.88) and all(close(v, acc) for v in ours["micro"])
    assert close(ours["weighted"][1], acc)
    errors = int(CM.sum() - tp.sum())
    fp_total = int((predicted - tp).sum())
    fn_total = int((support - tp).sum())
    assert errors == fp_total == fn_total == 12
    # weighted F1 is below both weighted precision and weighted recall
    wp, wr, wf = ours["weighted"]
    assert wf < wp and wf < wr
    # balanced accuracy = macro recall; the "other" macro F1
    assert close(skm.balanced_accuracy_score(y_true, y_pred), ours["macro"][1])
    mp, mr, mf = ours["macro"]
    other = 2 * mp * mr / (mp + mr)
    assert f3(other) == "0.768" and f3(mf) == "0.739"

    rows = {"67/74": p[0], "67/70": r[0], "18/22": p[1], "18/20": r[1], "3/4": p[2], "3/10": r[2]}
    assert_in_pages("macro-micro-weighted", *(f"{k} = {f3(v)}" for k, v in rows.items()),
                    *(f"| {f3(x)} |" for x in f), f"F1 = {f3(mf)}", f"F1 = {f3(wf)}",
                    f"({f3(wp)})", f"({f3(wr)})", f"({f3(mr)})", f3(other), "88", "12")


# --------------------------------------------------------------------------- Q12 perplexity

PROBS = [0.1, 0.5, 0.2, 0.25]  # cat, s, chase, mice


def test_q12_perplexity_by_hand_and_torch():
    nll = -sum(math.log(p) for p in PROBS)
    n_tokens, n_words = 4, 3
    h = nll / n_tokens
    ppl = math.exp(h)
    assert close(math.prod(PROBS), 0.0025)
    assert close(ppl, 0.0025 ** (-1 / 4)) and close(ppl, 2 ** (h / math.log(2)))
    assert close(ppl, 1 / math.prod(PROBS) ** (1 / n_tokens))

    # torch on the logits of the page's code block
    targets = torch.tensor([0, 1, 2, 3])
    p_target = torch.tensor(PROBS, dtype=torch.float64)
    vocab = 6
    probs = ((1 - p_target) / (vocab - 1)).unsqueeze(1).repeat(1, vocab)
    probs[torch.arange(4), targets] = p_target
    loss = F.cross_entropy(probs.log() + 7.0, targets)
    assert close(loss.item(), h) and close(loss.exp().item(), ppl)

    # torch on fixed, arbitrary logits vs a hand-written log-softmax
    logits = [[2.0, 1.0, 0.0, -1.0], [0.5, 0.5, 3.0, 0.0], [1.0, -2.0, 0.0, 2.5]]
    tgt = [0, 2, 3]
    own = 0.0
    for row, t in zip(logits, tgt):
        own -= row[t] - math.log(sum(math.exp(z) for z in row))
    own /= len(tgt)
    ref = F.cross_entropy(torch.tensor(logits, dtype=torch.float64), torch.tensor(tgt))
    assert close(own, ref.item()) and close(math.exp(own), ref.exp().item())

    # uniform model over 50,000 tokens
    v = 50_000
    uni = F.cross_entropy(torch.zeros(1, v, dtype=torch.float64), torch.tensor([123]))
    assert close(uni.item(), math.log(v)) and close(uni.exp().item(), v, 1e-9)

    word_ppl = math.exp(nll / n_words)
    assert close(word_ppl, 400 ** (1 / 3))
    assert_in_pages("perplexity", "= 0.0025", f"= {nll:.3f}", f"{nll:.3f}/4 = {h:.3f}",
                    f"{h / math.log(2):.3f}", f"e^{{{h:.3f}}} = 0.0025^{{-1/4}} = {ppl:.3f}",
                    f"e^{{{nll:.3f}/3}} = {word_ppl:.3f}", f"\\ln 50000 = {math.log(v):.3f}", v)


# --------------------------------------------------------------------------- Q13 BLEU


def ngram_counts(tokens: list[str], n: int) -> Counter:
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def clipped_precision(cand: list[str], refs: list[list[str]], n: int) -> tuple[int, int]:
    counts = ngram_counts(cand, n)
    matched = 0
    for gram, c in counts.items():
        matched += min(c, max(ngram_counts(ref, n)[gram] for ref in refs))
    return matched, sum(counts.values())


def own_bleu(cand: str, refs: list[str]) -> tuple[float, list[tuple[int, int]], float]:
    c_tok, r_tok = cand.split(), [r.split() for r in refs]
    stats = [clipped_precision(c_tok, r_tok, n) for n in range(1, 5)]
    geo = math.exp(sum(math.log(m / t) for m, t in stats) / 4)
    c = len(c_tok)
    r = min((len(x) for x in r_tok), key=lambda length: (abs(length - c), length))
    bp = 1.0 if c > r else math.exp(1 - r / c)
    return bp * geo, stats, bp


CAND13 = "the fast brown fox jumps over the dog"
REF13 = "the quick brown fox jumps over the lazy dog"


def test_q13_bleu_by_hand_and_sacrebleu():
    score, stats, bp = own_bleu(CAND13, [REF13])
    assert stats == [(7, 8), (4, 7), (3, 6), (2, 5)]
    precisions = [m / t for m, t in stats]
    geo = math.prod(precisions) ** 0.25
    assert close(math.prod(precisions), 0.1) and close(bp, math.exp(-0.125))

    default = sacrebleu.sentence_bleu(CAND13, [REF13])
    unsmoothed = sacrebleu.sentence_bleu(CAND13, [REF13], smooth_method="none")
    corpus = sacrebleu.corpus_bleu([CAND13], [[REF13]])
    for result in (default, unsmoothed, corpus):
        assert close(result.score, 100 * score, 1e-9)
        assert np.allclose(result.precisions, [100 * p for p in precisions])
        assert close(result.bp, bp) and (result.sys_len, result.ref_len) == (8, 9)
    from nltk.translate.bleu_score import sentence_bleu  # no smoothing by default

    assert close(sentence_bleu([REF13.split()], CAND13.split()), score)

    metric = sacrebleu.BLEU()
    assert close(metric.corpus_score([CAND13], [[REF13]]).score, 100 * score, 1e-9)
    signature = str(metric.get_signature())
    prefix = "nrefs:1|case:mixed|eff:no|tok:13a|smooth:exp|version:"
    assert signature.startswith(prefix)
    fracs = ["7/8", "4/7", "3/6", "2/5"]
    assert_in_pages("bleu", *(f"{fr} = {f3(p)}" for fr, p in zip(fracs, precisions)),
                    f"0.1^{{1/4}} = {f3(geo)}", f"e^{{-0.125}} = {f3(bp)}", f"= {f3(score)}",
                    f"{default.score:.2f}", prefix, "`13a`")


def test_q13_clipping_example():
    cand = "the the the the the the the"
    refs = ["the cat is on the mat", "there is a cat on the mat"]
    matched, total = clipped_precision(cand.split(), [r.split() for r in refs], 1)
    assert (matched, total) == (2, 7)
    unclipped = sum(1 for w in cand.split() if any(w in r.split() for r in refs))
    assert unclipped == 7
    result = sacrebleu.corpus_bleu([cand], [[refs[0]], [refs[1]]])
    assert result.counts[0] == 2 and result.totals[0] == 7
    assert close(result.precisions[0], 100 * 2 / 7)
    assert_in_pages("bleu", "7/7 = 1", f"2/7 = {f3(2 / 7)}")


# --------------------------------------------------------------------------- Q14 ROUGE


def tokens(text: str) -> list[str]:
    return text.lower().split()


def own_rouge_n(cand: str, ref: str, n: int) -> tuple[float, float, float]:
    c, r = ngram_counts(tokens(cand), n), ngram_counts(tokens(ref), n)
    overlap = sum((c & r).values())
    p, rec = overlap / sum(c.values()), overlap / sum(r.values())
    return p, rec, (2 * p * rec / (p + rec) if overlap else 0.0)


def lcs_length(a: list[str], b: list[str]) -> int:
    table = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


def own_rouge_l(cand: str, ref: str) -> tuple[float, float, float]:
    c, r = tokens(cand), tokens(ref)
    lcs = lcs_length(c, r)
    p, rec = lcs / len(c), lcs / len(r)
    return p, rec, 2 * p * rec / (p + rec)


def skip_bigrams_combinations(text: str) -> Counter:
    return Counter(combinations(tokens(text), 2))


def skip_bigrams_loops(text: str) -> Counter:
    words, out = tokens(text), Counter()
    for i in range(len(words)):
        for j in range(i + 1, len(words)):
            out[(words[i], words[j])] += 1
    return out


PAIRS = [
    ("I really loved reading the Hunger Games", "I really really loved reading reading the Hunger Games"),
    ("the gunman killed the police", "Police killed the gunman"),
]
# F1 averaged over the two pairs, as printed by Hugging Face `evaluate` in the seed
SEED_EVALUATE_OUTPUT = dict(rougeLsum=0.6597222222222223, rougeL=0.6597222222222223,
                            rouge2=0.7142857142857143, rouge1=0.8819444444444445)


def test_q14_rouge_scores_match_rouge_score():
    types = ["rouge1", "rouge2", "rougeL", "rougeLsum"]
    scorer = rouge_scorer.RougeScorer(types)
    per_pair = []
    for ref, cand in PAIRS:
        lib = scorer.score(ref, cand)
        ours = {"rouge1": own_rouge_n(cand, ref, 1), "rouge2": own_rouge_n(cand, ref, 2),
                "rougeL": own_rouge_l(cand, ref)}
        ours["rougeLsum"] = ours["rougeL"]  # no newlines: Lsum == L
        for t in types:
            assert np.allclose(ours[t], (lib[t].precision, lib[t].recall, lib[t].fmeasure)), t
        per_pair.append(ours)
    assert [len(tokens(c)) for _, c in PAIRS] == [9, 4] and [len(tokens(r)) for r, _ in PAIRS] == [7, 5]
    assert lcs_length(tokens(PAIRS[0][1]), tokens(PAIRS[0][0])) == 7
    assert lcs_length(tokens(PAIRS[1][1]), tokens(PAIRS[1][0])) == 2

    one, two = per_pair
    assert close(one["rouge1"][2], 0.875) and close(one["rougeL"][2], 0.875)
    assert_in_pages("rouge", f"7/9 = {f3(one['rouge1'][0])}", "7/7 = 1", f"2\\cdot7/(7+9) = {f3(one['rouge1'][2])}",
                    "6/6 = 1", f"6/8 = {one['rouge2'][0]:g}", f"F1 $= {f3(one['rouge2'][2])}$",
                    f"precision $= {f3(one['rougeL'][0])}$",
                    f"4/4 = {two['rouge1'][0]:g}", f"4/5 = {two['rouge1'][1]:g}", f"F1 $= {f3(two['rouge1'][2])}$",
                    f"2/3 = {f3(two['rouge2'][0])}", f"2/4 = {two['rouge2'][1]:g}", f"F1 $= {f3(two['rouge2'][2])}$",
                    f"2/4 = {two['rougeL'][0]:g}", f"2/5 = {two['rougeL'][1]:g}", f"F1 $= {f3(two['rougeL'][2])}$")

    # averaged F1 reproduces the Hugging Face `evaluate` output quoted in the seed
    for t in types:
        mean = sum(p[t][2] for p in per_pair) / 2
        assert close(mean, SEED_EVALUATE_OUTPUT[t], 1e-12), t
    f = {t: [p[t][2] for p in per_pair] for t in types}
    assert_in_pages("rouge",
                    f"({f3(f['rouge1'][0])}+{f3(f['rouge1'][1])})/2 = {SEED_EVALUATE_OUTPUT['rouge1']:.4f}",
                    f"({f3(f['rouge2'][0])}+{f3(f['rouge2'][1])})/2 = {SEED_EVALUATE_OUTPUT['rouge2']:.4f}",
                    f"({f3(f['rougeL'][0])}+{f3(f['rougeL'][1])})/2 = {SEED_EVALUATE_OUTPUT['rougeL']:.4f}")


def test_q14_rouge_s_skip_bigrams():
    cand, ref = PAIRS[1][1], PAIRS[1][0]
    for build in (skip_bigrams_combinations, skip_bigrams_loops):
        c, r = build(cand), build(ref)
        assert sum(c.values()) == math.comb(4, 2) == 6
        assert sum(r.values()) == math.comb(5, 2) == 10
        shared = c & r
        assert set(shared) == {("killed", "the"), ("the", "gunman")} and sum(shared.values()) == 2
    assert skip_bigrams_combinations(ref) == skip_bigrams_loops(ref)
    p, rec = 2 / 6, 2 / 10
    f1 = 2 * p * rec / (p + rec)
    assert close(f1, 0.25)
    assert_in_pages("rouge", "\\binom{4}{2} = 6", "\\binom{5}{2} = 10", f"2/6 = {f3(p)}",
                    f"2/10 = {rec:g}", f"F1 $= {f1:g}$")


def test_q14_cyrillic_pitfall():
    text = "кошка сидит на ковре"
    assert rouge_scorer.RougeScorer(["rouge1"]).score(text, text)["rouge1"].fmeasure == 0.0

    class Whitespace:
        def tokenize(self, s):
            return s.lower().split()

    scorer = rouge_scorer.RougeScorer(["rouge1"], tokenizer=Whitespace())
    assert scorer.score(text, text)["rouge1"].fmeasure == 1.0


# --------------------------------------------------------------------------- Q15 BLEU vs ROUGE

REF15 = "the quick brown fox jumps over the lazy dog"
CAND15 = {
    "A": "the quick brown fox jumps",
    "B": "the quick brown fox jumps over the lazy dog and then ran off into the forest",
}


def test_q15_bleu_and_rouge_on_two_candidates():
    scorer = rouge_scorer.RougeScorer(["rouge1"])
    results = {}
    for name, cand in CAND15.items():
        ours, stats, bp = own_bleu(cand, [REF15])
        lib = sacrebleu.sentence_bleu(cand, [REF15])
        assert close(lib.score, 100 * ours, 1e-9) and close(lib.bp, bp)
        r1 = scorer.score(REF15, cand)["rouge1"]
        own_r1 = own_rouge_n(cand, REF15, 1)
        assert np.allclose(own_r1, (r1.precision, r1.recall, r1.fmeasure))
        results[name] = (ours, stats, bp, lib.score, own_r1)
    a, b = results["A"], results["B"]
    assert len(CAND15["A"].split()) == 5 and len(CAND15["B"].split()) == 16
    assert a[1] == [(5, 5), (4, 4), (3, 3), (2, 2)] and close(a[2], math.exp(1 - 9 / 5))
    assert b[1] == [(9, 16), (8, 15), (7, 14), (6, 13)] and b[2] == 1.0
    assert b[0] > a[0] and b[4][2] > a[4][2]
    assert_in_pages("bleu-vs-rouge", f"e^{{1-9/5}} = {f3(a[2])}", f"{a[3]:.2f}", f"{b[3]:.2f}",
                    f"9/16 = {f3(b[4][0])}", f"5/9 = {f3(a[4][1])}", f"| {f3(a[4][2])} | {f3(b[4][2])} |",
                    "9/16, 8/15, 7/14", "6/13", f"{f3(b[0])} (BP = 1)", f"{f3(a[0])}",
                    f"({f3(a[4][2])}", f"{f3(b[4][2])})")


