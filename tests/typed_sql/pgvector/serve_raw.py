"""The pgvector queries through `prisma-cpp serve` (Prisma's JSON protocol, queryRaw), as another
language's Prisma Client sends them: the nearest neighbours by cosine distance, a vector bound as
its text. Usage: serve_raw.py PRISMA_CPP SCHEMA URL (the items the C++ program left there)."""
import json, socket, subprocess, sys, time, urllib.request

tool, schema, url = sys.argv[1:4]
s = socket.socket()
s.bind(("127.0.0.1", 0))
port = s.getsockname()[1]
s.close()
proc = subprocess.Popen([tool, "serve", "--schema", schema, "--url", url, "--port", str(port)],
                        stderr=subprocess.PIPE, text=True)
try:
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    else:
        raise SystemExit("serve did not start: " + proc.stderr.read())

    def raw(sql, params):
        body = json.dumps({"action": "queryRaw", "query": {"arguments": {"query": sql, "parameters": json.dumps(params)}}})
        req = urllib.request.Request(f"http://127.0.0.1:{port}/", data=body.encode(), method="POST",
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=10) as res:
            answer = json.loads(res.read())
        if "errors" in answer:
            raise SystemExit(f"queryRaw failed: {answer['errors']}")
        return answer["data"]["queryRaw"]

    nearest = raw('SELECT title, embedding <=> $1::vector AS distance, embedding FROM "Item" '
                  'WHERE embedding IS NOT NULL ORDER BY embedding <=> $1::vector LIMIT $2', ["[0,1,0]", 2])
    rows = nearest["rows"]
    assert [r[0] for r in rows] == ["y", "xy"], rows
    assert abs(float(rows[0][1])) < 1e-6, rows
    assert abs(float(rows[1][1]) - (1 - 0.7 / (0.98 ** 0.5))) < 1e-6, rows
    assert rows[0][2] == "[0,1,0]", rows  # a vector comes back as its text
    print("serve queryRaw with pgvector: nearest neighbours answered, types", nearest["types"])
finally:
    proc.terminate()
    proc.wait(timeout=10)
