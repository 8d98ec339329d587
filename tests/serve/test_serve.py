"""prisma-cpp serve against a real SQLite database, through examples/python_client (sync and async):
create/find/update/delete/count with Prisma's value types, an all-or-nothing batch, and bad input
(malformed JSON, unknown fields, wrong value types, an oversize body, a missing or wrong token), the
server still serving after each. Usage: test_serve.py PRISMA_CPP WORK_DIR [POSTGRESQL_SERVER_URL]
(with a server URL, the same checks on a fresh PostgreSQL database there)"""
import asyncio, json, os, shutil, socket, subprocess, sys, time, urllib.error, urllib.request

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "examples", "python_client"))
from prisma_client import AsyncPrisma, Prisma, PrismaError  # noqa: E402

tool, work = sys.argv[1], sys.argv[2]
pg_server = sys.argv[3] if len(sys.argv) > 3 else None
shutil.rmtree(work, ignore_errors=True)
os.makedirs(work)
provider, url = "sqlite", "file:./app.db"
if pg_server:  # a fresh database on the PostgreSQL server
    provider = "postgresql"
    dbname = f"prisma_cpp_serve_{os.getpid()}"
    subprocess.run(["psql", "-q", pg_server, "-c", f'DROP DATABASE IF EXISTS "{dbname}"', "-c", f'CREATE DATABASE "{dbname}"'],
                   check=True, capture_output=True)
    url = pg_server.rsplit("/", 1)[0] + "/" + dbname
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
  karma     BigInt   @default(0)
  createdAt DateTime @default(now())
  posts     Post[]
}

model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id], onDelete: Cascade)
  tags     Tag[]
}

model Tag {
  id    Int    @id @default(autoincrement())
  name  String @unique
  posts Post[]
}

model Thing {
  id    Int      @id @default(autoincrement())
  at    DateTime
  price Decimal
  blob  Bytes
  data  Json
}
"""
with open(os.path.join(work, "schema.prisma"), "w") as f:
    f.write(SCHEMA % provider)
subprocess.run([tool, "db", "push", "--url", url], cwd=work, check=True, capture_output=True)



def check(cond, what):
    """An assertion that holds under PYTHONOPTIMIZE too (a bare `assert` is compiled away there)."""
    if not cond:
        raise AssertionError(what)

def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(*extra):
    port = free_port()
    proc = subprocess.Popen([tool, "serve", "--url", url, "--port", str(port), "--max-body", "4096", *extra], cwd=work,
                            stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            return proc, port
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("serve did not start: " + proc.stderr.read())


def expect_error(code, fn):
    try:
        fn()
    except PrismaError as e:
        check(e.code == code, f"wanted {code}, got {e.code}: {e.message}")
        return e
    raise AssertionError(f"no error, wanted {code}")


def raw_post(port, body, headers=None):
    req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body, method="POST",
                                 headers={"content-type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(req, timeout=5) as res:
            return res.status, json.loads(res.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


proc, port = start()
try:
    db = Prisma(f"http://127.0.0.1:{port}")
    check(db.health() == {"status": "ok"}, 'db.health() == {"status": "ok"}')
    ann = db.user.create(data={"email": "ann@x.io", "name": "Ann", "role": "ADMIN"})
    check(ann["id"] == 1 and ann["role"] == "ADMIN" and ann["karma"] == 0 and ann["createdAt"].endswith("Z"), 'ann["id"] == 1 and ann["role"] == "ADMIN" and ann["karma"] == 0 and ann["createdAt"].endswith("Z")')
    # every tagged type through the client's own encoder (Python values in) and decoder (values out)
    import base64, datetime, decimal
    when = datetime.datetime(2024, 5, 17, 8, 30, 15, 123000, tzinfo=datetime.timezone.utc)
    thing = db.thing.create(data={"at": when, "price": decimal.Decimal("12.50"), "blob": b"\x00\x01\xff",
                                  "data": {"tags": ["a", None], "n": 1.5}})
    check(datetime.datetime.fromisoformat(thing["at"].replace("Z", "+00:00")) == when, f"DateTime: {thing['at']}")
    check(decimal.Decimal(thing["price"]) == decimal.Decimal("12.5"), f"Decimal: {thing['price']}")
    check(base64.b64decode(thing["blob"]) == b"\x00\x01\xff", f"Bytes: {thing['blob']}")
    check(thing["data"] == {"tags": ["a", None], "n": 1.5}, f"Json: {thing['data']}")
    found = db.thing.find_many(where={"at": {"gte": when}, "price": {"lt": decimal.Decimal("12.51")}, "blob": {"equals": b"\x00\x01\xff"}})
    check([t["id"] for t in found] == [thing["id"]], f"filters on DateTime, Decimal and Bytes values: {found}")
    check(db.thing.find_many(where={"at": {"gt": when}}) == [], "a later DateTime filters it out")
    big = db.user.create(data={"email": "big@x.io", "karma": {"$type": "BigInt", "value": "9007199254740993"}})
    check(big["karma"] == 9007199254740993 and big["name"] is None, 'big["karma"] == 9007199254740993 and big["name"] is None')
    check([u["email"] for u in db.user.find_many(where={"email": {"endsWith": "@x.io"}}, order_by=[{"id": "desc"}])] == \
        ["big@x.io", "ann@x.io"], '[u["email"] for u in db.user.find_many(where={"email": {"endsWith": "@x.io"}}, order_by=[{"id": "desc"}])] == \\\n     ...')
    check(db.user.find_many(where={"email": {"contains": "%"}}) == [], 'db.user.find_many(where={"email": {"contains": "%"}}) == []')  # % is literal text
    check(db.user.find_first(where={"OR": [{"name": None}, {"role": "USER"}]})["email"] == "big@x.io", 'db.user.find_first(where={"OR": [{"name": None}, {"role": "USER"}]})["email"] == "big@x.io"')
    check(db.user.update(where={"id": 1}, data={"karma": {"increment": 5}}, select=["id", "karma"]) == {"id": 1, "karma": 5}, 'db.user.update(where={"id": 1}, data={"karma": {"increment": 5}}, select=["id", "karma"]) == {"id": 1, "karma": 5}')
    check(db.user.count(where={"role": "ADMIN"}) == 1, 'db.user.count(where={"role": "ADMIN"}) == 1')
    check(db.user.find_unique(where={"email": "nobody@x.io"}) is None, 'db.user.find_unique(where={"email": "nobody@x.io"}) is None')
    expect_error("P2025", lambda: db.user.find_unique_or_throw(where={"email": "nobody@x.io"}))
    e = expect_error("P2002", lambda: db.user.create(data={"email": "ann@x.io"}))
    check(e.meta["target"] == ["email"], 'e.meta["target"] == ["email"]')
    expect_error("P2025", lambda: db.user.update(where={"id": 99}, data={"name": "x"}))
    # an all-or-nothing batch: the second query fails, the first one's delete is undone
    expect_error("P2025", lambda: db.batch_transaction([
        db.user.query("deleteMany", where={}), db.user.query("findUniqueOrThrow", where={"id": 99})]))
    check(db.user.count() == 2, 'db.user.count() == 2')
    check(db.batch_transaction([db.user.query("createOne", data={"email": "c@x.io"}),
                                 db.user.query("findMany", where={"email": "c@x.io"})])[1][0]["email"] == "c@x.io", 'db.batch_transaction([db.user.query("createOne", data={"email": "c@x.io"}),\n                                 db.user....')
    # async: the same API, concurrent requests
    async def many():
        adb = AsyncPrisma(f"http://127.0.0.1:{port}")
        made = await asyncio.gather(*(adb.user.create(data={"email": f"a{i}@x.io"}) for i in range(20)))
        return len(made), await adb.user.count()
    check(asyncio.run(many()) == (20, 23), 'asyncio.run(many()) == (20, 23)')
    check(db.user.delete_many(where={"email": {"startsWith": "a"}}) == 21, 'db.user.delete_many(where={"email": {"startsWith": "a"}}) == 21')  # a0..a19 and ann
    # bad input, answered with an error, the server still serving
    status, body = raw_post(port, b"{not json")
    check(status == 400 and body["errors"][0]["user_facing_error"]["error_code"] == "P2009", 'status == 400 and body["errors"][0]["user_facing_error"]["error_code"] == "P2009"')
    expect_error("P2009", lambda: db.user.find_many(where={"bogus": 1}))
    expect_error("P2009", lambda: db.user.create(data={"email": 12}))
    expect_error("P2009", lambda: db.nope.find_many())
    # relations in the selection: to-many with where/orderBy/take, to-one, nested
    first, second = [u["id"] for u in db.user.find_many(order_by=[{"id": "asc"}], select=["id"])]
    for title in ["p1", "p2", "p3"]:
        db.post.create(data={"title": title, "authorId": first})
    db.post.create(data={"title": "q1", "authorId": second})
    users = db.user.find_many(order_by=[{"id": "asc"}], include={"posts": {"order_by": [{"id": "desc"}], "take": 2}})
    check([p["title"] for p in users[0]["posts"]] == ["p3", "p2"] and [p["title"] for p in users[1]["posts"]] == ["q1"], '[p["title"] for p in users[0]["posts"]] == ["p3", "p2"] and [p["title"] for p in users[1]["posts"]] == ["q1"]')
    post = db.post.find_first(where={"title": "q1"}, include={"author": {"include": {"posts": True}}})
    check(post["author"]["id"] == second and [p["title"] for p in post["author"]["posts"]] == ["q1"], 'post["author"]["id"] == second and [p["title"] for p in post["author"]["posts"]] == ["q1"]')
    check(post["authorId"] == second, 'post["authorId"] == second')
    only = db.user.find_many(select=["email"], order_by=[{"id": "asc"}], include={"posts": {"where": {"title": {"startsWith": "p"}}}})
    check([p["title"] for p in only[0]["posts"]] == ["p1", "p2", "p3"] and only[1]["posts"] == [], '[p["title"] for p in only[0]["posts"]] == ["p1", "p2", "p3"] and only[1]["posts"] == []')
    check(set(only[0]) == {"email", "posts"}, 'set(only[0]) == {"email", "posts"}')  # the key loaded for stitching is not returned
    only_first_email, second_email = only[0]["email"], only[1]["email"]
    # relation filters: some / none / every on a list relation, is / isNot on a to-one
    emails = lambda users: sorted(u["email"] for u in users)
    check(emails(db.user.find_many(where={"posts": {"some": {"title": "q1"}}})) == [second_email], 'emails(db.user.find_many(where={"posts": {"some": {"title": "q1"}}})) == [second_email]')
    check(len(db.user.find_many(where={"posts": {"none": {}}})) == 0, 'len(db.user.find_many(where={"posts": {"none": {}}})) == 0')
    check(emails(db.user.find_many(where={"posts": {"every": {"title": {"startsWith": "p"}}}})) == [only_first_email], 'emails(db.user.find_many(where={"posts": {"every": {"title": {"startsWith": "p"}}}})) == [only_first_email]')
    check([p["title"] for p in db.post.find_many(where={"author": {"is": {"email": second_email}}})] == ["q1"], '[p["title"] for p in db.post.find_many(where={"author": {"is": {"email": second_email}}})] == ["q1"]')
    check(len(db.post.find_many(where={"author": {"isNot": {"email": second_email}}})) == 3, 'len(db.post.find_many(where={"author": {"isNot": {"email": second_email}}})) == 3')
    check(db.user.update_many(where={"posts": {"some": {"title": "p1"}}}, data={"name": "has p1"}) == 1, 'db.user.update_many(where={"posts": {"some": {"title": "p1"}}}, data={"name": "has p1"}) == 1')
    # raw SQL: the text as written, the parameters bound
    ph = (lambda n: "?") if provider == "sqlite" else (lambda n: f"${n}")
    rows = db.query_raw(f'SELECT "id", "email" FROM "User" WHERE "id" >= {ph(1)} ORDER BY "id"', first)
    check(rows == [{"id": first, "email": only_first_email}, {"id": second, "email": second_email}], rows)
    check(db.execute_raw(f'UPDATE "User" SET "name" = {ph(1)} WHERE "id" = {ph(2)}', "raw", second) == 1, 'db.execute_raw(f\'UPDATE "User" SET "name" = {ph(1)} WHERE "id" = {ph(2)}\', "raw", second) == 1')
    check(db.user.find_unique(where={"id": second})["name"] == "raw", 'db.user.find_unique(where={"id": second})["name"] == "raw"')
    check(db.execute_raw(f'UPDATE "User" SET "name" = NULL WHERE "id" = {ph(1)}', second) == 1, 'db.execute_raw(f\'UPDATE "User" SET "name" = NULL WHERE "id" = {ph(1)}\', second) == 1')
    expect_error("P2010", lambda: db.query_raw('SELECT * FROM "Nope"'))
    # nested writes in create: children created with the parent, a parent connected or created
    made = db.user.create(data={"email": "nest@x.io", "posts": {"create": [{"title": "n1"}, {"title": "n2"}]}},
                          include={"posts": {"order_by": [{"id": "asc"}]}})
    check([p["title"] for p in made["posts"]] == ["n1", "n2"] and all(p["authorId"] == made["id"] for p in made["posts"]), '[p["title"] for p in made["posts"]] == ["n1", "n2"] and all(p["authorId"] == made["id"] for p in made["posts"])')
    post = db.post.create(data={"title": "n3", "author": {"connect": {"email": "nest@x.io"}}}, include={"author": True})
    check(post["author"]["email"] == "nest@x.io", 'post["author"]["email"] == "nest@x.io"')
    post = db.post.create(data={"title": "n4", "author": {"create": {"email": "made@x.io"}}}, include={"author": True})
    check(post["author"]["email"] == "made@x.io", 'post["author"]["email"] == "made@x.io"')
    expect_error("P2025", lambda: db.post.create(data={"title": "n5", "author": {"connect": {"email": "nobody@x.io"}}}))
    expect_error("P2002", lambda: db.user.create(data={"email": "nest2@x.io", "posts": {"create": {"title": "x"}},
                                                       "name": "dup"}) and db.user.create(data={"email": "nest2@x.io"}))
    check(db.post.count(where={"title": "x"}) == 1, 'db.post.count(where={"title": "x"}) == 1')  # the first create went through; the duplicate was refused whole
    # a nested create failing half-way leaves nothing behind
    expect_error("P2009", lambda: db.user.create(data={"email": "half@x.io", "posts": {"create": [{"title": "ok"}, {"bogus": 1}]}}))
    check(db.user.find_unique(where={"email": "half@x.io"}) is None and db.post.count(where={"title": "ok"}) == 0, 'db.user.find_unique(where={"email": "half@x.io"}) is None and db.post.count(where={"title": "ok"}) == 0')
    check(db.post.delete_many(where={"title": {"in": ["n1", "n2", "n3", "n4", "x"]}}) == 5, 'db.post.delete_many(where={"title": {"in": ["n1", "n2", "n3", "n4", "x"]}}) == 5')
    check(db.user.delete_many(where={"email": {"in": ["nest@x.io", "made@x.io", "nest2@x.io"]}}) == 3, 'db.user.delete_many(where={"email": {"in": ["nest@x.io", "made@x.io", "nest2@x.io"]}}) == 3')
    # many-to-many, nested writes in updates, _count, cursor, distinct, omit, having
    owner = db.user.create(data={"email": "tags@x.io"})
    db.tag.create(data={"name": "c"})
    post = db.post.create(data={"title": "t1", "author": {"connect": {"id": owner["id"]}},
                                "tags": {"create": [{"name": "a"}], "connect": [{"name": "c"}],
                                         "connectOrCreate": [{"where": {"name": "b"}, "create": {"name": "b"}}]}},
                          include={"tags": {"order_by": [{"name": "asc"}]}})
    check([t["name"] for t in post["tags"]] == ["a", "b", "c"], post)
    post = db.post.update(where={"id": post["id"]}, data={"tags": {"set": [{"name": "b"}]}},
                          include={"tags": True, "_count": {"tags": True}})
    check([t["name"] for t in post["tags"]] == ["b"] and post["_count"] == {"tags": 1}, post)
    check(db.tag.find_many(where={"posts": {"none": {}}}, order_by=[{"name": "asc"}], select=["name"]) == [{"name": "a"}, {"name": "c"}], 'db.tag.find_many(where={"posts": {"none": {}}}, order_by=[{"name": "asc"}], select=["name"]) == [{"name": "a"}, {"nam...')
    owner = db.user.update(where={"id": owner["id"]}, data={"posts": {"create": [{"title": "t2"}, {"title": "t3"}],
                                                                      "updateMany": [{"where": {"title": "t1"}, "data": {"title": "t1!"}}]}},
                           include={"posts": {"order_by": [{"id": "asc"}]}, "_count": {"posts": True}})
    check([p["title"] for p in owner["posts"]] == ["t1!", "t2", "t3"] and owner["_count"] == {"posts": 3}, owner)
    page = db.post.find_many(where={"authorId": owner["id"]}, cursor={"id": owner["posts"][1]["id"]}, take=2, order_by=[{"id": "asc"}])
    check([p["title"] for p in page] == ["t2", "t3"], '[p["title"] for p in page] == ["t2", "t3"]')
    check([p["title"] for p in db.post.find_many(where={"authorId": owner["id"]}, take=-1, order_by=[{"id": "asc"}])] == ["t3"], '[p["title"] for p in db.post.find_many(where={"authorId": owner["id"]}, take=-1, order_by=[{"id": "asc"}])] == ["t3"]')
    check(len(db.post.find_many(distinct=["authorId"], where={"authorId": owner["id"]})) == 1, 'len(db.post.find_many(distinct=["authorId"], where={"authorId": owner["id"]})) == 1')
    check("email" not in db.user.find_unique(where={"id": owner["id"]}, omit={"email": True}), '"email" not in db.user.find_unique(where={"id": owner["id"]}, omit={"email": True})')
    groups = db.post.group_by(["authorId"], where={"authorId": {"gte": owner["id"]}}, having={"id": {"_count": {"gte": 3}}}, _count=["_all"])
    check(groups == [{"authorId": owner["id"], "_count": {"_all": 3}}], groups)
    expect_error("P2025", lambda: db.user.update(where={"id": owner["id"]}, data={"name": "no", "posts": {"delete": [{"id": -1}]}}))
    check(db.user.find_unique(where={"id": owner["id"]})["name"] is None, 'db.user.find_unique(where={"id": owner["id"]})["name"] is None')  # the whole update was rolled back
    expect_error("P2009", lambda: db.user.find_unique(where={"name": "x"}))  # not a unique criterion
    db.user.delete(where={"id": owner["id"]})
    check(db.tag.delete_many(where={}) == 3, 'db.tag.delete_many(where={}) == 3')
    # aggregate and groupBy, in Prisma's output types
    agg = db.user.aggregate(_count=["_all", "name"], _sum=["karma"], _max=["id"], _min=["email"], _avg=["id"])
    check(agg["_count"] == {"_all": 2, "name": 1} and agg["_sum"]["karma"] == 9007199254740993, 'agg["_count"] == {"_all": 2, "name": 1} and agg["_sum"]["karma"] == 9007199254740993')
    check(agg["_max"]["id"] == second and agg["_min"]["email"] == min(only_first_email, second_email), 'agg["_max"]["id"] == second and agg["_min"]["email"] == min(only_first_email, second_email)')
    check(agg["_avg"]["id"] == (first + second) / 2, 'agg["_avg"]["id"] == (first + second) / 2')
    check(db.user.aggregate(where={"id": -1}, _sum=["karma"], _count=["_all"]) == {"_sum": {"karma": None}, "_count": {"_all": 0}}, 'db.user.aggregate(where={"id": -1}, _sum=["karma"], _count=["_all"]) == {"_sum": {"karma": None}, "_count": {"_all": ...')
    groups = db.post.group_by(["authorId"], order_by=[{"authorId": "asc"}], _count=["_all"], _max=["title"])
    check(groups == [{"authorId": first, "_count": {"_all": 3}, "_max": {"title": "p3"}},
                      {"authorId": second, "_count": {"_all": 1}, "_max": {"title": "q1"}}], groups)
    check(db.post.delete_many(where={}) == 4, 'db.post.delete_many(where={}) == 4')
    # upsert, createMany (skipDuplicates), createManyAndReturn
    check(db.user.upsert(where={"email": "up@x.io"}, create={"email": "up@x.io", "name": "new"},
                          update={"name": "again"})["name"] == "new", 'db.user.upsert(where={"email": "up@x.io"}, create={"email": "up@x.io", "name": "new"},\n                          upda...')
    check(db.user.upsert(where={"email": "up@x.io"}, create={"email": "up@x.io"}, update={"name": "again"})["name"] == "again", 'db.user.upsert(where={"email": "up@x.io"}, create={"email": "up@x.io"}, update={"name": "again"})["name"] == "again"')
    check(db.user.create_many(data=[{"email": "m1@x.io"}, {"email": "up@x.io"}, {"email": "m2@x.io"}],
                               skip_duplicates=True) == 2, 'db.user.create_many(data=[{"email": "m1@x.io"}, {"email": "up@x.io"}, {"email": "m2@x.io"}],\n                        ...')
    expect_error("P2002", lambda: db.user.create_many(data=[{"email": "m3@x.io"}, {"email": "m1@x.io"}]))
    check(db.user.find_unique(where={"email": "m3@x.io"}) is None, 'db.user.find_unique(where={"email": "m3@x.io"}) is None')  # all or nothing
    made = db.user.create_many_and_return(data=[{"email": "r1@x.io"}, {"email": "r2@x.io"}], select=["email"])
    check(made == [{"email": "r1@x.io"}, {"email": "r2@x.io"}], 'made == [{"email": "r1@x.io"}, {"email": "r2@x.io"}]')
    check(db.user.delete_many(where={"email": {"in": ["up@x.io", "m1@x.io", "m2@x.io", "r1@x.io", "r2@x.io"]}}) == 5, 'db.user.delete_many(where={"email": {"in": ["up@x.io", "m1@x.io", "m2@x.io", "r1@x.io", "r2@x.io"]}}) == 5')
    # interactive transactions: visible to others only after commit; rolled back on error; an id
    # reused after commit, or a transaction past its timeout, is P2028
    with db.tx() as t:
        t.user.create(data={"email": "tx@x.io"})
        check(t.user.count() == 3 and db.user.count() == 2, 't.user.count() == 3 and db.user.count() == 2')  # not visible outside yet
    check(db.user.count() == 3, 'db.user.count() == 3')
    try:
        with db.tx() as t:
            t.user.delete_many(where={})
            raise RuntimeError("changed my mind")
    except RuntimeError:
        pass
    check(db.user.count() == 3, 'db.user.count() == 3')
    ctx = db.tx()
    t = ctx.__enter__()
    ctx.__exit__(None, None, None)
    expect_error("P2028", lambda: t.user.count())
    slow = db.tx(timeout_ms=200)
    t = slow.__enter__()
    time.sleep(0.5)
    expect_error("P2028", lambda: t.user.count())
    check(db.user.create(data={"email": "after@x.io"})["email"] == "after@x.io", 'db.user.create(data={"email": "after@x.io"})["email"] == "after@x.io"')  # the write turn came back
    check(db.user.delete_many(where={"email": {"in": ["tx@x.io", "after@x.io"]}}) == 2, 'db.user.delete_many(where={"email": {"in": ["tx@x.io", "after@x.io"]}}) == 2')
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as res:
        metrics = res.read().decode()
    check("prisma_client_queries_total" in metrics and "prisma_pool_connections_open" in metrics, metrics[:300])
    total = [l for l in metrics.splitlines() if l.startswith("prisma_client_queries_total")][0]
    check(float(total.split()[-1]) > 20, total)
    status, body = raw_post(port, b'{"pad":"' + b"x" * 10000 + b'"}')
    check(status == 413, status)
    check(db.user.count() == 2, 'db.user.count() == 2')
finally:
    proc.terminate()
    proc.wait(timeout=10)

# a token: required, checked, /health stays open
proc, port = start("--token", "s3cret")
try:
    status, body = raw_post(port, b'{"modelName":"User","action":"findMany"}')
    check(status == 401, status)
    status, _ = raw_post(port, b'{"modelName":"User","action":"findMany"}', {"authorization": "Bearer wrong"})
    check(status == 401, 'status == 401')
    check(len(Prisma(f"http://127.0.0.1:{port}", token="s3cret").user.find_many()) == 2, 'len(Prisma(f"http://127.0.0.1:{port}", token="s3cret").user.find_many()) == 2')
finally:
    proc.terminate()
    proc.wait(timeout=10)
# binding beyond loopback without a token is refused
r = subprocess.run([tool, "serve", "--url", url, "--host", "0.0.0.0", "--port", str(free_port())], cwd=work, capture_output=True, text=True)
check(r.returncode == 2 and "needs a token" in r.stderr, r.stderr)
if pg_server:
    subprocess.run(["psql", "-q", pg_server, "-c", f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)'], capture_output=True)
print(f"serve on {provider}: queries, batch, async, errors and token checks passed")
