"""Generated markup comes from Jinja templates in ``overrides/guide/``.

The hooks decide *what* to show; the templates decide *how* it looks, as
Material's own partials do.  Templates ending in ``.md`` produce Markdown
(inserted into a page before it is converted), ``.html`` ones produce HTML.
Both are found through the theme's Jinja environment, so ``custom_dir``
overrides apply and MkDocs does not copy them into the site.
"""

from __future__ import annotations

from typing import Any

_envs: dict[int, Any] = {}


def render(config, template: str, **context) -> str:
    """Render ``overrides/guide/<template>`` with the theme's Jinja environment."""
    env = _envs.get(id(config.theme))
    if env is None:
        env = _envs[id(config.theme)] = config.theme.get_env()
    return env.get_template(f"guide/{template}").render(**context)
