#!/usr/bin/env python3
"""A cyber incident in a real browser (issue 13, items 1–3): headless Chromium driven by Selenium, in Japanese,
nothing through the API or the command line.

Starts `tekigo serve` on an empty database and a free loopback port. The prime's owner comes in through the setup
link (and enrols an authenticator), invites a machine shop as its supplier and records a DFARS 252.204-7012 contract
with it; the shop's owner accepts the invitation (account, organization, authenticator). Then the shop's owner, on
the incident pages: records a ransomware incident discovered two hours ago on that contract → sees the 72-hour
clock open (time left, the source cited, every hour counting) → adds a timeline entry → moves the incident to
contained → records the DoD initial report with its number → sees the report clock met on time and the 90-day
preservation hold running → sends the report number to the prime (DFARS 204.7302(b)), which meets the
tell-customer clock; the prime sees the notice unacknowledged and acknowledges it.

Screenshots (incident-list-ja, incident-detail-ja, incident-notice-prime-ja) go to $TEKIGO_SCREENSHOT_DIR (default .build/browser-artifacts).
Environment: TEKIGO_BIN, TEKIGO_DATABASE_URL (optional, PostgreSQL), CHROMIUM, CHROMEDRIVER — as browser-test.py.
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
totp, SHOTS = bt.totp, bt.SHOTS
Person, step, enrol, current_org = bt.Person, bt.step, bt.enrol, bt.current_org

PASSWORD = "kumo no ue no sakura 2026"
PRIME = "大和精機株式会社"
PRIME_EMAIL = "scm@yamato-seiki.example.jp"
SHOP = "有限会社高橋製作所"
SHOP_EMAIL = "takahashi@takahashi-ss.example.jp"
CONTRACT = "W56HZV-27-C-0107"
TITLE = "CAD サーバのランサムウェア感染"
REPORT_NUMBER = "ICF-2026-004217"


def main_text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def sign_in(driver, base, person):
    bt.sign_in_person(driver, base, person, PASSWORD)


def clock_row_at(driver, url, label):
    driver.get(url)
    return clock_row(driver, label)


def clock_row(driver, label):
    """The text of the clocks table's row whose 'what is due' cell names `label`."""
    rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "main table.clocks tbody tr") if label in r.text]
    check(rows, f"no clock '{label}' on the incident's page:\n" + main_text(driver)[:3000])
    return rows[0]


def main():
    data_dir = tempfile.mkdtemp(prefix="tekigo-browser-incident-")
    proc, base, link = bt.start_server(data_dir, demo=False)
    prime_owner, shop_owner = Person(PRIME_EMAIL), Person(SHOP_EMAIL)
    driver = None
    started = time.time()
    try:
        driver = browser()
        prime = bt.owner_through_setup(driver, link, PRIME, "調達 一郎", prime_owner, PASSWORD)
        shop = bt.supplier_through_invitation(driver, base, prime, SHOP, "高橋 健", shop_owner, "防衛向け精密加工部品", PASSWORD)

        step("4. the prime records a DFARS 252.204-7012 contract with the shop")
        sign_in(driver, base, prime_owner)
        driver.get(f"{base}/o/{prime}/suppliers/{shop}")
        fill(driver, "number", CONTRACT)
        boxes = driver.find_elements(By.CSS_SELECTOR, "main input[name=clauses][value='dfars-252.204-7012']")
        check(boxes, "no DFARS 252.204-7012 clause on the contract form")
        if not boxes[0].is_selected():
            boxes[0].click()
        form = [f for f in driver.find_elements(By.CSS_SELECTOR, "main form") if f.get_attribute("action").endswith("/contracts")]
        check(form, "no contract form on the supplier's page")
        click(driver, form[0].find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check(CONTRACT in driver.page_source, "the contract was not recorded:\n" + main_text(driver)[:2000])

        step("5. the shop's owner records a ransomware incident discovered two hours ago")
        sign_in(driver, base, shop_owner)
        driver.get(f"{base}/o/{shop}")
        click(driver, driver.find_element(By.LINK_TEXT, "インシデント"))  # the organization's menu
        check(f"/o/{shop}/incidents" in driver.current_url, f"the menu's incidents went to {driver.current_url}")
        click(driver, driver.find_element(By.LINK_TEXT, "インシデントを記録する"))
        discovered = datetime.datetime.now(ZoneInfo("Asia/Tokyo")) - datetime.timedelta(hours=2)
        fill(driver, "title", TITLE)
        fill_date(driver, "discovered_at", discovered.strftime("%Y-%m-%dT%H:%M"))
        Select(driver.find_element(By.ID, "time_zone")).select_by_value("Asia/Tokyo")
        fill(driver, "discovered_by", "製造課 佐藤")
        Select(driver.find_element(By.ID, "detection_method")).select_by_value("message-from-attacker")
        Select(driver.find_element(By.ID, "compromise_type")).select_by_value("unauthorized-access")
        Select(driver.find_element(By.ID, "outcome")).select_by_value("successful-compromise")
        Select(driver.find_element(By.ID, "information_kind")).select_by_value("cui")
        fill(driver, "information_reference", "CTI")
        fill(driver, "technique", "VPN 機器の脆弱性を突いた侵入の後、ランサムウェアを実行")
        fill(driver, "narrative", "午前の始業時、CAD サーバの画面に脅迫文が表示され、図面ファイルが暗号化されていた。")
        boxes = driver.find_elements(By.CSS_SELECTOR, "main input[name=contracts]")
        check(boxes, "the form offers no affected contract:\n" + main_text(driver)[:2000])
        check(CONTRACT in main_text(driver) and PRIME in main_text(driver), "the contract is not shown with its customer")
        boxes[0].click()
        submit(driver, "main form.stack button[type=submit]")
        check(re.search(r"/incidents/[0-9a-f-]{36}", driver.current_url), "recording did not open the incident:\n" + main_text(driver)[:2000])
        incident = driver.current_url.split("?")[0]

        step("6. the 72-hour clock is open")
        row = clock_row(driver, "国防総省（DC3）への報告")
        check(re.search(r"残り (69|70) 時間", row), f"the 72-hour clock is not open with about 70 hours left: {row}")
        check("DFARS 252.204-7012(a)" in row, f"the clock does not cite its source: {row}")
        check("Asia/Tokyo, UTC+09:00" in row, f"the due instant is not shown with its zone: {row}")
        check("週末・祝日" in main_text(driver), "the page does not say every hour counts")
        check("設定値です" in main_text(driver), "the customer-notice clock is not marked as a setting")
        driver.get(f"{base}/o/{shop}/incidents")
        check(TITLE in main_text(driver) and re.search(r"残り (69|70) 時間", main_text(driver)),
              "the list does not show the incident with its next deadline")
        shot(driver, "incident-list-ja")

        step("7. a timeline entry")
        driver.get(incident)
        fill(driver, "text", "CAD サーバの LAN ケーブルを抜き、VPN 機器を停止した。")
        submit(driver, "main form[enctype='multipart/form-data'] button[type=submit]")
        check("CAD サーバの LAN ケーブルを抜き" in main_text(driver), "the timeline entry is not shown")

        step("8. contained")
        Select(driver.find_element(By.ID, "phase-to")).select_by_value("contained")
        submit(driver, "main form[action$='/phase'] button[type=submit]")
        check("封じ込め済み" in driver.find_element(By.CSS_SELECTOR, "main h1 + p").text, "the phase did not move to contained")

        step("9. the DoD initial report with its number")
        Select(driver.find_element(By.ID, "kind")).select_by_value("dod-initial")
        Select(driver.find_element(By.ID, "submission_zone")).select_by_value("Asia/Tokyo")
        now = datetime.datetime.now(ZoneInfo("Asia/Tokyo"))
        fill_date(driver, "submitted_at", now.strftime("%Y-%m-%dT%H:%M"))
        fill(driver, "channel", "DC3 インシデント報告ポータル")
        fill(driver, "report_number", REPORT_NUMBER)
        submit(driver, "main form[action$='/submissions'] button[type=submit]")
        check(REPORT_NUMBER in main_text(driver), "the submission is not listed:\n" + main_text(driver)[:3000])

        step("10. the report clock met, the 90-day hold running")
        row = clock_row(driver, "国防総省（DC3）への報告")
        check("期限内に完了" in row, f"the report clock is not met on time: {row}")
        row = clock_row(driver, "イメージ及び監視・パケットキャプチャデータの保全")
        check("保全期間中" in row and "2160 時間" in row, f"the 90-day hold is not running: {row}")
        check("報告書の下書き" in main_text(driver), "no report drafts on the page")
        shot(driver, "incident-detail-ja")

        step("11. the report number goes up to the prime (DFARS 204.7302(b)), which acknowledges it")
        driver.get(f"{incident}/notices")
        submit(driver, "main form[method=post] button[type=submit]")
        check("通知を送りました" in main_text(driver), "sending the notice did not confirm:\n" + main_text(driver)[:2000])
        row = clock_row_at(driver, incident, "報告番号を上位の発注者へ通知")
        check("期限内に完了" in row, f"the tell-customer clock is not met: {row}")
        sign_in(driver, base, prime_owner)
        driver.get(f"{base}/o/{prime}/incident-notices")
        check(REPORT_NUMBER in main_text(driver) and "未確認" in main_text(driver),
              "the prime does not see the unacknowledged notice:\n" + main_text(driver)[:2000])
        click(driver, driver.find_element(By.LINK_TEXT, REPORT_NUMBER))
        check(SHOP in main_text(driver), "the notice does not name the shop (a recipient always sees its direct supplier)")
        submit(driver, "main form[action$='/acknowledge'] button[type=submit]")
        check("受領を確認しました" in main_text(driver), "the acknowledgement did not confirm:\n" + main_text(driver)[:2000])
        shot(driver, "incident-notice-prime-ja")
        sign_in(driver, base, shop_owner)

        step("12. 360 px wide: the page does not scroll sideways (wide tables scroll inside themselves)")
        driver.set_window_size(360, 800)
        for url in (incident, f"{base}/o/{shop}/incidents", f"{base}/o/{shop}/incidents/new"):
            driver.get(url)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            check(width <= 360, f"{url} is {width} px wide at 360 px")
        driver.set_window_size(1280, 1600)
        print(f"incident browser test passed in {time.time() - started:.0f} s (screenshots in {SHOTS})")
    except Exception:
        bt.report_failure(driver, "incident-failure")
        raise
    finally:
        bt.stop(driver, proc)


if __name__ == "__main__":
    main()
