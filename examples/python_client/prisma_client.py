"""A small Python client for `prisma-cpp serve` (standard library only): Prisma's JSON protocol
over HTTP, sync and async.

    from prisma_client import Prisma
    db = Prisma("http://127.0.0.1:4466")
    user = db.user.create(data={"email": "ada@x.io", "name": "Ada"})
    db.user.find_many(where={"email": {"contains": "@x.io"}}, order_by=[{"id": "asc"}], take=10)
    db.user.update(where={"id": user["id"]}, data={"name": "Ada L."})
    db.batch_transaction([db.user.query("deleteMany", where={}), ...])

    adb = AsyncPrisma("http://127.0.0.1:4466")      # the same API, awaitable
    await adb.user.find_many()

Errors come back as PrismaError(code, message, meta) with Prisma's codes (P2002, P2025, P2009, ...).
"""
import asyncio
import json
import urllib.error
import urllib.request


class PrismaError(Exception):
    def __init__(self, code, message, meta=None):
        super().__init__(f"{code}: {message}")
        self.code, self.message, self.meta = code, message, meta or {}


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


def _encode(value):
    """datetime/bytes/Decimal-as-str stay JSON; callers may pass {"$type": ..., "value": ...} directly."""
    import datetime, decimal, base64
    if isinstance(value, datetime.datetime):
        return {"$type": "DateTime", "value": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"$type": "Decimal", "value": str(value)}
    if isinstance(value, (bytes, bytearray)):
        return {"$type": "Bytes", "value": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    if isinstance(value, dict):
        if "$type" in value and "value" in value:
            t, v = value["$type"], value["value"]
            if t == "BigInt":
                return int(v)
            if t == "Json":
                return json.loads(v)
            return v  # DateTime and Decimal as text, Bytes as base64
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value


class _Model:
    def __init__(self, client, name):
        self._client, self._name = client, name

    def query(self, action, select=None, include=None, **arguments):
        args = {_camel(k): _encode(v) for k, v in arguments.items() if v is not None}
        selection = {"$scalars": True} if select is None else {f: True for f in select}
        for rel, spec in (include or {}).items():  # include={"posts": True} or {"posts": {"where": ..., "take": 2}}
            if rel == "_count":  # include={"_count": {"posts": True}}: the number of related rows
                selection["_count"] = {"selection": {r: True for r, on in spec.items() if on}}
                continue
            if spec is True:
                selection[rel] = {"selection": {"$scalars": True}}
            else:
                spec = dict(spec)
                nested = spec.pop("include", None)
                sub = {"$scalars": True}
                for r2, s2 in (nested or {}).items():
                    sub[r2] = {"selection": {"$scalars": True}} if s2 is True else {"arguments": {_camel(k): _encode(v) for k, v in s2.items()}, "selection": {"$scalars": True}}
                selection[rel] = {"arguments": {_camel(k): _encode(v) for k, v in spec.items()}, "selection": sub}
        return {"modelName": self._name, "action": action, "query": {"arguments": args, "selection": selection}}

    def _run(self, action, **kw):
        return self._client._send(self.query(action, **kw), f"{action}{self._name}")

    def find_many(self, **kw): return self._run("findMany", **kw)
    def find_first(self, **kw): return self._run("findFirst", **kw)
    def find_unique(self, **kw): return self._run("findUnique", **kw)
    def find_unique_or_throw(self, **kw): return self._run("findUniqueOrThrow", **kw)
    def create(self, **kw): return self._run("createOne", **kw)
    def update(self, **kw): return self._run("updateOne", **kw)
    def update_many(self, **kw): return self._run("updateMany", **kw)["count"]
    def upsert(self, **kw): return self._run("upsertOne", **kw)
    def create_many(self, **kw): return self._run("createMany", **kw)["count"]
    def create_many_and_return(self, **kw): return self._run("createManyAndReturn", **kw)
    def delete(self, **kw): return self._run("deleteOne", **kw)
    def delete_many(self, **kw): return self._run("deleteMany", **kw)["count"]

    def aggregate(self, where=None, **ops):
        """aggregate(_count=["_all"], _sum=["karma"], _max=["id"]) -> {"_count": {"_all": n}, ...}"""
        q = {"modelName": self._name, "action": "aggregate",
             "query": {"arguments": {"where": _encode(where)} if where else {},
                       "selection": {op: {"selection": {f: True for f in fields}} for op, fields in ops.items()}}}
        return self._client._send(q, f"aggregate{self._name}")

    def group_by(self, by, where=None, order_by=None, having=None, take=None, skip=None, **ops):
        """group_by(["authorId"], having={"views": {"_sum": {"gt": 5}}}, order_by=[{"_count": {"authorId": "desc"}}],
        _count=["_all"], _sum=["views"])"""
        selection = {f: True for f in by}
        selection.update({op: {"selection": {f: True for f in fields}} for op, fields in ops.items()})
        args = {"by": list(by)}
        if where:
            args["where"] = _encode(where)
        if order_by:
            args["orderBy"] = order_by
        if having:
            args["having"] = _encode(having)
        if take is not None:
            args["take"] = take
        if skip is not None:
            args["skip"] = skip
        q = {"modelName": self._name, "action": "groupBy", "query": {"arguments": args, "selection": selection}}
        return self._client._send(q, f"groupBy{self._name}")

    def count(self, where=None):
        q = {"modelName": self._name, "action": "aggregate",
             "query": {"arguments": {"where": _encode(where)} if where else {},
                       "selection": {"_count": {"selection": {"_all": True}}}}}
        return self._client._send(q, f"aggregate{self._name}")["_count"]["_all"]


class Prisma:
    def __init__(self, url="http://127.0.0.1:4466", token=None, timeout=30):
        self._url, self._token, self._timeout = url.rstrip("/"), token, timeout
        self._tx_id = None

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return _Model(self, name[:1].upper() + name[1:])

    def _post(self, body, path="/"):
        req = urllib.request.Request(self._url + path, data=json.dumps(body).encode(), method="POST",
                                     headers={"content-type": "application/json"})
        if self._token:
            req.add_header("authorization", f"Bearer {self._token}")
        if self._tx_id:
            req.add_header("x-transaction-id", self._tx_id)
        try:
            with urllib.request.urlopen(req, timeout=self._timeout) as res:
                return json.loads(res.read())
        except urllib.error.HTTPError as e:
            return json.loads(e.read() or b'{"errors":[{"user_facing_error":{"error_code":"HTTP","message":"%d"}}]}' % e.code)

    @staticmethod
    def _raise(answer):
        err = answer["errors"][0]["user_facing_error"]
        raise PrismaError(err.get("error_code"), err.get("message"), err.get("meta"))

    def _send(self, query, key):
        answer = self._post(query)
        if "errors" in answer:
            self._raise(answer)
        return _decode(answer["data"][key])

    def batch_transaction(self, queries):
        """All or nothing: the queries' results in order, or PrismaError (nothing kept)."""
        answer = self._post({"batch": queries, "transaction": {}})
        if "errors" in answer:
            self._raise(answer)
        return [_decode(next(iter(r["data"].values()))) for r in answer["batchResult"]]

    def query_raw(self, sql, *parameters):
        """Raw SQL as written (only the parameters are bound): {"columns", "types", "rows"} -> list of dicts."""
        q = {"action": "queryRaw", "query": {"arguments": {"query": sql, "parameters": json.dumps([_encode(p) for p in parameters])}}}
        result = self._send(q, "queryRaw")
        return [dict(zip(result["columns"], row)) for row in result["rows"]]

    def execute_raw(self, sql, *parameters):
        q = {"action": "executeRaw", "query": {"arguments": {"query": sql, "parameters": json.dumps([_encode(p) for p in parameters])}}}
        return self._send(q, "executeRaw")

    def tx(self, timeout_ms=5000):
        """An interactive transaction: `with db.tx() as t: t.user.create(...)` commits when the block
        ends, rolls back when it raises."""
        return _Transaction(self, timeout_ms)

    def health(self):
        with urllib.request.urlopen(self._url + "/health", timeout=self._timeout) as res:
            return json.loads(res.read())


class _Transaction:
    def __init__(self, client, timeout_ms):
        self._client, self._timeout_ms, self.db = client, timeout_ms, None

    def __enter__(self):
        answer = self._client._post({"timeout": self._timeout_ms}, "/transaction/start")
        if "errors" in answer:
            Prisma._raise(answer)
        self.db = Prisma(self._client._url, self._client._token, self._client._timeout)
        self.db._tx_id = answer["id"]
        return self.db

    def __exit__(self, exc_type, exc, tb):
        verb = "rollback" if exc_type else "commit"
        answer = self._client._post({}, f"/transaction/{self.db._tx_id}/{verb}")
        if "errors" in answer and not exc_type:
            Prisma._raise(answer)
        return False


class _AsyncModel:
    def __init__(self, model):
        self._model = model

    def __getattr__(self, name):
        method = getattr(self._model, name)
        if name == "query":
            return method
        async def call(*args, **kw):
            return await asyncio.to_thread(method, *args, **kw)
        return call


class AsyncPrisma:
    """The same API as Prisma, awaitable (each request runs in a worker thread)."""
    def __init__(self, *args, **kw):
        self._sync = Prisma(*args, **kw)

    def __getattr__(self, name):
        if name == "batch_transaction":
            async def batch(queries):
                return await asyncio.to_thread(self._sync.batch_transaction, queries)
            return batch
        return _AsyncModel(getattr(self._sync, name))
