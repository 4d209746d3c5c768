"""Write the public question catalog of each language: /questions.json, /en/questions.json, …

The practice page, the reader's progress and the section lists read it; answered
questions carry their short answer (guide/deck.py) so that practice works offline.
"""

from __future__ import annotations

import json

from guide import context, deck


def on_post_build(config):
    lang = context.language(config)

    def short(q):
        answer = deck.recall(lang, q.id)
        return answer.html if answer else None

    data = context.catalog(config).to_json(lang, short)
    target = context.language_dir(config) / "questions.json"
    target.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
