from catalog.markdown import plain_text, render_markdown


def test_markdown_is_rendered():
    html = render_markdown("Les **musées** de France\n\n- un\n- deux\n\n[site](https://www.culture.gouv.fr)")
    assert "<strong>musées</strong>" in html
    assert "<li>un</li>" in html
    assert 'href="https://www.culture.gouv.fr"' in html
    assert 'rel="noopener noreferrer nofollow"' in html


def test_raw_html_and_scripts_never_survive():
    html = render_markdown(
        '<script>alert(1)</script><img src=x onerror="alert(2)"><iframe src="https://evil"></iframe>'
    )
    assert "<script" not in html
    assert "<img" not in html
    assert "<iframe" not in html
    assert "&lt;script&gt;" in html  # shown as text, harmless


def test_dangerous_link_schemes_are_dropped():
    html = render_markdown("[a](javascript:alert(1)) [b](data:text/html;base64,PHNjcmlwdD4=) [c](vbscript:x)")
    assert "javascript:" not in html.replace("[a](javascript:", "")
    assert 'href="javascript' not in html
    assert 'href="data:' not in html
    assert 'href="vbscript' not in html


def test_headings_start_below_the_page_sections_and_skip_no_level():
    html = render_markdown("## Contenu\n\ntexte\n\n#### Détail\n\ntexte")
    assert "<h3>Contenu</h3>" in html
    assert "<h4>Détail</h4>" in html


def test_headings_never_compete_with_the_page_title():
    html = render_markdown("# Titre\n\n## Sous-titre")
    assert "<h1" not in html and "<h2" not in html
    assert "<h3>Titre</h3>" in html
    assert "<h4>Sous-titre</h4>" in html


def test_images_become_links():
    html = render_markdown("![plan du musée](https://example.org/plan.png)")
    assert "<img" not in html
    assert '<a href="https://example.org/plan.png"' in html
    assert "plan du musée" in html


def test_images_with_a_title_or_no_text_become_links_too():
    html = render_markdown('![](https://example.org/a.png) ![vue "nord"](https://example.org/b.png "Vue")')
    assert "<img" not in html
    assert '<a href="https://example.org/a.png" rel="noopener noreferrer nofollow">Image : image</a>' in html
    assert '<a href="https://example.org/b.png" rel="noopener noreferrer nofollow">Image : vue "nord"</a>' in html


def test_heading_tags_typed_in_the_text_stay_text():
    html = render_markdown("Un titre : <h1>x</h1>\n\n```\n<h2>code</h2>\n```\n\n# Vrai titre")
    assert "&lt;h1&gt;x&lt;/h1&gt;" in html and "&lt;h2&gt;code&lt;/h2&gt;" in html
    assert "<h3>Vrai titre</h3>" in html and "<h1" not in html and "<h2" not in html


def test_tables_are_kept():
    html = render_markdown("| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<table>" in html and "<td>2</td>" in html


def test_plain_text_teaser():
    assert plain_text("Les **musées**, *vraiment*.") == "Les musées, vraiment."
    long = plain_text("mot " * 200, limit=50)
    assert len(long) <= 50 and long.endswith("…")
    assert plain_text("") == ""
