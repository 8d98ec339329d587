// The Prisma Client side of tests/oracle/storage_roundtrip.sh: writes one Thing, reads all back.
import { PrismaClient, Prisma } from "./generated/client";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
const url = process.argv[2];
const prisma = new PrismaClient({ adapter: new PrismaBetterSqlite3({ url }) });
async function main() {
  if (process.argv[3] === "write") {
    await prisma.thing.create({ data: { name: "a", flag: true, big: 9007199254740993n, ratio: 2.25,
      price: new Prisma.Decimal("12.345"), at: new Date("2024-01-02T03:04:05.678Z"),
      data: { a: [1, "x"] }, raw: Buffer.from([1, 2, 255]), tier: "GOLD" } });
  }
  const rows = await prisma.thing.findMany();
  console.log(JSON.stringify(rows, (k, v) => typeof v === "bigint" ? v.toString() + "n" : v));
  const n = await prisma.thing.count({ where: { tier: "GOLD", at: new Date("2024-01-02T03:04:05.678Z"), flag: true } });
  console.log("gold+at+flag filter count:", n);
}
main().finally(() => prisma.$disconnect());
