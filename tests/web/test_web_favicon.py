"""Every page we render links an icon, and /favicon.ico answers: no 404 in the console.

The admin's pages (Django's templates) link none, so browsers ask /favicon.ico there.
"""

import pytest

pytestmark = pytest.mark.django_db

ICON_LINK = '<link rel="icon" href="/static/web/favicon.svg" type="image/svg+xml">'


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/web/favicon.svg"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/svg+xml"


@pytest.mark.parametrize("path", ["/", "/graphql"])
def test_every_page_links_the_icon(client, settings, path):
    settings.GRAPHIQL_ENABLED = True
    response = client.get(path, HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert ICON_LINK in response.content.decode()
