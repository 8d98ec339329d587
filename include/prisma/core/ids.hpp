// The ids Prisma's client generates for @default(uuid()), uuid(7), cuid(), nanoid(n) and ulid():
// produced here, not by the database, exactly as Prisma Client does.
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <random>
#include <string>
#include <unistd.h>

namespace prisma::ids {

namespace detail {

inline std::mt19937_64& rng() {
  thread_local std::mt19937_64 g{std::random_device{}() ^
                                 (static_cast<std::uint64_t>(std::random_device{}()) << 32)};
  return g;
}

inline std::uint64_t now_ms() {
  using namespace std::chrono;
  return static_cast<std::uint64_t>(
      duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

inline std::string base36(std::uint64_t v, std::size_t width) {
  static const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string s;
  do {
    s.insert(s.begin(), digits[v % 36]);
    v /= 36;
  } while (v);
  if (s.size() > width) return s.substr(s.size() - width);
  return std::string(width - s.size(), '0') + s;
}

inline std::string uuid_text(std::uint8_t (&b)[16]) {
  static const char* hex = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hex[b[i] >> 4];
    s += hex[b[i] & 15];
  }
  return s;
}

}  // namespace detail

// RFC 9562 version 4: 122 random bits.
inline std::string uuid_v4() {
  std::uint8_t b[16];
  std::uint64_t hi = detail::rng()(), lo = detail::rng()();
  for (int i = 0; i < 8; ++i) {
    b[i] = static_cast<std::uint8_t>(hi >> (56 - 8 * i));
    b[8 + i] = static_cast<std::uint8_t>(lo >> (56 - 8 * i));
  }
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  return detail::uuid_text(b);
}

// RFC 9562 version 7: 48-bit Unix milliseconds, then random bits (sorts by creation time).
inline std::string uuid_v7() {
  std::uint8_t b[16];
  std::uint64_t ms = detail::now_ms(), r1 = detail::rng()(), r2 = detail::rng()();
  for (int i = 0; i < 6; ++i) b[i] = static_cast<std::uint8_t>(ms >> (40 - 8 * i));
  b[6] = static_cast<std::uint8_t>(0x70 | (r1 & 0x0f));
  b[7] = static_cast<std::uint8_t>(r1 >> 8);
  for (int i = 0; i < 8; ++i) b[8 + i] = static_cast<std::uint8_t>(r2 >> (56 - 8 * i));
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3f) | 0x80);
  return detail::uuid_text(b);
}

// cuid (v1, what Prisma's cuid() gives): 'c', base36 time (8), counter (4), fingerprint (4),
// random (8): 25 characters.
inline std::string cuid() {
  static std::atomic<std::uint32_t> counter{static_cast<std::uint32_t>(detail::rng()())};
  static const std::string fingerprint = [] {
    std::uint64_t pid = static_cast<std::uint64_t>(::getpid());
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    std::uint64_t h = 0;
    for (char* p = host; *p; ++p) h = h * 31 + static_cast<unsigned char>(*p);
    return detail::base36(pid, 2) + detail::base36(h, 2);
  }();
  std::uint32_t c = counter.fetch_add(1) % (36u * 36 * 36 * 36);
  return "c" + detail::base36(detail::now_ms(), 8) + detail::base36(c, 4) + fingerprint +
         detail::base36(detail::rng()() % 2821109907456ull, 8);  // 36^8
}

// nanoid: `size` characters from the URL-safe alphabet (21 by default, as Prisma).
inline std::string nanoid(std::size_t size = 21) {
  static const char* alphabet = "useandom-26T198340PX75pxJACKVERYMINDBUSHWOLF_GQZbfghjklqvwyzrict";
  std::string s(size, ' ');
  for (auto& ch : s) ch = alphabet[detail::rng()() & 63];
  return s;
}

// ULID: 48-bit milliseconds and 80 random bits in Crockford base32, 26 characters.
inline std::string ulid() {
  static const char* enc = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
  std::uint64_t ms = detail::now_ms(), r1 = detail::rng()(), r2 = detail::rng()();
  std::string s(26, '0');
  for (int i = 9; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = enc[ms & 31];
    ms >>= 5;
  }
  // 80 random bits, 5 per character: 8 characters from each 64-bit draw (40 of its bits)
  for (int i = 10; i < 26; ++i) {
    std::uint64_t& r = i < 18 ? r1 : r2;
    s[static_cast<std::size_t>(i)] = enc[r & 31];
    r >>= 5;
  }
  return s;
}

}  // namespace prisma::ids
