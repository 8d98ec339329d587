// Default-value literals as Prisma normalises them; see literal_values.hpp.
#include "emit/literal_values.hpp"

#include <cstdio>

namespace prisma_cpp::emit::detail {
namespace {

bool read_digits(std::string_view s, std::size_t& pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (std::size_t i = 0; i < count; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    out = out * 10 + (c - '0');
  }
  pos += count;
  return true;
}

bool expect(std::string_view s, std::size_t& pos, char c) {
  if (pos >= s.size() || s[pos] != c) return false;
  ++pos;
  return true;
}

// chrono prints fractions in groups of three digits, and nothing for whole seconds.
std::string fraction(std::uint32_t nanos) {
  char buf[16];
  if (nanos == 0) return "";
  if (nanos % 1000000 == 0)
    std::snprintf(buf, sizeof buf, ".%03u", nanos / 1000000);
  else if (nanos % 1000 == 0)
    std::snprintf(buf, sizeof buf, ".%06u", nanos / 1000);
  else
    std::snprintf(buf, sizeof buf, ".%09u", nanos);
  return buf;
}

std::string offset(int minutes) {
  char buf[16];
  int m = minutes < 0 ? -minutes : minutes;
  std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', m / 60, m % 60);
  return buf;
}

std::string date_and_time(const DateTimeValue& v, char separator) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d%c%02d:%02d:%02d", v.year, v.month, v.day, separator, v.hour,
                v.minute, v.second);
  return buf + fraction(v.nanos);
}

int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

}  // namespace

std::optional<DateTimeValue> parse_datetime(std::string_view s) {
  DateTimeValue v;
  std::size_t p = 0;
  if (!read_digits(s, p, 4, v.year) || !expect(s, p, '-') || !read_digits(s, p, 2, v.month) ||
      !expect(s, p, '-') || !read_digits(s, p, 2, v.day))
    return std::nullopt;
  if (p >= s.size() || (s[p] != 'T' && s[p] != 't' && s[p] != ' ')) return std::nullopt;
  ++p;
  if (!read_digits(s, p, 2, v.hour) || !expect(s, p, ':') || !read_digits(s, p, 2, v.minute) ||
      !expect(s, p, ':') || !read_digits(s, p, 2, v.second))
    return std::nullopt;
  if (p < s.size() && s[p] == '.') {
    ++p;
    std::size_t digits = 0;
    std::uint32_t nanos = 0;
    while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
      if (digits < 9) nanos = nanos * 10 + static_cast<std::uint32_t>(s[p] - '0');
      ++digits;
      ++p;
    }
    if (digits == 0) return std::nullopt;
    for (std::size_t i = digits; i < 9; ++i) nanos *= 10;
    v.nanos = nanos;
  }
  if (p >= s.size()) return std::nullopt;
  if (s[p] == 'Z' || s[p] == 'z') {
    ++p;
  } else if (s[p] == '+' || s[p] == '-') {
    int sign = s[p] == '-' ? -1 : 1, h = 0, m = 0;
    ++p;
    if (!read_digits(s, p, 2, h) || !expect(s, p, ':') || !read_digits(s, p, 2, m)) return std::nullopt;
    v.offset_minutes = sign * (h * 60 + m);
  } else {
    return std::nullopt;
  }
  if (p != s.size() || v.month < 1 || v.month > 12 || v.day < 1 || v.day > 31 || v.hour > 23 ||
      v.minute > 59 || v.second > 60)
    return std::nullopt;
  return v;
}

std::string datetime_display(const DateTimeValue& v) { return date_and_time(v, ' ') + " " + offset(v.offset_minutes); }

std::string datetime_rfc3339(const DateTimeValue& v) { return date_and_time(v, 'T') + offset(v.offset_minutes); }

std::optional<std::string> base64_decode(std::string_view text) {
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    int v = base64_value(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<unsigned>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xFF));
    }
  }
  return out;
}

std::string hex_lower(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0xF]);
  }
  return out;
}

std::string unquote(std::string_view q) {
  std::size_t first = q.find('"'), last = q.rfind('"');
  if (first == std::string_view::npos || last <= first) return std::string(q);
  std::string out;
  for (std::size_t i = first + 1; i < last; ++i) {
    char c = q[i];
    if (c == '\\' && i + 1 < last) {
      char n = q[++i];
      switch (n) {
        case 'n': out.push_back('\n'); break;
        case 't': out.push_back('\t'); break;
        case 'r': out.push_back('\r'); break;
        default: out.push_back(n); break;
      }
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string unsupported_type(const ir::Field& f) { return unquote(f.type_name); }

std::string normalize_integer(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  std::string_view digits = negative || (!text.empty() && text[0] == '+') ? text.substr(1) : text;
  while (digits.size() > 1 && digits[0] == '0') digits.remove_prefix(1);
  if (digits == "0") negative = false;
  return std::string(negative ? "-" : "").append(digits);
}

std::string normalize_decimal(std::string_view text) {
  std::size_t dot = text.find('.');
  if (dot == std::string_view::npos) return normalize_integer(text);
  bool negative = !text.empty() && text[0] == '-';
  std::string_view whole = text.substr(negative ? 1 : 0, dot - (negative ? 1 : 0));
  while (whole.size() > 1 && whole[0] == '0') whole.remove_prefix(1);
  return std::string(negative ? "-" : "").append(whole.empty() ? std::string_view("0") : whole).append(text.substr(dot));
}

}  // namespace prisma_cpp::emit::detail
