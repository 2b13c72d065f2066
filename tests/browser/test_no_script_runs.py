"""In a real browser, nothing a publisher wrote runs: no dialog, no script, no navigation away."""

import pytest

from tests.fakes import payloads
from tests.fakes.payloads import dataset, organization, resource

pytestmark = pytest.mark.django_db(transaction=True)

# Every payload tries to set window.pwned or open a dialog.
ATTACKS = (
    '<script>window.pwned = "script"</script>'
    "<img src=x onerror=\"window.pwned = 'onerror'; alert(1)\">"
    "<svg onload=\"window.pwned = 'svg'\"></svg>"
    "<iframe src=\"javascript:parent.pwned = 'iframe'\"></iframe>"
    '<a href="javascript:window.pwned = \'link\'" id="js-link">clic</a>'
    '[markdown](javascript:window.pwned="md") [data](data:text/html,<script>alert(2)</script>)'
    "<details open ontoggle=\"window.pwned = 'toggle'\">x</details>"
    "<style>body { display: none }</style>"
)
EVIL = organization("6f" * 12, '<img src=x onerror="window.pwned=\'org\'">Orga', slug="orga-piegee",
                    description=ATTACKS)  # fmt: skip


@pytest.fixture
def hostile(tmp_path):
    nasty = dataset(
        "9" * 24,
        'Musée <script>window.pwned = "title"</script> <img src=x onerror=alert(3)>',
        slug="jeu-piege",
        org=EVIL,
        tags=("musee", "<img src=x onerror=\"window.pwned='tag'\">"),
        description=ATTACKS,
        description_short="<b onmouseover=\"window.pwned='short'\">teaser</b>",
        resources=[
            resource("r-js", title="<img src=x onerror=\"window.pwned='res'\">", url="javascript:window.pwned='url'"),
            resource("r-ok", title="Fichier sain", fmt="csv"),
        ],
    )
    payloads.load(tmp_path, [nasty], [EVIL])


def visit(page, url: str) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(url)
    page.wait_for_load_state("load")
    return dialogs


@pytest.mark.parametrize(
    "path", ["/datasets/jeu-piege/", "/datasets/?q=mus%C3%A9e", "/", "/organisations/orga-piegee/"]
)
def test_no_publisher_script_runs(live_server, hostile, page, path):
    dialogs = visit(page, live_server.url + path)
    page.mouse.move(10, 10)
    page.hover("body")
    assert dialogs == []
    assert page.evaluate("window.pwned") is None
    assert page.evaluate("document.body.offsetHeight") > 0  # publisher CSS did not hide the page
    assert page.url == live_server.url + path


def test_javascript_links_are_not_links(live_server, hostile, page):
    visit(page, live_server.url + "/datasets/jeu-piege/")
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(link => link.getAttribute('href'))")
    assert hrefs and not [href for href in hrefs if href.strip().lower().startswith(("javascript:", "data:"))]
    if page.locator("text=clic").count():
        page.locator("text=clic").first.click()
    assert page.evaluate("window.pwned") is None
