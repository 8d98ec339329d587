// prisma::DateTime: a UTC instant with millisecond precision, Prisma's DateTime.
// Reads every form found in Prisma databases (ISO with Z or offset, `YYYY-MM-DD HH:MM:SS`,
// a date alone); writes ISO text as Prisma 7 does on SQLite (`...T07:08:09.123+00:00`).
#pragma once
#include <chrono>
#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "prisma/core/errors.hpp"

namespace prisma {

class DateTime {
 public:
  constexpr DateTime() = default;
  static constexpr DateTime from_unix_ms(std::int64_t ms) { return DateTime(ms); }
  static DateTime now() {
    using namespace std::chrono;
    return DateTime(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
  }
  static constexpr DateTime from_civil(int y, unsigned mo, unsigned d, unsigned h = 0,
                                       unsigned mi = 0, unsigned s = 0, unsigned ms = 0) {
    return DateTime(((days_from_civil(y, mo, d) * 24 + h) * 60 + mi) * 60000LL + s * 1000LL + ms);
  }
  // Throws prisma::ValueError on text that is not a date-time.
  static DateTime parse(std::string_view text);

  constexpr std::int64_t unix_ms() const { return ms_; }
  // `2024-05-06T07:08:09.123+00:00` (Prisma 7 on SQLite) or, with `z`, `...09.123Z` (JSON).
  std::string to_iso(bool z = false) const;

  constexpr auto operator<=>(const DateTime&) const = default;

  // std::chrono: a DateTime is a std::chrono::sys_time at millisecond precision.
  using time_point = std::chrono::sys_time<std::chrono::milliseconds>;
  // From any system_clock time point; finer precision is truncated toward the past (floor), as
  // the database keeps milliseconds.
  template <class Duration>
  constexpr DateTime(std::chrono::sys_time<Duration> t)  // NOLINT: implicit, a time point is one
      : ms_(std::chrono::floor<std::chrono::milliseconds>(t).time_since_epoch().count()) {}
  constexpr time_point time() const { return time_point(std::chrono::milliseconds(ms_)); }
  constexpr operator time_point() const { return time(); }  // NOLINT: implicit, the same instant

  // `DateTime::now() + std::chrono::hours(24)`; an instant finer than milliseconds is floored.
  template <class Rep, class Period>
  friend constexpr DateTime operator+(DateTime t, std::chrono::duration<Rep, Period> d) {
    return DateTime(t.ms_ + std::chrono::floor<std::chrono::milliseconds>(d).count());
  }
  template <class Rep, class Period>
  friend constexpr DateTime operator+(std::chrono::duration<Rep, Period> d, DateTime t) {
    return t + d;
  }
  template <class Rep, class Period>
  friend constexpr DateTime operator-(DateTime t, std::chrono::duration<Rep, Period> d) {
    return DateTime(t.ms_ + std::chrono::floor<std::chrono::milliseconds>(-d).count());  // the exact instant, floored
  }
  template <class Rep, class Period>
  constexpr DateTime& operator+=(std::chrono::duration<Rep, Period> d) { return *this = *this + d; }
  template <class Rep, class Period>
  constexpr DateTime& operator-=(std::chrono::duration<Rep, Period> d) { return *this = *this - d; }
  // The time between two instants.
  friend constexpr std::chrono::milliseconds operator-(DateTime a, DateTime b) {
    return std::chrono::milliseconds(a.ms_ - b.ms_);
  }

 private:
  constexpr explicit DateTime(std::int64_t ms) : ms_(ms) {}

  // Howard Hinnant's days_from_civil: proleptic Gregorian, any year.
  static constexpr std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
  }

  std::int64_t ms_ = 0;
};

namespace detail {

inline bool read_digits(std::string_view s, std::size_t& i, std::size_t n, unsigned& out) {
  out = 0;
  for (std::size_t k = 0; k < n; ++k, ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

}  // namespace detail

inline DateTime DateTime::parse(std::string_view s) {
  auto fail = [&]() -> DateTime {
    throw ValueError("invalid DateTime '" + std::string(s) + "'");
  };
  std::size_t i = 0;
  bool neg = false;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  unsigned y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!detail::read_digits(s, i, 4, y) || i >= s.size() || s[i++] != '-' ||
      !detail::read_digits(s, i, 2, mo) || i >= s.size() || s[i++] != '-' ||
      !detail::read_digits(s, i, 2, d))
    return fail();
  if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
    ++i;
    if (!detail::read_digits(s, i, 2, h) || i >= s.size() || s[i++] != ':' ||
        !detail::read_digits(s, i, 2, mi))
      return fail();
    if (i < s.size() && s[i] == ':') {
      ++i;
      if (!detail::read_digits(s, i, 2, sec)) return fail();
      if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
        ++i;
        unsigned scale = 100;
        std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
          ms += static_cast<unsigned>(s[i] - '0') * scale;  // digits past milliseconds truncate
          scale /= 10;
          ++i;
        }
        if (i == start) return fail();
      }
    }
  }
  std::int64_t offset_min = 0;
  if (i < s.size()) {
    if (s[i] == 'Z' || s[i] == 'z') {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      bool minus = s[i++] == '-';
      unsigned oh = 0, om = 0;
      if (!detail::read_digits(s, i, 2, oh)) return fail();
      if (i < s.size() && s[i] == ':') ++i;
      if (i < s.size() && !detail::read_digits(s, i, 2, om)) return fail();
      offset_min = (minus ? -1 : 1) * static_cast<std::int64_t>(oh * 60 + om);
    }
  }
  if (i != s.size() || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
    return fail();
  DateTime t = from_civil(neg ? -static_cast<int>(y) : static_cast<int>(y), mo, d, h, mi, sec, ms);
  return DateTime(t.ms_ - offset_min * 60000);
}

inline std::string DateTime::to_iso(bool z) const {
  std::int64_t days = ms_ >= 0 ? ms_ / 86400000 : (ms_ - 86399999) / 86400000;
  std::int64_t rem = ms_ - days * 86400000;
  // civil_from_days (Howard Hinnant)
  std::int64_t zd = days + 719468;
  const std::int64_t era = (zd >= 0 ? zd : zd - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(zd - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  char buf[48];
  auto two = [](char* p, unsigned v) { p[0] = char('0' + v / 10); p[1] = char('0' + v % 10); };
  std::string out;
  if (y < 0) out += '-';
  std::int64_t ay = y < 0 ? -y : y;
  std::string ys = std::to_string(ay);
  out += std::string(ys.size() < 4 ? 4 - ys.size() : 0, '0') + ys;
  unsigned hh = static_cast<unsigned>(rem / 3600000), mi = static_cast<unsigned>(rem / 60000 % 60),
           ss = static_cast<unsigned>(rem / 1000 % 60), ms = static_cast<unsigned>(rem % 1000);
  buf[0] = '-'; two(buf + 1, m); buf[3] = '-'; two(buf + 4, d); buf[6] = 'T';
  two(buf + 7, hh); buf[9] = ':'; two(buf + 10, mi); buf[12] = ':'; two(buf + 13, ss);
  buf[15] = '.'; buf[16] = char('0' + ms / 100); two(buf + 17, ms % 100);
  out.append(buf, 19);
  out += z ? "Z" : "+00:00";
  return out;
}

}  // namespace prisma
