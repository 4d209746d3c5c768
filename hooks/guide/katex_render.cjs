// Renders TeX with KaTeX for the build, one JSON request per line on stdin:
//   {"items": [{"tex": "x^2", "display": false}, ...]}
// and answers one JSON line per request on stdout:
//   {"results": [{"html": "<span class=\"katex\">…"} | {"error": "KaTeX parse error: …"}, ...]}
// One long-lived process serves a whole build (both languages).
// Output is MathML only: browsers lay it out natively with the site's own
// math font, and a formula costs ~0.3 KB of HTML instead of ~2 KB.
"use strict";
const katex = require("katex");
const readline = require("readline");

const rl = readline.createInterface({ input: process.stdin, terminal: false });
rl.on("line", line => {
  let results;
  try {
    const { items } = JSON.parse(line);
    results = items.map(({ tex, display }) => {
      try {
        return { html: katex.renderToString(tex, { displayMode: !!display, throwOnError: true, strict: "ignore", output: "mathml" }) };
      } catch (err) {
        return { error: String(err.message || err).split("\n")[0] };
      }
    });
  } catch (err) {
    results = [{ error: `bad request: ${err.message}` }];
  }
  process.stdout.write(JSON.stringify({ results }) + "\n");
});
