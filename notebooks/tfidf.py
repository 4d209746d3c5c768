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
# # TF-IDF с нуля и сверка со scikit-learn
#
# Считаем TF-IDF руками на корпусе из четырёх предложений и добиваемся совпадения с `TfidfVectorizer` до $10^{-12}$. Потом меняем нормировку, смотрим, как ломается вариант idf с «+1 в знаменателе», рисуем тепловую карту весов и проверяем, что косинусная близость после L2-нормировки — это просто $XX^\top$.

# %% [markdown] lang="en"
# # TF-IDF from scratch, checked against scikit-learn
#
# We compute TF-IDF by hand on a four-sentence corpus and make it agree with `TfidfVectorizer` to within $10^{-12}$. Then we switch the normalisation, see what goes wrong with the "+1 in the denominator" idf, draw a heat map of the weights and check that cosine similarity after L2 normalisation is just $XX^\top$.

# %%
import re

import matplotlib.pyplot as plt
import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_similarity

np.set_printoptions(precision=3, suppress=True)

docs = [
    "the cat sat on the mat",
    "the dog sat on the log",
    "the cat chased the dog",
    "the dog slept",
]
TOKEN_PATTERN = r"(?u)\b\w\w+\b"  # scikit-learn's default: 2+ word characters


# %% [markdown] lang="ru"
# ## Шаг 1. Токены, словарь, матрица счётчиков
#
# Токенизируем так же, как scikit-learn: приводим к нижнему регистру и берём последовательности из двух и более «словесных» символов. Словарь сортируем по алфавиту — в том же порядке столбцы идут в `TfidfVectorizer`. В ячейке $C_{ij}$ лежит сырое число вхождений слова $j$ в документ $i$: это и есть tf без всяких делений.

# %% [markdown] lang="en"
# ## Step 1. Tokens, vocabulary, count matrix
#
# We tokenise the way scikit-learn does: lowercase, then take runs of two or more word characters. The vocabulary is sorted alphabetically, which is also the column order in `TfidfVectorizer`. Cell $C_{ij}$ holds the raw number of times word $j$ occurs in document $i$; that is the tf, with no division.

# %%
def tokenize(text):
    return re.findall(TOKEN_PATTERN, text.lower())


tokens = [tokenize(d) for d in docs]
vocab = sorted({t for doc in tokens for t in doc})
col = {t: j for j, t in enumerate(vocab)}

C = np.zeros((len(docs), len(vocab)))
for i, doc in enumerate(tokens):
    for t in doc:
        C[i, col[t]] += 1

print(vocab)
print(C.astype(int))

# %% [markdown] lang="ru"
# ## Шаг 2. df, сглаженный idf и L2-нормировка
#
# $\operatorname{df}(t)$ — число *документов*, где слово встретилось хотя бы раз. Сглаженный idf в scikit-learn устроен так, будто в корпус добавили ещё один документ, содержащий каждое слово по разу:
#
# $$
# \operatorname{idf}(t) = \ln\frac{1+N}{1+\operatorname{df}(t)} + 1 .
# $$
#
# Последняя единица нужна, чтобы слово, которое есть во всех документах, не получило нулевой вес. Затем $X = C \cdot \operatorname{diag}(\operatorname{idf})$, и каждую строку делим на её евклидову длину.

# %% [markdown] lang="en"
# ## Step 2. df, smoothed idf and L2 normalisation
#
# $\operatorname{df}(t)$ is the number of *documents* that contain the word at least once. scikit-learn's smoothed idf behaves as if one extra document containing every word once had been added to the corpus:
#
# $$
# \operatorname{idf}(t) = \ln\frac{1+N}{1+\operatorname{df}(t)} + 1 .
# $$
#
# The trailing $+1$ keeps a word that occurs in every document from getting zero weight. Then $X = C \cdot \operatorname{diag}(\operatorname{idf})$, and each row is divided by its Euclidean length.

# %%
N = len(docs)
df = (C > 0).sum(axis=0)
idf = np.log((1 + N) / (1 + df)) + 1

W = C * idf  # raw tf * idf, not normalised yet
X = W / np.linalg.norm(W, axis=1, keepdims=True)

for t, d, v in zip(vocab, df, idf):
    print(f"{t:>7}  df={d}  idf={v:.3f}")


# %% [markdown] lang="ru"
# ## Сверка с `TfidfVectorizer`
#
# Все параметры, от которых зависит результат, выставляем явно, хотя они и так совпадают со значениями по умолчанию. Сравниваем словарь, idf и всю матрицу.

# %% [markdown] lang="en"
# ## Check against `TfidfVectorizer`
#
# We set every option that affects the result explicitly, even though they are the defaults anyway, and compare the vocabulary, the idf vector and the whole matrix.

# %%
def sk_vectorizer(norm):
    return TfidfVectorizer(lowercase=True, token_pattern=TOKEN_PATTERN, norm=norm,
                           use_idf=True, smooth_idf=True, sublinear_tf=False)


vec = sk_vectorizer("l2")
X_sk = vec.fit_transform(docs).toarray()

assert list(vec.get_feature_names_out()) == vocab
np.testing.assert_allclose(vec.idf_, idf, rtol=0, atol=1e-12)
np.testing.assert_allclose(X, X_sk, rtol=0, atol=1e-12)
print("OK: vocabulary, idf and L2-normalised matrix match scikit-learn to 1e-12")

# %% [markdown] lang="ru"
# Посмотрим на первый документ, «the cat sat on the mat». Слово «the» получает в нём *самый большой* вес: сглаженный idf не опускается ниже 1, а встречается «the» дважды. Стоп-слова такой idf сам по себе не убирает.

# %% [markdown] lang="en"
# Look at the first document, "the cat sat on the mat". The word "the" gets the *largest* weight in it: the smoothed idf never drops below 1, and "the" occurs twice. This idf alone does not get rid of stop words.

# %%
row = dict(zip(vocab, X[0]))
print({t: round(float(v), 3) for t, v in row.items() if v > 0})
assert round(row["the"], 3) == 0.525 and round(row["mat"], 3) == 0.503
assert round(row["cat"], 3) == round(row["sat"], 3) == round(row["on"], 3) == 0.396
assert max(row, key=row.get) == "the"
print("OK: the = 0.525, mat = 0.503, cat = sat = on = 0.396")

# %% [markdown] lang="ru"
# ## Другие нормировки: `norm=None` и `norm='l1'`
#
# Без нормировки длинный документ получает большие веса просто потому, что в нём больше слов. L1-нормировка делит строку на сумму модулей, так что веса в строке складываются в 1. Для косинусной близости нужна именно L2.

# %% [markdown] lang="en"
# ## Other normalisations: `norm=None` and `norm='l1'`
#
# Without normalisation a long document gets large weights simply because it has more words. L1 normalisation divides a row by the sum of absolute values, so each row sums to 1. Cosine similarity needs L2.

# %%
X_none = W
X_l1 = W / np.abs(W).sum(axis=1, keepdims=True)

np.testing.assert_allclose(X_none, sk_vectorizer(None).fit_transform(docs).toarray(), rtol=0, atol=1e-12)
np.testing.assert_allclose(X_l1, sk_vectorizer("l1").fit_transform(docs).toarray(), rtol=0, atol=1e-12)
np.testing.assert_allclose(X_l1.sum(axis=1), 1.0, rtol=0, atol=1e-12)
np.testing.assert_allclose(np.linalg.norm(X, axis=1), 1.0, rtol=0, atol=1e-12)
print("tokens per doc:", [len(t) for t in tokens], " L2 norm of raw rows:", np.linalg.norm(X_none, axis=1))
print("OK: norm=None and norm='l1' match scikit-learn; L1 rows sum to 1, L2 rows have length 1")

# %% [markdown] lang="ru"
# ## Ловушка: «+1 в знаменателе»
#
# Часто пишут $\ln\frac{N}{\operatorname{df}+1}$, чтобы не делить на ноль. Это не сглаживание классической формулы, а другая функция: при $\operatorname{df} = N-1$ она даёт ноль, а для слова, которое есть во всех документах, — отрицательное число $\ln\frac{N}{N+1}$. Сравним варианты idf для нескольких слов.

# %% [markdown] lang="en"
# ## Pitfall: "+1 in the denominator"
#
# A common way to avoid division by zero is $\ln\frac{N}{\operatorname{df}+1}$. It is not a smoothed version of the classic formula but a different function: it is zero at $\operatorname{df} = N-1$ and negative, $\ln\frac{N}{N+1}$, for a word that occurs in every document. Let us compare the idf variants for a few words.

# %%
idf_classic = np.log(N / df)
idf_plus1_den = np.log(N / (df + 1))

print(f"{'word':>7} df  ln(N/df)  ln(N/(df+1))  sklearn")
for t in ["mat", "cat", "dog", "the"]:
    j = col[t]
    print(f"{t:>7} {df[j]:>2}  {idf_classic[j]:8.3f}  {idf_plus1_den[j]:12.3f}  {idf[j]:7.3f}")

j_the, j_dog = col["the"], col["dog"]
assert df[j_the] == N and idf_plus1_den[j_the] < 0
np.testing.assert_allclose(idf_plus1_den[j_the], np.log(4 / 5), rtol=0, atol=1e-12)
assert df[j_dog] == N - 1 and abs(idf_plus1_den[j_dog]) < 1e-12
assert idf_classic[j_the] == 0 and idf[j_the] == 1
print("OK: ln(N/(df+1)) is 0 for 'dog' (df=3) and negative for 'the' (df=4); smoothed idf of 'the' is 1")

# %% [markdown] lang="ru"
# ## Тепловая карта весов
#
# Редкие слова («chased», «slept», «log») заметно выделяются в своих документах. Но и столбец «the» яркий во всех строках: idf у этого слова равен 1, а в трёх документах из четырёх оно встречается дважды. Это и есть проблема стоп-слов при сглаженном idf.

# %% [markdown] lang="en"
# ## Heat map of the weights
#
# Rare words ("chased", "slept", "log") stand out in their own documents. Yet "the" is bright in every row too: its idf is 1 and it occurs twice in three of the four documents. That is the stop-word problem of the smoothed idf in one picture.

# %%
fig, ax = plt.subplots(figsize=(6, 3.5), dpi=80)
im = ax.imshow(X, cmap="Blues", vmin=0, vmax=0.8, aspect="auto")
for i in range(X.shape[0]):
    for j in range(X.shape[1]):
        if X[i, j] > 0:
            ax.text(j, i, f"{X[i, j]:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if X[i, j] > 0.55 else "black")
ax.set_xticks(range(len(vocab)), vocab, rotation=45, ha="right", fontsize=8)
ax.set_yticks(range(N), [f"d{i + 1}" for i in range(N)], fontsize=8)
ax.set_title("TF-IDF (smooth idf, L2)", fontsize=10)
fig.colorbar(im, ax=ax, fraction=0.04, pad=0.02)
fig.tight_layout()
plt.show()

# %% [markdown] lang="ru"
# ## Косинусная близость — это $XX^\top$
#
# $$
# \cos(x, y) = \frac{x^\top y}{\lVert x\rVert\,\lVert y\rVert}.
# $$
#
# Если строки уже имеют единичную длину, знаменатель равен 1, и вся матрица попарных косинусов — одно матричное умножение $XX^\top$. Косинус не зависит от масштаба векторов, поэтому на ненормированной матрице `cosine_similarity` даёт тот же ответ.

# %% [markdown] lang="en"
# ## Cosine similarity is $XX^\top$
#
# $$
# \cos(x, y) = \frac{x^\top y}{\lVert x\rVert\,\lVert y\rVert}.
# $$
#
# When the rows already have unit length, the denominator is 1 and the whole matrix of pairwise cosines is a single product $XX^\top$. Cosine does not depend on the scale of the vectors, so `cosine_similarity` on the unnormalised matrix gives the same answer.

# %%
S = X @ X.T
print(S)
np.testing.assert_allclose(S, cosine_similarity(X_sk), rtol=0, atol=1e-12)
np.testing.assert_allclose(S, cosine_similarity(X_none), rtol=0, atol=1e-12)
np.testing.assert_allclose(np.diag(S), 1.0, rtol=0, atol=1e-12)
print("OK: X @ X.T equals cosine_similarity on L2-normalised and on raw tf-idf rows")

# %% [markdown] lang="ru"
# Самая похожая пара — документы 1 и 2: у них общие «the», «sat» и «on». Меньше всего похожи 1 и 4: общее у них только «the».

# %% [markdown] lang="en"
# The closest pair is documents 1 and 2, which share "the", "sat" and "on". Documents 1 and 4 are the least similar: they share only "the".

# %%
off = S - np.eye(N)
i, j = np.unravel_index(off.argmax(), off.shape)
assert {i, j} == {0, 1}
assert S[0, 3] == min(S[a, b] for a in range(N) for b in range(N) if a != b)
print(f"OK: most similar pair d{i + 1}-d{j + 1} ({S[i, j]:.3f}); least similar d1-d4 ({S[0, 3]:.3f})")
