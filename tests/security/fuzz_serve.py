"""A bounded fuzzer of `prisma-cpp serve`'s JSON protocol: mutations of valid queries (values
swapped for hostile ones, keys dropped, renamed or added, actions and models swapped, batches,
interactive transactions started, used and abandoned, the JSON text cut or corrupted) sent from
4 keep-alive connections; a fifth of the requests are of Prisma's GraphQL protocol (Prisma Client
Python's), their query text mutated (tokens inserted, cut, spliced, nested 100,000 deep). Fails on a crash, a hang (no answer within 10 s), an answer that is not
strict JSON (Infinity/NaN included), a 5xx, or a server that no longer answers a plain query.
Usage: fuzz_serve.py PRISMA_CPP WORK_DIR REQUESTS [POSTGRESQL_SERVER_URL]  (seed: FUZZ_SEED)"""
import copy, http.client, json, os, random, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import FIND_ALL, Failure, Project, Server, check, create, strict_json  # noqa: E402

tool, work, total = sys.argv[1], sys.argv[2], int(sys.argv[3])
pg_server = sys.argv[4] if len(sys.argv) > 4 else None
seed = int(os.environ.get("FUZZ_SEED", random.SystemRandom().randrange(1 << 30)))
print(f"fuzz_serve: seed {seed} (FUZZ_SEED={seed} repeats this run), {total} requests", flush=True)

SCALARS = {"$scalars": True}
SEEDS = [
    create("seed@x.io", n=5, big={"$type": "BigInt", "value": "7"}, score=1.5, price={"$type": "Decimal", "value": "2.50"},
           at={"$type": "DateTime", "value": "2024-01-02T03:04:05.000Z"}, data={"$type": "Json", "value": '{"a": [1]}'},
           blob={"$type": "Bytes", "value": "AAEC"}),
    {"modelName": "User", "action": "findMany", "query": {"arguments": {"where": {"AND": [{"email": {"contains": "x", "mode": "insensitive"}},
     {"n": {"gte": 0, "in": [1, 2, 5]}}], "posts": {"some": {"title": {"startsWith": "p"}}}}, "orderBy": [{"score": "desc"}],
     "take": 5, "skip": 0, "distinct": ["email"]}, "selection": {"$scalars": True, "posts": {"arguments": {"take": 2}, "selection": SCALARS},
     "_count": {"selection": {"posts": True}}}}},
    {"modelName": "User", "action": "findUnique", "query": {"arguments": {"where": {"email": "seed@x.io"}}, "selection": SCALARS}},
    {"modelName": "User", "action": "findFirstOrThrow", "query": {"arguments": {"where": {"NOT": {"big": {"lt": {"$type": "BigInt", "value": "0"}}}},
     "cursor": {"id": 1}}, "selection": SCALARS}},
    {"modelName": "User", "action": "updateMany", "query": {"arguments": {"where": {"n": {"lt": 100}}, "data": {"n": {"increment": 1},
     "score": {"multiply": 2}}}, "selection": {"count": True}}},
    {"modelName": "User", "action": "upsertOne", "query": {"arguments": {"where": {"email": "up@x.io"}, "create": {"email": "up@x.io"},
     "update": {"n": {"decrement": 1}}}, "selection": SCALARS}},
    {"modelName": "Post", "action": "createOne", "query": {"arguments": {"data": {"title": "p1", "author": {"connectOrCreate": {
     "where": {"email": "seed@x.io"}, "create": {"email": "seed@x.io"}}}}}, "selection": {"$scalars": True, "author": {"selection": SCALARS}}}},
    {"modelName": "User", "action": "updateOne", "query": {"arguments": {"where": {"email": "seed@x.io"}, "data": {"posts": {
     "create": [{"title": "p2"}], "updateMany": {"where": {"title": "p1"}, "data": {"title": "p3"}}}}}, "selection": SCALARS}},
    {"modelName": "User", "action": "aggregate", "query": {"arguments": {"where": {"ok": True}}, "selection": {
     "_count": {"selection": {"_all": True}}, "_avg": {"selection": {"score": True}}, "_sum": {"selection": {"big": True, "price": True}},
     "_max": {"selection": {"at": True}}}}},
    {"modelName": "User", "action": "groupBy", "query": {"arguments": {"by": ["ok"], "having": {"n": {"_avg": {"gt": 0}}},
     "orderBy": [{"ok": "asc"}]}, "selection": {"ok": True, "_count": {"selection": {"_all": True}}}}},
    {"modelName": "User", "action": "createMany", "query": {"arguments": {"data": [{"email": "m1@x.io"}, {"email": "m2@x.io"}],
     "skipDuplicates": True}, "selection": {"count": True}}},
    {"modelName": "Post", "action": "deleteMany", "query": {"arguments": {"where": {"title": "p9"}}, "selection": {"count": True}}},
    {"modelName": "User", "action": "deleteOne", "query": {"arguments": {"where": {"email": "m2@x.io"}}, "selection": SCALARS}},
    {"batch": [FIND_ALL, create("b@x.io")], "transaction": {"isolationLevel": "Serializable"}},
]
WORDS = ["where", "data", "select", "include", "selection", "arguments", "$scalars", "$composites", "orderBy", "take", "skip",
         "cursor", "distinct", "AND", "OR", "NOT", "some", "every", "none", "is", "isNot", "in", "notIn", "equals", "not", "lt",
         "gt", "lte", "gte", "contains", "startsWith", "endsWith", "mode", "insensitive", "increment", "decrement", "multiply",
         "divide", "set", "create", "connect", "connectOrCreate", "disconnect", "delete", "update", "upsert", "createMany",
         "updateMany", "deleteMany", "_count", "_sum", "_avg", "_min", "_max", "_all", "by", "having", "posts", "author", "email",
         "id", "n", "big", "score", "price", "at", "data", "blob", "ok", "title", "authorId", "$type", "value", "omit", "batch",
         "transaction", "skipDuplicates", "nulls", "sort", "first", "last", "has", "path", "modelName", "action", "query"]
ACTIONS = ["findMany", "findFirst", "findUnique", "findUniqueOrThrow", "findFirstOrThrow", "createOne", "createMany",
           "createManyAndReturn", "updateOne", "updateMany", "upsertOne", "deleteOne", "deleteMany", "aggregate", "groupBy", "nope"]
MODELS = ["User", "Post", "user", "Nope", ""]


def deep(depth, leaf):
    v = leaf
    for _ in range(depth):
        v = [v]
    return v


HOSTILE = [None, True, False, 0, -1, 1, 2 ** 31, -2 ** 31 - 1, 2 ** 63, 2 ** 64 - 1, -2 ** 63 - 1, 2 ** 70, 1e308, -1e308,
           float("inf"), float("-inf"), 0.5, -0.0, 1e-320, "", "x" * 3000, "\u0000", "\U0001F4A5", "%_\\", "' OR 1=1 --",
           '"; DROP TABLE "User"; --', "2024-13-45T99:99:99Z", "1e99999", [], {}, [None], [[]], {"": {}},
           {"$type": "BigInt", "value": "9" * 30}, {"$type": "BigInt", "value": "-"}, {"$type": "Decimal", "value": "1e99999"},
           {"$type": "Decimal", "value": "NaN"}, {"$type": "DateTime", "value": "not a date"}, {"$type": "Bytes", "value": "!!!"},
           {"$type": "Json", "value": "{"}, {"$type": "Nope", "value": 1}, {"$type": 5}, deep(20, 1), deep(40, {}),
           {"equals": None}, {"in": []}, {"not": {"not": {"not": None}}}, "Serializable", "asc", "desc", "insensitive"]


# Prisma's GraphQL protocol, as Prisma Client Python writes it (commas as whitespace, enum names bare)
GQL_SEEDS = [
    'query {\n  result: findManyUser\n  (\n    take: 5\n    where: {\n      email: {\n        contains: "x"\n'
    '        mode: insensitive\n      }\n    }\n  )\n  {\n    id\n    email\n    posts(\n      take: 2\n    )\n'
    '    {\n      id\n      title\n    }\n  }\n}',
    'mutation {\n  result: createOneUser\n  (\n    data: {\n      email: "g@x.io"\n      data: "{\\"a\\": [1]}"\n'
    '      big: 5\n      price: "2.50"\n      at: "2024-01-02T03:04:05+00:00"\n    }\n  )\n  {\n    id\n    data\n  }\n}',
    'query { result: aggregateUser(where: {n: {gte: 0}}) { _count { _all } _avg { score } } }',
    'query { result: groupByUser(by: ["ok"], orderBy: [, {ok: asc}, ]) { ok _count { _all } _sum { n big } } }',
    'query { result: findUniqueUserOrThrow(where: {email: "seed@x.io"}) { id email posts { id } } }',
    'mutation { result: updateManyUser(where: {n: {lt: 100}}, data: {n: {increment: 1}}) { count } }',
    'mutation { result: upsertOneUser(where: {email: "up@x.io"}, create: {email: "up@x.io"}, update: {n: $n}) { id } }',
    'mutation { result: executeRaw(query: "SELECT 1", parameters: "[]") }',
]
# bodies that once made the server fail (seed 1052304171: a GraphQL query string beside a `batch` that is no list)
FOUND = [
    {"action": "findUnique", "query": "desc", "batch": "User"},
    {"query": "query { result: findManyUser { id } }", "batch": 5},
    {"query": "query { result: findManyUser { id } }", "batch": [{"query": 5}]},
    {"batch": "x"}, {"batch": [{"query": 5}], "transaction": True}, {"batch": [], "transaction": "x"},
]
GQL_TOKENS = ["{", "}", "(", ")", "[", "]", ":", '"', "\\", "$n", "$nope", "...", "#", ",", "null", "true", "1e400",
              "99999999999999999999999", "-", "\u0000", "\x00", '"""', "query", "mutation", "result:", "findManyPost",
              "deleteManyUser", "queryRaw", "_count", "where:", "data:", "OrThrow", "nope"]


def mutate_gql(rng, text):
    for _ in range(rng.choice([1, 1, 2, 3])):
        i = rng.randrange(len(text) + 1)
        op = rng.randrange(6)
        if op <= 1:
            text = text[:i] + rng.choice(GQL_TOKENS + WORDS) + text[i:]
        elif op == 2:
            text = text[:i] + text[i + rng.randrange(1, 20):]
        elif op == 3:
            text = text[:i]
        elif op == 4:
            j = rng.randrange(len(text) + 1)
            text = text[:i] + text[min(i, j):max(i, j)] + text[i:]
        else:
            n = rng.choice([50, 150, 100000])
            text = text[:i] + rng.choice(["[", "{a:", "x(a:"]) * n + text[i:]
    # within the server's body limit (1 MiB): past it the server answers 413 and closes before the
    # client has sent it all, which test_attacks.py checks; here the parser is the target
    text = text[:400_000]
    body = {"query": text, "variables": rng.choice([{}, {"n": 1}, {"n": "x"}, {"n": 2 ** 70}])}
    if rng.random() < 0.2:
        body = {"batch": [body, {"query": rng.choice(GQL_SEEDS), "variables": {"n": 1}}], "transaction": True}
    return json.dumps(body).encode("utf-8", "surrogatepass")


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


def get(node, path):
    for p in path:
        node = node[p]
    return node


def mutate(rng, query):
    q = copy.deepcopy(query)
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        all_paths = list(paths(q))
        path = rng.choice(all_paths)
        parent = get(q, path[:-1]) if path else None
        op = rng.randrange(8)
        if op <= 2 and path:
            parent[path[-1]] = copy.deepcopy(rng.choice(HOSTILE))
        elif op == 3 and path and isinstance(parent, dict):
            del parent[path[-1]]
        elif op == 4:
            node = get(q, path)
            if isinstance(node, dict):
                node[rng.choice(WORDS)] = copy.deepcopy(rng.choice(HOSTILE + [SCALARS, {"some": {}}, ["email"], "email"]))
            elif isinstance(node, list):
                node.extend(copy.deepcopy(node[:2]) or [copy.deepcopy(rng.choice(HOSTILE))])
        elif op == 5 and path and isinstance(parent, dict):
            parent[rng.choice(WORDS)] = parent.pop(path[-1])
        elif op == 6 and isinstance(q, dict):
            if "action" in q and rng.random() < 0.5:
                q["action"] = rng.choice(ACTIONS)
            elif "modelName" in q:
                q["modelName"] = rng.choice(MODELS)
        elif op == 7:
            q = {"batch": [q, copy.deepcopy(rng.choice(SEEDS))], **({"transaction": {}} if rng.random() < 0.5 else {})}
    text = json.dumps(q).replace("-Infinity", "-1e400").replace("Infinity", "1e400").replace("NaN", "1e999")
    r = rng.random()
    if r < 0.04:
        text = text[: rng.randrange(len(text) + 1)]  # cut short
    elif r < 0.08:
        i = rng.randrange(len(text))
        text = text[:i] + rng.choice(['"', "{", "]", "\\", "\u0000", "\udcff", ",", "1e400"]) + text[i + 1:]
    return text.encode("utf-8", "surrogatepass")


class Client:
    def __init__(self, port):
        self.port = port
        self.conn = None

    def send(self, method, path, body=b"", headers=None):
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            try:
                self.conn.request(method, path, body, {"Content-Type": "application/json", **(headers or {})})
                res = self.conn.getresponse()
                data = res.read()
                if res.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return res.status, data
            except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                self.conn.close()
                self.conn = None  # the server closed an idle keep-alive connection: once more on a new one
                if attempt:
                    raise


def run(server, count, rng, stats, errors):
    client = Client(server.port)
    tx = None
    for _ in range(count):
        try:
            r = rng.random()
            if r < 0.01:  # an interactive transaction: started (with a hostile timeout now and then)
                timeout = rng.choice([50, 100, 300, 0, -1, 1e12, "x", 2 ** 64])
                status, data = client.send("POST", "/transaction/start", json.dumps({"timeout": timeout}).encode())
                body = strict_json(data.decode())
                tx = body.get("id") if isinstance(body, dict) else None
            elif r < 0.015 and tx:
                status, data = client.send("POST", f"/transaction/{tx}/{rng.choice(['commit', 'rollback'])}")
                tx = None
            else:
                if rng.random() < 0.2:  # Prisma's GraphQL protocol
                    body = mutate_gql(rng, rng.choice(GQL_SEEDS))
                else:
                    body = mutate(rng, rng.choice(SEEDS)) if rng.random() < 0.9 else json.dumps(rng.choice(SEEDS)).encode()
                headers = {"X-transaction-id": tx} if tx and rng.random() < 0.5 else {}
                status, data = client.send("POST", "/", body, headers)
            strict_json(data.decode("utf-8"))
            stats[status] = stats.get(status, 0) + 1
            if status >= 500:
                errors.append(f"{status}: {data[:300]!r}")
        except (OSError, http.client.HTTPException) as e:
            errors.append(f"no answer (crash or hang): {e!r}")
            client.conn = None
            if not server.alive():
                return
        except ValueError as e:
            errors.append(f"not JSON: {e}: {data[:300]!r}")


project = Project(tool, work, "fuzz", pg_server)
server = Server(project, "serve", "--max-transaction-timeout", "2000", "--max-transaction-wait", "1000")
started = time.monotonic()
try:
    for q in SEEDS:  # every seed is a valid query (or a known error) before it is mutated
        status, body = server.query(q)
        check(status == 200, f"seed {q}: {status} {body}")
    for q in GQL_SEEDS:  # and every GraphQL seed answers data
        status, body = server.query({"query": q, "variables": {"n": 1}})
        check(status == 200 and isinstance(body, dict) and "data" in body, f"GraphQL seed {q}: {status} {body}")
    for body in FOUND:  # what earlier runs found, every run
        status, data = server.query(body)
        check(status < 500 and isinstance(data, dict), f"found earlier: {body}: {status} {data}")
    stats, errors, threads = {}, [], []
    for i in range(4):
        t = threading.Thread(target=run, args=(server, total // 4, random.Random(seed + i), stats, errors))
        t.start()
        threads.append(t)
    for t in threads:
        t.join()
    sent = sum(stats.values())
    print(f"fuzz_serve: {sent} answers in {time.monotonic() - started:.1f} s by status {dict(sorted(stats.items()))}", flush=True)
    check(server.alive(), "the server died: " + server.log()[-2000:])
    check(not errors, f"{len(errors)} failures, e.g. " + "; ".join(errors[:5]))
    check(sent >= total - 4, f"only {sent} of {total} requests answered")
    status, body = server.query(FIND_ALL)
    check(status == 200 and "data" in body, f"after the fuzzing: {status} {body}")
finally:
    server.stop()
print(f"fuzz_serve on {project.provider}: {total} requests, 0 crashes, 0 hangs, 0 non-JSON answers: passed")
