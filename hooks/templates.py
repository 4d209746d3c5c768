"""What the theme's templates can use besides MkDocs' context: the guide's strings.

- ``guide_strings(lang)``: ``hooks/strings/<lang>.yml``;
- ``guide_ui(lang, everything)``: the browser features' strings (its ``ui`` part) as JSON for
  a ``<script type="application/json">``; every page gets the few that guide.js needs, the
  practice and progress pages all of them.
"""

from __future__ import annotations

import json

from guide import context

PAGE_KEYS = ("status_new", "status_learning", "status_due", "status_learned", "status_flagged", "shown", "due_today")


def ui_json(lang: str, everything: bool = False) -> str:
    ui = context.labels(lang)["ui"]
    chosen = ui if everything else {key: ui[key] for key in PAGE_KEYS}
    return json.dumps(chosen, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def on_env(env, config, files):
    env.globals["guide_strings"] = context.labels
    env.globals["guide_ui"] = ui_json
    return env
