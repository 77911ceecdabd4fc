"""'Need help now' still opens without a network once it has been visited."""

from playwright.sync_api import expect


def test_the_crisis_page_opens_offline_after_one_visit(page, live_server):
    page.goto("/help")
    expect(page.get_by_role("link", name="Call 112")).to_be_visible()
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # now under the service worker's control, the page is cached
    page.evaluate("() => caches.match('/help').then(r => !!r)")
    for _ in range(50):
        if page.evaluate("() => caches.match('/help').then(r => !!r)"):
            break
        page.wait_for_timeout(100)
    page.context.set_offline(True)
    try:
        page.goto("/help")
        expect(page.get_by_role("link", name="Call 112")).to_have_attribute("href", "tel:112")
        expect(page.get_by_role("heading", name="Need help now")).to_be_visible()
    finally:
        page.context.set_offline(False)
