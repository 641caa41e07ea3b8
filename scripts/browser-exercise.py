#!/usr/bin/env python3
"""An incident-response exercise in a real browser (issue 13 item 7; SP 800-171 3.6.3): headless Chromium driven by
Selenium, in Japanese, nothing through the API or the command line.

Starts `tekigo serve` on an empty database and a free loopback port. The owner comes in through the setup link and
enrols an authenticator → registers a system and creates an SP 800-171 rev2 assessment → opens 演習 and plans an
exercise from the ransomware scenario (町工場のランサムウェア被害) → starts it (an exercise incident whose clocks run)
→ records a decision and a finding against the injects → completes it with a summary → chooses the assessment; the
confirmation lists each objective with its evidence text and nothing is written yet (3.6.3 still has no evidence) →
confirms 3.6.3 only → the assessment's 3.6.3 page shows the exercise as evidence, and 3.6.1 got nothing → the finding
becomes a POA&M item on 3.6.2.

Screenshots go to $TEKIGO_SCREENSHOT_DIR (default .build/browser-artifacts).
Environment: TEKIGO_BIN, TEKIGO_DATABASE_URL (optional, PostgreSQL), CHROMIUM, CHROMEDRIVER — as browser-test.py.
"""
import importlib.util
import os
import re
import sys
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_spec = importlib.util.spec_from_file_location("browser_test", os.path.join(ROOT, "scripts", "browser-test.py"))
bt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bt)
check, fill, fill_date, submit, click, shot, browser = bt.check, bt.fill, bt.fill_date, bt.submit, bt.click, bt.shot, bt.browser
totp, step = bt.totp, bt.step

EMAIL = "kanri@machikoba.example.jp"
PASSWORD = "kumo no ue no sakura 2026"


def main():
    data_dir = tempfile.mkdtemp(prefix="tekigo-exercise-")
    proc, base, link = bt.start_server(data_dir, demo=False)
    driver = None
    try:
        driver = browser()
        step("setup link → owner, authenticator")
        driver.get(link)
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja", "the setup page is not Japanese")
        fill(driver, "organization", "有限会社山田製作所")
        fill(driver, "display_name", "山田 太郎")
        fill(driver, "email", EMAIL)
        fill(driver, "password", PASSWORD)
        fill(driver, "password_again", PASSWORD)
        submit(driver)
        fill(driver, "email", EMAIL)
        fill(driver, "password", PASSWORD)
        submit(driver)
        check("/account/mfa" in driver.current_url, f"the owner was not sent to enrolment: {driver.current_url}")
        submit(driver)
        secret = driver.find_element(By.ID, "mfa-secret").get_attribute("data-secret")
        fill(driver, "code", totp(secret))
        submit(driver)
        click(driver, driver.find_element(By.CSS_SELECTOR, "main a.button"))
        org = re.search(r"/o/([0-9a-f-]{36})", driver.current_url)
        check(org, f"not in the organization: {driver.current_url}")
        org_url = base + "/o/" + org.group(1)

        step("a system and an SP 800-171 rev2 assessment")
        driver.get(org_url + "/systems")
        fill(driver, "name", "CAD/CAM ネットワーク")
        fill(driver, "boundary", "工場の設計・加工端末と共有ドライブ")
        fill(driver, "types", "図面")
        fill(driver, "users", "8")
        submit(driver)
        driver.get(org_url + "/assessments")
        submit(driver)
        check("/assessments/" in driver.current_url, f"creating the assessment did not open it: {driver.current_url}")
        assessment_url = driver.current_url.split("?")[0]

        step("plan an exercise from the ransomware scenario")
        click(driver, driver.find_element(By.LINK_TEXT, "演習"))
        check("インシデント対応演習" in driver.page_source, "the exercises page is not in Japanese")
        check("今すぐ" in driver.page_source, "with no exercise completed, the next one is not due now")
        driver.find_element(By.ID, "scenario-ransomware-machine-shop").click()
        fill_date(driver, "planned_on", time.strftime("%Y-%m-%d"))
        fill(driver, "participant_names", "田中 一郎\n鈴木 花子")
        submit(driver, "form[action$='/exercises'] button[type=submit]")
        check("/exercises/" in driver.current_url, f"planning did not open the exercise: {driver.current_url}")
        exercise_url = driver.current_url.split("?")[0]
        check("町工場のランサムウェア被害" in driver.page_source and "計画済み" in driver.page_source, "the plan is not shown")
        check("田中 一郎" in driver.page_source, "the participants are not shown")

        step("run it: an exercise incident with its clocks")
        submit(driver, "form[action$='/start'] button[type=submit]")
        check("実施中" in driver.page_source, "the exercise did not start")
        incident = driver.find_element(By.CSS_SELECTOR, "a[href*='/incidents/']").get_attribute("href")
        check(incident, "the exercise incident is not linked")

        step("record a decision and a finding")
        Select(driver.find_element(By.ID, "entry-kind")).select_by_value("decision")
        Select(driver.find_element(By.ID, "entry-inject")).select_by_value("r1")
        fill(driver, "text", "夜勤は班長に電話し、端末の LAN ケーブルを抜く。電源は切らない。")
        submit(driver, "form[action$='/entries'] button[type=submit]")
        check("LAN ケーブル" in driver.page_source, "the decision was not recorded")
        Select(driver.find_element(By.ID, "entry-kind")).select_by_value("finding")
        Select(driver.find_element(By.ID, "entry-inject")).select_by_value("r2")
        fill(driver, "text", "国防総省への報告に必要な中保証度の証明書を持つ人が社内にいない。")
        submit(driver, "form[action$='/entries'] button[type=submit]")
        check("中保証度の証明書" in driver.page_source, "the finding was not recorded")
        # An empty summary is refused next to the form, with the page kept.
        driver.execute_script("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
        submit(driver, "form[action$='/complete'] button[type=submit]")
        check("まとめを書いてください" in driver.page_source, "an empty summary was not refused")
        shot(driver, "exercise-running-ja")

        step("complete it")
        fill(driver, "summary", "連絡網は機能した。報告に必要な証明書の準備が課題。")
        submit(driver, "form[action$='/complete'] button[type=submit]")
        check("完了" in driver.page_source and "評価の証跡として追加する" in driver.page_source, "the exercise did not complete")
        shot(driver, "exercise-completed-ja")

        step("the evidence offered: a confirmation, nothing written yet")
        submit(driver, "form[action$='/evidence'] button[type=submit]")
        check("/evidence" in driver.current_url, f"the confirmation did not open: {driver.current_url}")
        check("3.6.3" in driver.page_source and "3.6.1[a]" in driver.page_source, "the offer does not list 3.6.3 and 3.6.1")
        check("演習記録" in driver.page_source, "the evidence text is not shown")
        shot(driver, "exercise-evidence-ja")
        driver.get(assessment_url + "/requirements/3.6.3")
        check("演習記録" not in driver.page_source, "evidence was written before the confirmation")
        driver.back()
        for box in driver.find_elements(By.CSS_SELECTOR, "input[name=objectives]"):
            if box.get_attribute("value") != "3.6.3" and box.is_selected():
                box.click()
        submit(driver, "main form button[type=submit]")
        check("証跡を追加しました" in driver.page_source, "the confirmation did not say the evidence was added")

        step("the assessment's 3.6.3 page shows it; 3.6.1 got nothing")
        driver.get(assessment_url + "/requirements/3.6.3")
        check("演習記録" in driver.page_source and exercise_url.split("/o/")[1] in driver.page_source,
              "the 3.6.3 page does not show the exercise as evidence")
        shot(driver, "exercise-requirement-ja")
        driver.get(assessment_url + "/requirements/3.6.1")
        check("演習記録" not in driver.page_source, "an objective that was not confirmed got the evidence")

        step("the finding becomes a POA&M item on 3.6.2")
        driver.get(exercise_url)
        form = driver.find_element(By.CSS_SELECTOR, "form[action$='/poam']")
        requirement = form.find_element(By.NAME, "requirement")
        requirement.clear()
        requirement.send_keys("3.6.2")
        click(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check("/poam/3.6.2" in driver.current_url, f"the POA&M item did not open: {driver.current_url}")
        check("中保証度の証明書" in driver.page_source, "the POA&M item does not carry the finding")
        driver.get(org_url + "/exercises")
        check("今すぐ" not in driver.page_source, "after a completed exercise, the next one is still due now")
        shot(driver, "exercise-list-ja")

        step("usable at 360 px: nothing wider than the screen (tables scroll inside themselves)")
        assessment_id = assessment_url.rstrip("/").split("/")[-1]
        driver.set_window_size(360, 800)
        for path in (org_url + "/exercises", exercise_url, exercise_url + "/evidence?assessment=" + assessment_id):
            driver.get(path)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            inner = driver.execute_script("return window.innerWidth")
            wide = driver.execute_script(
                "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
                ".slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))")
            check(width <= inner, f"{path} is {width}px wide in a {inner}px window: {wide}")
        driver.save_screenshot(os.path.join(bt.SHOTS, "exercise-360.png"))
        driver.set_window_size(1280, 1600)
    except Exception:
        bt.report_failure(driver, "exercise-failure")
        raise
    finally:
        bt.stop(driver, proc)
    print("ok")


if __name__ == "__main__":
    try:
        main()
    except AssertionError as e:
        print("FAILED:", e, file=sys.stderr)
        sys.exit(1)
