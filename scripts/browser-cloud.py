#!/usr/bin/env python3
"""Cloud services in a real browser (issue 15's done-when): headless Chromium driven by Selenium, in Japanese, nothing
through the API.

Imports the FedRAMP Marketplace slice with the command line (the registry is the platform's: an operator's step),
then starts `tekigo serve`. The prime's owner comes in through the setup link and invites a machine shop as its
supplier; the shop's owner accepts (account, organization, authenticator). On the shop's cloud pages
(/o/:org/cloud) the owner adds the FedRAMP Authorized (Moderate) service it keeps drawings in, holding CUI, and sees
it listed with the Marketplace's standing; its page shows the registry's word and what is still missing (the
(c)–(g) commitments). The prime opens its view of the cloud services its suppliers use (/o/:org/supply-chain/cloud),
in Japanese: the shop has signed no attestation yet, so nothing is shown of it. The shop then registers a system,
opens an assessment, consents to the prime, previews an attestation (which names the service holding CUI) and signs
it; the prime now sees the shop depending on the provider, with the Marketplace's standing.

Then (issue 15 item 4) the shop imports the provider's customer responsibility matrix (a CRM CSV) on the service's page
and sees the controls counted by side and the row left out; the editor of 3.10.1 shows the requirement provided by the
service (inherited) with the provider's evidence, nothing recorded yet; the owner ticks one objective, chooses 適合 and
confirms; the editor then shows the finding met, confirmed, with the provider's evidence listed.

Screenshots (cloud-list-ja, cloud-service-ja, cloud-attestation-preview-ja, cloud-matrix-ja, cloud-inheritance-ja,
cloud-inheritance-confirmed-ja, cloud-chain-prime-ja) go to $TEKIGO_SCREENSHOT_DIR.
Environment: TEKIGO_BIN, TEKIGO_DATABASE_URL (optional, PostgreSQL), CHROMIUM, CHROMEDRIVER — as browser-test.py.
"""
import importlib.util
import json
import os
import tempfile
import time

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

_spec = importlib.util.spec_from_file_location("browser_test", os.path.join(ROOT, "scripts", "browser-test.py"))
bt = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bt)
check, fill, submit, click, shot, browser = bt.check, bt.fill, bt.submit, bt.click, bt.shot, bt.browser
SHOTS, Person, step, enrol, current_org = bt.SHOTS, bt.Person, bt.step, bt.enrol, bt.current_org

SLICE = os.path.join(ROOT, "..", "shared", "data", "fedramp", "marketplace-slice-2026-04-28.json")
PASSWORD = "kumo no ue no sakura 2026"
PRIME = "大和精機株式会社"
PRIME_EMAIL = "scm@yamato-seiki.example.jp"
SHOP = "有限会社高橋製作所"
SHOP_EMAIL = "takahashi@takahashi-ss.example.jp"
SERVICE_NAME = "図面保管クラウド"
EVIDENCE = "FedRAMP パッケージの CRM（2026年3月版）"
# A customer responsibility matrix in the FedRAMP CRM worksheet's columns; ZZ-9 is no SP 800-53 control (left out).
CRM = (
    "Control ID,Responsibility,Specific Inheritance and Customer Agency/CSP Responsibilities\n"
    "PE-2,Provider,Data centre access lists\n"
    "PE-3,Inherited from pre-existing FedRAMP Authorization,From the IaaS underneath\n"
    "PE-5,Provider,Monitors stay inside the data centre\n"
    "AC-3,Customer,Customers set their own permissions\n"
    "ZZ-9,Provider,not a control\n"
)


def main_text(driver):
    return driver.find_element(By.TAG_NAME, "main").text


def moderate_product():
    with open(SLICE, encoding="utf-8") as f:
        products = json.load(f)["data"]["Products"]
    return next(p for p in products if p.get("status") == "FedRAMP Authorized" and p.get("impact_level") == "Moderate")


def main():
    data_dir = tempfile.mkdtemp(prefix="tekigo-browser-cloud-")
    product = moderate_product()
    step("0. the operator imports the FedRAMP Marketplace (command line)")
    where = [] if os.environ.get("TEKIGO_DATABASE_URL") else ["--data-dir", data_dir]
    bt.cli("cloud", "import-fedramp", SLICE, *where)
    proc, base, link = bt.start_server(data_dir, demo=False)
    prime_owner, shop_owner = Person(PRIME_EMAIL), Person(SHOP_EMAIL)
    driver = None
    started = time.time()
    try:
        driver = browser()
        prime = bt.owner_through_setup(driver, link, PRIME, "調達 一郎", prime_owner, PASSWORD)
        shop = bt.supplier_through_invitation(driver, base, prime, SHOP, "高橋 健", shop_owner, "防衛向け精密加工部品", PASSWORD)

        step("4. the shop adds the cloud service it keeps drawings in (CUI), in Japanese")
        driver.get(f"{base}/o/{shop}/cloud")
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja", "the cloud page is not in Japanese")
        fill(driver, "ref", "fedramp:" + product["id"])
        fill(driver, "name", SERVICE_NAME)
        Select(driver.find_element(By.ID, "information")).select_by_value("cui")
        submit(driver, "main form[method=post] button[type=submit]")
        driver.get(f"{base}/o/{shop}/cloud")
        text = main_text(driver)
        check(SERVICE_NAME in text and "fedramp:" + product["id"] in text,
              "the service is not listed after adding it:\n" + text[:2000])
        check("FedRAMP Authorized" in text and "Moderate" in text, "the list does not show the Marketplace's standing:\n" + text[:2000])
        shot(driver, "cloud-list-ja")

        step("5. the service's page: the registry's word and the (c)–(g) commitments still missing")
        click(driver, driver.find_element(By.LINK_TEXT, SERVICE_NAME))
        text = main_text(driver)
        check(product["csp"] in text, "the service's page does not name the provider from the registry:\n" + text[:2000])
        check("DFARS" in text, "the service's page does not name the DFARS regime:\n" + text[:2000])
        shot(driver, "cloud-service-ja")

        step("6. the prime's view of its suppliers' cloud services: nothing without the shop's attestation and consent")
        bt.sign_in_person(driver, base, prime_owner, PASSWORD)
        driver.get(f"{base}/o/{prime}/supply-chain/cloud")
        text = main_text(driver)
        check("サプライヤーが利用するクラウドサービス" in text, "the prime's cloud page is not shown in Japanese:\n" + text[:2000])
        check(SERVICE_NAME not in text and product["id"] not in text,
              "the prime sees the shop's service without an attestation or consent:\n" + text[:2000])

        step("7. the shop signs an attestation naming the service (shown on the preview) and consents to the prime")
        bt.sign_in_person(driver, base, shop_owner, PASSWORD)
        driver.get(f"{base}/o/{shop}/systems")
        fill(driver, "name", "図面管理システム")
        fill(driver, "boundary", "本社工場の設計データ")
        fill(driver, "types", "図面")
        fill(driver, "users", "5")
        submit(driver)
        check("保存しました" in driver.page_source, "saving the system did not confirm")
        driver.get(f"{base}/o/{shop}/assessments")
        submit(driver)
        check("/assessments/" in driver.current_url, f"creating the assessment did not open it: {driver.current_url}")
        assessment_url = driver.current_url.split("?")[0].split("#")[0]
        driver.get(f"{base}/o/{shop}/customers")
        buttons = [b for f in driver.find_elements(By.CSS_SELECTOR, "main form") if f.get_attribute("action").endswith("/consent")
                   for b in f.find_elements(By.CSS_SELECTOR, "button") if PRIME in (b.get_attribute("aria-label") or "")]
        check(buttons, "no consent button for the prime:\n" + main_text(driver)[:2000])
        click(driver, buttons[0])
        check("開示の同意を保存しました" in driver.page_source, "granting consent to the prime did not confirm")
        driver.get(f"{base}/o/{shop}/attestations")
        submit(driver, "main form[method=get] button[type=submit]")
        text = main_text(driver)
        check("CUI を保管するクラウドサービス" in text and "fedramp:" + product["id"] in text,
              "the preview does not name the cloud service holding CUI:\n" + text[:2000])
        shot(driver, "cloud-attestation-preview-ja")
        submit(driver, "main form[method=post] button[type=submit]")
        check("証明書に署名して発行しました" in driver.page_source, "signing the attestation did not confirm:\n" + main_text(driver)[:2000])

        step("7b. the shop imports the provider's responsibility matrix on the service's page")
        driver.get(f"{base}/o/{shop}/cloud")
        click(driver, driver.find_element(By.LINK_TEXT, SERVICE_NAME))
        service_url = driver.current_url.split("?")[0]
        crm = os.path.join(data_dir, "crm.csv")
        with open(crm, "w", encoding="utf-8") as f:
            f.write(CRM)
        driver.find_element(By.ID, "matrix_file").send_keys(crm)
        fill(driver, "evidence_reference", EVIDENCE)
        submit(driver, "form[enctype='multipart/form-data'] button[type=submit]")
        check(driver.current_url.split("?")[0].split("#")[0] == service_url, f"importing did not come back to the service: {driver.current_url}")
        text = main_text(driver)
        check("crm.csv" in text and EVIDENCE in text, "the service's page does not show the imported matrix:\n" + text[:3000])
        check("取り込まなかった行" in text and "ZZ-9" in text, "the row left out is not shown with its warning:\n" + text[:3000])
        shot(driver, "cloud-matrix-ja")

        step("7c. the editor of 3.10.1: provided by the service (inherited), with the provider's evidence; nothing recorded yet")
        driver.get(f"{assessment_url}/requirements/3.10.1")
        text = main_text(driver)
        check(f"{SERVICE_NAME} が提供（継承）" in text and EVIDENCE in text and "Data centre access lists" in text,
              "the editor does not show the inheritance block:\n" + text[:3000])
        check("確認済み" not in text, "an objective shows as confirmed before anyone confirmed it:\n" + text[:3000])
        shot(driver, "cloud-inheritance-ja")
        box = driver.find_element(By.CSS_SELECTOR, "#inh0 input[name=objectives]")
        objective = box.get_attribute("value")
        box.click()
        Select(driver.find_element(By.ID, "inh0-status")).select_by_value("met")
        fill(driver, "rationale", "事業者の年次評価報告書で物理的アクセス管理を確認")
        submit(driver, "#inh0 form button[type=submit]")
        check("保存しました" in driver.page_source, "confirming the inheritance did not confirm:\n" + main_text(driver)[:3000])

        step("7d. the finding is shown met, confirmed from the service, with the provider's evidence")
        text = main_text(driver)
        check("確認済み（適合）" in text, "the objective is not shown as confirmed met:\n" + text[:3000])
        fieldset = driver.find_element(By.ID, "objective-0")
        check(objective in fieldset.text, f"the first objective's fieldset is not {objective}:\n" + fieldset.text)
        met = fieldset.find_element(By.CSS_SELECTOR, "input[type=radio][value=met]")
        check(met.is_selected(), "the objective's status is not met after confirming")
        check(f"{SERVICE_NAME} (fedramp:{product['id']}): {EVIDENCE}" in fieldset.text,
              "the objective does not list the provider's evidence:\n" + fieldset.text)
        check("事業者の年次評価報告書で物理的アクセス管理を確認" in driver.find_element(By.ID, "o0_rationale").get_attribute("value"),
              "the rationale given is not the finding's")
        other = driver.find_element(By.ID, "objective-1")
        check(other.find_element(By.CSS_SELECTOR, "input[type=radio][value=not-assessed]").is_selected() or
              not any(r.is_selected() for r in other.find_elements(By.CSS_SELECTOR, "input[type=radio]")),
              "an objective not ticked changed its status")
        shot(driver, "cloud-inheritance-confirmed-ja")

        step("8. the prime sees the shop depending on the provider, with its FedRAMP standing")
        bt.sign_in_person(driver, base, prime_owner, PASSWORD)
        driver.get(f"{base}/o/{prime}/supply-chain/cloud")
        text = main_text(driver)
        check(SHOP in text and "fedramp:" + product["id"] in text and "FedRAMP Authorized" in text and "要件を満たす" in text,
              "the prime does not see the shop's provider and its standing:\n" + text[:2000])
        shot(driver, "cloud-chain-prime-ja")

        step("9. 360 px wide: the pages do not scroll sideways")
        driver.set_window_size(360, 800)
        driver.get(f"{base}/o/{prime}/supply-chain/cloud")
        width = driver.execute_script("return document.documentElement.scrollWidth")
        check(width <= 360, f"the prime's cloud page is {width} px wide at 360 px")
        driver.set_window_size(1280, 1600)
        print(f"cloud browser test passed in {time.time() - started:.0f} s (screenshots in {SHOTS})")
    except Exception:
        bt.report_failure(driver, "cloud-failure")
        raise
    finally:
        bt.stop(driver, proc)


if __name__ == "__main__":
    main()
