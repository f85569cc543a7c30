#!/usr/bin/env python3
"""Real-browser end-to-end test of the Cobro web app (headless Chromium through Selenium 4).

Usage: scripts/browser-e2e PATH_TO_COBRO   (or: python3 scripts/browser-e2e.py PATH_TO_COBRO)

Seeds the demo company into a fresh SQLite file in a temporary directory (`cobro demo --no-serve`),
serves it on a free loopback port (`cobro serve`, COBRO_DUNNING_AT=off) and drives the pages as the
demo users do:
  1. collector_works_first_item      ana logs a call and a promise on her first worklist entry, sees the
                                     call in the customer's timeline and requests a credit limit;
  2. manager_approves_credit_request gerente approves that request;
  3. viewer_cannot_act               ventas (viewer) gets no call form in the worklist;
  4. portal_dispute_and_payment      the customer disputes an invoice with a PDF attached, then pays an
                                     invoice through the test checkout;
  5. tampered_portal_link_refused    a portal link with one character changed is answered 404.
On a failure the screenshot and page source go to .build/browser-e2e/<scenario>.png/.html.
Exit status is non-zero if any scenario failed; the server is always stopped.
"""
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT = 10  # seconds for every explicit wait
REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
ARTIFACTS = os.path.join(REPO, ".build", "browser-e2e")

USERS = {
    "admin": ("admin@demo.cobro", "demo-admin-2026"),
    "manager": ("gerente@demo.cobro", "demo-manager-2026"),
    "collector": ("ana@demo.cobro", "demo-collector-2026"),
    "viewer": ("ventas@demo.cobro", "demo-viewer-2026"),
}


class Failure(Exception):
    pass


def check(cond, message):
    if not cond:
        raise Failure(message)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# --------------------------------------------------------------------------- server

class Server:
    def __init__(self, binary):
        self.binary = os.path.abspath(binary)
        self.dir = tempfile.mkdtemp(prefix="cobro-browser-e2e.")
        self.port = free_port()
        self.base = "http://127.0.0.1:%d" % self.port
        self.proc = None
        self.log_path = os.path.join(self.dir, "server.log")
        self.env = dict(os.environ, COBRO_DUNNING_AT="off")
        self.env.pop("COBRO_DATABASE_URL", None)  # use ./cobro.sqlite of the temp dir
        self.portal = None

    def seed(self):
        out = subprocess.run([self.binary, "demo", "--no-serve", "--port", str(self.port)],
                             cwd=self.dir, env=self.env, capture_output=True, text=True, timeout=300)
        if out.returncode != 0:
            raise Failure("demo --no-serve failed (%d):\n%s%s" % (out.returncode, out.stdout, out.stderr))
        m = re.search(r"Portal:\s+(http://\S+/portal/\S+)", out.stdout)
        if not m:
            raise Failure("demo printed no portal link:\n" + out.stdout)
        self.portal = m.group(1)
        # The credentials printed must be the ones this test uses.
        for email, password in USERS.values():
            if not re.search(re.escape(email) + r"\s+password\s+" + re.escape(password), out.stdout):
                raise Failure("demo output does not list %s / %s:\n%s" % (email, password, out.stdout))
        return out.stdout

    def start(self):
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([self.binary, "serve", "--port", str(self.port)], cwd=self.dir,
                                     env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 30
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise Failure("server exited with %s:\n%s" % (self.proc.returncode, self.read_log()))
            try:
                with urllib.request.urlopen(self.base + "/health", timeout=2) as r:
                    if r.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise Failure("server did not answer /health within 30 s:\n" + self.read_log())

    def read_log(self):
        try:
            with open(self.log_path) as f:
                return f.read()[-4000:]
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        if getattr(self, "log", None):
            self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


# --------------------------------------------------------------------------- browser helpers

def make_driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900"):
        opts.add_argument(a)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)


class Browser:
    def __init__(self, driver, base):
        self.d = driver
        self.base = base

    def wait(self, cond, what):
        try:
            return WebDriverWait(self.d, WAIT).until(cond)
        except TimeoutException:
            raise Failure("timed out after %d s waiting for %s (at %s)" % (WAIT, what, self.d.current_url))

    def get(self, path):
        self.d.get(path if path.startswith("http") else self.base + path)
        self.wait(lambda d: d.execute_script("return document.readyState") == "complete", "page load")

    def el(self, css, root=None):
        return self.wait(lambda d: (root or d).find_element(By.CSS_SELECTOR, css), "element %s" % css)

    def els(self, css, root=None):
        return (root or self.d).find_elements(By.CSS_SELECTOR, css)

    def submit_and_wait(self, button):
        """Click a submit button and wait until the browser is on the next page."""
        # A marker on the current window object disappears when the next document is loaded (more robust
        # than the staleness of an element, which some chromedriver versions report as an inspector error).
        self.d.execute_script("window.__e2eOldPage = true;")
        button.click()
        self.wait(lambda d: d.execute_script(
            "return !window.__e2eOldPage && document.readyState === 'complete'"),
            "the form submission to load a new page")

    def notice(self, expected=None):
        el = self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, "#notice")),
                       "the #notice toast" + (" (%r)" % expected if expected else ""))
        text = el.text.strip()
        check(text, "#notice is empty at %s" % self.d.current_url)
        if expected:
            check(expected in text, "#notice at %s is %r, expected it to contain %r"
                  % (self.d.current_url, text, expected))
        return text

    def open_details(self, details):
        if not details.get_attribute("open"):
            details.find_element(By.CSS_SELECTOR, "summary").click()
        self.wait(lambda d: details.get_attribute("open") is not None, "details to open")

    def login(self, who):
        email, password = USERS[who]
        self.d.delete_all_cookies()
        self.get("/login")
        self.el("#email").send_keys(email)
        self.el("#password").send_keys(password)
        self.submit_and_wait(self.el("#sign-in"))
        errors = self.els("#login-error")
        check(not errors, "login as %s failed: %s" % (email, errors[0].text if errors else ""))
        self.wait(lambda d: "/app" in d.current_url, "redirect to /app after login as %s" % email)

    def logout(self):
        self.submit_and_wait(self.el("#sign-out"))
        check(not self.els("#sign-out"), "#sign-out still shown after signing out (%s)" % self.d.current_url)
        self.get("/app")
        self.wait(lambda d: "/login" in d.current_url, "/app to redirect to /login after sign out")


# --------------------------------------------------------------------------- scenarios

STATE = {}


def collector_works_first_item(b, server):
    b.login("collector")
    b.get("/app/worklist")
    entry = b.el("ol#worklist li#entry-1")
    ref = entry.get_attribute("data-ref")
    check(ref, "#entry-1 has no data-ref")
    STATE["ref"] = ref
    print("  customer %s is first in ana's worklist" % ref)

    # Log a call from the worklist.
    call = b.el('details.qa[data-key="c"]', entry)
    b.open_details(call)
    form = b.el("form.call-form", call)
    Select(b.el('select[name="outcome"]', form)).select_by_value("right_party_contact")
    b.el('input[name="summary"]', form).send_keys("Llamada e2e")
    b.submit_and_wait(b.el('button[type="submit"]', form))
    check("/app/worklist" in b.d.current_url, "after logging a call expected /app/worklist, got %s" % b.d.current_url)
    b.notice("Llamada registrada")

    # Record a promise for the same customer: in the worklist if it is still there, else on its page.
    same = [e for e in b.els("ol#worklist li.entry") if e.get_attribute("data-ref") == ref]
    if same:
        print("  %s is still in the worklist (now %s): promise recorded there" % (ref, same[0].get_attribute("id")))
        promise = b.el('details.qa[data-key="p"]', same[0])
        b.open_details(promise)
        form = b.el("form.promise-form", promise)
        b.el('input[name="amount"]', form).send_keys("100.00")
        check(b.el('input[name="promise_date"]', form).get_attribute("value"), "promise date not prefilled")
        b.submit_and_wait(b.el('button[type="submit"]', form))
    else:
        print("  %s left the worklist after the call: promise recorded on its page" % ref)
        b.get("/app/customers/%s" % ref)
        b.open_details(b.el('details[data-key="p"]'))
        b.el("#amount").send_keys("100.00")
        check(b.el("#promise_date").get_attribute("value"), "promise date not prefilled")
        b.submit_and_wait(b.el('details[data-key="p"] button[type="submit"]'))
    b.notice("Promesa registrada")

    # The call is in the customer's timeline; the page has a balance and a statement link.
    b.get("/app/customers/%s" % ref)
    timeline = b.el("#timeline")
    check("Llamada e2e" in timeline.text,
          "timeline of %s does not contain 'Llamada e2e'; it starts with: %r" % (ref, timeline.text[:600]))
    check(b.el("#balance").text.strip(), "#balance is empty")
    check(b.el("#statement-pdf").get_attribute("href"), "#statement-pdf has no href")

    # Request a credit limit.
    limit_form = b.el("form#limit-form")
    details = limit_form.find_element(By.XPATH, "./ancestor::details[1]")
    b.open_details(details)
    b.el("#limit", limit_form).send_keys("50000.00")
    b.el("#lreason", limit_form).send_keys("e2e")
    b.submit_and_wait(b.el('button[type="submit"]', limit_form))
    b.notice("Solicitud enviada a aprobación")
    STATE["limit_requested"] = True
    b.logout()


def manager_approves_credit_request(b, server):
    ref = STATE.get("ref")
    check(ref and STATE.get("limit_requested"), "no credit request from collector_works_first_item to approve")
    b.login("manager")
    b.get("/app/credit-requests")
    b.el("table#credit-requests")
    rows = [r for r in b.els('table#credit-requests tr[id^="request-"]') if ref in r.text]
    check(rows, "no row of #credit-requests mentions %s; table text: %r"
          % (ref, b.el("table#credit-requests").text[:800]))
    row_id = rows[0].get_attribute("id")
    buttons = b.els("button.approve", rows[0])
    check(buttons, "row %s has no button.approve" % row_id)
    b.submit_and_wait(buttons[0])
    b.notice("Solicitud aprobada")
    check(not b.els("tr#" + row_id), "row %s is still listed after approval" % row_id)
    b.logout()


def viewer_cannot_act(b, server):
    b.login("viewer")
    b.get("/app/worklist")
    b.el("main#main h1")
    forms = b.els("form.call-form")
    check(not forms, "the viewer sees %d form.call-form in /app/worklist" % len(forms))
    for css in ("form.promise-form",):
        check(not b.els(css), "the viewer sees %s in /app/worklist" % css)
    b.logout()


def portal_dispute_and_payment(b, server):
    b.d.delete_all_cookies()
    b.get(server.portal)
    b.el("#portal-items")
    STATE["portal_h1"] = b.el("h1").text

    # Dispute the first invoice with a PDF attached.
    pdf = os.path.join(server.dir, "factura.pdf")
    with open(pdf, "w") as f:
        f.write("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    form = b.el("form#dispute-form")
    invoices = Select(b.el("#dinv", form))
    check(invoices.options, "the dispute form lists no invoice")
    invoices.select_by_index(0)
    disputed = invoices.first_selected_option.get_attribute("value")
    Select(b.el("#dreason", form)).select_by_index(0)
    b.el("#dcomment", form).send_keys("Factura disputada en la prueba e2e")
    b.el("#dfile", form).send_keys(os.path.abspath(pdf))
    b.submit_and_wait(b.el("#dispute"))
    check("/portal/" in b.d.current_url, "after the dispute expected the portal, got %s" % b.d.current_url)
    print("  disputed %s: %s" % (disputed, b.notice()))

    # Pay the first invoice that can be selected.
    boxes = [x for x in b.els('#portal-items input[name="invoices"]') if x.is_enabled()]
    check(boxes, "no invoice checkbox can be selected in #portal-items after the dispute")
    paid = boxes[0].get_attribute("value")
    boxes[0].click()
    check(boxes[0].is_selected(), "checkbox %s did not get checked" % paid)
    b.submit_and_wait(b.el("#pay"))
    b.wait(lambda d: "/test-checkout/" in d.current_url, "the test checkout page")
    amount = b.el("#checkout-amount").text.strip()
    check(amount, "#checkout-amount is empty")
    b.submit_and_wait(b.el("#confirm-payment"))
    b.wait(lambda d: "/portal/" in d.current_url, "the return to the portal")
    print("  paid %s (%s): %s" % (paid, amount, b.notice()))


def tampered_portal_link_refused(b, server):
    prefix, _, rest = server.portal.rpartition("/portal/")
    token, dot, sig = rest.partition(".")
    check(dot, "portal token %r has no '.'" % rest)
    i = len(token) // 2
    repl = "A" if token[i] != "A" else "B"
    tampered = "%s/portal/%s%s%s%s" % (prefix, token[:i], repl, token[i + 1:], dot + sig)
    try:
        with urllib.request.urlopen(tampered, timeout=10) as r:
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    check(status == 404, "GET %s answered HTTP %s, expected 404" % (tampered, status))
    b.d.delete_all_cookies()
    b.get(tampered)
    check(not b.els("#portal-items"), "the tampered link %s shows #portal-items" % tampered)
    h1 = b.el("h1").text.strip()
    check(h1, "the tampered link's page has no h1 text")
    if STATE.get("portal_h1"):
        check(h1 != STATE["portal_h1"], "the tampered link's h1 is the portal's own: %r" % h1)
    print("  tampered link: HTTP %d, %r" % (status, h1))


SCENARIOS = [
    collector_works_first_item,
    manager_approves_credit_request,
    viewer_cannot_act,
    portal_dispute_and_payment,
    tampered_portal_link_refused,
]


# --------------------------------------------------------------------------- main

def save_artifacts(driver, name):
    os.makedirs(ARTIFACTS, exist_ok=True)
    shot = os.path.join(ARTIFACTS, name + ".png")
    html = os.path.join(ARTIFACTS, name + ".html")
    try:
        driver.save_screenshot(shot)
        with open(html, "w") as f:
            f.write("<!-- %s -->\n" % driver.current_url)
            f.write(driver.page_source)
    except Exception as e:  # the browser itself may be gone
        print("  (could not save artifacts: %s)" % e)
        return
    print("  saved %s and %s" % (os.path.relpath(shot, REPO), os.path.relpath(html, REPO)))


def main(argv):
    if len(argv) != 2:
        print("usage: browser-e2e.py PATH_TO_COBRO", file=sys.stderr)
        return 2
    started = time.time()
    server = Server(argv[1])
    driver = None
    passed, failed = 0, 0
    try:
        try:
            server.seed()
            server.start()
            driver = make_driver()
        except Exception as e:
            print("browser e2e: setup failed: %s" % e)
            return 1
        print("browser e2e: server %s (data in %s)" % (server.base, server.dir))
        b = Browser(driver, server.base)
        for scenario in SCENARIOS:
            name = scenario.__name__
            for ext in (".png", ".html"):  # artifacts of an earlier failed run
                if os.path.exists(os.path.join(ARTIFACTS, name + ext)):
                    os.remove(os.path.join(ARTIFACTS, name + ext))
            t0 = time.time()
            try:
                scenario(b, server)
            except Exception as e:
                failed += 1
                print("FAIL %s (%.1f s): %s" % (name, time.time() - t0,
                                                e if isinstance(e, Failure) else "%s: %s" % (type(e).__name__, e)))
                if not isinstance(e, Failure):
                    traceback.print_exc(limit=4)
                save_artifacts(driver, name)
            else:
                passed += 1
                print("ok   %s (%.1f s)" % (name, time.time() - t0))
    finally:
        if driver is not None:
            try:
                driver.quit()
            except Exception:
                pass
        if failed:
            log = server.read_log()
            if log:
                print("--- server log (tail) ---\n" + log[-2000:])
        server.stop()
    print("browser e2e: %d passed, %d failed" % (passed, failed))
    print("browser e2e: %.1f seconds" % (time.time() - started))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
