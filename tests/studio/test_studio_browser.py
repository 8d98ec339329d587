"""prisma-cpp studio in a real headless browser (Debian's chromium + chromedriver, python3-selenium):
token refusal, the one-time token, model counts, filters (and a filter value of the wrong type),
editing a cell, P2002 next to the field with nothing half-written, an edit racing a delete,
following a relation and coming back, create, delete with confirmation, CSV/JSON export, the
schema view, a schema change picked up, the read-only mode refused by the server, and (on a
PostgreSQL server of its own) the database going away.
Usage: test_studio_browser.py PRISMA_CPP WORK_DIR PG_TEST_SERVER_SCRIPT [SCREENSHOT_DIR]
Exit 77 (skipped) without chromium, chromedriver or selenium."""
import json, os, shutil, socket, subprocess, sys, time, urllib.request

try:
    from selenium import webdriver
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait
except ImportError:
    print("skipped: python3-selenium is not installed (apt-get install python3-selenium)")
    sys.exit(77)
for tool_path in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
    if not os.path.exists(tool_path):
        print(f"skipped: {tool_path} is missing (apt-get install chromium chromium-driver)")
        sys.exit(77)

tool, work, pg_script = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
shots = sys.argv[4] if len(sys.argv) > 4 else None
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
downloads = os.path.join(work, "downloads")
os.makedirs(downloads)

SCHEMA = """datasource db {
  provider = "%s"
}

enum Role {
  USER
  ADMIN
}

model User {
  id        Int      @id @default(autoincrement())
  email     String   @unique
  name      String?
  role      Role     @default(USER)
  age       Int?
  joined    DateTime @default(now())
  posts     Post[]
}

model Post {
  id       Int     @id @default(autoincrement())
  title    String
  meta     Json?
  authorId Int
  author   User    @relation(fields: [authorId], references: [id], onDelete: Cascade)
  tags     Tag[]
}

model Tag {
  id    Int    @id @default(autoincrement())
  name  String @unique
  posts Post[]
}
"""
SEED = """INSERT INTO "User" ("email", "name", "role", "age", "joined") VALUES
  ('alice@x.io', 'Alice', 'ADMIN', 30, '2024-01-01T00:00:00.000Z'),
  ('bob@x.io', 'Bob', 'USER', NULL, '2024-01-02T00:00:00.000Z'),
  ('carol@x.io', NULL, 'USER', 17, '2024-01-03T00:00:00.000Z');
INSERT INTO "Post" ("title", "meta", "authorId") VALUES ('A', '{"k":1}', 1), ('B', NULL, 1), ('C', NULL, 2);
INSERT INTO "Tag" ("name") VALUES ('news');
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60) INSERT INTO "Tag" ("name") SELECT 'tag' || i FROM n;
INSERT INTO "_PostToTag" ("A", "B") VALUES (1, 1);
"""



def check(cond, what):
    """An assertion that holds under PYTHONOPTIMIZE too (a bare `assert` is compiled away there)."""
    if not cond:
        raise AssertionError(what)

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def project(name, provider, url):
    d = os.path.join(work, name)
    os.makedirs(d)
    with open(os.path.join(d, "schema.prisma"), "w") as f:
        f.write(SCHEMA % provider)
    with open(os.path.join(d, "seed.sql"), "w") as f:
        f.write(SEED)
    subprocess.run([tool, "db", "push", "--url", url], cwd=d, check=True, capture_output=True)
    subprocess.run([tool, "db", "execute", "--url", url, "--file", "seed.sql"], cwd=d, check=True, capture_output=True)
    return d


procs = []


def studio(d, url, *extra):
    port = free_port()
    p = subprocess.Popen([tool, "studio", "--url", url, "--port", str(port), *extra], cwd=d,
                         stdout=subprocess.PIPE, stderr=open(os.path.join(d, f"studio_{port}.log"), "w"), text=True)
    procs.append(p)
    line = p.stdout.readline()
    check("http://127.0.0.1:" in line, line)
    link = line.split()[2]
    if "--token" in extra:  # a reusable token is never printed: the link is made with it
        link = f"http://127.0.0.1:{port}/?token={extra[list(extra).index('--token') + 1]}"
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/studio.css")
        except urllib.error.HTTPError:
            break  # answering (401 without the token)
        except OSError:
            time.sleep(0.05)
    return p, port, link


def api(port, token, body):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/api/query", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"})
    try:
        with urllib.request.urlopen(req) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


options = webdriver.ChromeOptions()
options.binary_location = "/usr/bin/chromium"
for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,900", "--disable-gpu"):
    options.add_argument(arg)
options.add_experimental_option("prefs", {"download.default_directory": downloads, "download.prompt_for_download": False})
browser = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
wait = WebDriverWait(browser, 10, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))


def css(sel):
    return browser.find_element(By.CSS_SELECTOR, sel)


def all_css(sel):
    return browser.find_elements(By.CSS_SELECTOR, sel)


def until(fn, what):
    try:
        return wait.until(lambda _: fn())
    except Exception:
        print("page text:", browser.find_element(By.TAG_NAME, "body").text[:2000])
        raise AssertionError(f"timed out waiting for: {what}")


def rows():
    return all_css("#grid tbody tr")


def cell(row, field):
    return css(f'#grid td[data-field="{field}"][data-row="{row}"]')


def renders():
    return int(browser.execute_script("return document.body.dataset.renders || 0"))


def after(action, what):
    """Runs action and waits until the table has been drawn again."""
    before = renders()
    action()
    until(lambda: renders() > before, what)


def open_model(name):
    after(lambda: css(f'#models a[data-model="{name}"]').click(), f"the {name} table")
    until(lambda: css("#view h2").text == name, f"the {name} table")


def set_filter(field, op, value=None):
    if value is None:
        after(lambda: Select(css(f'[data-filter-op="{field}"]')).select_by_value(op), "the filtered table")
        return
    Select(css(f'[data-filter-op="{field}"]')).select_by_value(op)
    box = until(lambda: css(f'[data-filter-value="{field}"]'), "the filter input")
    box.clear()
    after(lambda: box.send_keys(value + Keys.TAB), "the filtered table")


def edit(row, field, text):
    td = cell(row, field)
    webdriver.ActionChains(browser).double_click(td).perform()
    box = until(lambda: css(f'#grid td[data-field="{field}"][data-row="{row}"] .editor'), "the cell editor")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(text + Keys.ENTER)
    until(lambda: "staged" in cell(row, field).get_attribute("class"), "the staged edit")


def ready():
    until(lambda: browser.execute_script("return document.body.dataset.ready") == "true", "the page to start")


try:
    # ---- a writable Studio on SQLite, with a reusable token for the checks made beside the page
    url = "file:./app.db"
    d = project("sqlite", "sqlite", url)
    proc, port, link = studio(d, url, "--token", "t0ken")
    base = f"http://127.0.0.1:{port}/"

    # token refusal: no token, a wrong token
    browser.get(base)
    check("Not signed in" in css("body").text, css("body").text)
    browser.get(base + "?token=wrong")
    check("Not signed in" in css("body").text, '"Not signed in" in css("body").text')
    status, body = api(port, "nope", {"modelName": "User", "action": "findMany", "query": {"selection": {"$scalars": True}}})
    check(status == 401, status)

    # the token in the URL becomes a session cookie; the page opens on the model list with counts
    browser.get(link)
    ready()
    check(browser.current_url == base, browser.current_url)
    until(lambda: css('#models a[data-model="User"] .count').text == "3", "the User count")
    check(css('#models a[data-model="Post"] .count').text == "3", 'css(\'#models a[data-model="Post"] .count\').text == "3"')

    # the table, sorting, a filter with Prisma's operators, a null test
    open_model("User")
    check(len(rows()) == 3, 'len(rows()) == 3')
    css('#grid th[data-sort="email"]').click()
    until(lambda: css('#grid th[data-sort="email"]').text.startswith("email ▲"), "the sort")
    css('#grid th[data-sort="email"]').click()
    until(lambda: cell(0, "email").text == "carol@x.io", "descending emails")
    set_filter("email", "contains", "bo")
    until(lambda: len(rows()) == 1 and cell(0, "email").text == "bob@x.io", "the contains filter")
    open_model("User")
    set_filter("age", "is null")
    until(lambda: len(rows()) == 1 and cell(0, "email").text == "bob@x.io", "the null test")
    # search over the text columns
    open_model("User")
    search = css("#search")
    search.send_keys("bob")
    after(lambda: search.send_keys(Keys.ENTER), "the search")
    until(lambda: len(rows()) == 1 and cell(0, "email").text == "bob@x.io", "the search result")
    # pages of 50
    open_model("Tag")
    check(len(rows()) == 50 and css("#pager").text == "1–50 of 61", css("#pager").text)
    after(lambda: css("#next").click(), "the second page")
    until(lambda: len(rows()) == 11 and css("#pager").text == "51–61 of 61", "the second page")
    after(lambda: css("#prev").click(), "the first page")
    # a filter value of the wrong type: Prisma's validation message in the page, nothing else breaks
    open_model("User")
    set_filter("age", "gt", "abc")
    until(lambda: all_css("#load-error") and "P2009" in css("#load-error").text, "the wrong-type message")
    check("age" in css("#load-error").text, '"age" in css("#load-error").text')
    open_model("User")
    until(lambda: len(rows()) == 3, "every user again")

    # edit a cell and save
    edit(0, "name", "Alicia")
    css("#save").click()
    until(lambda: cell(0, "name").text == "Alicia" and "staged" not in cell(0, "name").get_attribute("class"), "the saved edit")
    status, body = api(port, "t0ken", {"modelName": "User", "action": "findUnique", "query": {"arguments": {"where": {"id": 1}}, "selection": {"name": True}}})
    check(body["data"]["findUniqueUser"]["name"] == "Alicia", body)

    # P2002 next to the field; the other staged edit of the same save is not written
    edit(1, "name", "Robert")
    edit(1, "email", "alice@x.io")
    css("#save").click()
    until(lambda: all_css('#grid td[data-field="email"][data-row="1"] .field-error'), "the P2002 message")
    msg = css('#grid td[data-field="email"][data-row="1"] .field-error').text
    check("P2002" in msg, msg)
    check("Nothing was saved" in css("#banner").text, '"Nothing was saved" in css("#banner").text')
    status, body = api(port, "t0ken", {"modelName": "User", "action": "findUnique", "query": {"arguments": {"where": {"id": 2}}, "selection": {"name": True, "email": True}}})
    check(body["data"]["findUniqueUser"] == {"name": "Bob", "email": "bob@x.io"}, body)
    css("#discard").click()

    # an edit racing a delete: the row is gone when the edit is saved
    edit(2, "name", "Caroline")
    status, body = api(port, "t0ken", {"modelName": "User", "action": "deleteOne", "query": {"arguments": {"where": {"id": 3}}, "selection": {"id": True}}})
    check(status == 200, body)
    css("#save").click()
    until(lambda: "P2025" in css("#banner").text, "the P2025 message")
    check("deleted by someone else" in css("#banner").text, '"deleted by someone else" in css("#banner").text')
    status, body = api(port, "t0ken", {"modelName": "User", "action": "aggregate", "query": {"selection": {"_count": {"selection": {"_all": True}}}}})
    check(body["data"]["aggregateUser"]["_count"]["_all"] == 2, body)  # nothing re-created
    open_model("User")

    # P2003 next to the foreign key; a Json edit (invalid JSON is named before anything is sent)
    open_model("Post")
    edit(0, "authorId", "99")
    after(lambda: css("#save").click(), "the failed save")
    until(lambda: all_css('#grid td[data-field="authorId"][data-row="0"] .field-error'), "the P2003 message")
    check("P2003" in css('#grid td[data-field="authorId"][data-row="0"] .field-error').text, '"P2003" in css(\'#grid td[data-field="authorId"][data-row="0"] .field-error\').text')
    css("#discard").click()
    webdriver.ActionChains(browser).double_click(cell(1, "meta")).perform()
    box = until(lambda: css('#grid td[data-field="meta"][data-row="1"] .editor'), "the JSON editor")
    box.send_keys("{not json")
    after(lambda: css("#view h2").click(), "the refused JSON")
    check("takes JSON" in css('#grid td[data-field="meta"][data-row="1"] .field-error').text, '"takes JSON" in css(\'#grid td[data-field="meta"][data-row="1"] .field-error\').text')
    webdriver.ActionChains(browser).double_click(cell(1, "meta")).perform()
    box = until(lambda: css('#grid td[data-field="meta"][data-row="1"] .editor'), "the JSON editor")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys('{"tags": ["x"], "n": 2}')
    after(lambda: css("#view h2").click(), "the staged JSON")
    after(lambda: css("#save").click(), "the saved JSON")
    status, body = api(port, "t0ken", {"modelName": "Post", "action": "findUnique", "query": {"arguments": {"where": {"id": 2}}, "selection": {"meta": True}}})
    check(json.loads(body["data"]["findUniquePost"]["meta"]["value"]) == {"tags": ["x"], "n": 2}, body)
    open_model("User")

    # follow a relation (alice's posts) and come back; a to-one relation cell; many-to-many
    link_el = css('#grid td[data-field="posts"][data-row="0"] a.relation')
    check(link_el.text.startswith("2 posts"), link_el.text)
    link_el.click()
    until(lambda: css("#view h2").text == "Post" and len(rows()) == 2, "alice's posts")
    check("posts of User 1" in css("#scope").text, '"posts of User 1" in css("#scope").text')
    css('#grid td[data-field="tags"][data-row="0"] a.relation').click()
    until(lambda: css("#view h2").text == "Tag" and len(rows()) == 1, "the post's tags")
    css("#back").click()
    until(lambda: css("#view h2").text == "Post" and len(rows()) == 2, "back to the posts")
    css('#grid td[data-field="author"][data-row="0"] a.relation').click()
    until(lambda: css("#view h2").text == "User" and len(rows()) == 1, "the author")
    after(lambda: css("#back").click(), "back to the posts")
    until(lambda: css("#view h2").text == "Post", "back to the posts")
    after(lambda: css("#back").click(), "back to the users")
    until(lambda: css("#view h2").text == "User" and len(rows()) == 2 and not all_css("#back"), "back to every user")

    # the record view
    css('#grid tr[data-row="0"] a.open').click()
    until(lambda: all_css("#record") and css('#record dd[data-field="email"]').text == "alice@x.io", "the record view")
    after(lambda: css("#back").click(), "the table again")

    # create (a bad value is named next to its field first), then delete with confirmation
    css("#add").click()
    until(lambda: all_css("#create"), "the create form")
    css('[data-form-field="email"] .editor').send_keys("dan@x.io")
    css('[data-form-field="age"] .editor').send_keys("old")
    css("#create-save").click()
    until(lambda: all_css('[data-form-field="age"] .field-error'), "the age message")
    check("whole number" in css('[data-form-field="age"] .field-error').text, '"whole number" in css(\'[data-form-field="age"] .field-error\').text')
    css('[data-form-field="age"] .editor').clear()
    css('[data-form-field="age"] .editor').send_keys("41")
    css("#create-save").click()
    until(lambda: css("#view h2").text == "User" and len(rows()) == 3, "the created user")
    until(lambda: css('#models a[data-model="User"] .count').text == "3", "the new count")
    all_css('#grid tbody tr[data-row="2"] input[type=checkbox]')[0].click()
    css("#delete").click()
    until(lambda: css("#confirm").get_attribute("open") is not None, "the confirmation")
    check("Delete 1 User record" in css("#confirm-text").text, '"Delete 1 User record" in css("#confirm-text").text')
    css("#confirm-cancel").click()
    # cancelled: the dialog closes, and the server (not only the grid drawn before any answer
    # could arrive) still holds the three users
    until(lambda: css("#confirm").get_attribute("open") is None, "the confirmation closed")
    status, body = api(port, "t0ken", {"modelName": "User", "action": "aggregate", "query": {"selection": {"_count": {"selection": {"_all": True}}}}})
    check(status == 200 and body["data"]["aggregateUser"]["_count"]["_all"] == 3, f"a cancelled delete deleted: {status} {body}")
    check(len(rows()) == 3, 'len(rows()) == 3')
    css("#delete").click()
    until(lambda: css("#confirm").get_attribute("open") is not None, "the confirmation")
    css("#confirm-ok").click()
    until(lambda: len(rows()) == 2, "the deleted user")

    # export the current view (filtered) as CSV and JSON
    set_filter("email", "startsWith", "a")
    until(lambda: len(rows()) == 1, "the filtered view")
    css("#export-csv").click()
    css("#export-json").click()
    until(lambda: os.path.exists(os.path.join(downloads, "User.csv")) and os.path.exists(os.path.join(downloads, "User.json")), "the downloads")
    time.sleep(0.3)
    csv = open(os.path.join(downloads, "User.csv")).read().splitlines()
    check(csv[0] == "id,email,name,role,age,joined" and len(csv) == 2 and csv[1].startswith("1,alice@x.io,Alicia,ADMIN,30,2024-01-01"), csv)
    exported = json.load(open(os.path.join(downloads, "User.json")))
    check(exported == [{"id": 1, "email": "alice@x.io", "name": "Alicia", "role": "ADMIN", "age": 30, "joined": "2024-01-01T00:00:00.000Z"}], exported)

    # screenshots: the table view and the schema view, light and dark
    open_model("Post")
    if shots:
        os.makedirs(shots, exist_ok=True)
        for theme in ("light", "dark"):
            browser.execute_script(f"studioSetTheme('{theme}')")
            browser.save_screenshot(os.path.join(shots, f"studio-table-{theme}.png"))
    css("#tab-schema").click()
    until(lambda: all_css('[data-schema-model="Post"]') and all_css("#diagram"), "the schema view")
    check("@relation(fields: [authorId], references: [id])" in css('[data-schema-model="Post"]').text, '"@relation(fields: [authorId], references: [id])" in css(\'[data-schema-model="Post"]\').text')
    check(len(all_css("#diagram [data-diagram-model]")) == 3, 'len(all_css("#diagram [data-diagram-model]")) == 3')
    if shots:
        for theme in ("light", "dark"):
            browser.execute_script(f"studioSetTheme('{theme}')")
            browser.save_screenshot(os.path.join(shots, f"studio-schema-{theme}.png"))
    css("#theme").click()  # the toggle flips the theme
    first = browser.execute_script("return document.documentElement.dataset.theme")
    css("#theme").click()
    check(browser.execute_script("return document.documentElement.dataset.theme") != first, 'browser.execute_script("return document.documentElement.dataset.theme") != first')

    # a schema kept current by `db pull --watch`: a table made in the database shows up in the open page
    watch = subprocess.Popen([tool, "db", "pull", "--watch", "--interval", "1s", "--url", url], cwd=d,
                             stdout=subprocess.DEVNULL, stderr=open(os.path.join(d, "watch.log"), "w"))
    procs.append(watch)
    with open(os.path.join(d, "note.sql"), "w") as f:
        f.write('CREATE TABLE "Note" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "text" TEXT NOT NULL);')
    subprocess.run([tool, "db", "execute", "--url", url, "--file", "note.sql"], cwd=d, check=True, capture_output=True)
    wait_long = WebDriverWait(browser, 20, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))
    wait_long.until(lambda _: all_css('#models a[data-model="Note"]'))
    watch.terminate()
    watch.wait(5)
    open_model("Note")
    check(len(rows()) == 0, 'len(rows()) == 0')
    # a broken schema keeps the last good one and says why
    with open(os.path.join(d, "schema.prisma"), "a") as f:
        f.write("\nmodel Broken {\n  id Int @id\n  x  Nope\n}\n")
    until(lambda: "schema has errors" in css("#banner").text, "the schema error")
    check(all_css('#models a[data-model="Note"]'), 'all_css(\'#models a[data-model="Note"]\')')

    # the one-time token (no --token): a second use is refused
    proc2, port2, link2 = studio(project("onetime", "sqlite", url), url)
    browser.get(link2)
    ready()
    browser.delete_all_cookies()
    browser.get(link2)
    check("used already" in css("body").text, css("body").text)

    # read-only: no editing in the page, and the server refuses writes whatever sends them
    proc3, port3, link3 = studio(project("readonly", "sqlite", url), url, "--read-only", "--token", "r")
    browser.get(link3)
    ready()
    check(css("#readonly").is_displayed(), 'css("#readonly").is_displayed()')
    open_model("User")
    check(not all_css("#save") and not all_css("#add") and not all_css("#delete"), 'not all_css("#save") and not all_css("#add") and not all_css("#delete")')
    webdriver.ActionChains(browser).double_click(cell(0, "name")).perform()
    check(not all_css("#grid .editor"), 'not all_css("#grid .editor")')
    answer = browser.execute_script("""
        const r = await fetch('/api/query', {method: 'POST', headers: {'Content-Type': 'application/json'},
          body: JSON.stringify({modelName: 'User', action: 'updateOne', query: {arguments: {where: {id: 1}, data: {name: 'x'}},
                                selection: {$scalars: true}}})});
        return [r.status, await r.json()];""")
    check(answer[0] == 403 and answer[1]["errors"][0]["user_facing_error"]["error_code"] == "READ_ONLY", answer)
    status, body = api(port3, "r", {"batch": [{"modelName": "User", "action": "findMany", "query": {"selection": {"$scalars": True}}},
                                              {"modelName": "User", "action": "deleteMany", "query": {"arguments": {}, "selection": {"count": True}}}]})
    check(status == 403, body)
    status, body = api(port3, "r", {"modelName": "User", "action": "aggregate", "query": {"selection": {"_count": {"selection": {"_all": True}}}}})
    check(body["data"]["aggregateUser"]["_count"]["_all"] == 3, body)

    # the database going away: a PostgreSQL server of our own, stopped under the open page
    pg_dir = os.path.join(work, "pg_server")
    subprocess.run([pg_script, "start", pg_dir], check=True, capture_output=True, env={k: v for k, v in os.environ.items() if k != "PRISMA_CPP_TEST_PG_URL"})
    try:
        server = open(os.path.join(pg_dir, "url")).read().strip()
        subprocess.run(["psql", "-q", server, "-c", 'CREATE DATABASE "studio"'], check=True, capture_output=True)
        pg_url = server.rsplit("/", 1)[0] + "/studio"
        proc4, port4, link4 = studio(project("pg", "postgresql", pg_url), pg_url, "--token", "p")
        browser.get(link4)
        ready()
        until(lambda: css('#models a[data-model="User"] .count').text == "3", "the PostgreSQL counts")
        open_model("User")
        edit(0, "name", "Gone")
        subprocess.run([pg_script, "stop", pg_dir], check=True, capture_output=True)
        css("#save").click()
        until(lambda: "Nothing was saved: The database cannot be reached" in css("#banner").text, "the database message")
        check("staged" in cell(0, "name").get_attribute("class"), '"staged" in cell(0, "name").get_attribute("class")')  # the edit is kept, to save again
        print("database gone:", css("#banner").text)
        open_model("Post")
        until(lambda: "cannot be reached" in css("#banner").text and "cannot be reached" in css("#load-error").text,
              "the unreachable database on the next read")
    finally:
        subprocess.run([pg_script, "stop", pg_dir], capture_output=True)
    print("studio in chromium: token, counts, filters, edits, P2002, P2025, relations, create, delete, export, schema, reload, read-only, database gone: passed")
finally:
    browser.quit()
    for p in procs:
        p.terminate()
        try:
            p.wait(5)
        except subprocess.TimeoutExpired:
            p.kill()
