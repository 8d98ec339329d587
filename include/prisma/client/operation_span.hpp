// Tracing of a delegate's operations (ClientOptions::on_span): the `prisma:client:operation`
// span of each public operation, reached through the delegate's source.
#pragma once
#include <chrono>
#include <exception>
#include <string_view>

#include "prisma/core/observe.hpp"

namespace prisma {

namespace detail {
// The client's hook (logging, metrics, spans) behind a delegate's source, if any.
template <class S>
QueryHook* hook_of(const S& s) {
  if constexpr (requires { s.pool->hook(); }) return s.pool ? s.pool->hook() : nullptr;
  else if constexpr (requires { s.base->pool; }) return s.base ? hook_of(*s.base) : nullptr;
  else return nullptr;
}
// One operation's `prisma:client:operation` span (ClientOptions::on_span), the outermost only
// when one operation runs another (find_unique runs find_first runs find_many: one span).
class OperationSpan {
 public:
  OperationSpan(QueryHook* h, std::string_view model, std::string_view method)
      : h_(depth()++ == 0 && h && h->wants_operations ? h : nullptr), model_(model), method_(method) {
    if (h_) {
      start_ = std::chrono::system_clock::now();
      exceptions_ = std::uncaught_exceptions();
    }
  }
  OperationSpan(const OperationSpan&) = delete;
  OperationSpan& operator=(const OperationSpan&) = delete;
  ~OperationSpan() {
    --depth();
    if (h_) h_->operation(model_, method_, start_, std::uncaught_exceptions() > exceptions_);
  }

 private:
  static int& depth() {
    thread_local int d = 0;
    return d;
  }
  QueryHook* h_;
  std::string_view model_, method_;
  std::chrono::system_clock::time_point start_{};
  int exceptions_ = 0;
};
}  // namespace detail


}  // namespace prisma
