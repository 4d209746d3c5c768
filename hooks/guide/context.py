"""What every hook needs to know about the current build: language, catalog, strings.

mkdocs-static-i18n builds the site once per language and runs every hook
event once per build, so hooks ask here instead of remembering state.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from guide import catalog as _catalog
from guide import site
from guide.catalog import Languages


def languages(config) -> Languages:
    """The site's languages, from the i18n plugin of the running build."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        raise PluginError("the guide needs the i18n plugin (plugins: i18n: languages: …) in mkdocs.yml")
    return site.languages_from(dict(lang) for lang in i18n.config.languages)


def language(config) -> str:
    """The language of the build that is running now."""
    i18n = config.plugins.get("i18n")
    return getattr(i18n, "current_language", None) or languages(config).default


def default_language(config) -> str:
    return languages(config).default


def labels(lang: str) -> dict:
    """The UI strings of a language (hooks/strings/<lang>.yml)."""
    try:
        return site.strings(lang)
    except site.StringsError as exc:
        raise PluginError(f"content error: {exc}") from None


def project_root(config) -> Path:
    return Path(config.config_file_path).parent


def notebooks_dir(config) -> Path:
    return project_root(config) / "notebooks"


def notebook_names(config) -> set[str]:
    return {p.stem for p in notebooks_dir(config).glob("*.py")}


_current: dict[str, _catalog.Catalog] = {}


def refresh_catalog(config) -> _catalog.Catalog:
    """(Re)load the catalog if any page changed; called once at the start of each build."""
    try:
        missing = site.missing_keys(languages(config).codes)
        if missing:
            raise site.StringsError("; ".join(f"hooks/strings/{lang}.yml lacks {', '.join(keys)}"
                                              for lang, keys in missing.items()))
        cat = _catalog.cached_catalog(config.docs_dir, languages(config), notebook_names(config))
    except (_catalog.CatalogError, site.StringsError) as exc:
        _current.pop(config.docs_dir, None)
        raise PluginError(f"content error: {exc}") from None
    _current[config.docs_dir] = cat
    return cat


def catalog(config) -> _catalog.Catalog:
    """The validated catalog of the build that is running."""
    cat = _current.get(config.docs_dir)
    return cat if cat is not None else refresh_catalog(config)


def repo_url(config, path: str, action: str = "blob") -> str:
    """GitHub URL of a repository path (action: blob, edit, new)."""
    return f"{(config.repo_url or '').rstrip('/')}/{action}/main/{path}"


def site_complete(config) -> bool:
    """True in the last ``on_post_build`` of a build (priority below -100): every language is written.

    mkdocs-static-i18n builds the other languages from inside the default
    language's ``on_post_build`` (at priority -100) and clears ``building``
    once they are done; handlers that need the whole site check this.
    """
    i18n = config.plugins.get("i18n")
    return i18n is None or not getattr(i18n, "building", False)


def language_dir(config) -> Path:
    """Where the current language's pages are written (site/ or site/<lang>/).

    i18n keeps ``site_dir`` at the site root and prefixes the destination
    of every file of a non-default language instead.
    """
    return Path(config.site_dir) / languages(config).prefix(language(config))
