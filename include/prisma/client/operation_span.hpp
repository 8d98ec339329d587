// Tracing and SQL comments of a delegate's operations (ClientOptions::on_span, ::comments): the
// `prisma:client:operation` span of each public operation, reached through the delegate's source,
// and the operation the comments' context names.
#pragma once
#include <optional>
#include <string_view>
#include <utility>

#include "prisma/core/observe.hpp"

namespace prisma {

namespace detail {
// The client's hook (logging, metrics, spans, comments) behind a delegate's source, if any.
template <class S>
QueryHook* hook_of(const S& s) {
  if constexpr (requires { s.pool->hook(); }) return s.pool ? s.pool->hook() : nullptr;
  else if constexpr (requires { s.base->pool; }) return s.base ? hook_of(*s.base) : nullptr;
  else if constexpr (requires { s.inner; }) return s.inner ? hook_of(*s.inner) : nullptr;
  else return nullptr;
}
// One operation's `prisma:client:operation` span (attributes method, model, name), the outermost
// only when one operation runs another (find_unique runs find_first runs find_many: one span);
// meanwhile the operation the statements' comments name. `model` empty: raw SQL (no model
// attribute, `name` the method).
class OperationSpan {
 public:
  OperationSpan(QueryHook* h, std::string_view model, std::string_view method) {
    if (depth()++ != 0 || !h || !(h->tracing || h->comments)) return;
    outer_ = std::exchange(current_operation(), CurrentOperation{model, method});
    restore_ = true;
    if (!h->tracing) return;
    if (model.empty())
      span_.emplace(h, "prisma:client:operation",
                    std::vector<std::pair<std::string_view, std::string>>{{"method", std::string(method)},
                                                                          {"name", std::string(method)}});
    else
      span_.emplace(h, "prisma:client:operation",
                    std::vector<std::pair<std::string_view, std::string>>{
                        {"method", std::string(method)},
                        {"model", std::string(model)},
                        {"name", std::string(model) + "." + std::string(method)}});
  }
  OperationSpan(const OperationSpan&) = delete;
  OperationSpan& operator=(const OperationSpan&) = delete;
  ~OperationSpan() {
    --depth();
    span_.reset();
    if (restore_) current_operation() = outer_;
  }

 private:
  static int& depth() {
    thread_local int d = 0;
    return d;
  }
  std::optional<SpanScope> span_;
  CurrentOperation outer_{};
  bool restore_ = false;
};
}  // namespace detail

}  // namespace prisma
