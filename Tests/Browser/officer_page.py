#!/usr/bin/env python3
"""Drives the officers' page in headless Chromium through chromedriver (WebDriver, plain HTTP + JSON).

An officer signs in with the keyboard, searches a company by part of its Chinese name, opens its
report from the results with the keyboard, records feedback for a measure of the officer's own
department, sees it in the reloaded report, keeps a screenshot (PNG) and signs out.

    officer_page.py --url http://127.0.0.1:8080 --token TOKEN --query 华兴 --code 91350200MA2XH1K70Y \
                    --department sat --case-number '稽查〔2025〕7号' --date 2025-07-09 --screenshot out.png

Prints one JSON object (what it saw) on success and exits 0; exits 1 when the page does not behave,
2 when Chromium or chromedriver is missing. Standard library only. Every wait polls an observable
condition a bounded number of times; chromedriver and the browser are killed on every path.
"""
import argparse
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
ENTER = "\ue007"


class PageError(Exception):
    pass


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def find(names, what):
    for name in names:
        path = shutil.which(name) or (name if os.path.isabs(name) and os.access(name, os.X_OK) else None)
        if path:
            return path
    print(f"{what} not found (looked for {', '.join(names)}): install Debian's chromium and chromium-driver (scripts/setup)",
          file=sys.stderr)
    sys.exit(2)


class WebDriver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None, timeout=60):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as r:
                return json.loads(r.read() or b"null").get("value")
        except urllib.error.HTTPError as e:
            detail = e.read().decode(errors="replace")
            raise PageError(f"{method} {path}: HTTP {e.code}: {detail[:400]}") from None

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def wait_ready(self, tries=200):
        for _ in range(tries):
            try:
                if self.call("GET", "/status", timeout=2).get("ready"):
                    return
            except (OSError, PageError):
                pass
            time.sleep(0.05)
        raise PageError("chromedriver did not become ready")

    def start(self, chromium, profile):
        caps = {"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1280,2400", "--lang=zh-CN",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions"]},
        }}}
        self.session = self.call("POST", "/session", caps, timeout=120)["sessionId"]
        # Finding an element waits (inside chromedriver) up to 20 s for it to appear (CI runs tests side by side).
        self.s("POST", "/timeouts", {"implicit": 20000, "pageLoad": 30000, "script": 10000})

    def element(self, css):
        return self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def elements(self, css):
        return [e[ELEMENT] for e in self.s("POST", "/elements", {"using": "css selector", "value": css})]

    def text(self, element):
        return self.s("GET", f"/element/{element}/text")

    def displayed(self, element):
        return self.s("GET", f"/element/{element}/displayed")

    def type(self, element, text):
        self.s("POST", f"/element/{element}/value", {"text": text})

    def focused(self, element):
        return self.script("return document.activeElement === arguments[0];", {ELEMENT: element})

    def script(self, source, *args):
        return self.s("POST", "/execute/sync", {"script": source, "args": list(args)})

    def until(self, what, condition, tries=300, pause=0.1):
        """Polls `condition` (a function returning a truthy value) up to `tries` times."""
        for _ in range(tries):
            try:
                last = condition()
            except PageError:   # e.g. an element replaced while the page re-renders
                last = None
            if last:
                return last
            time.sleep(pause)
        raise PageError(f"timed out waiting for {what}")

    def quit(self):
        if self.session:
            try:
                self.call("DELETE", f"/session/{self.session}", timeout=10)
            except (OSError, PageError):
                pass


def run(args, driver):
    seen = {}
    driver.s("POST", "/url", {"url": args.url + "/"})
    token = driver.element("#token")
    driver.until("the sign-in form", lambda: driver.displayed(token))
    seen["title"] = driver.s("GET", "/title")
    # Keyboard only: type the token and press Enter.
    driver.type(token, args.token + ENTER)
    q = driver.element("#q")
    driver.until("the search form after signing in", lambda: driver.displayed(q))
    who = driver.text(driver.element("#who-name"))
    if args.department not in who:
        raise PageError(f"the signed-in officer is shown as {who!r}, not of department {args.department}")
    seen["who"] = who
    if not driver.focused(q):
        raise PageError("the search field does not have the focus after signing in")

    driver.type(q, args.query + ENTER)
    driver.until("search results", lambda: driver.elements("#hits button.open"))
    hits = driver.elements("#hits button.open")
    names = [driver.text(h) for h in hits]
    seen["hits"] = names
    codes = [driver.s("GET", f"/element/{h}/attribute/data-code") for h in hits]
    if args.code not in codes:
        raise PageError(f"{args.code} is not among the results {codes}")
    # Keyboard: the first result has the focus; Tab to the wanted one and press Enter.
    if not driver.focused(hits[0]):
        raise PageError("the first search result does not have the focus")
    target = hits[codes.index(args.code)]
    for _ in range(codes.index(args.code)):
        driver.s("POST", "/actions", {"actions": [{"type": "key", "id": "kb", "actions": [
            {"type": "keyDown", "value": "\ue004"}, {"type": "keyUp", "value": "\ue004"}]}]})
    if not driver.focused(target):
        raise PageError("Tab does not reach the wanted result")
    driver.type(target, ENTER)

    title = driver.element("#report-title")
    driver.until("the report", lambda: args.code in driver.text(title))
    seen["report_title"] = driver.text(title)
    report = driver.element("#report")
    text = driver.text(report)
    for part, label in [("成因记录", "causes"), ("来源", "provenance"), ("状态变更记录", "history"), ("依据", "legal basis")]:
        if part not in text:
            raise PageError(f"the report shows no {label} ({part})")

    forms = driver.elements(f"#report .measure form.feedback")
    if not forms:
        raise PageError(f"the report offers no feedback form for department {args.department}")
    form = forms[0]
    measure = driver.s("GET", f"/element/{form}/attribute/data-measure")
    seen["measure"] = measure
    case = driver.s("POST", f"/element/{form}/element", {"using": "css selector", "value": "input[name=case_number]"})[ELEMENT]
    date = driver.s("POST", f"/element/{form}/element", {"using": "css selector", "value": "input[name=date]"})[ELEMENT]
    seen["date_default"] = driver.s("GET", f"/element/{date}/property/value")
    if args.date:
        driver.script("arguments[0].value = arguments[1];", {ELEMENT: date}, args.date)
    driver.type(case, args.case_number + ENTER)

    def applied():
        for p in driver.elements("#report .applied"):
            t = driver.text(p)
            if args.case_number in t:
                return t
        return None
    seen["applied"] = driver.until("the recorded feedback in the report", applied, tries=60)
    status = driver.until("the confirmation", lambda: (lambda t: t if args.case_number in t else None)(driver.text(driver.element("#status"))))
    seen["status"] = status
    # The keyboard stays at the measure just given feedback, not at the top of the report.
    focused = driver.script("const a = document.activeElement; return a && a.dataset ? a.dataset.measure || null : null;")
    if focused != measure:
        raise PageError(f"after feedback the focus is on {focused!r}, not on the measure {measure}")

    resources = driver.script("return performance.getEntriesByType('resource').map(e => e.name);")
    origin = args.url.rstrip("/")
    foreign = [r for r in resources if not r.startswith(origin)]
    if foreign:
        raise PageError(f"the page loaded external resources: {foreign}")
    seen["resources"] = len(resources)

    driver.script("arguments[0].scrollIntoView({block: 'center'});",
                  {ELEMENT: driver.until("the feedback line", lambda: driver.elements("#report .applied"))[0]})
    png = base64.b64decode(driver.s("GET", "/screenshot"))
    os.makedirs(os.path.dirname(os.path.abspath(args.screenshot)), exist_ok=True)
    with open(args.screenshot, "wb") as f:
        f.write(png)
    seen["screenshot"] = os.path.abspath(args.screenshot)

    sign_out = driver.element("#sign-out")
    driver.s("POST", f"/element/{sign_out}/click", {})
    token = driver.element("#token")
    driver.until("the sign-in form after signing out", lambda: driver.displayed(token))
    seen["signed_out"] = True
    return seen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--query", required=True, help="part of the company's name")
    parser.add_argument("--code", required=True, help="the company's code, expected among the results")
    parser.add_argument("--department", required=True)
    parser.add_argument("--case-number", required=True)
    parser.add_argument("--date", help="the feedback's date (default: the form's)")
    parser.add_argument("--screenshot", required=True)
    parser.add_argument("--timeout", type=int, default=180, help="seconds for the whole run")
    args = parser.parse_args()

    chromium = find(["chromium", "chromium-browser", "google-chrome"], "Chromium")
    chromedriver = find(["chromedriver", "/usr/lib/chromium/chromedriver"], "chromedriver")
    profile = tempfile.mkdtemp(prefix="officer-page-")
    port = free_port()
    log = open(os.path.join(profile, "chromedriver.log"), "w")
    driver_process = subprocess.Popen([chromedriver, f"--port={port}"], stdout=log, stderr=subprocess.STDOUT,
                                      stdin=subprocess.DEVNULL, start_new_session=True)

    def give_up(*_):
        raise PageError(f"the run took longer than {args.timeout} s")
    signal.signal(signal.SIGALRM, give_up)
    signal.signal(signal.SIGTERM, give_up)
    signal.alarm(args.timeout)
    driver = WebDriver(port)
    code = 1
    try:
        driver.wait_ready()
        driver.start(chromium, os.path.join(profile, "profile"))
        seen = run(args, driver)
        print(json.dumps(seen, ensure_ascii=False))
        code = 0
    except PageError as e:
        print(f"officer page: {e}", file=sys.stderr)
    finally:
        signal.alarm(0)
        driver.quit()
        # chromedriver and the browser it started share a process group of their own.
        try:
            os.killpg(driver_process.pid, signal.SIGTERM)
            driver_process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(driver_process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            driver_process.wait()
        log.close()
        if code != 0:
            with open(os.path.join(profile, "chromedriver.log")) as f:
                sys.stderr.write(f.read()[-4000:])
        shutil.rmtree(profile, ignore_errors=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
