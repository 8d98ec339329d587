#!/usr/bin/env python3
"""Writes a Prisma schema of N models shaped like an application's, for the compile benchmark.

Every model has twelve scalar fields of every kind (a unique code, an optional note, Decimal,
BigInt, Float, Boolean, an enum, Json, DateTime with now() and @updatedAt), a required 1:n
relation to the previous model, an optional 1:n to a model further back (a second, named
relation between the same pair for some), every fifth model a 1:1 and every seventh an implicit
m:n: about four relation fields a model, as in a real schema.

usage: gen_schema.py <models> [sqlite|postgresql] > schema.prisma
"""
import sys


def main() -> None:
    n = int(sys.argv[1])
    provider = sys.argv[2] if len(sys.argv) > 2 else "sqlite"
    out = []
    out.append(f"// {n} models shaped like an application's: written by benchmarks/compile/gen_schema.py")
    out.append("datasource db {")
    out.append(f'  provider = "{provider}"')
    out.append('  url      = env("DATABASE_URL")' if provider == "postgresql" else '  url      = "file:./bench.db"')
    out.append("}\n")
    out.append("generator client {")
    out.append('  provider  = "prisma-cpp"')
    out.append('  namespace = "app"')
    out.append("}\n")
    enums = 5
    for e in range(enums):
        out.append(f"enum Status{e} {{\n  DRAFT\n  ACTIVE\n  ARCHIVED @map(\"archived\")\n}}\n")
    back: dict[int, list[str]] = {i: [] for i in range(n)}
    rels: dict[int, list[str]] = {i: [] for i in range(n)}
    name = lambda i: f"M{i:03d}"
    for i in range(1, n):
        p = i - 1
        rels[i].append(f"  parent    {name(p)} @relation(\"Parent{i}\", fields: [parentId], references: [id], onDelete: Cascade)")
        rels[i].append("  parentId  Int")
        back[p].append(f"  children{i} {name(i)}[] @relation(\"Parent{i}\")")
        if i >= 3:
            o = i // 3
            rels[i].append(f"  owner     {name(o)}? @relation(\"Owner{i}\", fields: [ownerId], references: [id])")
            rels[i].append("  ownerId   Int?")
            back[o].append(f"  owned{i}   {name(i)}[] @relation(\"Owner{i}\")")
        if i % 5 == 0:
            rels[i].append(f"  twin      {name(i - 1)}? @relation(\"Twin{i}\", fields: [twinId], references: [id])")
            rels[i].append("  twinId    Int? @unique")
            back[i - 1].append(f"  twinOf{i}  {name(i)}? @relation(\"Twin{i}\")")
        if i % 7 == 0 and i >= 3:
            rels[i].append(f"  peers{i}   {name(i - 3)}[] @relation(\"Peers{i}\")")
            back[i - 3].append(f"  peerOf{i}  {name(i)}[] @relation(\"Peers{i}\")")
    for i in range(n):
        out.append(f"model {name(i)} {{")
        out.append("  id        Int      @id @default(autoincrement())")
        out.append("  code      String   @unique")
        out.append("  title     String")
        out.append("  note      String?")
        out.append("  amount    Decimal  @default(0)")
        out.append("  big       BigInt?")
        out.append("  ratio     Float    @default(1)")
        out.append("  active    Boolean  @default(true)")
        out.append(f"  status    Status{i % enums} @default(DRAFT)")
        out.append("  data      Json?")
        out.append("  createdAt DateTime @default(now())")
        out.append("  updatedAt DateTime @updatedAt")
        out.extend(rels[i])
        out.extend(back[i])
        out.append("")
        out.append("  @@index([title, createdAt])")
        out.append("}\n")
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
