"""Cross-site attacks on `prisma-cpp serve` and `studio` from a real browser (Debian's chromium and
chromedriver through python3-selenium): a page on another loopback port (same site) and one on
`localhost` (another site) send what a page can send without asking - text/plain and typeless
fetch() bodies, a JSON body behind a preflight, a text/plain form that forges a JSON document -
to serve (an executeRaw DROP TABLE, a createOne) and to a Studio the user is signed in to (its
cookie goes along: SameSite=Strict does not separate ports). Then DNS rebinding: Chromium resolves
evil.example to 127.0.0.1 (--host-resolver-rules), loads http://evil.example:<port>/ and runs a
same-origin fetch() from there. After each: nothing written, nothing dropped, and the server
still serves; the Studio page itself still writes (so the refusals are not a server refusing all).
Usage: test_cross_site_browser.py PRISMA_CPP WORK_DIR.  Exit 77 (skipped) without the browser."""
import http.server, json, os, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import FIND_ALL, Project, Server, check, create  # noqa: E402

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
except ImportError:
    print("skipped: python3-selenium is not installed (apt-get install python3-selenium)")
    sys.exit(77)
for tool_path in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
    if not os.path.exists(tool_path):
        print(f"skipped: {tool_path} is missing (apt-get install chromium chromium-driver)")
        sys.exit(77)

tool, work = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.makedirs(work, exist_ok=True)

serve_project = Project(tool, work, "xs_serve")
studio_project = Project(tool, work, "xs_studio")
serve = Server(serve_project, "serve")
studio = Server(studio_project, "studio", "--token", "browser-token", ready_path="/studio.css")

DROP = json.dumps({"action": "executeRaw", "query": {"arguments": {"query": 'DROP TABLE "Post"', "parameters": "[]"}}})
CREATE = json.dumps(create("csrf@x.io"))


def attack_page(target):
    """What a hostile page sends to `target` (a URL) without a preflight, and with one."""
    # a text/plain form whose one field forges a JSON document: name + "=" + value
    forged = DROP[:-1] + ', "pad": "'
    return f"""<!doctype html><meta charset=utf-8><title>attack</title>
<iframe name=sink></iframe>
<form id=f method=POST action="{target}" enctype="text/plain" target=sink>
  <input type=hidden name='{forged}' value='"}}'>
</form>
<form id=g method=POST action="{target}" target=sink><input type=hidden name=q value='{CREATE}'></form>
<script>
window.results = [];
const t = {json.dumps(target)};
const tries = [
  fetch(t, {{method: 'POST', mode: 'no-cors', credentials: 'include', headers: {{'Content-Type': 'text/plain'}}, body: {json.dumps(DROP)}}}),
  fetch(t, {{method: 'POST', mode: 'no-cors', credentials: 'include', headers: {{'Content-Type': 'text/plain'}}, body: {json.dumps(CREATE)}}}),
  fetch(t, {{method: 'POST', mode: 'no-cors', credentials: 'include', body: new Blob([{json.dumps(CREATE)}])}}),
  fetch(t, {{method: 'POST', credentials: 'include', headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(CREATE)}}}),
];
Promise.allSettled(tries).then(r => {{
  window.results = r.map(x => x.status);
  let forms = 0;
  document.querySelector('iframe').onload = () => {{ if (++forms === 1) document.getElementById('g').submit(); else window.done = true; }};
  document.getElementById('f').submit();
}});
</script>"""


pages = {}


class Evil(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = pages.get(self.path.split("?")[0], "").encode()
        self.send_response(200 if body else 404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


evil = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Evil)
threading.Thread(target=evil.serve_forever, daemon=True).start()
evil_port = evil.server_address[1]
pages["/serve"] = attack_page(f"http://127.0.0.1:{serve.port}/")
pages["/studio"] = attack_page(f"http://127.0.0.1:{studio.port}/api/query")

options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--host-resolver-rules=MAP evil.example 127.0.0.1"):
    options.add_argument(arg)
browser = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
browser.set_script_timeout(20)


def run_attack(url):
    browser.get(url)
    for _ in range(200):
        if browser.execute_script("return window.done === true"):
            return browser.execute_script("return window.results")
        time.sleep(0.05)
    raise AssertionError(f"the attack page at {url} did not finish")


def unharmed(project, users, what):
    check(project.count("User") == users, f"{what}: a row was written")
    check(project.count("Post") == 0, f"{what}: the Post table was touched")  # a dropped table fails here


try:
    # ---- serve, from a page on another port of 127.0.0.1 (same site) and from localhost (another site)
    check(serve.query(create("owner@x.io"))[0] == 200, "a first row")
    for origin_host in ("127.0.0.1", "localhost"):
        results = run_attack(f"http://{origin_host}:{evil_port}/serve")
        check(results[3] == "rejected", f"the JSON fetch passed its preflight: {results}")
        unharmed(serve_project, 1, f"serve from {origin_host}:{evil_port}")
    check(serve.query(FIND_ALL)[0] == 200, "serve no longer serves")

    # ---- Studio, signed in (the cookie is sent to every port of 127.0.0.1)
    browser.get(f"http://127.0.0.1:{studio.port}/?token=browser-token")
    check(any(c["name"] == "prisma_studio" for c in browser.get_cookies()), "no session cookie")
    for origin_host in ("127.0.0.1", "localhost"):
        run_attack(f"http://{origin_host}:{evil_port}/studio")
        unharmed(studio_project, 0, f"studio from {origin_host}:{evil_port}")
    # the Studio page itself, with the same cookie, still writes
    browser.get(f"http://127.0.0.1:{studio.port}/")
    status = browser.execute_script(f"""
        const r = await fetch('/api/query', {{method: 'POST', headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(CREATE)}}});
        return r.status;""")
    check(status == 200 and studio_project.count("User") == 1, f"the Studio page could not write: {status}")

    # ---- DNS rebinding: a page of evil.example whose name now points at 127.0.0.1
    for server, project, path, users in ((serve, serve_project, "/", 1), (studio, studio_project, "/api/query", 1)):
        browser.get(f"http://evil.example:{server.port}/")
        answer = browser.execute_script(f"""
            const r = await fetch('{path}', {{method: 'POST', headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(CREATE)}}});
            const read = await fetch('{path}', {{method: 'POST', headers: {{'Content-Type': 'application/json'}}, body: {json.dumps(json.dumps(FIND_ALL))}}});
            return [r.status, read.status, await read.text()];""")
        check(answer[0] == 403 and answer[1] == 403 and "owner@x.io" not in answer[2], f"rebinding to port {server.port}: {answer}")
        check(project.count("User") == users, "a rebound page wrote")
    check(serve.query(FIND_ALL)[0] == 200, "serve no longer serves")
finally:
    browser.quit()
    evil.shutdown()
    serve.stop()
    studio.stop()
print("cross-site attacks from chromium on serve and studio (other port, other site, DNS rebinding): refused; passed")
