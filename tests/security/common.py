"""Shared by the security tests: a project with a schema of every scalar type on SQLite or on a
fresh PostgreSQL database, a `prisma-cpp serve` / `studio` started on a free loopback port, raw
HTTP on a socket (so that the tests send exactly the bytes an attacker would), and strict JSON
(Infinity and NaN are not JSON: json.loads would take them, these tests do not)."""
import json, os, shutil, socket, subprocess, time

SCHEMA = """datasource db {
  provider = "%s"
}

model User {
  id     Int      @id @default(autoincrement())
  email  String   @unique
  n      Int      @default(0)
  big    BigInt   @default(0)
  score  Float    @default(0)
  price  Decimal  @default(0)
  at     DateTime @default(now())
  data   Json?
  blob   Bytes?
  ok     Boolean  @default(true)
  posts  Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
}
"""


class Failure(AssertionError):
    pass


def check(cond, what):
    """An assertion that PYTHONOPTIMIZE does not remove."""
    if not cond:
        raise Failure(what)


def strict_json(text):
    def no_constant(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=no_constant)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Project:
    """A folder with schema.prisma, pushed to SQLite (file) or to a fresh database on pg_server."""

    def __init__(self, tool, work, name, pg_server=None):
        self.tool, self.dir = tool, os.path.join(work, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.provider, self.url = "sqlite", "file:./app.db"
        if pg_server:
            self.provider = "postgresql"
            db = f"prisma_cpp_sec_{name}_{os.getpid()}"
            subprocess.run(["psql", "-q", pg_server, "-c", f'DROP DATABASE IF EXISTS "{db}"', "-c", f'CREATE DATABASE "{db}"'],
                           check=True, capture_output=True)
            self.url = pg_server.rsplit("/", 1)[0] + "/" + db
        with open(os.path.join(self.dir, "schema.prisma"), "w") as f:
            f.write(SCHEMA % self.provider)
        subprocess.run([tool, "db", "push", "--url", self.url], cwd=self.dir, check=True, capture_output=True)

    def sql(self, statement):
        """One statement on the database, outside the server (sqlite3 module / psql)."""
        if self.provider == "sqlite":
            import sqlite3
            con = sqlite3.connect(os.path.join(self.dir, "app.db"), timeout=10)
            try:
                rows = con.execute(statement).fetchall()
                con.commit()
                return rows
            finally:
                con.close()
        out = subprocess.run(["psql", "-qAt", self.url, "-c", statement], check=True, capture_output=True, text=True).stdout
        return [tuple(line.split("|")) for line in out.splitlines() if line]

    def count(self, table="User"):
        return int(self.sql(f'SELECT COUNT(*) FROM "{table}"')[0][0])


class Server:
    """`prisma-cpp <command> --url ... --port <free>` in the project's folder; stderr to a log file."""

    def __init__(self, project, command="serve", *extra, ready_path="/health"):
        self.project, self.port = project, free_port()
        self.log_path = os.path.join(project.dir, f"{command}_{self.port}.log")
        self.proc = subprocess.Popen([project.tool, command, "--url", project.url, "--port", str(self.port), *extra],
                                     cwd=project.dir, stdout=subprocess.PIPE, stderr=open(self.log_path, "w"), text=True)
        self.first_line = self.proc.stdout.readline() if command == "studio" else ""
        for _ in range(200):
            try:
                status, _ = self.request("GET", ready_path)
                if status:
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise Failure(f"{command} did not start: " + open(self.log_path).read())

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()

    def log(self):
        return open(self.log_path).read()

    def request(self, method, path, body=b"", headers=None, host=None, timeout=10):
        """One request on a fresh connection: (status, strict JSON body or raw text)."""
        head = {"Host": host or f"127.0.0.1:{self.port}", "Connection": "close"}
        if body:
            head["Content-Length"] = str(len(body))
        head.update(headers or {})
        raw = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in head.items()) + "\r\n"
        return exchange(self.port, raw.encode() + body, timeout)

    def query(self, body, headers=None, **kw):
        h = {"Content-Type": "application/json"}
        h.update(headers or {})
        return self.request("POST", "/", json.dumps(body).encode(), h, **kw)

    def rss_kb(self):
        for line in open(f"/proc/{self.proc.pid}/status"):
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0

    def cpu_seconds(self):
        fields = open(f"/proc/{self.proc.pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_response(sock):
    """One HTTP response from the socket: (status, body bytes), or (None, b"") on a close."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None, data
        data += chunk
    head, rest = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        k, _, v = line.partition(":")
        if k.strip().lower() == "content-length":
            length = int(v.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, rest[:length]


def exchange(port, raw, timeout=10):
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(raw)
        status, body = read_response(s)
    if status is None:
        return None, None
    try:
        return status, strict_json(body.decode())
    except ValueError:
        return status, body.decode("latin-1")


def error_code(body):
    try:
        return body["errors"][0]["user_facing_error"]["error_code"]
    except (TypeError, KeyError, IndexError):
        return None


def create(email, **fields):
    return {"modelName": "User", "action": "createOne",
            "query": {"arguments": {"data": {"email": email, **fields}}, "selection": {"$scalars": True}}}


FIND_ALL = {"modelName": "User", "action": "findMany", "query": {"arguments": {"orderBy": [{"id": "asc"}]}, "selection": {"$scalars": True}}}
