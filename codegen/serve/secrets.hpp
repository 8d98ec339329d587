// Secrets of serve and studio: random ids and tokens from OpenSSL's CSPRNG, compared in constant time.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace prisma_cpp::serve {

// `bytes` random bytes as hex (tokens, session ids).
std::string random_hex(std::size_t bytes = 32);
// A UUID v4 of 122 random bits (transaction ids).
std::string random_uuid();
// Constant-time comparison (OpenSSL's CRYPTO_memcmp) for tokens and session ids.
bool same_secret(std::string_view given, std::string_view secret);

}  // namespace prisma_cpp::serve
