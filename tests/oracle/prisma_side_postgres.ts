// The Prisma Client side of tests/oracle/storage_roundtrip_postgres.sh: with "write", creates one
// Member (every field set), its Profile, a Post and an AuditLog of the PostgreSQL kitchen sink;
// then reads every row of those four models back and prints them as JSON (BigInt as "<n>n",
// Decimal as its string, Bytes as "hex:..", Date as its ISO string). Same data as cpp_side_postgres.cpp.
import { PrismaClient, Prisma } from "./generated/client";
import { PrismaPg } from "@prisma/adapter-pg";
const connectionString = process.argv[2];
const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
const show = (rows: unknown) =>
  JSON.stringify(rows, function (this: any, k, v) {
    const raw = this[k]; // before toJSON (Date, Decimal, Buffer)
    if (typeof raw === "bigint") return raw.toString() + "n";
    if (raw instanceof Date) return raw.toISOString();
    if (Prisma.Decimal.isDecimal(raw)) return raw.toString();
    if (raw instanceof Uint8Array) return "hex:" + Buffer.from(raw).toString("hex");
    return v;
  });
async function section(name: string, f: () => Promise<unknown>) {
  try { console.log(name, show(await f())); } catch (e: any) { console.log(name + ": ERROR", e?.code ?? "", String(e?.message ?? e).trim()); }
}
async function main() {
  if (process.argv[3] === "write") {
    const m = await prisma.member.create({ data: {
      handle: "ada", email: "a@x.io", role: "MODERATOR", tier: "GOLD", nicknames: ["a", "b c", 'd"e'],
      scores: [1, -2], bio: 'likes "quotes" and \\backslashes\\', balance: new Prisma.Decimal("1234.56"),
      karma: 9007199254740993n, rating: 0.1, active: false, avatar: Buffer.from([0x00, 0x7f, 0xff]),
      settings: { a: [1, "x"] }, joinedAt: new Date("2024-01-02T03:04:05.678Z"),
      birthday: new Date("1990-05-17T00:00:00.000Z") } });
    await prisma.profile.create({ data: {
      memberId: m.id, website: "https://ada.example/", ip: "10.1.2.3", clock: new Date("1970-01-01T12:34:56.000Z"),
      weight: 1.5, code: "AB", uid: "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b", doc: "<a>1</a>", bits: "1010" } });
    await prisma.post.create({ data: { title: "Hello", views: 32000, price: new Prisma.Decimal("12.34"), authorId: m.id } });
    await prisma.auditLog.create({ data: {
      actorId: "0b6c4f7e-1d2a-4c3b-9e8f-7a6b5c4d3e2f", payload: { k: [true, null, 1.5, "\u00e9"] },
      blob: Buffer.from([0x01, 0x00, 0xfe]), small: -7, big: -9007199254740993n, dbl: 0.30000000000000004 } });
    // Edge values (same as cpp_side_postgres.cpp).
    const b = await prisma.member.create({ data: {
      handle: "bob", email: "b@x.io", role: "ADMIN", tier: "FREE", nicknames: [], bio: "",
      balance: new Prisma.Decimal("0.005"), karma: -9223372036854775808n, rating: 5e-324, active: true,
      avatar: Buffer.from([]), settings: { q: 'a"b\\c\n', u: "é😀" },
      joinedAt: new Date("2024-01-02T03:04:05.000Z"), birthday: new Date("1990-05-17T23:30:00.000Z") } });
    await prisma.profile.create({ data: {
      memberId: b.id, ip: "::1", clock: new Date("1970-01-01T12:34:56.789Z"), weight: 0.1, code: "ABCDEFGH",
      uid: "6F1C2A3B-4D5E-4F60-8A7B-9C0D1E2F3A4B", doc: "<b>&amp;</b>", bits: "0000" } });
    await prisma.post.create({ data: { title: "Big", views: -32768, price: new Prisma.Decimal("1234567.891"), authorId: b.id } });
    await prisma.auditLog.create({ data: { blob: Buffer.from([]), small: 32767, big: -9223372036854775808n, dbl: -0 } });
  }
  await section("member", () => prisma.member.findMany());
  await section("profile", () => prisma.profile.findMany());
  await section("post", () => prisma.post.findMany());
  await section("auditLog", () => prisma.auditLog.findMany());
  await section("filter member role=MODERATOR&&joinedAt&&balance&&birthday:", () => prisma.member.count({ where: {
    role: "MODERATOR", joinedAt: new Date("2024-01-02T03:04:05.678Z"), balance: new Prisma.Decimal("1234.56"),
    birthday: new Date("1990-05-17T00:00:00.000Z") } }));
}
main().finally(() => prisma.$disconnect());
