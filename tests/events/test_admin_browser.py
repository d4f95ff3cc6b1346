"""The admin end to end, in a real headless Chromium: a curator edits an event and reads its history."""

import io
import sys

from django.core.management import call_command

from tests import factories

PASSWORD = "correct-horse-battery-staple-42"


def test_a_curator_edits_an_event_and_reads_its_history(live_server, browser, monkeypatch, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    monkeypatch.setattr(sys, "stdin", io.StringIO(PASSWORD + "\n"))
    call_command("add_curator", "alice", stdout=io.StringIO())
    event = factories.documented_event(summary="Russian jets struck near Raqqa.")

    browser.get(f"{live_server.url}/admin/login/?next=/admin/")
    browser.find_element(By.ID, "id_username").send_keys("alice")
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "input[type=submit]").click()
    # A click returns before the next page has loaded: wait for it.
    WebDriverWait(browser, 15).until(lambda page: "Site administration" in page.title)

    browser.get(f"{live_server.url}/admin/events/event/{event.pk}/change/")
    summary = browser.find_element(By.ID, "id_summary")
    summary.clear()
    summary.send_keys("Russian jets struck a command post west of Raqqa.")
    browser.find_element(By.NAME, "_save").click()
    WebDriverWait(browser, 15).until(lambda page: page.find_elements(By.CSS_SELECTOR, "ul.messagelist"))
    assert "was changed successfully" in browser.find_element(By.CSS_SELECTOR, "ul.messagelist").text

    browser.get(f"{live_server.url}/admin/events/event/{event.pk}/history/")
    versions = browser.find_elements(By.CSS_SELECTOR, "#change-history tr.version")
    assert [row.find_element(By.TAG_NAME, "th").text for row in versions] == ["2", "1"]
    newest = versions[0].text
    assert "alice" in newest
    assert (
        "summary: Russian jets struck near Raqqa. → Russian jets struck a command post west of Raqqa."
        in versions[0].find_element(By.CSS_SELECTOR, "li.change").text
    )
    screenshot = tmp_path / "history.png"
    assert browser.save_screenshot(str(screenshot))
    assert screenshot.stat().st_size > 1000
