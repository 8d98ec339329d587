// Default-value literals as Prisma normalises them (DateTime text, base64 Bytes, quoted PSL strings
// inside type names); shared by the DDL and the DMMF emitters.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "schema/ir.hpp"

namespace prisma_cpp::emit::detail {

struct DateTimeValue {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  std::uint32_t nanos = 0;
  int offset_minutes = 0;  // east of UTC
};

// RFC 3339 as chrono's DateTime::parse_from_rfc3339 reads it (`T`, `t` or a space between date and
// time, optional fraction, `Z` or `+hh:mm`).
std::optional<DateTimeValue> parse_datetime(std::string_view text);
// chrono's Display: "2020-01-02 03:04:05.120 +00:00" (what the schema engine puts in DEFAULT).
std::string datetime_display(const DateTimeValue& v);
// chrono's to_rfc3339: "2020-01-02T03:04:05.120+00:00" (what the DMMF holds).
std::string datetime_rfc3339(const DateTimeValue& v);

std::optional<std::string> base64_decode(std::string_view text);
std::string hex_lower(std::string_view bytes);

// The text of a quoted PSL string with its escapes undone: `"a\"b"` -> `a"b`.
std::string unquote(std::string_view quoted);
// `Unsupported("circle")` -> `circle`.
std::string unsupported_type(const ir::Field& f);
// An integer literal as Rust prints the parsed number ("007" -> "7", "-0" -> "0").
std::string normalize_integer(std::string_view text);
// A decimal literal as BigDecimal prints it: the digits as written, leading zeros dropped.
std::string normalize_decimal(std::string_view text);

}  // namespace prisma_cpp::emit::detail
