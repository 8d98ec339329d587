"""The attacks of issue 22 on `prisma-cpp serve` and `studio`, sent as raw HTTP from loopback, each
followed by the proof that nothing was read or written and that the server still serves.
Usage: test_attacks.py PRISMA_CPP WORK_DIR [POSTGRESQL_SERVER_URL]
Without a server URL: SQLite, plus the HTTP-layer and Studio attacks (the same code serves both
backends); with one: the same query-level attacks on a fresh PostgreSQL database."""
import concurrent.futures, json, os, select, socket, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import FIND_ALL, Failure, Project, Server, check, create, error_code, exchange, read_response, strict_json  # noqa: E402

tool, work = sys.argv[1], sys.argv[2]
pg_server = sys.argv[3] if len(sys.argv) > 3 else None
os.makedirs(work, exist_ok=True)
backend = "postgresql" if pg_server else "sqlite"
passed = []


def section(name):
    passed.append(name)
    print(f"[{backend}] {name}: passed", flush=True)


def limit(pid, name):
    """The soft limit `name` of a process (/proc/PID/limits), as prlimit takes it."""
    for line in open(f"/proc/{pid}/limits"):
        if line.startswith(name):
            return line[len(name):].split()[0]
    raise Failure(f"no {name} in /proc/{pid}/limits")


def set_soft_limit(pid, resource, value):
    """Only the soft limit: raising a hard one back would need CAP_SYS_RESOURCE."""
    subprocess.run(["prlimit", f"--pid={pid}", f"--{resource}={value}:"], check=True)


def sign_in(studio, token):
    """The session cookie Studio sets for its token link."""
    with socket.create_connection(("127.0.0.1", studio.port)) as s:
        s.sendall(f"GET /?token={token} HTTP/1.1\r\nHost: 127.0.0.1:{studio.port}\r\n\r\n".encode())
        data = s.recv(65536).decode()
    cookies = [l.split(":", 1)[1].split(";")[0].strip() for l in data.split("\r\n") if l.lower().startswith("set-cookie")]
    check(cookies, f"no session cookie: {data[:300]}")
    return cookies[0]


def serves(server):
    status, body = server.query(FIND_ALL)
    check(server.alive() and status == 200 and "data" in body, f"the server no longer serves: {status} {body}")


project = Project(tool, work, "attacks", pg_server)
server = Server(project, "serve", "--connections", "3", "--read-timeout", "2", "--max-transaction-timeout", "2000")
try:
    check(server.query(create("ann@x.io"))[0] == 200, "a plain create")
    rows = project.count()

    # ---- cross-site requests a page can send without a preflight: text/plain, form, no type (a
    # browser sends a typeless body, a Blob, only with Sec-Fetch-* and an Origin, checked below too)
    drop = json.dumps({"action": "executeRaw", "query": {"arguments": {"query": 'DROP TABLE "Post"', "parameters": "[]"}}}).encode()
    for headers in ({"Content-Type": "text/plain"}, {"Content-Type": "application/x-www-form-urlencoded"},
                    {"Content-Type": "multipart/form-data; boundary=x"}, {"Sec-Fetch-Mode": "no-cors"},
                    {"Sec-Fetch-Site": "same-origin"}, {"Sec-Fetch-Mode": "no-cors", "Origin": "http://evil.example"}):
        status, body = server.request("POST", "/", drop, headers)
        check(status in (403, 415) and error_code(body) in ("P2009", "P1010"), f"{headers}: {status} {body}")
    # a typeless body from a program (no Origin, no Sec-Fetch-*: what Prisma Client Python's httpx sends) is served
    status, body = server.request("POST", "/", json.dumps(create("typeless@x.io")).encode(), {})
    check(status == 200 and "data" in body, f"a typeless body from a program: {status} {body}")
    rows += 1
    # a JSON request that names another origin, or that a browser marks as cross-site / same-site
    # (another port of 127.0.0.1), and the CORS preflight
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "http://127.0.0.1:1"}, {"Origin": "null"},
                    {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"}):
        status, body = server.request("POST", "/", drop, {"Content-Type": "application/json", **headers})
        check(status == 403, f"{headers}: {status} {body}")
    status, body = server.request("OPTIONS", "/", b"", {"Origin": "http://evil.example", "Access-Control-Request-Method": "POST",
                                                       "Access-Control-Request-Headers": "content-type"})
    check(status == 403 and "Access-Control-Allow-Origin" not in str(body), f"preflight: {status} {body}")
    check(project.count("Post") == 0 and project.count() == rows, "a refused request changed the database")
    # the server's own origin (a page it served) and a non-browser client are let through
    status, body = server.query(FIND_ALL, {"Origin": f"http://127.0.0.1:{server.port}", "Sec-Fetch-Site": "same-origin"})
    check(status == 200, f"same origin: {status} {body}")
    section("cross-site simple requests, foreign Origin, Sec-Fetch-Site and preflight are refused")

    # ---- DNS rebinding: a name that resolves to 127.0.0.1 but is not ours
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1.evil.example", "localhost.evil.example"):
        status, body = server.request("POST", "/", json.dumps(create("rebind@x.io")).encode(), {"Content-Type": "application/json"},
                                      host=host)
        check(status == 403 and error_code(body) == "P1010", f"Host {host}: {status} {body}")
        check(server.request("GET", "/health/status", host=host)[0] == 403, f"GET with Host {host}")
    for host in (f"localhost:{server.port}", "127.0.0.1", f"[::1]:{server.port}", "app.localhost"):
        check(server.request("GET", "/health", host=host)[0] == 200, f"loopback Host {host} refused")
    check(project.count() == rows, "a rebinding request wrote")
    named = Server(project, "serve", "--allow-host", "db.internal,api.internal")
    try:
        check(named.request("GET", "/health", host="api.internal:80")[0] == 200, "--allow-host names are served")
        check(named.request("GET", "/health", host="evil.example")[0] == 403, "--allow-host lets others in")
    finally:
        named.stop()
    section("DNS rebinding: foreign Host names are refused, loopback and --allow-host names served")

    # ---- interactive transactions raced against their expiry (the deadlock of issue 22)
    def race(round_no):
        status, body = server.request("POST", "/transaction/start", b'{"timeout": 150}', {"Content-Type": "application/json"})
        check(status == 200, f"start: {status} {body}")
        tx = body["id"]
        start = time.monotonic()
        answers = []

        def hammer(k):
            while time.monotonic() - start < 0.3:
                status, body = server.query(create(f"tx{round_no}_{k}_{time.monotonic_ns()}@x.io"), {"X-transaction-id": tx}, timeout=10)
                answers.append((status, error_code(body)))
                time.sleep(0.005)

        with concurrent.futures.ThreadPoolExecutor(4) as pool:
            list(pool.map(hammer, range(4)))  # a hang is a socket timeout: an exception here
        # after the timeout: the transaction is gone, its writes undone
        status, body = server.request("POST", f"/transaction/{tx}/commit", b"", {"Content-Type": "application/json"})
        check(error_code(body) == "P2028", f"commit after expiry: {status} {body}")
        check(any(code == "P2028" for _, code in answers), "no query saw the expiry")

    for i in range(12 if pg_server else 8):
        race(i)
    check(project.sql("SELECT COUNT(*) FROM \"User\" WHERE email LIKE 'tx%'")[0][0] in (0, "0"), "an expired transaction kept its writes")
    # every pooled connection (3) came back: as many concurrent transactions as the pool holds work
    txs = []
    for _ in range(3):
        status, body = server.request("POST", "/transaction/start", b'{"timeout": 1000, "maxWait": 500}', {"Content-Type": "application/json"})
        check(status == 200, f"a pooled connection was leaked: {status} {body}")
        txs.append(body["id"])
    for tx in txs:
        server.request("POST", f"/transaction/{tx}/rollback", b"", {"Content-Type": "application/json"})
    check(server.query(create("after-race@x.io"))[0] == 200, "a write after the race (SQLite's write lock released)")
    rows = project.count()
    # a transaction may not ask for more than the server's maximum, nor wait longer
    for body in (b'{"timeout": 1e12}', b'{"timeout": 1000000000000}', b'{"timeout": 2001}', b'{"maxWait": 99999999}',
                 b'{"timeout": -5}', b'{"timeout": "soon"}'):
        status, answer = server.request("POST", "/transaction/start", body, {"Content-Type": "application/json"})
        check(status == 400 and error_code(answer) == "P2028", f"{body}: {status} {answer}")
    section("transactions raced against their expiry roll back, never hang or leak; timeouts are capped")

    # ---- values Prisma's engine refuses
    cases = [({"score": 1e400}, "P2009"), ({"score": -1e400}, "P2009"), ({"n": 2 ** 31}, "P2009"), ({"n": -2 ** 31 - 1}, "P2009"),
             ({"n": 2 ** 64 - 1}, "P2033"), ({"big": 2 ** 63}, "P2033"), ({"big": {"$type": "BigInt", "value": str(2 ** 63)}}, "P2033"),
             ({"big": {"$type": "BigInt", "value": "12abc"}}, "P2009"), ({"price": "1e99999"}, "P2009"), ({"price": "1e-1001"}, "P2009")]
    for fields, code in cases:
        text = json.dumps(create("v@x.io", **fields)).replace("Infinity", "1e400")
        status, body = server.request("POST", "/", text.encode(), {"Content-Type": "application/json"})
        check(error_code(body) == code, f"{fields}: wanted {code}, got {status} {body}")
    check(project.count() == rows, "a refused value was stored")
    # the limits themselves are served
    status, body = server.query(create("edge@x.io", n=2 ** 31 - 1, big={"$type": "BigInt", "value": str(2 ** 63 - 1)}, price="12.5e3"))
    check(status == 200 and body["data"]["createOneUser"]["n"] == 2 ** 31 - 1, f"{body}")
    check(body["data"]["createOneUser"]["big"]["value"] == str(2 ** 63 - 1), f"{body}")
    # a non-finite float stored by another program is answered as null (Prisma's engine), never as Infinity
    project.sql("UPDATE \"User\" SET score = " + ("9e999" if not pg_server else "'Infinity'") + " WHERE email = 'edge@x.io'")
    status, body = server.query(FIND_ALL)  # common.exchange parses strictly: Infinity would fail here
    check(status == 200 and isinstance(body, dict), f"not JSON: {body!r:.200}")
    check([u["score"] for u in body["data"]["findManyUser"] if u["email"] == "edge@x.io"] == [None], f"{body}")
    status, body = server.query({"modelName": "User", "action": "aggregate", "query": {"selection": {"_avg": {"selection": {"score": True}}}}})
    check(status == 200 and isinstance(body, dict), f"aggregate not JSON: {body!r:.200}")
    # memory: a thousand large-exponent decimals cost nothing
    rss = server.rss_kb()
    many = {"batch": [create(f"d{i}@x.io", price="1e99999") for i in range(500)], "transaction": {}}
    for _ in range(4):
        server.query(many)
    check(server.rss_kb() - rss < 30_000, f"RSS grew by {server.rss_kb() - rss} kB on refused decimals")
    section("1e400, out-of-range Int/BigInt and 1e99999 Decimals are refused; stored Infinity reads as null")

    # ---- HTTP framing: smuggling through Transfer-Encoding, oversized headers
    smuggled = json.dumps(create("smuggled@x.io")).encode()
    for te in ("xchunked", "chunked, identity", "gzip", " chunked\t, x"):
        raw = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: {te}\r\n\r\n"
               f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {len(smuggled)}\r\n\r\n").encode() + smuggled
        status, body = exchange(server.port, raw)
        check(status == 400, f"Transfer-Encoding {te!r}: {status} {body}")
    raw = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
           f"{len(smuggled):x}\r\n").encode() + smuggled + b"\r\n0\r\n\r\n"
    check(exchange(server.port, raw)[0] == 400, "Content-Length beside Transfer-Encoding")
    time.sleep(0.2)
    check(project.sql("SELECT COUNT(*) FROM \"User\" WHERE email = 'smuggled@x.io'")[0][0] in (0, "0"), "a smuggled request ran")
    # a proper chunked body is served
    raw = (f"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
           f"{len(smuggled):x}\r\n").encode() + smuggled + b"\r\n0\r\n\r\n"
    status, body = exchange(server.port, raw)
    check(status == 200 and body["data"]["createOneUser"]["email"] == "smuggled@x.io", f"chunked: {status} {body}")
    status, body = server.request("GET", "/health", headers={"X-Pad": "a" * 65536})
    check(status == 431 and isinstance(body, dict), f"64 kB header: {status} {body!r:.100}")
    section("Transfer-Encoding other than chunked (smuggling) answers 400; a 64 kB header 431")

    if not pg_server:
        # ---- slowloris: one deadline per request, not per recv()
        s = socket.create_connection(("127.0.0.1", server.port))
        t0 = time.monotonic()
        status = None
        try:
            for ch in "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + "a" * 200:
                s.sendall(ch.encode())
                time.sleep(0.1)  # well within any per-recv timeout
                if time.monotonic() - t0 > 6:
                    break
            status, _ = read_response(s)
        except OSError:
            pass
        finally:
            s.close()
        check(time.monotonic() - t0 < 5, f"a trickling request held its connection {time.monotonic() - t0:.1f} s (--read-timeout 2)")
        check(status in (408, None), f"trickle: {status}")
        serves(server)
        # the connection cap: over --max-connections, 503 at once; served again when they close
        capped = Server(project, "serve", "--max-connections", "4", "--read-timeout", "30")
        try:
            # four idle connections fill the cap; one answered 503 at once means a session still
            # ending (the readiness check's, on a busy machine) held a slot: then again, later
            for attempt in range(10):
                idle = [socket.create_connection(("127.0.0.1", capped.port)) for _ in range(4)]
                time.sleep(0.3)
                answered = select.select(idle, [], [], 0)[0]
                if not answered:
                    break
                for c in idle:
                    c.close()
                time.sleep(0.5)
            check(not answered, "the four idle connections were never all held open")
            status, body = capped.request("GET", "/health", timeout=5)
            check(status == 503 and error_code(body) == "P2024", f"over the cap: {status} {body}")
            for c in idle:
                c.close()
            time.sleep(0.3)
            check(capped.request("GET", "/health")[0] == 200, "not served again after the idle connections closed")
        finally:
            capped.stop()
        section("slowloris: a trickled request is cut at --read-timeout; over --max-connections: 503, then served")

        # ---- out of file descriptors: the accept loop backs off instead of spinning, then recovers
        fds = len(os.listdir(f"/proc/{server.proc.pid}/fd"))
        soft = limit(server.proc.pid, "Max open files")
        set_soft_limit(server.proc.pid, "nofile", fds + 2)
        held = []
        for _ in range(12):
            c = socket.create_connection(("127.0.0.1", server.port))
            c.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            held.append(c)
        time.sleep(0.5)
        cpu = server.cpu_seconds()
        time.sleep(2)
        busy = (server.cpu_seconds() - cpu) / 2
        check(busy < 0.25, f"out of file descriptors, the server used {busy:.0%} of a core")
        check(server.alive(), "the server died out of file descriptors")
        for c in held:
            c.close()
        set_soft_limit(server.proc.pid, "nofile", soft)
        time.sleep(1.5)  # the back-off is at most 1 s
        serves(server)
        section(f"out of file descriptors: {busy:.0%} of a core while refused, served again after")

        # ---- no thread to be had: 503 for that connection, the server goes on
        vm = int([l for l in open(f"/proc/{server.proc.pid}/status") if l.startswith("VmSize:")][0].split()[1]) * 1024
        soft = limit(server.proc.pid, "Max address space")
        set_soft_limit(server.proc.pid, "as", vm + 24 * 2 ** 20)
        held, statuses = [], []
        for _ in range(12):
            c = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            c.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            statuses.append(read_response(c)[0])
            held.append(c)  # kept open: its thread stays
        check(503 in statuses and server.alive(), f"without threads: {statuses}")
        for c in held:
            c.close()
        set_soft_limit(server.proc.pid, "as", soft)
        time.sleep(0.3)
        serves(server)
        section(f"no thread for a connection: 503 ({statuses.count(503)} of 12), the server goes on")

finally:
    server.stop()

if not pg_server:
    # ---- Studio: the same HTTP layer, raw SQL in a batch, tokens, sessions
    studio_project = Project(tool, work, "studio")
    studio = Server(studio_project, "studio", "--token", "s3cret-token", "--session-timeout", "2", ready_path="/studio.css")
    try:
        check("s3cret-token" not in studio.first_line, f"the reusable token was printed: {studio.first_line}")
        auth = {"Authorization": "Bearer s3cret-token", "Content-Type": "application/json"}
        attached = os.path.join(studio_project.dir, "attached.db")
        for batch in ([{"action": "executeRaw", "query": {"arguments": {"query": f"ATTACH DATABASE '{attached}' AS x", "parameters": "[]"}}}],
                      [FIND_ALL, {"action": "queryRaw", "query": {"arguments": {"query": "SELECT 1", "parameters": "[]"}}}]):
            status, body = studio.request("POST", "/api/query", json.dumps({"batch": batch}).encode(), auth)
            check(status == 403, f"raw SQL in a Studio batch: {status} {body}")
        check(not os.path.exists(attached), "ATTACH DATABASE ran inside a batch")
        # a page on another port of 127.0.0.1 (same site: SameSite=Strict sends the cookie) is refused
        status, body = studio.request("GET", "/?token=s3cret-token")
        check(status == 303, f"sign in: {status}")
        cookie = sign_in(studio, "s3cret-token")
        write = json.dumps(create("studio-csrf@x.io")).encode()
        for headers in ({"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "same-site", "Content-Type": "text/plain"},
                        {"Origin": "http://127.0.0.1:1", "Content-Type": "application/json"},
                        {"Sec-Fetch-Site": "same-site", "Content-Type": "application/json"}):
            status, body = studio.request("POST", "/api/query", write, {"Cookie": cookie, **headers})
            check(status in (403, 415), f"studio cross-port {headers}: {status} {body}")
        check(studio_project.count() == 0, "a cross-port page wrote through Studio")
        status, body = studio.request("POST", "/api/query", write, {"Cookie": cookie, "Content-Type": "application/json",
                                                                     "Origin": f"http://127.0.0.1:{studio.port}"})
        check(status == 200, f"the Studio page itself: {status} {body}")
        # the token is never logged in clear
        check("s3cret-token" not in studio.log() and "token=***" in studio.log(), "the token was logged: " + studio.log()[-500:])
        # sessions expire (--session-timeout 2) and sign out ends one
        time.sleep(2.5)
        status, body = studio.request("GET", "/api/schema", headers={"Cookie": cookie})
        check(status == 401, f"an expired session still served: {status}")
        cookie = sign_in(studio, "s3cret-token")
        check(studio.request("GET", "/api/schema", headers={"Cookie": cookie})[0] == 200, "a fresh session")
        status, _ = studio.request("POST", "/api/logout", b"{}", {"Cookie": cookie, "Content-Type": "application/json"})
        check(status == 200, "sign out")
        check(studio.request("GET", "/api/schema", headers={"Cookie": cookie})[0] == 401, "a signed-out session still served")
        section("Studio: raw SQL in batches, cross-port writes with the cookie refused; token never logged; sessions expire and sign out")
    finally:
        studio.stop()

    # ---- `prisma-cpp ddl` quotes a `"` inside @map names
    quoted = os.path.join(work, "quoted")
    os.makedirs(quoted, exist_ok=True)
    with open(os.path.join(quoted, "schema.prisma"), "w") as f:
        f.write('datasource db {\n  provider = "sqlite"\n}\n\nmodel A {\n  id Int @id\n  b  String @map("x\\"); DROP TABLE y; --")\n'
                '  @@map("we\\"ird")\n}\n')
    ddl = subprocess.run([tool, "ddl", os.path.join(quoted, "schema.prisma")], capture_output=True, text=True)
    check(ddl.returncode == 0 and '"we""ird"' in ddl.stdout and '"x""); DROP TABLE y; --"' in ddl.stdout, ddl.stdout + ddl.stderr)
    import sqlite3
    con = sqlite3.connect(":memory:")
    con.executescript(ddl.stdout)
    check([r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")] == ['we"ird'], "the DDL made other tables")
    section("ddl: a double quote inside @map/@@map names is escaped")

print(f"security attacks on {backend}: {len(passed)} groups passed")
