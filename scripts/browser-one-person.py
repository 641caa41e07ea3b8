#!/usr/bin/env python3
"""The one-person shop's path in a real browser (issue 17's done-when), in Japanese: headless Chromium driven by
Selenium, nothing through the API but the downloads a person's browser makes.

A machine shop's part-time IT person comes in through the setup link (account, organization, authenticator) with
nothing else on the server, registers the system and takes last year's assessment to complete three ways:
(a) the guided walk — the editor of each requirement shows Tekigo's guidance (what it asks, ways to meet it, what the
    assessor examines, asks and tests, evidence) and each objective's sentence, checked against the shipped files;
    three requirements are answered through "save and next";
(b) an .xlsx round trip of all 320 objectives — the workbook downloaded from its page, every remaining row answered in
    openpyxl as a person does in Excel (column L holds the guidance), uploaded back; the overview then reads 320 / 320;
(c) this year's assessment started from last year's — 320 answers carried over and marked for review; the person
    confirms one requirement as it is, changes one objective, and the marks go down accordingly; the assessment is
    complete (320 / 320) from the start.
Then the idle timeout (issue 17 item 6): the server is started again, ending sessions after 12 s idle
(--session-idle-minutes 0.2); a rationale typed in the editor and saved after the limit leads to sign-in, and back
on the editor the text is there again with the message, and saving it then works.

Screenshots (one-person-guidance-ja, one-person-workbook-ja, one-person-carried-ja, one-person-restored-ja) go to
$TEKIGO_SCREENSHOT_DIR. Environment: TEKIGO_BIN, TEKIGO_DATABASE_URL (optional, PostgreSQL), CHROMIUM, CHROMEDRIVER.
"""
import importlib.util
import json
import os
import re
import tempfile
import time

import openpyxl
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_spec = importlib.util.spec_from_file_location("browser_test", os.path.join(ROOT, "scripts", "browser-test.py"))
bt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bt)
check, fill, submit, click, shot, browser = bt.check, bt.fill, bt.submit, bt.click, bt.shot, bt.browser
Person, step, owner_through_setup, fetch, mark = bt.Person, bt.step, bt.owner_through_setup, bt.fetch, bt.mark

SHOP = "有限会社テスト精工"
OWNER = Person("it@test-seiko.example.jp")
GUIDANCE = os.path.join(ROOT, "Sources", "TekigoCore", "Resources", "guidance", "sp800-171r2")


def guidance(requirement):
    family = requirement.rsplit(".", 1)[0]
    with open(os.path.join(GUIDANCE, f"{family}.json"), encoding="utf-8") as f:
        return json.load(f)["requirements"][requirement]


def page_text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def new_assessment(driver, base, org, date, start_from=None):
    driver.get(f"{base}/o/{org}/assessments")
    if start_from:
        Select(driver.find_element(By.ID, "from")).select_by_value(start_from)
    bt.fill_date(driver, "date", date)
    fill(driver, "assessor", "佐藤 一人")
    submit(driver)
    check("/assessments/" in driver.current_url, f"creating the assessment did not open it: {driver.current_url}")
    return driver.current_url.split("?")[0]


def to_review(driver):
    """The number in the overview's "N objectives still need review" line."""
    return int(re.search(r"(\d+)", driver.find_element(By.ID, "review-count").text).group(1))


def progress(driver):
    return driver.find_element(By.ID, "progress-count").text.replace(" ", "")


def guided_walk(driver, assessment_url):
    step("(a) the guided walk with guidance shown")
    driver.get(assessment_url)
    click(driver, driver.find_element(By.ID, "continue-link"))
    for requirement in ["3.1.1", "3.1.2", "3.1.3"]:
        check(driver.current_url.split("?")[0].endswith("/requirements/" + requirement), f"the walk is not at {requirement}: {driver.current_url}")
        g = guidance(requirement)
        section = driver.find_element(By.ID, "guidance").text
        check("Tekigo が作成" in section, f"{requirement}: the guidance is not labelled as ours")
        for part in [g["asks"], g["examine"], g["interview"], g["test"]] + g["options"] + g["evidence"]:
            check(part["ja"] in section, f"{requirement}: guidance text missing: {part['ja'][:40]}")
        sentences = [e.text for e in driver.find_elements(By.CSS_SELECTOR, "fieldset.objective p.objective-guidance")]
        expected = [g["objectives"][o]["ja"] for o in g["objectives"]]
        check(sorted(sentences) == sorted(expected), f"{requirement}: objective sentences {sentences} != {expected}")
        if requirement == "3.1.1":
            shot(driver, "one-person-guidance-ja")
        n = len(driver.find_elements(By.CSS_SELECTOR, "fieldset.objective"))
        mark(driver, ["met"] * n, rationale=f"{requirement}: ガイダンスの選択肢 1 で実施している。")
        click(driver, driver.find_element(By.ID, "save-next"))
    driver.get(assessment_url)
    check(progress(driver).startswith(str(len(guidance("3.1.1")["objectives"]) + len(guidance("3.1.2")["objectives"])
                                          + len(guidance("3.1.3")["objectives"])) + "/320"),
          f"after the walk the progress reads {progress(driver)}")


def workbook_round_trip(driver, assessment_url, work_dir):
    step("(b) the .xlsx round trip of all 320 objectives")
    driver.get(assessment_url)
    click(driver, driver.find_element(By.ID, "workbook-link"))
    href = driver.find_element(By.ID, "workbook-ja").get_attribute("href")
    status, headers, body = fetch(driver, href)
    check(status == 200 and body[:2] == b"PK", f"the workbook download failed ({status})")
    path = os.path.join(work_dir, "回答.xlsx")
    with open(path, "wb") as f:
        f.write(body)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    check(sheet.max_row == 321, f"expected 320 rows, found {sheet.max_row - 1}")
    check(sheet["L1"].value == "ガイダンス（取り込まない）", f"column L is {sheet['L1'].value!r}")
    first = guidance("3.1.1")["objectives"]["3.1.1[a]"]["ja"]
    check(sheet["L2"].value == first, f"L2 holds {sheet['L2'].value!r}, not 3.1.1[a]'s sentence")
    answered = 0
    for row in range(2, 322):
        if sheet.cell(row, 4).value == "未評価":
            sheet.cell(row, 4).value = "該当なし" if sheet.cell(row, 1).value.startswith("3.1.16") else "適合"
            sheet.cell(row, 5).value = "Excel で一括回答（社内規程と設定画面で確認）"
            answered += 1
    check(answered > 300, f"only {answered} rows were left to answer")
    book.save(path)
    driver.find_element(By.ID, "workbook").send_keys(path)
    submit(driver, "form[enctype] button[type=submit]")
    result = driver.find_element(By.ID, "workbook-result")
    check("notice" in result.get_attribute("class"), f"the import was refused: {result.text}")
    shot(driver, "one-person-workbook-ja")
    driver.get(assessment_url)
    check(progress(driver).startswith("320/320"), f"after the workbook the progress reads {progress(driver)}")


def from_last_year(driver, base, org, last_year):
    step("(c) this year's assessment from last year's")
    previous = last_year.rsplit("/", 1)[1]
    url = new_assessment(driver, base, org, "2026-12-07", start_from=previous)
    check(progress(driver).startswith("320/320"), f"the carried-over assessment reads {progress(driver)}")
    check(to_review(driver) == 320, f"expected 320 to review, found {to_review(driver)}")
    check("前回から引き継ぎ・要確認" in page_text(driver), "the overview does not mark the carried-over answers")
    click(driver, driver.find_element(By.ID, "review-next"))
    check("/requirements/3.1.1" in driver.current_url, f"the first to review is not 3.1.1: {driver.current_url}")
    check(driver.find_element(By.ID, "guidance"), "no guidance while reviewing")
    shot(driver, "one-person-carried-ja")
    n = len(driver.find_elements(By.CSS_SELECTOR, "fieldset.objective"))
    click(driver, driver.find_element(By.ID, "confirm-all"))
    driver.get(url)
    check(to_review(driver) == 320 - n, f"after confirming 3.1.1 ({n}) the count reads {to_review(driver)}")
    # One objective changed in the editor: saving confirms that requirement's objectives too.
    driver.get(url + "/requirements/3.1.2")
    fill(driver, "o0_rationale", "今年は規程を改定し、役割ごとに権限を見直した。")
    click(driver, driver.find_element(By.ID, "save-next"))
    driver.get(url)
    m = len(guidance("3.1.2")["objectives"])
    check(to_review(driver) == 320 - n - m, f"after saving 3.1.2 the count reads {to_review(driver)}")
    check(progress(driver).startswith("320/320"), "the assessment is no longer complete")
    return url


def idle_timeout(driver, base, url):
    step("item 6: the editor survives the idle timeout")
    bt.sign_in_person(driver, base, OWNER)
    editor = url + "/requirements/3.1.3"
    driver.get(editor)
    text = "放置していた間に書いた根拠：共有フォルダの権限を月次で確認。"
    fill(driver, "o0_rationale", text)
    time.sleep(14)  # past the 12 s idle limit this server was started with
    click(driver, driver.find_element(By.ID, "save-next"))
    check("/login" in driver.current_url, f"a save after the idle limit did not lead to sign-in: {driver.current_url}")
    check("next=" in driver.current_url, f"the sign-in page does not lead back: {driver.current_url}")
    fill(driver, "email", OWNER.email)
    fill(driver, "password", bt.PASSWORD)
    submit(driver)
    if "/login/mfa" in driver.current_url:
        fill(driver, "code", OWNER.code())
        submit(driver)
    check(driver.current_url.split("?")[0] == editor, f"after signing in again the browser is at {driver.current_url}")
    check(driver.find_element(By.NAME, "o0_rationale").get_attribute("value") == text, "the typed rationale was not put back")
    check(driver.find_element(By.ID, "draft-restored").is_displayed(), "no message says the input was put back")
    shot(driver, "one-person-restored-ja")
    submit(driver, "button[name=go][value=stay]")
    check(text in driver.page_source, "saving the restored input did not keep it")
    check(not driver.find_element(By.ID, "draft-restored").is_displayed(), "the message stays after the save")


def main():
    data_dir = tempfile.mkdtemp(prefix="tekigo-one-person-")
    proc, base, link = bt.start_server(data_dir, demo=False)
    driver = None
    try:
        driver = browser()
        org = owner_through_setup(driver, link, SHOP, "佐藤 一人", OWNER)
        step("the system, then last year's assessment")
        driver.get(f"{base}/o/{org}/systems")
        fill(driver, "name", "生産管理システム")
        fill(driver, "boundary", "本社工場の設計・生産管理ネットワーク")
        submit(driver)
        last_year = new_assessment(driver, base, org, "2025-12-05")
        guided_walk(driver, last_year)
        workbook_round_trip(driver, last_year, data_dir)
        this_year = from_last_year(driver, base, org, last_year)
        bt.stop(None, proc)
        proc, base, _ = bt.start_server(data_dir, demo=False, extra_args=["--session-idle-minutes", "0.2"], expect_link=False)
        idle_timeout(driver, base, this_year.replace(this_year.split("/o/")[0], base))
        step("done")
    except Exception:
        bt.report_failure(driver, "one-person-failure")
        raise
    finally:
        bt.stop(driver, proc)


if __name__ == "__main__":
    main()
