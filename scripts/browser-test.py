#!/usr/bin/env python3
"""End-to-end test of the web application in a real browser (headless Chromium from Debian, driven by Selenium).

Loads the demo supply chain (`tekigo demo`) into an empty database and starts `tekigo serve` on a free loopback
port, then does what a newcomer does:
open the one-time setup link → create the administrator → sign in → enrol an authenticator (TOTP computed here) →
register a system → create an assessment → mark objectives (with an evidence file and a link) → see the score and
the charts change → plan a POA&M item → export the SSP (and the all-documents bundle, a job with progress) → given
the demo's Japanese prime (`tekigo admin grant`), open its assessment, answer an objective, export its SSP.
Then, signed in again in a browser with JavaScript turned off, the same in English: switch the language in the
settings, answer a requirement, export the SSP in English.

Screenshots of the key pages go to $TEKIGO_SCREENSHOT_DIR (default .build/browser-artifacts).

Environment: TEKIGO_BIN (the tekigo binary), TEKIGO_DATABASE_URL (optional, PostgreSQL), CHROMIUM (default
/usr/bin/chromium), CHROMEDRIVER (default /usr/bin/chromedriver). Exits non-zero with a message on the first failure.
"""
import http.cookiejar
import importlib.util
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOTS = os.environ.get("TEKIGO_SCREENSHOT_DIR", os.path.join(ROOT, ".build", "browser-artifacts"))
EMAIL = "kanri@seimitsu.example.jp"
PASSWORD = "kumo no ue no sakura 2026"


def fail(message):
    raise AssertionError(message)


def check(condition, message):
    if not condition:
        fail(message)


# TOTP and free ports as the bench scripts compute them (standard library only).
_spec = importlib.util.spec_from_file_location("bench_server", os.path.join(ROOT, "scripts", "bench-server.py"))
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)
totp, free_port = bench.totp, bench.free_port


BINARY = os.environ.get("TEKIGO_BIN", os.path.join(ROOT, ".build", "debug", "tekigo"))


def server_env():
    env = dict(os.environ)
    env.setdefault("TEKIGO_DATABASE_URL", "")
    if not env["TEKIGO_DATABASE_URL"]:
        env.pop("TEKIGO_DATABASE_URL")
    return env


def cli(*args):
    """Runs the tekigo command line on the same database as the server."""
    r = subprocess.run([BINARY, *args], env=server_env(), capture_output=True, text=True, timeout=120)
    check(r.returncode == 0, f"tekigo {' '.join(args)} failed: {r.stdout}\n{r.stderr}")
    return r.stdout


def start_server(data_dir, demo=True, extra_args=(), expect_link=True):
    """`tekigo serve` on `data_dir` (with `extra_args`), with `tekigo demo`'s data first unless `demo` is false (then
    the setup link it prints is the only way in; a server started again on the same data prints none: `expect_link`
    false). Returns the process, its base URL and the setup link; the server's output is drained so a full pipe never
    blocks it."""
    port = free_port()
    env = server_env()
    if demo:
        cli("demo", "--suppliers", "40", "--data-dir", data_dir, "--lang", "ja")
    proc = subprocess.Popen([BINARY, "serve", "--lang", "ja", "--data-dir", data_dir, "--port", str(port),
                             "--reminder-interval", "0", *extra_args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=env, text=True)
    link, lines, deadline = None, [], time.time() + 120
    while time.time() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line)
        m = re.search(r"(http://\S+/setup\?token=\S+)", line)
        if m:
            link = m.group(1)
        if "listening on" in line:
            break
    check(link is not None or not expect_link, "the server printed no setup link:\n" + "".join(lines))
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/readyz", timeout=2)
            break
        except Exception:
            time.sleep(0.2)
    threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
    return proc, base, link


def report_failure(driver, name):
    """On a failure: a screenshot named `name`, and where the browser was with the end of its page, on stderr."""
    if driver is None:
        return
    try:
        shot(driver, name, full=False)
        print("failed at", driver.current_url, file=sys.stderr)
        print(driver.page_source[-6000:], file=sys.stderr)
    except Exception:
        pass


def stop(driver, proc):
    """Closes the browser and stops the server (killed if it has not ended within 10 s)."""
    if driver is not None:
        driver.quit()
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


def browser(javascript=True):
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1600",
                "--lang=ja-JP"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "ja,en"})
    if not javascript:
        options.add_experimental_option("prefs", {"intl.accept_languages": "ja,en",
                                                  "profile.managed_default_content_settings.javascript": 2})
    service = Service(os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_page_load_timeout(30)
    return driver


def shot(driver, name, full=True):
    os.makedirs(SHOTS, exist_ok=True)
    if full:
        height = driver.execute_script("return document.body.scrollHeight") if driver.execute_script("return 1") else 1600
        driver.set_window_size(1280, min(max(int(height or 1600), 800), 6000))
    driver.save_screenshot(os.path.join(SHOTS, name + ".png"))
    driver.set_window_size(1280, 1600)


def text(driver, css):
    return driver.find_element(By.CSS_SELECTOR, css).text


def fill(driver, name, value):
    e = driver.find_element(By.NAME, name)
    e.clear()
    e.send_keys(value)


def fill_date(driver, name, value):
    """Date pickers take keystrokes in the browser's locale order; set the ISO value the form posts instead."""
    e = driver.find_element(By.NAME, name)
    driver.execute_script("arguments[0].value = arguments[1]", e, value)


def submit(driver, css="main form button[type=submit]"):
    click(driver, driver.find_element(By.CSS_SELECTOR, css))


def click(driver, element):
    """Clicks and waits for the next page to replace this one (a form post and its redirect)."""
    page = driver.find_element(By.TAG_NAME, "html").id
    element.click()

    def replaced(d):
        try:
            return d.find_element(By.TAG_NAME, "html").id != page and d.execute_script("return document.readyState") == "complete"
        except WebDriverException:
            return False  # between the two pages

    WebDriverWait(driver, 30).until(replaced)


def fetch(driver, url):
    """GET `url` with the browser's cookies (downloads are attachments; fetching them here checks the bytes)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in driver.get_cookies())
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with opener.open(request, timeout=30) as r:
        return r.status, r.headers, r.read()


def mark(driver, statuses, rationale=None):
    """Sets each objective fieldset's status (list aligned with the fieldsets)."""
    fieldsets = driver.find_elements(By.CSS_SELECTOR, "fieldset.objective")
    check(len(fieldsets) >= len(statuses), f"expected {len(statuses)} objectives, found {len(fieldsets)}")
    for i, status in enumerate(statuses):
        # The keyboard, as a person without a mouse would (and the sticky save bar never covers it).
        fieldsets[i].find_element(By.CSS_SELECTOR, f"input[type=radio][value='{status}']").send_keys(Keys.SPACE)
    if rationale:
        fill(driver, "o0_rationale", rationale)


def sign_in(driver, base, secret, at_offset):
    driver.get(base + "/login")
    fill(driver, "email", EMAIL)
    fill(driver, "password", PASSWORD)
    submit(driver)
    check("/login/mfa" in driver.current_url, f"after the password, expected the code page, got {driver.current_url}")
    fill(driver, "code", totp(secret, time.time() + at_offset))
    submit(driver)


# People with their own authenticator, for the journeys that sign several people in and out
# (browser-supply-chain.py, browser-incident.py, browser-exercise.py import these).
ORG_PATH = re.compile(r"/o/([0-9a-f-]{36})")


class Person:
    """An account: its e-mail, its authenticator's secret, the last TOTP time step used (codes are single-use)."""

    def __init__(self, email):
        self.email, self.secret, self.step = email, None, 0

    def code(self):
        step = max(int(time.time() // 30), self.step + 1)
        while step > int(time.time() // 30) + 1:  # the server takes the next step's code, never two ahead
            time.sleep(1)
        self.step = step
        return totp(self.secret, step * 30)


def step(message):
    print(time.strftime("%H:%M:%S"), message, flush=True)


def sign_in_person(driver, base, person, password=PASSWORD):
    """Signed out first; password, then the person's next code when asked."""
    driver.delete_all_cookies()
    driver.get(base + "/login")
    fill(driver, "email", person.email)
    fill(driver, "password", password)
    submit(driver)
    if "/login/mfa" in driver.current_url:
        fill(driver, "code", person.code())
        submit(driver)
    check("/login" not in driver.current_url, f"{person.email} could not sign in: {driver.current_url}")


def enrol(driver, person):
    """On the enrolment page (sent there, or opened): start, read the secret, confirm with a code, continue."""
    if "/account/mfa" not in driver.current_url:
        driver.get(driver.current_url.split("/o/")[0].split("/account")[0].split("/login")[0] + "/account/mfa")
    submit(driver)
    person.secret = driver.find_element(By.ID, "mfa-secret").get_attribute("data-secret")
    check(person.secret and len(person.secret) >= 16, "no TOTP secret on the enrolment page")
    fill(driver, "code", person.code())
    submit(driver)
    check(len(driver.find_elements(By.CSS_SELECTOR, "#recovery-codes li")) >= 8, f"{person.email}: no recovery codes")
    click(driver, driver.find_element(By.CSS_SELECTOR, "main a.button"))


def current_org(driver, what):
    m = ORG_PATH.search(driver.current_url)
    check(m, f"{what}: not in an organization: {driver.current_url}")
    return m.group(1)


def owner_through_setup(driver, link, organization, display_name, person, password=PASSWORD):
    """The first owner through the setup link: organization and account, sign-in, authenticator; its organization's id."""
    step("1. the prime's owner through the setup link")
    driver.get(link)
    fill(driver, "organization", organization)
    fill(driver, "display_name", display_name)
    fill(driver, "email", person.email)
    fill(driver, "password", password)
    fill(driver, "password_again", password)
    submit(driver)
    fill(driver, "email", person.email)
    fill(driver, "password", password)
    submit(driver)
    check("/account/mfa" in driver.current_url, f"the owner was not sent to enrolment: {driver.current_url}")
    enrol(driver, person)
    return current_org(driver, "the prime's owner")


def supplier_through_invitation(driver, base, customer, organization, display_name, person, note, password=PASSWORD):
    """The customer's signed-in owner invites a supplier by e-mail; the supplier's contact accepts with a new account and
    organization and enrols an authenticator. The supplier's organization id (its owner left signed in)."""
    step("2. the prime invites the machine shop as its supplier")
    driver.get(f"{base}/o/{customer}/suppliers")
    fill(driver, "email", person.email)
    fill(driver, "note", note)
    submit(driver, "main form.stack button[type=submit]")
    links = driver.find_elements(By.ID, "invitation-link")
    check(links, "no invitation link shown:\n" + driver.find_element(By.TAG_NAME, "main").text)
    invitation = links[0].get_attribute("value")

    step("3. the shop's owner accepts: account, organization, authenticator")
    driver.delete_all_cookies()
    driver.get(invitation)
    fill(driver, "organization_name", organization)
    fill(driver, "display_name", display_name)
    fill(driver, "email", person.email)
    fill(driver, "password", password)
    fill(driver, "password_again", password)
    submit(driver)
    fill(driver, "email", person.email)
    fill(driver, "password", password)
    submit(driver)
    check("/account/mfa" in driver.current_url, f"the shop's owner was not sent to enrolment: {driver.current_url}")
    enrol(driver, person)
    driver.get(base + "/")
    return current_org(driver, "the shop's owner")


def main():
    data_dir = tempfile.mkdtemp(prefix="tekigo-browser-")
    proc, base, link = start_server(data_dir)
    driver = None
    try:
        driver = browser()
        # 1. Setup link → the first administrator and the organization.
        driver.get(link)
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ja", "the setup page is not Japanese")
        fill(driver, "organization", "株式会社デモ精密工業")
        fill(driver, "display_name", "管理 花子")
        fill(driver, "email", EMAIL)
        fill(driver, "password", PASSWORD)
        fill(driver, "password_again", "a different passphrase 9")
        submit(driver)
        check("field-error" in driver.page_source, "a mismatched password was not reported next to the field")
        check(driver.find_element(By.NAME, "email").get_attribute("value") == EMAIL, "the e-mail was not kept")
        fill(driver, "password", PASSWORD)
        fill(driver, "password_again", PASSWORD)
        submit(driver)
        check("/login" in driver.current_url, f"setup did not lead to sign-in: {driver.current_url}")
        shot(driver, "login-ja", full=False)

        # 2. Sign in; an administrator must enrol an authenticator first (SP 800-171 3.5.3).
        fill(driver, "email", EMAIL)
        fill(driver, "password", PASSWORD)
        submit(driver)
        check("/account/mfa" in driver.current_url, f"the administrator was not sent to enrolment: {driver.current_url}")
        submit(driver)
        secret = driver.find_element(By.ID, "mfa-secret").get_attribute("data-secret")
        check(secret and len(secret) >= 16, "no TOTP secret on the enrolment page")
        shot(driver, "mfa-enrol-ja", full=False)
        fill(driver, "code", "000000" if totp(secret) != "000000" else "111111")
        submit(driver)
        check("field-error" in driver.page_source or "class=\"error\"" in driver.page_source, "a wrong code was accepted")
        fill(driver, "code", totp(secret))
        submit(driver)
        codes = driver.find_elements(By.CSS_SELECTOR, "#recovery-codes li")
        check(len(codes) >= 8, f"expected recovery codes, found {len(codes)}")
        click(driver, driver.find_element(By.CSS_SELECTOR, "main a.button"))

        # 3. Dashboard with nothing yet → register a system → create an assessment.
        check(re.search(r"/o/[0-9a-f-]+$", driver.current_url), f"not on the dashboard: {driver.current_url}")
        org_url = driver.current_url
        check("はじめに" in driver.page_source, "the empty dashboard does not say how to start")
        click(driver, driver.find_element(By.LINK_TEXT, "システム"))
        # The server checks too: with the browser's own `required` check removed, an empty name comes back marked.
        driver.execute_script("document.querySelectorAll('[required]').forEach(e => e.removeAttribute('required'))")
        submit(driver)
        check("field-error" in driver.page_source, "an empty system name was not reported")
        fill(driver, "name", "生産管理システム")
        fill(driver, "boundary", "本社工場の設計・生産管理ネットワーク")
        fill(driver, "types", "図面、仕様書")
        fill(driver, "users", "12")
        submit(driver)
        check("保存しました" in driver.page_source, "saving the system did not confirm")
        click(driver, driver.find_element(By.LINK_TEXT, "評価"))
        submit(driver)
        check("/assessments/" in driver.current_url, f"creating the assessment did not open it: {driver.current_url}")
        assessment_url = driver.current_url
        score_before = text(driver, "#sprs-score")
        progress_before = text(driver, "#progress-count")
        gauge_before = driver.find_element(By.ID, "sprs-gauge").get_attribute("innerHTML")

        # 4. Objectives: all of 3.1.1 met with a file and a link; 3.12.4 (the SSP) met, so a score exists.
        click(driver, driver.find_element(By.ID, "continue-link"))
        check(driver.current_url.endswith("/requirements/3.1.1"), f"continue did not open 3.1.1: {driver.current_url}")
        shot(driver, "editor-ja")
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("data-enhanced") == "1", "app.js did not run")
        n = len(driver.find_elements(By.CSS_SELECTOR, "fieldset.objective"))
        mark(driver, ["met"] * n, rationale="アカウント管理規程に基づき、承認された利用者だけを登録している。")
        evidence = os.path.join(data_dir, "アカウント一覧.csv")
        with open(evidence, "w", encoding="utf-8") as f:
            f.write("user,role\nhanako,admin\n")
        driver.find_element(By.NAME, "o0_file").send_keys(evidence)
        # As above, past the browser's own check (type=url) to the server's.
        driver.execute_script("document.querySelectorAll('input[type=url]').forEach(e => e.type = 'text')")
        fill(driver, "o1_link", "not a link")
        click(driver, driver.find_element(By.ID, "save-next"))
        check("field-error" in driver.page_source, "a bad evidence link was not reported")
        check("アカウント管理規程" in driver.page_source, "the rationale was lost on a validation error")
        fill(driver, "o1_link", "https://intranet.example.jp/policies/account")
        driver.find_element(By.NAME, "o0_file").send_keys(evidence)
        click(driver, driver.find_element(By.ID, "save-next"))
        check(driver.current_url.split("?")[0].endswith("/requirements/3.1.2"), f"save-and-next went to {driver.current_url}")
        driver.get(assessment_url.replace("/assessments/", "/assessments/") + "/requirements/3.1.1")
        check("アカウント一覧.csv" in driver.page_source, "the uploaded evidence is not listed on the objective")
        check("intranet.example.jp" in driver.page_source, "the evidence link is not listed")
        driver.get(assessment_url + "/requirements/3.12.4")
        n = len(driver.find_elements(By.CSS_SELECTOR, "fieldset.objective"))
        mark(driver, ["met"] * n)
        fill(driver, "implementation", "システムセキュリティ実装計画書を作成し、年1回見直している。")
        submit(driver, "button[name=go][value=stay]")
        # 3.1.2: one objective not met → a POA&M draft.
        driver.get(assessment_url + "/requirements/3.1.2")
        n = len(driver.find_elements(By.CSS_SELECTOR, "fieldset.objective"))
        mark(driver, ["not-met"] + ["met"] * (n - 1))
        submit(driver, "button[name=go][value=stay]")

        # 5. The score and the charts changed.
        driver.get(assessment_url)
        score_after = text(driver, "#sprs-score")
        check(score_after != score_before, f"the score did not change ({score_before} → {score_after})")
        check(text(driver, "#progress-count") != progress_before, "the progress did not change")
        check(driver.find_element(By.ID, "sprs-gauge").get_attribute("innerHTML") != gauge_before, "the gauge did not change")
        shot(driver, "overview-ja", full=False)
        driver.get(org_url)
        check("<svg" in driver.page_source and "chart-families" in driver.page_source, "the dashboard has no charts")
        check(text(driver, "#sprs-score") == score_after, "the dashboard's score differs from the overview's")
        shot(driver, "dashboard-ja")
        # Usable at 360 px: nothing wider than the screen (tables scroll inside themselves).
        driver.set_window_size(360, 800)
        for path in (org_url, assessment_url + "/requirements/3.1.1", assessment_url + "/poam"):
            driver.get(path)
            width = driver.execute_script("return document.documentElement.scrollWidth")
            inner = driver.execute_script("return window.innerWidth")
            wide = driver.execute_script(
                "return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth)"
                ".slice(0, 5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right))")
            check(width <= inner, f"{path} is {width}px wide in a {inner}px window: {wide}")
        driver.save_screenshot(os.path.join(SHOTS, "poam-360.png"))
        driver.set_window_size(1280, 1600)

        # 6. POA&M: the draft for 3.1.2 gets a date and a milestone.
        driver.get(assessment_url + "/poam")
        check("3.1.2" in driver.page_source, "3.1.2 is not on the POA&M board")
        click(driver, driver.find_element(By.PARTIAL_LINK_TEXT, "3.1.2"))
        fill_date(driver, "scheduled", "2027-03-31")
        fill(driver, "m0_description", "アクセス権限表の見直し")
        fill_date(driver, "m0_due", "2027-01-31")
        fill(driver, "owner", "情報システム課")
        submit(driver)
        check("/poam" in driver.current_url and "保存しました" in driver.page_source, "the POA&M item was not saved")
        shot(driver, "poam-ja")

        # 7. Export the SSP (Japanese HTML) and the all-documents bundle (a job with progress).
        driver.get(assessment_url)
        click(driver, driver.find_element(By.ID, "exports-link"))
        shot(driver, "exports-ja", full=False)
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a.format")]
        ssp = next(h for h in links if "/export/ssp?" in h and "format=html" in h and "lang=ja" in h)
        status, headers, body = fetch(driver, ssp)
        check(status == 200 and "attachment" in headers.get("Content-Disposition", ""), "the SSP download failed")
        check("システムセキュリティ実装計画書" in body.decode("utf-8"), "the SSP is not the Japanese SSP")
        check("3.1.1" in body.decode("utf-8"), "the SSP does not list 3.1.1")
        submit(driver, "main form.inline-form button[type=submit]")
        deadline = time.time() + 90
        while time.time() < deadline:
            state = driver.find_element(By.ID, "job-state").get_attribute("data-state")
            if state in ("finished", "failed"):
                break
            time.sleep(1)
            driver.refresh()
        check(state == "finished", f"the export job ended as {state}")
        status, headers, body = fetch(driver, driver.find_element(By.ID, "job-download").get_attribute("href"))
        check(status == 200 and body[:2] == b"PK", "the bundle is not a ZIP")

        # The demo data: this account is given the demo's Japanese prime, whose own assessment is there to go on with.
        cli("admin", "grant", "--email", EMAIL, "--org", "demo-prime-jp", "--role", "owner", "--data-dir", data_dir)
        driver.get(base + "/")
        check("大和重工業株式会社" in driver.page_source, "the demo prime is not among the organizations")
        click(driver, driver.find_element(By.LINK_TEXT, "大和重工業株式会社"))
        check(re.fullmatch(r"-?\d+", text(driver, "#sprs-score")), f"the demo prime has no score: {text(driver, '#sprs-score')}")
        shot(driver, "demo-prime-dashboard-ja")
        click(driver, driver.find_element(By.LINK_TEXT, "評価を開く"))
        prime_assessment = driver.current_url
        driver.get(prime_assessment + "/requirements/3.1.1")
        n = len(driver.find_elements(By.CSS_SELECTOR, "fieldset.objective"))
        mark(driver, ["met"] * n, rationale="元請の情報システム部が四半期ごとにアカウントを棚卸ししている。")
        submit(driver, "button[name=go][value=stay]")
        check("保存しました" in driver.page_source, "answering the demo prime's objective did not save")
        driver.get(prime_assessment + "/exports")
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a.format")]
        ssp = next(h for h in links if "/export/ssp?" in h and "format=html" in h and "lang=ja" in h)
        status, headers, body = fetch(driver, ssp)
        check(status == 200 and "大和重工業株式会社" in body.decode("utf-8") and "四半期ごと" in body.decode("utf-8"),
              "the demo prime's SSP does not carry its name and the new answer")
        driver.quit()
        driver = None

        # 8. English, in a browser with JavaScript off: every core flow works without it.
        driver = browser(javascript=False)
        sign_in(driver, base, secret, at_offset=30)
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("data-enhanced") is None, "JavaScript is not off")
        driver.get(base + "/account/settings")
        Select(driver.find_element(By.NAME, "language")).select_by_value("en")
        submit(driver)
        check(driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en", "the language setting did not apply")
        driver.get(org_url)
        check("Dashboard" in driver.page_source and "SPRS score" in driver.page_source, "the dashboard is not in English")
        shot(driver, "dashboard-en")
        driver.get(assessment_url + "/requirements/3.1.3")
        n = len(driver.find_elements(By.CSS_SELECTOR, "fieldset.objective"))
        mark(driver, ["met"] * n, rationale="Flow control enforced at the firewall.")
        submit(driver, "button[name=go][value=stay]")
        check("Saved." in driver.page_source, "saving without JavaScript did not confirm")
        shot(driver, "editor-en")
        driver.get(assessment_url)
        check("Assessment overview" in driver.page_source, "the overview is not in English")
        shot(driver, "overview-en", full=False)
        driver.get(assessment_url + "/exports")
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "a.format")]
        ssp = next(h for h in links if "/export/ssp?" in h and "format=html" in h and "lang=en" in h)
        status, headers, body = fetch(driver, ssp)
        check(status == 200 and "System Security Plan" in body.decode("utf-8"), "the English SSP download failed")
        # Errors are pages in the user's language, never a stack trace.
        driver.get(base + "/o/00000000-0000-0000-0000-000000000000")
        check("Not found" in driver.page_source and "Request id" in driver.page_source, "the not-found page is not in English")
        print(f"browser test passed (screenshots in {SHOTS})")
    except Exception:
        report_failure(driver, "failure")
        raise
    finally:
        stop(driver, proc)


if __name__ == "__main__":
    main()
