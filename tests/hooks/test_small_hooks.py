"""Unit tests of the small hook helpers: links, badges, hreflang, git history, KaTeX."""

from __future__ import annotations

import pytest

import hreflang
import nav
import pages
from guide import git_history
from guide import math as katex


def test_relative_links_between_pages():
    assert pages.link("a/b/q.ru.md", "a/c/r.md") == "../c/r.md"
    assert pages.link("index.ru.md", "a/index.md") == "a/index.md"


def test_badge_text():
    assert nav.badge(3, 8) == "(3/8)"


def test_hreflang_becomes_absolute():
    html = ('<link rel="canonical" href="https://x.org/g/en/a/b/">'
            '<link rel="alternate" href="../../../a/b/" hreflang="ru">'
            '<link rel="alternate" href="./" hreflang="en">')
    out = hreflang.absolutize(html)
    assert 'href="https://x.org/g/a/b/" hreflang="ru"' in out
    assert 'href="https://x.org/g/en/a/b/" hreflang="en"' in out


def test_git_log_parsing_and_outdated_rule():
    log = ("\x001700000300 Fix typo [skip-translation]\n\ndocs/a.en.md\n"
           "\x001700000200 Rewrite English answer\n\ndocs/a.en.md\n"
           "\x001700000100 Add question\n\ndocs/a.ru.md\ndocs/a.en.md\n")
    changes = git_history.parse_log(log)
    assert changes == {"docs/a.en.md": 1, "docs/a.ru.md": 2}
    assert git_history.outdated(changes, "docs/a.ru.md", "docs/a.en.md")
    assert not git_history.outdated(changes, "docs/a.en.md", "docs/a.ru.md")
    assert not git_history.outdated(changes, "docs/new.ru.md", "docs/a.en.md")


def test_katex_renders_inline_and_display_math():
    html = '<p><span class="arithmatex">\\(x^2 &lt; y\\)</span></p><div class="arithmatex">\\[\\frac{a}{b}\\]</div>'
    out = katex.render_math(html, "docs/x.md")
    assert 'class="katex"' in out and 'class="katex-block"' in out and 'display="block"' in out
    assert "arithmatex" not in out
    assert "<annotation" not in out and "<semantics>" not in out     # slimmed: presentation MathML only
    assert "<mi>x</mi>" in out


def test_invalid_latex_names_page_and_formula():
    with pytest.raises(katex.LatexError) as err:
        katex.render_math('<span class="arithmatex">\\(\\frac{a\\)</span>', "docs/p/s/q.en.md")
    message = str(err.value)
    assert message.startswith("content error: docs/p/s/q.en.md: invalid LaTeX in formula `\\frac{a`")
    assert "\n" not in message
    errors = []
    out = katex.render_math('<span class="arithmatex">\\(\\frac{a\\)</span>', "docs/q.md", errors)
    assert len(errors) == 1 and 'class="katex-error"' in out


def test_search_index_split_by_language():
    import search_split
    index = {"config": {"lang": ["ru", "en"]}, "docs": [
        {"location": "", "title": "Главная"}, {"location": "a/b/", "title": "Вопрос"},
        {"location": "en/", "title": "Home"}, {"location": "en/a/b/#x", "title": "Question"}]}
    parts = search_split.split(index, ["ru", "en"], "ru")
    assert [d["title"] for d in parts["ru"]["docs"]] == ["Главная", "Вопрос"]
    assert [d["title"] for d in parts["en"]["docs"]] == ["Home", "Question"]
    assert parts["en"]["config"] == index["config"]


def test_compact_html_keeps_preformatted_text_and_scripts():
    import compact_html
    html = "<div>\n    <p>a\n\n   b</p>\n  <pre><code>x\n    y</code></pre>\n<script>var a = 1\n  var b = 2</script>  \n </div>"
    out = compact_html.compact(html)
    assert out == "<div>\n<p>a\nb</p>\n<pre><code>x\n    y</code></pre>\n<script>var a = 1\n  var b = 2</script>\n</div>"


def test_formulas_in_the_table_of_contents_are_marked_for_rendering():
    import katex as katex_hook
    toc = '<a href="#x"><span class="md-ellipsis">\nWhat grows with \\(V\\) and \\(d\\)\n</span></a>'
    out = katex_hook.toc_math(toc)
    assert out.count('<span class="arithmatex">') == 2 and '\\(V\\)</span>' in out
    assert katex_hook.toc_math('<span class="md-ellipsis">Plain</span>') == '<span class="md-ellipsis">Plain</span>'
    marked = '<span class="md-ellipsis">Cost <span class="arithmatex">\\(n^2\\)</span></span>'
    assert katex_hook.toc_math(marked) == marked
