"""Write the public question catalog: /questions.json (ru) and /en/questions.json."""

from __future__ import annotations

import json
from pathlib import Path

from guide import context


def on_post_build(config):
    lang = context.language(config)
    data = context.catalog(config).to_json(lang)
    target = context.language_dir(config) / "questions.json"
    target.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
