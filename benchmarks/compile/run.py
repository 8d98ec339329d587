#!/usr/bin/env python3
"""What a schema costs to compile: time and peak memory of translation units over generated
clients of 25/50/100/200 models (gen_schema.py), printed as a table.

For each size it generates the schema and its client, then compiles (-c, the median of
--reps runs, each under /usr/bin/time):
  client    a TU that includes <app/client.hpp> only (the Client; no query)
  all       a TU that includes <app/all.hpp> (the Client and every model; no query)
  queries   queries.cpp: ten ordinary queries over three models, including their headers
  library   the generated library (nested_<k>.cpp, --shards files of metadata; executor.cpp;
            schema.cpp): compiled by prisma_generate(); the total of its files' seconds and the
            largest peak
  rebuild   after a change to one model (a field added to the middle model), what a build
            compiles again: the library parts and queries.cpp whose headers changed (by g++ -MM),
            their seconds in all (run it after library and queries)
The clean build of the generated code (library + queries) is printed as their sum.
and prints seconds and peak resident memory per TU, and the cost per model between sizes.

usage: run.py --prisma-cpp build/codegen/prisma-cpp [--include include] [--cxx g++]
              [--flags "-std=c++20 -O2"] [--models 25,50,100,200] [--reps 3] [--tus client,all,queries]
              [--shards n] [--library-reps 1] [--library-flags "..."] [--keep DIR] [--json FILE]
The library is compiled as prisma_generate() compiles it: --flags then -O1 (--library-flags).
The runtime headers' own cost is measured too (a TU of <prisma/sqlite.hpp> alone: `runtime`).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def measure(cmd, reps):
    times, mems = [], []
    for _ in range(reps):
        r = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stderr[-4000:])
            raise SystemExit(f"compile failed: {' '.join(cmd)}")
        last = r.stderr.strip().splitlines()[-1].split()
        times.append(float(last[0]))
        mems.append(int(last[1]) / 1024.0)
    return statistics.median(times), statistics.median(mems)


def library_parts(app):
    """The generated library's sources: nested_<k>.cpp (the metadata parts), executor.cpp and
    schema.cpp (a client from before them has the nested_ parts only)."""
    return sorted(p for p in os.listdir(app) if p.endswith(".cpp") and (p.startswith("nested_") or p in ("executor.cpp", "schema.cpp")))


def changed_model_rebuild(a, d, schema, flags, lib_flags, inc, n):
    """Adds a field to the middle model, regenerates, and compiles what depends on a changed file."""
    gen = os.path.join(d, "gen")
    before = {}
    for root, _, files in os.walk(gen):
        for fn in files:
            with open(os.path.join(root, fn), "rb") as f:
                before[os.path.join(root, fn)] = f.read()
    middle = f"model M{n // 2:03d} {{"
    with open(schema) as f:
        text = f.read()
    with open(schema, "w") as f:
        f.write(text.replace(middle, middle + "\n  extra     String?", 1))
    gen_cmd = [a.prisma_cpp, "generate", "--schema", schema, "--out", gen,
               "--shards", str(a.shards or max(1, (n + 7) // 8))]
    subprocess.run(gen_cmd, check=True)
    changed = set()
    for root, _, files in os.walk(gen):
        for fn in files:
            path = os.path.join(root, fn)
            with open(path, "rb") as f:
                if before.get(path) != f.read():
                    changed.add(os.path.realpath(path))
    tus = [os.path.join(gen, "app", p) for p in library_parts(os.path.join(gen, "app"))]
    tus.append(os.path.join(HERE, "queries.cpp"))
    total, rebuilt = 0.0, []
    for tu in tus:
        deps = subprocess.run([a.cxx] + flags + inc + ["-I", gen, "-MM", tu], capture_output=True, text=True, check=True).stdout
        files = {os.path.realpath(x) for x in deps.replace("\\\n", " ").split()[1:]}
        if not (files & changed):
            continue
        tu_flags = flags if tu.endswith("queries.cpp") else lib_flags
        t, _ = measure([a.cxx] + tu_flags + inc + ["-I", gen, "-c", tu, "-o", os.devnull], 1)
        total += t
        rebuilt.append(os.path.basename(tu))
    return total, rebuilt, len(changed)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prisma-cpp", required=True)
    ap.add_argument("--include", default=os.path.join(HERE, "..", "..", "include"))
    ap.add_argument("--cxx", default="g++")
    ap.add_argument("--flags", default="-std=c++20 -O2")
    ap.add_argument("--models", default="25,50,100,200")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--tus", default="client,all,queries,library")
    ap.add_argument("--shards", type=int, default=0, help="default: one per 8 models, as prisma_generate()")
    ap.add_argument("--library-reps", type=int, default=1)
    ap.add_argument("--library-flags", default="",
                    help="the library's flags (default: --flags then -O1, as prisma_generate() builds it)")
    ap.add_argument("--keep", default="")
    ap.add_argument("--json", default="")
    a = ap.parse_args()
    work = a.keep or tempfile.mkdtemp(prefix="prisma-cpp-compile-")
    os.makedirs(work, exist_ok=True)
    flags = a.flags.split()
    lib_flags = (a.library_flags or a.flags + " -O1").split()
    inc = ["-I", os.path.abspath(a.include)]
    tus = a.tus.split(",")
    sources = {
        "client": "#include <app/client.hpp>\nint main() {}\n",
        "all": "#include <app/all.hpp>\nint main() {}\n",
        # (a runtime from before the backend split has no prisma/sqlite.hpp: prisma.hpp was it)
        "runtime": "#include <prisma/%s>\nint main() {}\n"
                   % ("sqlite.hpp" if os.path.exists(os.path.join(a.include, "prisma", "sqlite.hpp")) else "prisma.hpp"),
    }
    for name, text in sources.items():
        with open(os.path.join(work, name + ".cpp"), "w") as f:
            f.write(text)
    results = []
    # One untimed compile first: the first run after a build reads the headers from disk.
    measure([a.cxx] + flags + inc + ["-c", os.path.join(work, "runtime.cpp"), "-o", os.devnull], 1)
    rt_t, rt_m = measure([a.cxx] + flags + inc + ["-c", os.path.join(work, "runtime.cpp"), "-o", os.devnull], a.reps)
    print(f"runtime headers alone: {rt_t:.2f} s, {rt_m:.0f} MB", flush=True)
    for n in [int(x) for x in a.models.split(",")]:
        d = os.path.join(work, f"m{n}")
        os.makedirs(d, exist_ok=True)
        schema = os.path.join(d, "schema.prisma")
        with open(schema, "w") as f:
            subprocess.run([sys.executable, os.path.join(HERE, "gen_schema.py"), str(n)], stdout=f, check=True)
        gen_cmd = [a.prisma_cpp, "generate", "--schema", schema, "--out", os.path.join(d, "gen")]
        if "library" in tus:
            gen_cmd += ["--shards", str(a.shards or max(1, (n + 7) // 8))]
        subprocess.run(gen_cmd, check=True)
        lines = 0
        for root, _, files in os.walk(os.path.join(d, "gen")):
            for fn in files:
                with open(os.path.join(root, fn)) as f:
                    lines += sum(1 for _ in f)
        row = {"models": n, "generated_lines": lines}
        for tu in tus:
            if tu == "rebuild":
                t, rebuilt, nchanged = changed_model_rebuild(a, d, schema, flags, lib_flags, inc, n)
                row[tu] = {"seconds": t, "peak_mb": 0, "files": rebuilt}
                print(f"  {n} models, one model changed: {nchanged} generated files changed, "
                      f"{len(rebuilt)} TUs rebuilt ({', '.join(rebuilt)}): {t:.2f} s", flush=True)
                continue
            if tu == "library":
                parts = library_parts(os.path.join(d, "gen", "app"))
                if not parts:
                    continue
                total, peak = 0.0, 0.0
                for part in parts:
                    t, m = measure([a.cxx] + lib_flags + inc + ["-I", os.path.join(d, "gen"), "-c",
                                    os.path.join(d, "gen", "app", part), "-o", os.devnull], a.library_reps)
                    total, peak = total + t, max(peak, m)
                row[tu] = {"seconds": total, "peak_mb": peak, "files": len(parts)}
                print(f"  {n} models, library ({len(parts)} files): {total:.2f} s in all, peak {peak:.0f} MB", flush=True)
                continue
            src = os.path.join(HERE, "queries.cpp") if tu == "queries" else os.path.join(work, tu + ".cpp")
            if tu == "all" and not os.path.exists(os.path.join(d, "gen", "app", "all.hpp")):
                continue  # a client from before per-model headers: client.hpp is everything
            t, m = measure([a.cxx] + flags + inc + ["-I", os.path.join(d, "gen"), "-c", src, "-o", os.devnull], a.reps)
            row[tu] = {"seconds": t, "peak_mb": m}
            print(f"  {n} models, {tu}: {t:.2f} s, {m:.0f} MB", flush=True)
        if "library" in row and "queries" in row:
            print(f"  {n} models, clean build of the generated code (library + queries): "
                  f"{row['library']['seconds'] + row['queries']['seconds']:.2f} s", flush=True)
        results.append(row)
    print()
    print(f"{a.cxx} {a.flags} (the library: {' '.join(lib_flags)}), median of {a.reps}; "
          f"runtime headers alone {rt_t:.2f} s / {rt_m:.0f} MB")
    head = "| models | generated lines |" + "".join(f" {tu} s | {tu} MB |" for tu in tus)
    print(head)
    print("|" + "---|" * (2 + 2 * len(tus)))
    for r in results:
        cells = [str(r["models"]), f"{r['generated_lines']:,}"]
        for tu in tus:
            cells += [f"{r[tu]['seconds']:.2f}", f"{r[tu]['peak_mb']:.0f}"] if tu in r else ["-", "-"]
        print("| " + " | ".join(cells) + " |")
    # Linearity: the cost of one more model between consecutive sizes.
    for tu in tus:
        pts = [(r["models"], r[tu]["seconds"], r[tu]["peak_mb"]) for r in results if tu in r]
        if len(pts) >= 2:
            slopes = [f"{(b[1] - a_[1]) / (b[0] - a_[0]) * 1000:.1f} ms, {(b[2] - a_[2]) / (b[0] - a_[0]):.2f} MB"
                      f" ({a_[0]}->{b[0]})" for a_, b in zip(pts, pts[1:])]
            print(f"per extra model, {tu}: " + "; ".join(slopes))
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"cxx": a.cxx, "flags": a.flags, "reps": a.reps,
                       "runtime": {"seconds": rt_t, "peak_mb": rt_m}, "rows": results}, f, indent=2)


if __name__ == "__main__":
    main()
