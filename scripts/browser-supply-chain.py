#!/usr/bin/env python3
"""The supply chain in a real browser (issue 12, item 6): headless Chromium driven by Selenium, nothing through the
API or the command line.

Starts `tekigo serve` on an empty database and a free loopback port, then, in Japanese with JavaScript on:
the prime's owner comes in through the setup link (and enrols an authenticator) → invites a supplier on the
suppliers page and reads the link shown → the supplier's contact opens it signed out, creates an account and a new
organization, signs in, enrols an authenticator and lands in its organization → invites a colleague on the members
page; the colleague opens the link, creates the account, enrols and lands in the same organization → the prime
invites a second supplier, whose contact creates the second customer's organization and invites the first supplier
too; the first supplier's contact, signed in, accepts for its existing organization (two customers) → the supplier
registers a system, answers objectives of an assessment, previews (what each customer will see) and signs an
attestation, and grants consent to both customers → the prime sees it in its roll-up and on the supplier's detail
with the attestation → the supplier withdraws consent for the prime only; the prime's detail shows counts and says
why, the second customer still sees the attestation.
Then in a second browser with JavaScript off, in English (each person's language setting): the supplier grants
consent again, the prime sees the detail, the supplier withdraws it, the prime sees counts only.

Screenshots go to $TEKIGO_SCREENSHOT_DIR (default .build/browser-artifacts).
Environment: TEKIGO_BIN, TEKIGO_DATABASE_URL (optional, PostgreSQL), CHROMIUM, CHROMEDRIVER — as browser-test.py.
"""
import importlib.util
import os
import re
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# The helpers of the web application's browser test (its main() runs only as a script).
_spec = importlib.util.spec_from_file_location("browser_test", os.path.join(ROOT, "scripts", "browser-test.py"))
bt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bt)
check, fill, submit, click, shot, browser, mark = bt.check, bt.fill, bt.submit, bt.click, bt.shot, bt.browser, bt.mark
totp, free_port, cli, server_env, BINARY, SHOTS = bt.totp, bt.free_port, bt.cli, bt.server_env, bt.BINARY, bt.SHOTS
Person, step, enrol, current_org = bt.Person, bt.step, bt.enrol, bt.current_org

PASSWORD = "kumo no ue no sakura 2026"
PRIME = "大和精機株式会社"
PRIME_EMAIL = "scm@yamato-seiki.example.jp"
SUPPLIER = "有限会社高橋製作所"
SUPPLIER_EMAIL = "takahashi@takahashi-ss.example.jp"
COLLEAGUE_EMAIL = "suzuki@takahashi-ss.example.jp"
SECOND = "株式会社東海電装"
SECOND_EMAIL = "chotatsu@tokai-denso.example.jp"


def page_has(driver, *texts):
    source = driver.page_source
    return all(t in source for t in texts)


def sign_out(driver, base):
    driver.delete_all_cookies()
    driver.get(base + "/login")


def sign_in(driver, base, person):
    bt.sign_in_person(driver, base, person, PASSWORD)


def accept_supplier_invitation_new(driver, base, link, org_name, display_name, person):
    """Signed out: the invitation's page → account and organization → sign in → authenticator → its organization."""
    sign_out(driver, base)
    driver.get(link)
    check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja", "the invitation page is not Japanese")
    check(PRIME in driver.page_source or SECOND in driver.page_source, "the invitation page does not name the customer")
    fill(driver, "organization_name", org_name)
    fill(driver, "display_name", display_name)
    fill(driver, "email", person.email)
    fill(driver, "password", PASSWORD)
    fill(driver, "password_again", PASSWORD)
    submit(driver)
    check("/login" in driver.current_url, f"creating the account did not lead to sign-in: {driver.current_url}\n"
          + driver.find_element(By.TAG_NAME, "main").text)
    fill(driver, "email", person.email)
    fill(driver, "password", PASSWORD)
    submit(driver)
    check("/account/mfa" in driver.current_url, f"the new organization's owner was not sent to enrolment: {driver.current_url}")
    enrol(driver, person)
    driver.get(base + "/")
    check(org_name in driver.page_source, f"{person.email} did not land in {org_name}: {driver.current_url}")
    return current_org(driver, person.email)


def invite_supplier(driver, base, org, email, note):
    driver.get(f"{base}/o/{org}/suppliers")
    fill(driver, "email", email)
    fill(driver, "note", note)
    submit(driver, "main form.stack button[type=submit]")
    links = driver.find_elements(By.ID, "invitation-link")
    check(links, "no invitation link shown after inviting a supplier:\n" + driver.find_element(By.TAG_NAME, "main").text)
    link = links[0].get_attribute("value")
    check("/account/supplier-invitation?token=" in link, f"unexpected supplier invitation link {link}")
    return link


def detail_url(driver, base, prime, name):
    """The supplier's detail, reached from the roll-up's list of members."""
    driver.get(f"{base}/o/{prime}/supply-chain")
    anchors = [a for a in driver.find_elements(By.CSS_SELECTOR, "main a") if a.text.strip() == name]
    check(anchors, f"{name} is not linked from the roll-up:\n" + driver.find_element(By.TAG_NAME, "main").text[:3000])
    return anchors[0].get_attribute("href")


def consent_button(driver, customer, kind):
    """The customers page's grant/withdraw button for one customer (its aria-label names the customer)."""
    ending = "/consent" if kind == "grant" else "/consent/withdraw"
    buttons = [b for f in driver.find_elements(By.CSS_SELECTOR, "main form") if f.get_attribute("action").endswith(ending)
               for b in f.find_elements(By.CSS_SELECTOR, "button") if customer in (b.get_attribute("aria-label") or "")]
    check(buttons, f"no {kind} button for {customer}:\n" + driver.find_element(By.TAG_NAME, "main").text[:3000])
    return buttons[0]


def main():
    data_dir = tempfile.mkdtemp(prefix="tekigo-browser-sc-")
    proc, base, link = bt.start_server(data_dir, demo=False)
    prime_owner, contact = Person(PRIME_EMAIL), Person(SUPPLIER_EMAIL)
    colleague, second_owner = Person(COLLEAGUE_EMAIL), Person(SECOND_EMAIL)
    driver = None
    started = time.time()
    try:
        driver = browser()
        step("1. the prime's owner through the setup link")
        driver.get(link)
        fill(driver, "organization", PRIME)
        fill(driver, "display_name", "調達 一郎")
        fill(driver, "email", PRIME_EMAIL)
        fill(driver, "password", PASSWORD)
        fill(driver, "password_again", PASSWORD)
        submit(driver)
        check("/login" in driver.current_url, f"setup did not lead to sign-in: {driver.current_url}")
        fill(driver, "email", PRIME_EMAIL)
        fill(driver, "password", PASSWORD)
        submit(driver)
        check("/account/mfa" in driver.current_url, f"the owner was not sent to enrolment: {driver.current_url}")
        enrol(driver, prime_owner)
        prime = current_org(driver, "the prime's owner")

        step("1b. the prime invites a supplier")
        supplier_link = invite_supplier(driver, base, prime, SUPPLIER_EMAIL, "2027年度 精密加工部品")

        step("2. the supplier's contact accepts: account, organization, authenticator")
        supplier = accept_supplier_invitation_new(driver, base, supplier_link, SUPPLIER, "高橋 健", contact)

        step("3. the supplier invites a colleague, who creates the account and enrols")
        driver.get(f"{base}/o/{supplier}/members")
        fill(driver, "email", COLLEAGUE_EMAIL)
        Select(driver.find_element(By.ID, "role")).select_by_value("admin")
        submit(driver, "main form.stack button[type=submit]")
        inputs = driver.find_elements(By.CSS_SELECTOR, "main .notice input[readonly]")
        check(inputs, "no invitation link shown after inviting a colleague:\n" + driver.find_element(By.TAG_NAME, "main").text)
        colleague_link = inputs[0].get_attribute("value")
        check("/account/invitation?token=" in colleague_link, f"unexpected colleague link {colleague_link}")
        sign_out(driver, base)
        driver.get(colleague_link)
        check(SUPPLIER in driver.page_source and COLLEAGUE_EMAIL in driver.page_source,
              "the colleague's invitation does not show the organization and the address")
        fill(driver, "display_name", "鈴木 明美")
        fill(driver, "password", PASSWORD)
        fill(driver, "password_again", PASSWORD)
        submit(driver)
        if "/login" in driver.current_url and "/login/mfa" not in driver.current_url:
            fill(driver, "email", COLLEAGUE_EMAIL)
            fill(driver, "password", PASSWORD)
            submit(driver)
        check("/account/mfa" in driver.current_url, f"the colleague (admin) was not sent to enrolment: {driver.current_url}")
        enrol(driver, colleague)
        driver.get(base + "/")
        check(current_org(driver, "the colleague") == supplier, "the colleague did not land in the supplier's organization")
        driver.get(f"{base}/o/{supplier}/members")
        rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "main table.list tbody tr")]
        check(any(COLLEAGUE_EMAIL in r for r in rows), f"the colleague is not a member: {rows}")

        step("3b. a second customer: the prime invites another supplier, which invites the first one")
        sign_in(driver, base, prime_owner)
        second_link = invite_supplier(driver, base, prime, SECOND_EMAIL, "電装品")
        second = accept_supplier_invitation_new(driver, base, second_link, SECOND, "調達 花子", second_owner)
        again_link = invite_supplier(driver, base, second, SUPPLIER_EMAIL, "ハーネス部品")
        sign_in(driver, base, contact)
        driver.get(again_link)
        check(SECOND in driver.page_source, "the second invitation does not name the second customer")
        Select(driver.find_element(By.ID, "organization")).select_by_value(supplier)
        submit(driver, "main form input[name=mode][value=existing] ~ p button[type=submit]")
        check(f"/o/{supplier}/customers" in driver.current_url, f"accepting for the existing organization went to {driver.current_url}")
        check(page_has(driver, PRIME, SECOND), "the customers page does not list both customers")

        step("4. the supplier answers its assessment")
        driver.get(f"{base}/o/{supplier}/systems")
        fill(driver, "name", "受注・加工管理システム")
        fill(driver, "boundary", "本社工場の設計・加工データ")
        fill(driver, "types", "図面")
        fill(driver, "users", "8")
        submit(driver)
        check("保存しました" in driver.page_source, "saving the system did not confirm")
        driver.get(f"{base}/o/{supplier}/assessments")
        submit(driver)
        check("/assessments/" in driver.current_url, f"creating the assessment did not open it: {driver.current_url}")
        assessment_url = driver.current_url.split("?")[0]
        for requirement, first in (("3.1.1", "met"), ("3.12.4", "met"), ("3.1.2", "not-met")):
            driver.get(f"{assessment_url}/requirements/{requirement}")
            n = len(driver.find_elements(By.CSS_SELECTOR, "fieldset.objective"))
            check(n > 0, f"no objectives on {requirement}")
            mark(driver, [first] + ["met"] * (n - 1))
            if requirement == "3.12.4":
                fill(driver, "implementation", "システムセキュリティ実装計画書を年1回見直している。")
            submit(driver, "button[name=go][value=stay]")
            check("保存しました" in driver.page_source, f"answering {requirement} did not save")
        driver.get(assessment_url)
        score = driver.find_element(By.ID, "sprs-score").text.strip()
        check(re.fullmatch(r"-?\d+", score), f"the supplier's assessment has no score: {score}")

        step("4b. consent for both customers")
        for customer in (PRIME, SECOND):
            driver.get(f"{base}/o/{supplier}/customers")
            click(driver, consent_button(driver, customer, "grant"))
            check("開示の同意を保存しました" in driver.page_source, f"granting consent to {customer} did not confirm")

        step("4c. preview and sign an attestation")
        driver.get(f"{base}/o/{supplier}/attestations")
        Select(driver.find_element(By.ID, "detail")).select_by_index(
            len(driver.find_element(By.ID, "detail").find_elements(By.TAG_NAME, "option")) - 1)
        submit(driver, "main form[method=get] button[type=submit]")
        check(page_has(driver, PRIME, SECOND, "署名して発行する"), "the preview does not show both customers and the sign button")
        sees = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "section.customer-preview") if "見える" in c.text
                and "見えない" not in c.text]
        check(len(sees) == 2, f"the preview does not say both consenting customers will see it: {sees}")
        shot(driver, "supply-attestation-preview-ja")
        submit(driver, "main form[method=post] button[type=submit]")
        check("証明書に署名して発行しました" in driver.page_source, "signing the attestation did not confirm:\n"
              + driver.find_element(By.TAG_NAME, "main").text[:2000])
        check(len(driver.find_elements(By.CSS_SELECTOR, "main a[download]")) >= 1, "no signed attestation to download")

        driver.get(f"{base}/o/{supplier}/customers")
        shot(driver, "supply-customers-ja")
        step("5. the prime sees the supplier in its roll-up and its detail")
        sign_in(driver, base, prime_owner)
        driver.get(f"{base}/o/{prime}")
        click(driver, driver.find_element(By.LINK_TEXT, "サプライチェーン"))  # the organization's menu
        check(f"/o/{prime}/supply-chain" in driver.current_url, f"the menu's supply chain went to {driver.current_url}")
        detail = detail_url(driver, base, prime, SUPPLIER)
        # The second supplier has not consented to the prime: counted, not named (and the page says so).
        check(SUPPLIER in driver.page_source and "開示の同意がないため件数のみ表示しています" in driver.page_source,
              "the roll-up does not name the consenting supplier and count the other")
        shot(driver, "supply-rollup-ja")
        driver.get(detail)
        main_text = driver.find_element(By.TAG_NAME, "main").text
        check(driver.find_element(By.CSS_SELECTOR, "main h1").text == SUPPLIER, "the detail page does not name the supplier")
        check("共有されている証明書" in main_text and "このサプライヤーの証明書は" not in main_text,
              "the detail page shows no attestation although consent was granted:\n" + main_text[:2000])
        check(score in main_text and "受注・加工管理システム" in main_text and "3.1 アクセス制御" in main_text,
              f"the detail page lacks the attestation's score {score}, scope or families:\n" + main_text[:2000])
        shot(driver, "supply-detail-ja")

        step("6. the supplier withdraws consent for the prime only")
        sign_in(driver, base, colleague)  # the colleague (admin) can do it too
        driver.get(f"{base}/o/{supplier}/customers")
        click(driver, consent_button(driver, PRIME, "withdraw"))
        check("開示の同意を取り消しました" in driver.page_source, "withdrawing consent did not confirm")
        sign_in(driver, base, prime_owner)
        driver.get(detail)
        check("このサプライヤーの証明書は、あなたの組織と共有されていません" in driver.page_source,
              "after the withdrawal the prime's detail does not say why it shows counts only")
        main_text = driver.find_element(By.TAG_NAME, "main").text
        check(re.search(r"要件 \d+ 件", main_text) and "共有されている証明書" not in main_text,
              "after the withdrawal the detail does not show counts only:\n" + main_text[:2000])
        shot(driver, "supply-detail-withdrawn-ja")
        sign_in(driver, base, second_owner)
        second_detail = detail_url(driver, base, second, SUPPLIER)
        driver.get(second_detail)
        check("共有されている証明書" in driver.page_source,
              "the second customer lost the detail although its consent stands")
        driver.quit()
        driver = None

        step("7. English, JavaScript off")
        driver = browser(javascript=False)
        for person in (contact, prime_owner):
            sign_in(driver, base, person)
            check(driver.find_element(By.TAG_NAME, "html").get_attribute("data-enhanced") is None, "JavaScript is not off")
            driver.get(base + "/account/settings")
            Select(driver.find_element(By.NAME, "language")).select_by_value("en")
            submit(driver)
            check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "the language setting did not apply")
        sign_in(driver, base, contact)
        driver.get(f"{base}/o/{supplier}/customers")
        click(driver, consent_button(driver, PRIME, "grant"))
        check("Consent saved; it is in effect now." in driver.page_source, "granting consent in English did not confirm")
        shot(driver, "supply-customers-en")
        sign_in(driver, base, prime_owner)
        driver.get(f"{base}/o/{prime}/supply-chain")
        check(SUPPLIER in driver.page_source, "the English roll-up does not list the supplier")
        shot(driver, "supply-rollup-en")
        driver.get(detail)
        check("Shared attestation" in driver.page_source and "is not shared with your organization" not in driver.page_source,
              "consent granted again, but the English detail shows no attestation")
        shot(driver, "supply-detail-en")
        sign_in(driver, base, contact)
        driver.get(f"{base}/o/{supplier}/customers")
        click(driver, consent_button(driver, PRIME, "withdraw"))
        check("Consent withdrawn" in driver.page_source, "withdrawing consent in English did not confirm")
        sign_in(driver, base, prime_owner)
        driver.get(detail)
        check("is not shared with your organization" in driver.page_source,
              "after the withdrawal in English the detail does not say why it shows counts only")
        shot(driver, "supply-detail-withdrawn-en")
        print(f"supply-chain browser test passed in {time.time() - started:.0f} s (screenshots in {SHOTS})")
    except Exception:
        bt.report_failure(driver, "supply-failure")
        raise
    finally:
        bt.stop(driver, proc)


if __name__ == "__main__":
    main()
