"""Write each language's data for the browser features: its catalog and its short answers.

- ``questions.json`` (``/questions.json``, ``/en/questions.json``, …): the public catalog — parts,
  sections and every question with its URL, level, tags and whether it is answered. Section lists,
  the home page and the progress page read it, so it stays small.
- ``short-answers.json``: ``{id: HTML}`` of every answered question's "In short" (guide/deck.py),
  read by the practice page only, and stored by the service worker so practice works offline.
"""

from __future__ import annotations

import json

from guide import context, deck


def dump(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def on_post_build(config):
    lang = context.language(config)
    cat = context.catalog(config)
    folder = context.language_dir(config)
    (folder / "questions.json").write_text(dump(cat.to_json(lang)), encoding="utf-8")
    answers = {q.id: deck.recall(lang, q.id).html for q in cat.questions_in()
               if q.answered(lang) and deck.recall(lang, q.id) is not None}
    (folder / "short-answers.json").write_text(dump(answers), encoding="utf-8")
