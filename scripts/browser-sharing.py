#!/usr/bin/env python3
"""One incident shared from its page to a supply-chain community, seen by the prime (issue 14, "done when"): headless
Chromium driven by Selenium, in Japanese, nothing through the API or the command line.

Starts `tekigo serve` on an empty database and a free loopback port. The prime's owner comes in through the setup
link (and enrols an authenticator) and invites a machine shop as its supplier; the shop's owner accepts (account,
organization, authenticator). The prime creates a supply-chain community on its sharing pages and invites the shop;
the shop accepts; the prime adds a collection and gives the shop read and write access there. Then the shop's owner
records an incident, adds an observed IP address on the incident's page, presses 共有 (Share), chooses the
community's collection and TLP:AMBER, previews exactly what would leave (the IP's indicator, the TLP marking, no
organization name and no note), publishes it, and is offered the share as 3.6.2 reporting evidence (the prime, a
customer, administers the community). The prime finds the indicator on its sharing pages by the IP address and in the
collection's feed, published by "another member".

Screenshots (sharing-preview-ja, sharing-published-ja, sharing-prime-ja) go to $TEKIGO_SCREENSHOT_DIR (default
.build/browser-artifacts). Environment: TEKIGO_BIN, TEKIGO_DATABASE_URL (optional, PostgreSQL), CHROMIUM,
CHROMEDRIVER — as browser-test.py.
"""
import datetime
import importlib.util
import os
import re
import tempfile
import time
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The helpers of the web application's browser test (its main() runs only as a script).
_spec = importlib.util.spec_from_file_location("browser_test", os.path.join(ROOT, "scripts", "browser-test.py"))
bt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bt)
check, fill, fill_date, submit, click, shot, browser = bt.check, bt.fill, bt.fill_date, bt.submit, bt.click, bt.shot, bt.browser
SHOTS = bt.SHOTS
Person, step, enrol, current_org = bt.Person, bt.step, bt.enrol, bt.current_org

PASSWORD = "kumo no ue no sakura 2026"
PRIME = "大和精機株式会社"
PRIME_EMAIL = "scm@yamato-seiki.example.jp"
SHOP = "有限会社高橋製作所"
SHOP_EMAIL = "takahashi@takahashi-ss.example.jp"
COMMUNITY = "大和精機 サプライチェーン情報共有"
SLUG = "yamato-chain"
COLLECTION = "インシデント共有"
TITLE = "VPN 機器からの不正アクセス"
IP = "198.51.100.23"
NOTE = "社内メモ：VPN ログの 3 行目"


def main_text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def sign_in(driver, base, person):
    bt.sign_in_person(driver, base, person, PASSWORD)


def form_with_action(driver, suffix, what):
    forms = [f for f in driver.find_elements(By.CSS_SELECTOR, "main form") if (f.get_attribute("action") or "").endswith(suffix)]
    check(forms, f"no {what} form (action …{suffix}) on {driver.current_url}:\n" + main_text(driver)[:2000])
    return forms[0]


def main():
    data_dir = tempfile.mkdtemp(prefix="tekigo-browser-sharing-")
    proc, base, link = bt.start_server(data_dir, demo=False)
    prime_owner, shop_owner = Person(PRIME_EMAIL), Person(SHOP_EMAIL)
    driver = None
    started = time.time()
    try:
        driver = browser()
        prime = bt.owner_through_setup(driver, link, PRIME, "調達 一郎", prime_owner, PASSWORD)
        shop = bt.supplier_through_invitation(driver, base, prime, SHOP, "高橋 健", shop_owner, "防衛向け精密加工部品", PASSWORD)

        step("4. the prime creates a supply-chain community and invites the shop")
        sign_in(driver, base, prime_owner)
        driver.get(f"{base}/o/{prime}/sharing/communities")
        fill(driver, "name", COMMUNITY)
        fill(driver, "slug", SLUG)
        click(driver, form_with_action(driver, "/sharing/communities", "new community").find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check(COMMUNITY in main_text(driver), "the community was not created:\n" + main_text(driver)[:2000])
        community = driver.current_url.split("?")[0]
        invite = form_with_action(driver, "/invite", "invitation")
        shops = [o for o in Select(invite.find_element(By.NAME, "organization")).options if SHOP in o.text]
        check(shops, "the shop is not among the suppliers the prime may invite:\n" + invite.text)
        Select(invite.find_element(By.NAME, "organization")).select_by_value(shops[0].get_attribute("value"))
        click(driver, invite.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check(SHOP in main_text(driver), "the shop's invitation is not listed:\n" + main_text(driver)[:2000])

        step("5. the shop accepts the invitation to the community")
        sign_in(driver, base, shop_owner)
        driver.get(f"{base}/o/{shop}/sharing/communities")
        check(COMMUNITY in main_text(driver), "the shop does not see the invitation:\n" + main_text(driver)[:2000])
        click(driver, driver.find_element(By.CSS_SELECTOR, "main button[name=decision][value=accept]"))
        check(COMMUNITY in main_text(driver), "accepting did not open the community:\n" + main_text(driver)[:2000])

        step("6. the prime adds a collection and gives the shop read and write access")
        sign_in(driver, base, prime_owner)
        driver.get(community)
        fill(driver, "title", COLLECTION)
        fill(driver, "alias", "incidents")
        click(driver, form_with_action(driver, "/collections", "new collection").find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check(COLLECTION in main_text(driver), "the collection was not created:\n" + main_text(driver)[:2000])
        # The access form of the new collection (a community starts with a collection of its own name too).
        forms = driver.find_elements(By.XPATH, f"//main//h3[contains(., '{COLLECTION}')]/following::form[contains(@action, '/access')]"
                                               f"[.//input[@name='organization' and @value='{shop}']][1]")
        check(forms, "no access form for the shop on the collection:\n" + main_text(driver)[:3000])
        for name in ("can_read", "can_write"):
            box = forms[0].find_element(By.CSS_SELECTOR, f"input[name={name}]")
            if not box.is_selected():
                box.click()
        click(driver, forms[0].find_element(By.CSS_SELECTOR, "button[type=submit]"))

        step("7. the shop records an incident and an observed IP address on its page")
        sign_in(driver, base, shop_owner)
        driver.get(f"{base}/o/{shop}/incidents/new")
        discovered = datetime.datetime.now(ZoneInfo("Asia/Tokyo")) - datetime.timedelta(hours=3)
        fill(driver, "title", TITLE)
        fill_date(driver, "discovered_at", discovered.strftime("%Y-%m-%dT%H:%M"))
        Select(driver.find_element(By.ID, "time_zone")).select_by_value("Asia/Tokyo")
        fill(driver, "discovered_by", "情報システム 鈴木")
        Select(driver.find_element(By.ID, "detection_method")).select_by_value("human-review")
        Select(driver.find_element(By.ID, "compromise_type")).select_by_value("unauthorized-access")
        fill(driver, "narrative", "VPN 機器のログに深夜の管理者ログインがあり、見知らぬアドレスからだった。")
        submit(driver, "main form.stack button[type=submit]")
        check(re.search(r"/incidents/[0-9a-f-]{36}", driver.current_url), "recording did not open the incident:\n" + main_text(driver)[:2000])
        incident = driver.current_url.split("?")[0]
        driver.find_element(By.ID, "observable-value").send_keys(IP)
        driver.find_element(By.ID, "observable-note").send_keys(NOTE)
        click(driver, form_with_action(driver, "/observables", "observable").find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check("観測値を追加しました" in main_text(driver) and IP in main_text(driver) and "IPv4 アドレス" in main_text(driver),
              "the observable is not listed with its kind:\n" + main_text(driver)[:3000])

        step("8. 共有: the collection, TLP:AMBER, the IP ticked → the preview shows exactly what leaves")
        click(driver, driver.find_element(By.ID, "incident-share-link"))
        check("コミュニティへの共有" in main_text(driver), "the share page did not open:\n" + main_text(driver)[:2000])
        options = [o.text for o in Select(driver.find_element(By.ID, "share-collection")).options]
        check(any(COLLECTION in o and COMMUNITY in o for o in options), f"the community's collection is not offered: {options}")
        check(any("報告先" in o for o in options), f"the community is not marked as an authority: {options}")
        Select(driver.find_element(By.ID, "share-collection")).select_by_visible_text(next(o for o in options if COLLECTION in o))
        Select(driver.find_element(By.ID, "share-tlp")).select_by_value("amber")
        ticked = driver.find_elements(By.CSS_SELECTOR, "main input[name=observables]")
        check(ticked and ticked[0].is_selected(), "the observable is not ticked")
        submit(driver, "main form.stack button[type=submit]")
        check("プレビュー" in main_text(driver), "the preview did not open:\n" + main_text(driver)[:2000])
        bundle = driver.find_element(By.ID, "share-json").text
        check(f"[ipv4-addr:value = '{IP}']" in bundle, "the preview's JSON has no indicator for the IP:\n" + bundle[:2000])
        check("marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421" in bundle, "the preview's JSON is not TLP:AMBER")
        check(SHOP not in bundle and NOTE not in bundle and TITLE not in bundle and "深夜" not in bundle,
              "the preview leaks the organization's name, the note, the title or the narrative")
        check(re.fullmatch(r"[0-9a-f]{64}", driver.find_element(By.ID, "share-digest").text.strip()), "no SHA-256 shown")
        shot(driver, "sharing-preview-ja")

        step("9. publish exactly this → published; the 3.6.2 evidence is offered, not set")
        submit(driver, "main form[action$='/share/publish'] button[type=submit]")
        check("コレクションに公開しました" in main_text(driver), "publishing did not confirm:\n" + main_text(driver)[:3000])
        check("報告の証跡" in main_text(driver), "the share to the prime's community is not offered as 3.6.2 evidence")
        shot(driver, "sharing-published-ja")

        step("10. the prime finds the shop's indicator on its sharing pages, in Japanese")
        sign_in(driver, base, prime_owner)
        driver.get(f"{base}/o/{prime}/sharing")
        check(COMMUNITY in main_text(driver), "the prime's sharing hub does not show the community:\n" + main_text(driver)[:2000])
        driver.get(f"{base}/o/{prime}/sharing/search?q={IP}")
        text = main_text(driver)
        check(IP in text and "indicator" in text, "the prime's search by the IP finds no indicator:\n" + text[:3000])
        check(SHOP not in text, "the publisher is named to the prime although names were withheld")
        shot(driver, "sharing-prime-ja")
        collection_links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "main a")
                            if "/sharing/collections/" in (a.get_attribute("href") or "")]
        if collection_links:
            driver.get(collection_links[0].split("/objects/")[0])
            check(IP in main_text(driver), "the collection's feed does not show the shop's indicator:\n" + main_text(driver)[:2000])
        print(f"sharing browser test passed in {time.time() - started:.0f} s (screenshots in {SHOTS})")
    except Exception:
        bt.report_failure(driver, "sharing-failure")
        raise
    finally:
        bt.stop(driver, proc)


if __name__ == "__main__":
    main()
