"""First aid for an overdose still opens without a network once it has been visited."""

from playwright.sync_api import expect


def test_the_first_aid_page_opens_offline_after_one_visit(page, live_server):
    page.goto("/help")
    page.get_by_role("link", name="First aid for an overdose").click()
    expect(page.get_by_role("heading", name="First aid for an overdose", level=1)).to_be_visible()
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker's control, the page is kept
    for _ in range(50):
        if page.evaluate("() => caches.match('/help/first-aid').then(r => !!r)"):
            break
        page.wait_for_timeout(100)
    page.context.set_offline(True)
    try:
        page.goto("/help/first-aid")
        expect(page.get_by_role("heading", name="First aid for an overdose", level=1)).to_be_visible()
        expect(page.get_by_role("heading", name="The recovery position")).to_be_visible()
        expect(page.get_by_role("img", name="A person lying on their side", exact=False)).to_be_visible()
    finally:
        page.context.set_offline(False)
