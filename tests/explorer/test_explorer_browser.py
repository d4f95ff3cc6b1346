"""The explorer end to end, in a real headless Chromium: a reader filters `/` by country and type, sees
the list, the map and the timeline change, opens a disputed event and finds who contradicts it; axe-core
finds no serious or critical accessibility violation on `/` and on an event page."""

import json

import pghistory
import pytest
from django.conf import settings

from events.dataset import load
from tests.npm import npm_package


@pytest.fixture
def curated_committed(transactional_db):
    """The shipped dataset, committed, for the live server's own connections."""
    with pghistory.context(command="load_dataset"):
        load([settings.BASE_DIR / "fixtures"])


def figures(browser) -> dict:
    from selenium.webdriver.common.by import By

    return {
        "events": [
            item.text.split("\n")[0] for item in browser.find_elements(By.CSS_SELECTOR, "li.event-item")
        ],
        "marks": len(browser.find_elements(By.CSS_SELECTOR, "#map a circle.mark")),
        "bars": browser.find_element(By.ID, "timeline-desc").get_attribute("textContent"),
        "found": browser.find_element(By.ID, "found").text,
    }


def errors_in_console(browser) -> list[dict]:
    return [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]


def test_a_reader_filters_the_events_and_finds_who_contradicts_a_disputed_one(
    live_server, browser, curated_committed, tmp_path
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(f"{live_server.url}/")
    before = figures(browser)
    assert before["events"] and before["marks"]
    # The map's outlines are the site's own file, drawn (not a broken reference).
    assert browser.execute_script("return document.querySelector('#map use').getBBox().width") > 0

    browser.find_element(By.ID, "f-country").send_keys("SYR")
    Select(browser.find_element(By.ID, "f-type")).select_by_value("strategic_developments")
    browser.find_element(By.CSS_SELECTOR, "form.filters button[type=submit]").click()
    WebDriverWait(browser, 15).until(lambda page: "event_type=strategic_developments" in page.current_url)
    assert "country=SYR" in browser.current_url  # the filters are the page's address
    after = figures(browser)
    assert after["events"] and set(after["events"]) < set(before["events"])
    assert 0 < after["marks"] < before["marks"]
    assert after["bars"] != before["bars"] and after["found"] != before["found"]
    # The enhancement: a mark's meaning, shown as the keyboard reaches it.
    mark = browser.find_element(By.CSS_SELECTOR, "#map a")
    browser.execute_script("arguments[0].focus()", mark)
    assert browser.find_element(By.ID, "map-detail").text == mark.get_attribute("data-describe")

    disputed = browser.find_element(By.XPATH, "//li[@class='event-item'][.//strong[@class='disputed']]//a")
    title = disputed.text
    disputed.click()
    WebDriverWait(browser, 15).until(lambda page: page.find_elements(By.TAG_NAME, "h1")[0].text == title)
    contested = browser.find_element(By.CSS_SELECTOR, "ul.contested").text
    assert " contradicts " in contested
    assert browser.save_screenshot(str(tmp_path / "event.png"))
    assert errors_in_console(browser) == []


def test_axe_finds_no_serious_violation_on_the_explorer_and_an_event_page(
    live_server, browser, curated_committed
):
    script = (npm_package("axe-core") / "axe.min.js").read_text()
    for path in ("/", "/events/2015-russia-strikes-hama/"):
        browser.get(f"{live_server.url}{path}")
        browser.execute_script(script)
        result = browser.execute_async_script(
            "const done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify(r.violations)));"
        )
        serious = [v for v in json.loads(result) if v["impact"] in ("serious", "critical")]
        assert serious == [], (
            path,
            [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious],
        )
        assert errors_in_console(browser) == []
