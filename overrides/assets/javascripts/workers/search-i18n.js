/*
 * Search worker for a bilingual site.
 *
 * Material's search worker indexes every page of both languages and matches
 * Russian words only in the exact form typed.  This wrapper runs in front of
 * it (same folder, so Material's relative imports keep working) and changes
 * two messages on their way in:
 *
 *  - SETUP: keep only the pages of the reader's language, so results stay in
 *    that language.  The index itself keeps words unstemmed.
 *  - QUERY: reduce each plain query word to its stem (Snowball Russian for
 *    Cyrillic words, Porter for Latin ones, both shipped with Material's
 *    lunr-languages).  Material then appends "*", so the stem matches every
 *    indexed word form by prefix: "матрицу" → "матриц*" finds "матрица",
 *    "токенизатора" → "токенизатор*" finds "токенизатор".
 *
 * URL parameters: lang (reader's language), default (the language served at
 * the site root) and worker (Material's worker file name).
 */
const params = new URL(self.location.href).searchParams
const LANG = params.get("lang")
const DEFAULT = params.get("default")
const SETUP = 0
const QUERY = 2

function ownPage(location, languages) {
  const first = location.split("/")[0]
  const other = languages.includes(first) && first !== DEFAULT
  return LANG === DEFAULT ? !other : first === LANG
}

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
  if (message.type === SETUP) {
    const { config, docs } = message.data
    message.data.docs = docs.filter(doc => ownPage(doc.location, config.lang))
  } else if (message.type === QUERY && typeof message.data === "string") {
    message.data = stemQuery(message.data)
  }
})

importScripts(params.get("worker"))
