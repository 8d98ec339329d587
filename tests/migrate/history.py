#!/usr/bin/env python3
"""An application's migration history, grown the way a team grows it: 34 successive schemas on
PostgreSQL, each turned into a migration by `prisma-cpp migrate dev`, using what real applications
use: extension types (citext) and operator classes (pg_trgm), enums that gain and lose values,
renamed and retyped columns, one-to-one, one-to-many, many-to-many and self relations, indexes of
every type (B-tree, Hash, GIN, GiST, BRIN, sort: Desc), scalar lists and Json with defaults, and
a move to multiSchema (@@schema) with models in a second namespace.

After each step:
  1. migrate dev wrote a migration (no step is a no-op) and applied it; a second migrate dev
     finds nothing to do;
  2. migrate diff from the developer's database to the schema is empty;
  3. the same history deployed step by step on a second database (migrate deploy, as production
     gets it) equals the developer's database (migrate diff --from-url --to-url);
  4. db pull of the developer's database, diffed against that database, is empty.
At the end: migrate reset re-creates the same database from the history (multiSchema included).

usage: history.py --prisma-cpp PATH --server URL|--server-file FILE --work DIR [--keep-databases] [--db-prefix P]
Leaves DIR/project (schema.prisma, migrations/) and DIR/schemas/NN.prisma (each step's schema)
for tests/oracle/migrate_interop.sh, which checks the migrations against Prisma 7.10's engine.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys

HEADER = 'datasource db {\n  provider = "postgresql"\n}\n'
MULTI_HEADER = 'datasource db {\n  provider = "postgresql"\n  schemas  = ["public", "audit"]\n}\n'


def steps():
    """(name, header, blocks): each step's whole schema, as an ordered dict of blocks."""
    b = {}
    out = []

    def step(name, header=HEADER):
        out.append((name, header, dict(b)))

    b["User"] = """model User {
  id    Int    @id @default(autoincrement())
  email String @unique @db.Citext
  name  String
}"""
    step("users")
    b["Post"] = """model Post {
  id       Int    @id @default(autoincrement())
  title    String
  authorId Int
  author   User   @relation(fields: [authorId], references: [id])
}"""
    b["User"] = b["User"].replace("  name  String\n", "  name  String\n  posts Post[]\n")
    step("posts")
    b["Role"] = """enum Role {
  USER
  ADMIN
}"""
    b["User"] = b["User"].replace("  posts Post[]\n", "  role  Role   @default(USER)\n  posts Post[]\n")
    step("role")
    b["Role"] = b["Role"].replace("  ADMIN\n", "  ADMIN\n  EDITOR\n")
    step("role_editor")
    b["Post"] = b["Post"][:-1] + "\n  @@index([title(ops: raw(\"gin_trgm_ops\"))], type: Gin)\n}"
    step("post_title_trigram")
    b["Post"] = b["Post"].replace("  authorId Int\n", "  authorId Int\n  views    Int    @default(0)\n")
    step("post_views")
    b["Post"] = b["Post"].replace("  views    Int    @default(0)\n", "  views    BigInt @default(0)\n")
    step("post_views_bigint")
    b["Tag"] = """model Tag {
  id    Int    @id @default(autoincrement())
  name  String @unique
  posts Post[]
}"""
    b["Post"] = b["Post"].replace("  author   User   @relation", "  tags     Tag[]\n  author   User   @relation")
    step("tags")
    b["Post"] = b["Post"].replace("  views    BigInt @default(0)\n",
                                  "  views    BigInt @default(0)\n  slug     String @default(\"\")\n")
    b["Post"] = b["Post"].replace("\n  @@index([title", "\n  @@index([slug], type: Hash)\n  @@index([title")
    step("post_slug_hash")
    b["Post"] = b["Post"].replace("  slug     String @default(\"\")\n",
                                  "  slug     String @default(\"\")\n  created  DateTime @default(now())\n")
    b["Post"] = b["Post"].replace("\n  @@index([slug]", "\n  @@index([created], type: Brin)\n  @@index([slug]")
    step("post_created_brin")
    b["Post"] = b["Post"].replace("\n  @@index([created], type: Brin)",
                                  "\n  @@index([created], type: Brin)\n  @@index([authorId, created(sort: Desc)])")
    step("post_author_recent")
    b["Post"] = b["Post"].replace("\n  @@index([slug], type: Hash)", "\n  @@index([slug], type: Hash)\n  @@unique([authorId, slug])")
    step("post_unique_slug")
    b["User"] = b["User"].replace("  name  String\n", "  name  String\n  bio   String?\n")
    step("user_bio")
    b["User"] = b["User"].replace("  bio   String?\n", "  bio   String  @default(\"\")\n")
    step("user_bio_required")
    b["User"] = b["User"].replace("  name  String\n", "  name  String  @map(\"full_name\")\n")
    step("user_name_renamed")
    b["Role"] = b["Role"].replace("  EDITOR\n", "")
    step("role_without_editor")
    b["User"] = b["User"].replace("  bio   String  @default(\"\")\n", "")
    step("user_without_bio")
    b["User"] = b["User"].replace("  role  Role   @default(USER)\n",
                                  "  role  Role   @default(USER)\n  prefs Json   @default(\"{}\")\n  langs String[] @default([])\n")
    step("user_prefs_langs")
    b["Profile"] = """model Profile {
  id     Int    @id @default(autoincrement())
  userId Int    @unique
  user   User   @relation(fields: [userId], references: [id], onDelete: Cascade)
  site   String @db.VarChar(100)
}"""
    b["User"] = b["User"].replace("  posts Post[]\n", "  posts Post[]\n  profile Profile?\n")
    step("profile")
    b["Profile"] = b["Profile"].replace("@db.VarChar(100)", "@db.VarChar(50)")
    step("profile_site_shorter")
    b["Post"] = b["Post"].replace("references: [id])", "references: [id], onDelete: Cascade)")
    step("post_author_cascade")
    b["Post"] = b["Post"].replace("  created  DateTime @default(now())\n",
                                  "  created  DateTime @default(now())\n  price    Decimal  @default(0) @db.Decimal(10, 2)\n")
    step("post_price")
    b["User"] = b["User"][:-1] + "\n  @@index([name(ops: raw(\"gist_trgm_ops\"))], type: Gist)\n}"
    step("user_name_gist")
    b["Post"] = b["Post"].replace("\n  @@index([slug], type: Hash)", "")
    step("post_drop_slug_index")
    b["Category"] = """model Category {
  id       Int        @id @default(autoincrement())
  name     String
  parentId Int?
  parent   Category?  @relation("Tree", fields: [parentId], references: [id])
  children Category[] @relation("Tree")
}"""
    step("category_tree")
    b["Session"] = """model Session {
  id     String   @id @default(uuid()) @db.Uuid
  userId Int
  ends   DateTime @db.Timestamptz(3)
}"""
    step("sessions")
    b.pop("Category")
    step("drop_categories")
    # multiSchema: every model and enum says its namespace
    for k in list(b):
        b[k] = b[k][:-1] + "\n  @@schema(\"public\")\n}"
    b["Event"] = """model Event {
  id     Int      @id @default(autoincrement())
  at     DateTime @default(now())
  kind   Kind
  userId Int?
  user   User?    @relation(fields: [userId], references: [id], onDelete: SetNull)

  @@index([at(sort: Desc)])
  @@schema("audit")
}"""
    b["Kind"] = """enum Kind {
  LOGIN
  LOGOUT

  @@schema("audit")
}"""
    b["User"] = b["User"].replace("  profile Profile?\n", "  profile Profile?\n  events Event[]\n")
    step("audit_events", MULTI_HEADER)
    b["Kind"] = b["Kind"].replace("  LOGOUT\n", "  LOGOUT\n  PURCHASE\n")
    step("audit_kind_purchase", MULTI_HEADER)
    b["Event"] = b["Event"].replace("  kind   Kind\n", "  kind   Kind\n  data   Json?\n")
    step("audit_event_data", MULTI_HEADER)
    b["Export"] = """model Export {
  id    Int      @id @default(autoincrement())
  rows  Int[]    @default([])
  label String   @db.Citext

  @@schema("audit")
}"""
    step("audit_exports", MULTI_HEADER)
    b["Session"] = b["Session"].replace("  userId Int\n", "  userId Int\n  agent  String?\n")
    step("session_agent", MULTI_HEADER)
    b["Export"] = b["Export"].replace("  rows  Int[]    @default([])\n", "  rows  BigInt[] @default([])\n")
    step("audit_export_rows_bigint", MULTI_HEADER)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--prisma-cpp", required=True)
    ap.add_argument("--server", help="the PostgreSQL server's URL")
    ap.add_argument("--server-file", help="a file holding it (ctest's pg-test/url)")
    ap.add_argument("--work", required=True)
    ap.add_argument("--keep-databases", action="store_true")
    ap.add_argument("--db-prefix", default="prisma_cpp_history",
                    help="names of its three databases: PREFIX_dev, PREFIX_prod, PREFIX_reset (runs side by side need their own)")
    a = ap.parse_args()
    P = os.path.abspath(a.prisma_cpp)
    if not a.server and not a.server_file:
        sys.exit("--server or --server-file is needed")
    server = (a.server or open(a.server_file).read()).strip()
    base = server.rsplit("/", 1)[0]
    work = os.path.abspath(a.work)
    shutil.rmtree(work, ignore_errors=True)
    project = os.path.join(work, "project")
    os.makedirs(os.path.join(project, "prisma", "migrations", "0_extensions"))
    os.makedirs(os.path.join(work, "schemas"))
    schema = os.path.join(project, "prisma", "schema.prisma")
    migrations = os.path.join(project, "prisma", "migrations")
    # the hand-written first migration real applications start with
    with open(os.path.join(migrations, "0_extensions", "migration.sql"), "w") as f:
        f.write('CREATE EXTENSION IF NOT EXISTS "citext";\nCREATE EXTENSION IF NOT EXISTS "pg_trgm";\n')
    with open(os.path.join(migrations, "migration_lock.toml"), "w") as f:
        f.write('provider = "postgresql"\n')

    def psql(sql, url=server):
        subprocess.run(["psql", "-q", url, "-c", sql], check=True, capture_output=True)

    dbs = [f"{a.db_prefix}_dev", f"{a.db_prefix}_prod", f"{a.db_prefix}_reset"]
    for db in dbs:
        psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        psql(f"CREATE DATABASE {db}")
    dev, prod, reset = (f"{base}/{db}" for db in dbs)

    def run(args, url=None, expect=0, cwd=project):
        env = dict(os.environ)
        if url:
            env["DATABASE_URL"] = url
        r = subprocess.run([P] + args, cwd=cwd, env=env, capture_output=True, text=True)
        if r.returncode != expect:
            sys.exit(f"FAILED: prisma-cpp {' '.join(args)} exited {r.returncode} (wanted {expect})\n{r.stdout}{r.stderr}")
        return r.stdout + r.stderr

    failures = []
    all_steps = steps()
    for n, (name, header, blocks) in enumerate(all_steps, 1):
        text = header + "".join("\n" + blk + "\n" for blk in blocks.values())
        with open(schema, "w") as f:
            f.write(text)
        shutil.copy(schema, os.path.join(work, "schemas", f"{n:02d}.prisma"))
        label = f"step {n:2d} {name}"
        before = set(os.listdir(migrations))
        out = run(["migrate", "dev", "--name", name], url=dev)
        made = sorted(set(os.listdir(migrations)) - before)
        if len(made) != 1:
            failures.append(f"{label}: migrate dev wrote {len(made)} migrations\n{out}")
            continue
        again = run(["migrate", "dev", "--name", name + "_again"], url=dev)
        if "Already in sync" not in again:
            failures.append(f"{label}: a second migrate dev did something\n{again}")
        run(["migrate", "diff", "--from-url", dev, "--to-schema", schema, "--shadow-database-url", server, "--exit-code"])
        run(["migrate", "deploy"], url=prod)
        same = run(["migrate", "diff", "--from-url", prod, "--to-url", dev, "--exit-code"])
        if "No difference detected." not in same:
            failures.append(f"{label}: the deployed database differs from the developer's\n{same}")
        # db pull, with the schema's datasource (its namespaces), diffed against its database
        pulled_dir = os.path.join(work, "pulled")
        os.makedirs(pulled_dir, exist_ok=True)
        pulled = os.path.join(pulled_dir, "schema.prisma")
        with open(pulled, "w") as f:
            f.write(header)
        run(["db", "pull", "--schema", pulled, "--url", dev], cwd=pulled_dir)
        diff = subprocess.run([P, "migrate", "diff", "--from-url", dev, "--to-schema", pulled, "--shadow-database-url", server,
                               "--exit-code"], capture_output=True, text=True)
        if diff.returncode != 0:
            failures.append(f"{label}: the pulled schema differs from its database\n{diff.stdout}{diff.stderr}")
        print(f"  {label}: {made[0]}", flush=True)
    # migrate reset on a third database gives the developer's database again
    run(["migrate", "deploy"], url=reset)
    run(["migrate", "reset", "--force"], url=reset)
    same = run(["migrate", "diff", "--from-url", reset, "--to-url", dev, "--exit-code"])
    if "No difference detected." not in same:
        failures.append(f"migrate reset: the re-made database differs from the developer's\n{same}")
    if not a.keep_databases:
        for db in dbs:
            psql(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    count = len([d for d in os.listdir(migrations) if os.path.isdir(os.path.join(migrations, d))])
    if failures:
        print("\n".join(failures))
        sys.exit(f"FAILED: {len(failures)} check(s) of {len(all_steps)} steps")
    print(f"{len(all_steps)} steps, {count} migrations: each applied by migrate dev and deploy alike, "
          "each database equal to its schema and to its own db pull")


if __name__ == "__main__":
    main()
