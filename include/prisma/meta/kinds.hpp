// The schema's vocabulary as the generated code and the runtime name it: providers, scalar kinds,
// defaults, column flags, relation kinds and referential actions. Plain enums and constants, no
// other header: the generated library's metadata (meta/write_info.hpp) needs nothing more.
#pragma once
#include <cstdint>

namespace prisma::meta {

enum class Provider : std::uint8_t { Sqlite, Postgresql, Other };

enum class ScalarKind : std::uint8_t {
  String, Boolean, Int, BigInt, Float, Decimal, DateTime, Json, Bytes, Enum
};

// What fills a column the caller leaves out of a create.
enum class DefaultKind : std::uint8_t {
  None,
  Literal,        // the DDL default (and Descriptor::default_literal)
  EnumValue,      // Descriptor::default_literal holds the value's schema name
  Autoincrement,  // the database
  Sequence,
  DbGenerated,    // the database
  Now,            // the client (one timestamp per operation), DDL has CURRENT_TIMESTAMP too
  Uuid4, Uuid7, Cuid1, Cuid2, Nanoid, Ulid,  // the client
};

constexpr bool client_generated(DefaultKind k) {
  return k == DefaultKind::Now || k >= DefaultKind::Uuid4;
}

namespace flags {
inline constexpr std::uint32_t id = 1u << 0;          // part of the primary key
inline constexpr std::uint32_t unique = 1u << 1;      // @unique on the field
inline constexpr std::uint32_t optional = 1u << 2;
inline constexpr std::uint32_t list = 1u << 3;
inline constexpr std::uint32_t has_default = 1u << 4;
inline constexpr std::uint32_t updated_at = 1u << 5;
inline constexpr std::uint32_t relation_scalar = 1u << 6;  // used in a relation's `fields`
}  // namespace flags

enum class RelationKind : std::uint8_t { OneToOne, OneToMany, ManyToMany };
enum class ReferentialAction : std::uint8_t { Cascade, Restrict, NoAction, SetNull, SetDefault };

}  // namespace prisma::meta
