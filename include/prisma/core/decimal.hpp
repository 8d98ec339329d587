// prisma::Decimal: an exact decimal number kept as its canonical text (Prisma's Decimal), so no
// value is rounded on its way between the database and the program.
#pragma once
#include <compare>
#include <string>
#include <string_view>

#include "prisma/core/errors.hpp"

namespace prisma {

class Decimal {
 public:
  Decimal() : text_("0") {}
  // Accepts `-12.50`, `+3`, `.5`, `1e3`; throws prisma::ValueError on anything else.
  explicit Decimal(std::string_view text) : text_(canonical(text)) {}
  Decimal(const char* text) : Decimal(std::string_view(text)) {}
  Decimal(long long v) : text_(std::to_string(v)) {}
  Decimal(int v) : text_(std::to_string(v)) {}

  const std::string& str() const { return text_; }
  double to_double() const { return std::stod(text_); }

  friend bool operator==(const Decimal& a, const Decimal& b) { return a.text_ == b.text_; }
  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
    return compare(a.text_, b.text_);
  }

 private:
  static std::string canonical(std::string_view s);
  static std::strong_ordering compare(const std::string& a, const std::string& b);
  std::string text_;
};

// Canonical text: optional '-', integer digits without leading zeros, '.' and fraction digits
// without trailing zeros only when non-zero; exponents are applied. "-0" becomes "0".
inline std::string Decimal::canonical(std::string_view s) {
  auto bad = [&]() -> std::string { throw ValueError("invalid Decimal '" + std::string(s.substr(0, 64)) + (s.size() > 64 ? "...'" : "'")); };
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
  std::string digits;
  long long point = -1;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c >= '0' && c <= '9') digits += c;
    else if (c == '.' && point < 0) point = static_cast<long long>(digits.size());
    else break;
  }
  if (digits.empty()) return bad();
  if (point < 0) point = static_cast<long long>(digits.size());
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) eneg = s[i++] == '-';
    long long e = 0;
    std::size_t start = i;
    // A declared numeric(p, s) holds at most p = 1000 digits (PostgreSQL's NUMERIC_MAX_PRECISION;
    // Prisma's Decimal is decimal(65,30) unless @db.Decimal says otherwise), so an exponent beyond
    // +-1000 can never be stored: refused, so that 7 bytes ("1e99999") never expand to 100,000 digits
    for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
      e = e * 10 + (s[i] - '0');
      if (e > 1000) throw ValueError("invalid Decimal '" + std::string(s.substr(0, 64)) + "': the exponent is beyond +-1000");
    }
    if (i == start) return bad();
    point += eneg ? -e : e;
  }
  if (i != s.size()) return bad();
  // pad so that 0 <= point <= digits.size()
  if (point < 0) { digits.insert(0, static_cast<std::size_t>(-point), '0'); point = 0; }
  if (point > static_cast<long long>(digits.size()))
    digits.append(static_cast<std::size_t>(point) - digits.size(), '0');
  std::string ip = digits.substr(0, static_cast<std::size_t>(point));
  std::string fp = digits.substr(static_cast<std::size_t>(point));
  ip.erase(0, std::min(ip.find_first_not_of('0'), ip.size()));
  while (!fp.empty() && fp.back() == '0') fp.pop_back();
  // appended in order (GCC 12's -O3 -Wrestrict misfires on assign("0") and insert(0, "-") here)
  std::string out;
  if (neg && !(ip.empty() && fp.empty())) out += '-';
  if (ip.empty()) out += '0';
  else out += ip;
  if (!fp.empty()) {
    out += '.';
    out += fp;
  }
  return out;
}

inline std::strong_ordering Decimal::compare(const std::string& a, const std::string& b) {
  bool na = !a.empty() && a[0] == '-', nb = !b.empty() && b[0] == '-';
  if (na != nb) return na ? std::strong_ordering::less : std::strong_ordering::greater;
  auto mag = [](std::string_view x, std::string_view y) {
    auto dx = x.find('.'), dy = y.find('.');
    std::string_view ix = x.substr(0, dx), iy = y.substr(0, dy);
    if (ix.size() != iy.size()) return ix.size() <=> iy.size();
    if (auto c = ix.compare(iy); c != 0) return c <=> 0;
    std::string_view fx = dx == x.npos ? "" : x.substr(dx + 1);
    std::string_view fy = dy == y.npos ? "" : y.substr(dy + 1);
    return fx.compare(fy) <=> 0;
  };
  std::string_view va = na ? std::string_view(a).substr(1) : a;
  std::string_view vb = nb ? std::string_view(b).substr(1) : b;
  auto m = mag(va, vb);
  return na ? 0 <=> m : m;
}

}  // namespace prisma
