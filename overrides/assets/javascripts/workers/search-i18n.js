/*
 * Search worker wrapper: Russian (and English) word forms.
 *
 * Material's lunr index keeps words as written, so "матрицу" would not find
 * "матрица", and lunr's own stemmer cannot help: Material appends "*" to
 * every query term, and lunr skips its pipeline for wildcard terms.  This
 * wrapper runs in front of Material's worker (same folder, so its relative
 * imports keep working) and rewrites QUERY messages on their way in: each
 * plain word is reduced to its stem (Snowball Russian for Cyrillic, Porter
 * for Latin, both shipped with Material's lunr-languages); Material then
 * appends "*", so the stem matches every indexed form by prefix:
 * "матрицу" → "матриц*" finds "матрица", "токенизатора" → "токенизатор*".
 *
 * Each language has its own index (hooks/search_split.py), so results stay
 * in the reader's language.  URL parameter: worker (Material's worker file).
 */
const params = new URL(self.location.href).searchParams
const QUERY = 2

function commonPrefix(a, b) {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return a.slice(0, i)
}

function stemWord(word) {
  const lunr = self.lunr
  const lower = word.toLowerCase()
  let stemmer = null
  if (/^[а-яё]+$/.test(lower) && lunr.ru) stemmer = lunr.ru.stemmer
  else if (/^[a-z]+$/.test(lower)) stemmer = lunr.stemmer
  if (!stemmer) return word
  const stem = commonPrefix(String(stemmer(new lunr.Token(lower, {}))), lower)
  return stem.length >= 3 ? stem : lower
}

function stemQuery(query) {
  return query.split(/(\s+)/).map(part => /^[\p{L}]+$/u.test(part) ? stemWord(part) : part).join("")
}

addEventListener("message", ev => {
  const message = ev.data
  if (message.type === QUERY && typeof message.data === "string")
    message.data = stemQuery(message.data)
})

importScripts(params.get("worker"))
