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
# # Метрики своими руками: F1, BLEU, ROUGE
#
# Считаем по определениям precision, recall и F1 (по классам и с тремя видами усреднения), BLEU и ROUGE-1/2/L и сверяем каждое число с библиотекой: scikit-learn, sacrebleu и rouge-score. Примеры маленькие, чтобы каждое число можно было проверить на бумаге.

# %% [markdown] lang="en"
# # Metrics by hand: F1, BLEU, ROUGE
#
# We compute precision, recall and F1 (per class and with three kinds of averaging), BLEU and ROUGE-1/2/L straight from their definitions and check every number against a library: scikit-learn, sacrebleu and rouge-score. The examples are small enough to verify on paper.

# %%
import math
import re
from collections import Counter

import numpy as np
import sacrebleu
from rouge_score import rouge_scorer
from sklearn.metrics import (accuracy_score, classification_report, confusion_matrix,
                             precision_recall_fscore_support)

np.set_printoptions(precision=3, suppress=True)

# %% [markdown] lang="ru"
# ## Матрица ошибок для трёх классов
#
# 15 объектов, классы cat, dog, bird. Строка матрицы — истинный класс, столбец — предсказанный. Для класса $c$: $\mathrm{TP}$ — диагональный элемент, $\mathrm{FP}$ — остаток столбца, $\mathrm{FN}$ — остаток строки.
#
# $$
# P_c = \frac{\mathrm{TP}_c}{\mathrm{TP}_c + \mathrm{FP}_c}, \qquad R_c = \frac{\mathrm{TP}_c}{\mathrm{TP}_c + \mathrm{FN}_c}, \qquad F1_c = \frac{2 P_c R_c}{P_c + R_c}.
# $$

# %% [markdown] lang="en"
# ## A confusion matrix for three classes
#
# 15 items, classes cat, dog, bird. A row of the matrix is the true class, a column the predicted one. For class $c$, $\mathrm{TP}$ is the diagonal entry, $\mathrm{FP}$ the rest of the column and $\mathrm{FN}$ the rest of the row.
#
# $$
# P_c = \frac{\mathrm{TP}_c}{\mathrm{TP}_c + \mathrm{FP}_c}, \qquad R_c = \frac{\mathrm{TP}_c}{\mathrm{TP}_c + \mathrm{FN}_c}, \qquad F1_c = \frac{2 P_c R_c}{P_c + R_c}.
# $$

# %%
labels = ["cat", "dog", "bird"]
pairs = ([("cat", "cat")] * 4 + [("cat", "dog")] + [("cat", "bird")]
         + [("dog", "cat")] + [("dog", "dog")] * 3
         + [("bird", "cat")] * 2 + [("bird", "bird")] * 3)
rng = np.random.default_rng(0)
pairs = [pairs[i] for i in rng.permutation(len(pairs))]
y_true = [t for t, _ in pairs]
y_pred = [p for _, p in pairs]

idx = {c: i for i, c in enumerate(labels)}
C = np.zeros((3, 3), dtype=int)
for t, p in zip(y_true, y_pred):
    C[idx[t], idx[p]] += 1
print(C)
assert (C == confusion_matrix(y_true, y_pred, labels=labels)).all()
print("OK: hand-made confusion matrix equals sklearn.metrics.confusion_matrix")

# %%
tp = np.diag(C).astype(float)
fp = C.sum(axis=0) - tp
fn = C.sum(axis=1) - tp
support = C.sum(axis=1)

prec = tp / (tp + fp)
rec = tp / (tp + fn)
f1 = 2 * prec * rec / (prec + rec)

P, R, F, S = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=None)
for name, ours, ref in [("precision", prec, P), ("recall", rec, R), ("f1", f1, F), ("support", support, S)]:
    np.testing.assert_allclose(ours, ref, rtol=0, atol=1e-12)
for c, p_, r_, f_ in zip(labels, prec, rec, f1):
    print(f"{c:>5}: P={p_:.3f} R={r_:.3f} F1={f_:.3f}")
print("OK: per-class precision, recall, F1 and support match precision_recall_fscore_support")

# %% [markdown] lang="ru"
# ## Три усреднения
#
# - **macro** — простое среднее по классам: все классы равноправны, редкий класс весит столько же, сколько частый;
# - **weighted** — среднее с весами, пропорциональными support (числу объектов класса);
# - **micro** — сначала складываем $\mathrm{TP}$, $\mathrm{FP}$, $\mathrm{FN}$ по всем классам, потом считаем метрику.
#
# В задаче с одной меткой на объект каждая ошибка — это один FP (для предсказанного класса) и один FN (для истинного), поэтому $\sum \mathrm{FP} = \sum \mathrm{FN}$, и micro-precision, micro-recall и micro-F1 совпадают с accuracy.
#
# Тонкость: macro-F1 в scikit-learn — это среднее F1 по классам, а не F1, посчитанная из macro-P и macro-R. Это разные числа.

# %% [markdown] lang="en"
# ## Three averages
#
# - **macro**: a plain mean over classes; every class counts the same, a rare one as much as a frequent one;
# - **weighted**: a mean with weights proportional to support (the number of items in the class);
# - **micro**: first add up $\mathrm{TP}$, $\mathrm{FP}$ and $\mathrm{FN}$ over all classes, then compute the metric.
#
# With one label per item, every mistake is exactly one FP (for the predicted class) and one FN (for the true class), so $\sum \mathrm{FP} = \sum \mathrm{FN}$, and micro precision, micro recall and micro F1 all equal accuracy.
#
# A subtlety: scikit-learn's macro F1 is the mean of the per-class F1 scores, not the F1 of macro P and macro R. These are different numbers.

# %%
ours = {
    "macro": (prec.mean(), rec.mean(), f1.mean()),
    "weighted": tuple((m * support).sum() / support.sum() for m in (prec, rec, f1)),
}
p_mi = tp.sum() / (tp.sum() + fp.sum())
r_mi = tp.sum() / (tp.sum() + fn.sum())
ours["micro"] = (p_mi, r_mi, 2 * p_mi * r_mi / (p_mi + r_mi))

for avg, vals in ours.items():
    ref = precision_recall_fscore_support(y_true, y_pred, labels=labels, average=avg)[:3]
    np.testing.assert_allclose(vals, ref, rtol=0, atol=1e-12)
    print(f"{avg:>8}: P={vals[0]:.3f} R={vals[1]:.3f} F1={vals[2]:.3f}")
print("OK: macro, weighted and micro averages match scikit-learn")

acc = accuracy_score(y_true, y_pred)
assert fp.sum() == fn.sum()
np.testing.assert_allclose(ours["micro"], [acc] * 3, rtol=0, atol=1e-12)
print(f"OK: micro P = micro R = micro F1 = accuracy = {acc:.3f}")

f1_of_macros = 2 * prec.mean() * rec.mean() / (prec.mean() + rec.mean())
assert abs(f1_of_macros - f1.mean()) > 1e-3
print(f"OK: mean of per-class F1 = {f1.mean():.4f}, F1 of macro P and R = {f1_of_macros:.4f} (not the same)")

# %%
print(classification_report(y_true, y_pred, labels=labels, digits=3))
rep = classification_report(y_true, y_pred, labels=labels, output_dict=True)
for c, p_, r_, f_ in zip(labels, prec, rec, f1):
    np.testing.assert_allclose([rep[c]["precision"], rep[c]["recall"], rep[c]["f1-score"]], [p_, r_, f_], atol=1e-12)
np.testing.assert_allclose(rep["macro avg"]["f1-score"], f1.mean(), atol=1e-12)
np.testing.assert_allclose(rep["weighted avg"]["f1-score"], ours["weighted"][2], atol=1e-12)
np.testing.assert_allclose(rep["accuracy"], acc, atol=1e-12)
print("OK: classification_report agrees; its 'accuracy' row is the micro average")


# %% [markdown] lang="ru"
# ## BLEU
#
# BLEU сравнивает n-граммы ($n = 1..4$) кандидата с одним или несколькими эталонными переводами.
#
# 1. **Обрезанная точность** $p_n$: каждую n-грамму кандидата засчитываем не больше раз, чем она встречается в *одном* эталоне (берём максимум по эталонам). Без обрезки кандидат «the the the ...» получил бы точность 1.
# 2. **Штраф за краткость**: $c$ — длина кандидата, $r$ — длина ближайшего по длине эталона (при равенстве берётся более короткий),
#
# $$
# \mathrm{BP} = \begin{cases} 1, & c \ge r, \\ e^{1 - r/c}, & c < r. \end{cases}
# $$
#
# 3. $\mathrm{BLEU} = \mathrm{BP} \cdot \exp\big(\tfrac14 \sum_{n=1}^{4} \ln p_n\big)$, то есть штраф, умноженный на среднее геометрическое точностей.
#
# sacrebleu токенизирует текст сам (`tokenize='13a'`: в основном отделяет пунктуацию). В наших примерах нет пунктуации, и его токены совпадают с разбиением по пробелам. Сглаживание отключаем (`smooth_method='none'`) и подбираем примеры, где все четыре точности больше нуля.

# %% [markdown] lang="en"
# ## BLEU
#
# BLEU compares the n-grams ($n = 1..4$) of a candidate with those of one or more reference translations.
#
# 1. **Clipped precision** $p_n$: each n-gram of the candidate is credited at most as many times as it occurs in a *single* reference (the maximum over references). Without clipping, a candidate "the the the ..." would get a precision of 1.
# 2. **Brevity penalty**: $c$ is the candidate length, $r$ the length of the reference closest in length (the shorter one on a tie),
#
# $$
# \mathrm{BP} = \begin{cases} 1, & c \ge r, \\ e^{1 - r/c}, & c < r. \end{cases}
# $$
#
# 3. $\mathrm{BLEU} = \mathrm{BP} \cdot \exp\big(\tfrac14 \sum_{n=1}^{4} \ln p_n\big)$: the penalty times the geometric mean of the precisions.
#
# sacrebleu tokenises the text itself (`tokenize='13a'` mostly splits off punctuation). Our examples have no punctuation, so its tokens are just the whitespace split. We turn smoothing off (`smooth_method='none'`) and pick examples where all four precisions are positive.

# %%
def ngrams(tokens, n):
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def bleu_stats(hyp, refs, max_n=4):
    h, rs = hyp.split(), [r.split() for r in refs]
    correct, total = [], []
    for n in range(1, max_n + 1):
        max_ref = Counter()
        for r in rs:
            max_ref |= ngrams(r, n)  # element-wise max over references
        correct.append(sum(min(cnt, max_ref[g]) for g, cnt in ngrams(h, n).items()))
        total.append(max(len(h) - n + 1, 0))
    ref_len = min((abs(len(r) - len(h)), len(r)) for r in rs)[1]  # closest, shorter on a tie
    return correct, total, len(h), ref_len


def bleu(correct, total, c, r):
    bp = 1.0 if c >= r else math.exp(1 - r / c)
    if min(correct) == 0:  # geometric mean of the precisions is 0
        return 0.0, bp
    return 100 * bp * math.exp(sum(math.log(k / t) for k, t in zip(correct, total)) / len(total)), bp


hyp = "the cat is sitting on the mat"
refs = ["the cat is sitting on the soft mat", "a small cat sits on the soft mat"]

correct, total, c, r = bleu_stats(hyp, refs)
score, bp = bleu(correct, total, c, r)
print(f"clipped matches {correct} of {total}; c={c}, r={r}, BP={bp:.4f}, BLEU={score:.3f}")

sb = sacrebleu.sentence_bleu(hyp, refs, smooth_method="none", tokenize="13a")
assert sb.counts == correct and sb.totals == total and (sb.sys_len, sb.ref_len) == (c, r)
assert all(k > 0 for k in correct)
np.testing.assert_allclose([score, bp], [sb.score, sb.bp], rtol=0, atol=1e-9)
np.testing.assert_allclose(bp, math.exp(1 - 8 / 7), rtol=0, atol=1e-12)
print(f"sacrebleu: {sb}")
print("OK: clipped counts, BP = exp(1 - 8/7) and sentence BLEU match sacrebleu.sentence_bleu")

# %% [markdown] lang="ru"
# Обрезка в действии: в кандидате семь раз «the», а в одном эталоне это слово встречается максимум дважды, поэтому засчитываются только 2 из 7.

# %% [markdown] lang="en"
# Clipping at work: the candidate says "the" seven times, but no single reference has it more than twice, so only 2 of the 7 count.

# %%
degenerate = "the the the the the the the"
cnt, tot, _, _ = bleu_stats(degenerate, refs)
assert (cnt[0], tot[0]) == (2, 7) == (sacrebleu.sentence_bleu(degenerate, refs, smooth_method="none").counts[0], 7)
print(f"OK: unigram precision of '{degenerate}' is {cnt[0]}/{tot[0]}, not 7/7")

# %% [markdown] lang="ru"
# ## Корпусный BLEU — не среднее по предложениям
#
# `corpus_bleu` сначала складывает совпадения, количества n-грамм и длины по всем предложениям, а затем один раз применяет формулу. Поэтому результат отличается от среднего значения BLEU по предложениям. Второй кандидат, «the cat sat», короткий и не имеет ни одной общей 4-граммы с эталонами: сам по себе он получает BLEU 0, а в корпусе его совпадения просто добавляются к общим счётчикам. Эталоны передаются «потоками»: первый список — первые эталоны всех предложений, второй — вторые.

# %% [markdown] lang="en"
# ## Corpus BLEU is not the mean over sentences
#
# `corpus_bleu` first adds up matches, n-gram totals and lengths over all sentences and then applies the formula once, so the result differs from the average of sentence-level BLEU scores. The second candidate, "the cat sat", is short and shares no 4-gram with its references: on its own it scores 0, while in the corpus its matches simply join the pooled counts. References are passed as "streams": the first list holds the first reference of every sentence, the second list the second ones.

# %%
hyps = [hyp, "the cat sat"]
refs2 = ["the cat sat on the mat", "a cat was sitting on the mat"]
streams = [[refs[0], refs2[0]], [refs[1], refs2[1]]]

stats = [bleu_stats(h, rs) for h, rs in zip(hyps, [refs, refs2])]
corr = [sum(s[0][n] for s in stats) for n in range(4)]
tot = [sum(s[1][n] for s in stats) for n in range(4)]
c_sum, r_sum = sum(s[2] for s in stats), sum(s[3] for s in stats)
corpus_score, _ = bleu(corr, tot, c_sum, r_sum)

cb = sacrebleu.corpus_bleu(hyps, streams, smooth_method="none", tokenize="13a")
assert cb.counts == corr and cb.totals == tot and (cb.sys_len, cb.ref_len) == (c_sum, r_sum)
np.testing.assert_allclose(corpus_score, cb.score, rtol=0, atol=1e-9)
sentence_scores = [bleu(*s)[0] for s in stats]
assert sentence_scores[1] == 0 and corpus_score > sentence_scores[1]
print(f"sentence BLEU: {[round(x, 3) for x in sentence_scores]}, their mean = {np.mean(sentence_scores):.3f}")
print(f"corpus BLEU = {corpus_score:.3f}")
print("OK: pooled counts and corpus BLEU match sacrebleu.corpus_bleu")

# %% [markdown] lang="ru"
# Если хотя бы одна из четырёх точностей равна нулю, среднее геометрическое обнуляется, и BLEU без сглаживания равен 0. Для отдельных коротких предложений так бывает постоянно, поэтому у `sentence_bleu` сглаживание по умолчанию включено (`'exp'`).

# %% [markdown] lang="en"
# If any of the four precisions is zero, the geometric mean collapses and unsmoothed BLEU is 0. For single short sentences this happens all the time, which is why `sentence_bleu` smooths by default (`'exp'`).

# %%
short = "the cat sat on the mat"
z = sacrebleu.sentence_bleu(short, refs, smooth_method="none")
s = sacrebleu.sentence_bleu(short, refs)
assert z.counts[3] == 0 and z.score == 0 and s.score > 0
assert bleu(*bleu_stats(short, refs))[0] == 0
print(f"OK: no matching 4-gram -> BLEU {z.score:.1f} without smoothing, {s.score:.2f} with 'exp' smoothing")


# %% [markdown] lang="ru"
# ## ROUGE-1, ROUGE-2, ROUGE-L
#
# ROUGE-N — перекрытие n-грамм кандидата и эталона, каждая n-грамма засчитывается столько раз, сколько она встречается в *обоих* текстах (минимум из двух счётчиков):
#
# $$
# \text{overlap}_n = \sum_{g} \min\big(\operatorname{cnt}_{\text{cand}}(g), \operatorname{cnt}_{\text{ref}}(g)\big), \quad P = \frac{\text{overlap}_n}{\#\text{n-грамм кандидата}}, \quad R = \frac{\text{overlap}_n}{\#\text{n-грамм эталона}}.
# $$
#
# ROUGE-L вместо n-грамм берёт длину наибольшей общей подпоследовательности (LCS): слова должны идти в том же порядке, но не обязательно подряд. $P = \mathrm{LCS}/|\text{cand}|$, $R = \mathrm{LCS}/|\text{ref}|$, F1 — их среднее гармоническое. LCS считаем динамическим программированием за $O(mn)$.
#
# Токенизацию повторяем за rouge-score: нижний регистр, всё, кроме `a-z0-9`, превращается в пробелы.

# %% [markdown] lang="en"
# ## ROUGE-1, ROUGE-2, ROUGE-L
#
# ROUGE-N is the overlap of candidate and reference n-grams, each n-gram credited as many times as it occurs in *both* texts (the smaller of the two counts):
#
# $$
# \text{overlap}_n = \sum_{g} \min\big(\operatorname{cnt}_{\text{cand}}(g), \operatorname{cnt}_{\text{ref}}(g)\big), \quad P = \frac{\text{overlap}_n}{\#\text{candidate n-grams}}, \quad R = \frac{\text{overlap}_n}{\#\text{reference n-grams}}.
# $$
#
# ROUGE-L uses the length of the longest common subsequence (LCS) instead of n-grams: the words must appear in the same order but not necessarily next to each other. $P = \mathrm{LCS}/|\text{cand}|$, $R = \mathrm{LCS}/|\text{ref}|$, and F1 is their harmonic mean. The LCS is found by dynamic programming in $O(mn)$.
#
# We tokenise the way rouge-score does: lowercase, and everything outside `a-z0-9` becomes a space.

# %%
def rouge_tokens(text):
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def prf(overlap, n_cand, n_ref):
    p, r = overlap / n_cand, overlap / n_ref
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def rouge_n(cand, ref, n):
    c, r = ngrams(rouge_tokens(cand), n), ngrams(rouge_tokens(ref), n)
    return prf(sum((c & r).values()), sum(c.values()), sum(r.values()))  # & = element-wise min


def lcs_len(a, b):
    dp = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i, x in enumerate(a, 1):
        for j, y in enumerate(b, 1):
            dp[i][j] = dp[i - 1][j - 1] + 1 if x == y else max(dp[i - 1][j], dp[i][j - 1])
    return dp[-1][-1]


def rouge_l(cand, ref):
    a, b = rouge_tokens(cand), rouge_tokens(ref)
    return prf(lcs_len(a, b), len(a), len(b))


scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=False)


def check_rouge(cand, ref):
    ref_scores = scorer.score(ref, cand)  # note the order: score(target, prediction)
    ours = {"rouge1": rouge_n(cand, ref, 1), "rouge2": rouge_n(cand, ref, 2), "rougeL": rouge_l(cand, ref)}
    for key, vals in ours.items():
        s = ref_scores[key]
        np.testing.assert_allclose(vals, [s.precision, s.recall, s.fmeasure], rtol=0, atol=1e-12)
        print(f"  {key:>6}: P={vals[0]:.3f} R={vals[1]:.3f} F1={vals[2]:.3f}")
    return ours


cand = "I really really loved reading reading the Hunger Games"
ref = "I really loved reading the Hunger Games"
print(f"cand: {cand}\nref:  {ref}")
r1 = check_rouge(cand, ref)
assert math.isclose(r1["rouge1"][2], 0.875) and math.isclose(r1["rougeL"][2], 0.875)
assert r1["rouge1"][:2] == (7 / 9, 1.0)
print("OK: ROUGE-1 F1 = ROUGE-L F1 = 0.875 (P = 7/9, R = 1), all three match rouge_score")

# %% [markdown] lang="ru"
# Повторы «really» и «reading» снижают только precision: recall остаётся 1, потому что все слова эталона найдены. Второй пример показывает слабость ROUGE-1: перестановка слов меняет смысл на противоположный, а ROUGE-1 остаётся высоким. ROUGE-2 и ROUGE-L, чувствительные к порядку слов, заметно ниже.

# %% [markdown] lang="en"
# The repeated "really" and "reading" only hurt precision; recall stays at 1 because every reference word is found. The second example shows the weakness of ROUGE-1: reordering the words flips the meaning, yet ROUGE-1 stays high. ROUGE-2 and ROUGE-L, which care about word order, are much lower.

# %%
cand, ref = "Police killed the gunman", "the gunman killed the police"
print(f"cand: {cand}\nref:  {ref}")
r2 = check_rouge(cand, ref)
np.testing.assert_allclose(r2["rouge1"], (1.0, 0.8, 8 / 9), rtol=0, atol=1e-12)
np.testing.assert_allclose(r2["rouge2"], (2 / 3, 0.5, 4 / 7), rtol=0, atol=1e-12)
np.testing.assert_allclose(r2["rougeL"], (0.5, 0.4, 4 / 9), rtol=0, atol=1e-12)
print("OK: ROUGE-1 F1 = 0.889, ROUGE-2 F1 = 0.571, ROUGE-L F1 = 0.444, matching rouge_score")

# %% [markdown] lang="ru"
# **Ловушка для русского текста.** Стандартный токенизатор rouge-score оставляет только символы `a-z0-9`, поэтому кириллица исчезает целиком, и даже одинаковые русские строки получают ноль. Для русского нужен свой токенизатор (параметр `tokenizer` у `RougeScorer`).

# %% [markdown] lang="en"
# **A trap for non-Latin text.** rouge-score's default tokeniser keeps only `a-z0-9`, so Cyrillic text disappears completely and even two identical Russian strings score zero. For Russian you need your own tokenizer (the `tokenizer` argument of `RougeScorer`).

# %%
same = "кошка сидит на коврике"
assert scorer.score(same, same)["rouge1"].fmeasure == 0.0


class WhitespaceTokenizer:
    def tokenize(self, text):
        return text.lower().split()


custom = rouge_scorer.RougeScorer(["rouge1"], tokenizer=WhitespaceTokenizer())
assert custom.score(same, same)["rouge1"].fmeasure == 1.0
print("OK: identical Cyrillic strings get ROUGE-1 = 0 with the default tokenizer and 1 with a whitespace one")
