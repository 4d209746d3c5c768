/*
 * Search worker wrapper: word forms in the page's language (and English terms).
 *
 * Material's lunr index keeps words as written, so "матрицу" would not find
 * "матрица", and lunr's own stemmer cannot help: Material appends "*" to
 * every query term, and lunr skips its pipeline for wildcard terms.  This
 * wrapper runs in front of Material's worker (same folder, so its relative
 * imports keep working) and rewrites QUERY messages on their way in: each
 * plain word is reduced to its stem by the page language's Snowball stemmer
 * (lunr-languages, shipped with Material and loaded for every language of the
 * site); a word that stemmer leaves alone, such as an English term on a
 * Russian page, goes through lunr's Porter stemmer.  Material then appends
 * "*", so the stem matches every indexed form by prefix:
 * "матрицу" → "матриц*" finds "матрица", "токенизатора" → "токенизатор*".
 *
 * Each language has its own index (hooks/search_split.py), so results stay
 * in the reader's language.  URL parameters: lang (the page's language),
 * worker (Material's worker file).
 */
const params = new URL(self.location.href).searchParams
const QUERY = 2

function commonPrefix(a, b) {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return a.slice(0, i)
}

function stem(stemmer, word) {
  return String(stemmer(new self.lunr.Token(word, {})))
}

function stemWord(word) {
  const lunr = self.lunr
  const lower = word.toLowerCase()
  const own = lunr[params.get("lang")]
  let stemmed = own && own.stemmer ? stem(own.stemmer, lower) : lower
  if (stemmed === lower && /^[a-z]+$/.test(lower)) stemmed = stem(lunr.stemmer, lower)
  const prefix = commonPrefix(stemmed, lower)
  return prefix.length >= 3 ? prefix : lower
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
