#include "serve/secrets.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <stdexcept>
#include <vector>

namespace prisma_cpp::serve {
namespace {

std::vector<unsigned char> random_bytes(std::size_t n) {
  std::vector<unsigned char> bytes(n);
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("no random bytes (OpenSSL RAND_bytes failed)");
  return bytes;
}

void append_hex(std::string& out, unsigned char b) {
  static const char* digits = "0123456789abcdef";
  out += {digits[b >> 4], digits[b & 15]};
}

}  // namespace

std::string random_hex(std::size_t bytes) {
  std::string out;
  for (unsigned char b : random_bytes(bytes)) append_hex(out, b);
  return out;
}

std::string random_uuid() {
  auto b = random_bytes(16);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 9562 variant
  std::string out;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    append_hex(out, b[i]);
  }
  return out;
}

bool same_secret(std::string_view given, std::string_view secret) {
  if (given.size() != secret.size()) {
    (void)CRYPTO_memcmp(secret.data(), secret.data(), secret.size());  // the same work either way
    return false;
  }
  return CRYPTO_memcmp(given.data(), secret.data(), secret.size()) == 0;
}

}  // namespace prisma_cpp::serve
