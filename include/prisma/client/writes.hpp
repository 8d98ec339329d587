// The write statements of a delegate: INSERT and UPDATE whose column lists depend on
// which members of the input are set (text built once per shape, then cached), DELETE, all with
// RETURNING so a write and its row are one round trip.
#pragma once
#include <array>
#include <cstddef>
#include <mutex>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "prisma/core/ids.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/query/write.hpp"
#include "prisma/sql/select.hpp"

namespace prisma::detail {

using sql::StringSink;  // std::string as an SQL sink for the shared (compile-time) renderers

// The statement text for one shape of a write, built on first use and kept for the process.
class ShapeCache {
 public:
  template <class Build>
  const std::string& get(const std::string& key, Build&& build) {
    std::lock_guard lock(mu_);
    auto it = map_.find(key);
    if (it == map_.end()) it = map_.emplace(key, build()).first;
    return it->second;
  }

 private:
  std::mutex mu_;
  std::unordered_map<std::string, std::string> map_;
};

// nanoid(n)'s n (the descriptor's default_literal), else Prisma's 21.
constexpr std::size_t nanoid_length(std::string_view n) {
  if (n.empty()) return 21;
  std::size_t v = 0;
  for (char c : n) v = v * 10 + static_cast<std::size_t>(c - '0');
  return v;
}

// The value of a client-side default (@default(uuid()) and friends, now(), @updatedAt).
template <class Col, class Bind>
void bind_generated(Bind& bind, const DateTime& now) {
  using D = typename Col::descriptor;
  using K = meta::DefaultKind;
  if constexpr ((D::flags & meta::flags::updated_at) != 0) {
    bind(now);
  } else if constexpr (D::default_kind == K::Now) {
    bind(now);
  } else if constexpr (std::is_same_v<typename Col::scalar_type, std::string>) {
    if constexpr (D::default_kind == K::Uuid4) bind(ids::uuid_v4());
    else if constexpr (D::default_kind == K::Uuid7) bind(ids::uuid_v7());
    else if constexpr (D::default_kind == K::Cuid1 || D::default_kind == K::Cuid2) bind(ids::cuid());
    else if constexpr (D::default_kind == K::Nanoid) bind(ids::nanoid(nanoid_length(D::default_literal)));
    else if constexpr (D::default_kind == K::Ulid) bind(ids::ulid());
  }
}

template <class Col>
constexpr bool client_fills() {
  using D = typename Col::descriptor;
  return (D::flags & meta::flags::updated_at) != 0 || meta::client_generated(D::default_kind);
}

// The input member of column I, or nullptr when the input has none (a foreign key its parent
// fills).
template <class Input, std::size_t I>
constexpr auto input_member() {
  return meta::get<I>(meta::input_traits<Input>::members);
}

template <class Model, class Input>
struct InsertWriter {
  using T = meta::model_traits<Model>;
  using Cols = typename T::columns;
  static constexpr std::size_t N = std::tuple_size_v<Cols>;

  template <std::size_t I>
  static bool present(const Input& in) {
    using Col = std::tuple_element_t<I, Cols>;
    constexpr auto mp = input_member<Input, I>();
    if constexpr (std::is_same_v<std::remove_cv_t<decltype(mp)>, std::nullptr_t>) {
      return client_fills<Col>();
    } else {
      const auto& m = in.*mp;
      if constexpr (is_required<std::remove_cvref_t<decltype(m)>>::value) return true;
      else return m.has_value() || client_fills<Col>();
    }
  }

  // "1" per present column: the cache key and the shape of the INSERT.
  static std::string shape(const Input& in) {
    std::string key(N, '0');
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((key[I] = present<I>(in) ? '1' : '0'), ...);
    }(std::make_index_sequence<N>{});
    return key;
  }

  // INSERT of `rows` rows of one shape; `on_conflict_ignore` adds ON CONFLICT DO NOTHING
  // (create_many's skip_duplicates).
  template <sql::Dialect D>
  static std::string text(const std::string& shape, std::size_t rows = 1, bool returning = true,
                          bool on_conflict_ignore = false) {
    std::array<std::string_view, N> names{};
    std::size_t per_row = 0;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((shape[I] == '1' ? void(names[per_row++] = std::tuple_element_t<I, Cols>::db_name) : void()), ...);
    }(std::make_index_sequence<N>{});
    std::string out;
    StringSink sink{out};
    sql::insert(
        sink, D, sql::table_of<Model>(), per_row, [&](auto& o, std::size_t i) { sql::quote_ident(o, names[i]); }, rows,
        [&](auto& o, std::size_t r, std::size_t i) { sql::placeholder(o, D, r * per_row + i + 1); },
        {on_conflict_ignore, returning ? std::string_view(T::column_list) : std::string_view()});
    return out;
  }

  template <class Bind>
  static void bind(Bind& b, const Input& in, const std::string& shape, const DateTime& now) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (bind_one<I>(b, in, shape, now), ...);
    }(std::make_index_sequence<N>{});
  }

  template <std::size_t I, class Bind>
  static void bind_one(Bind& b, const Input& in, const std::string& shape, const DateTime& now) {
    if (shape[I] != '1') return;
    using Col = std::tuple_element_t<I, Cols>;
    constexpr auto mp = input_member<Input, I>();
    if constexpr (std::is_same_v<std::remove_cv_t<decltype(mp)>, std::nullptr_t>) {
      if constexpr (client_fills<Col>()) bind_generated<Col>(b, now);
    } else {
      const auto& m = in.*mp;
      if constexpr (is_required<std::remove_cvref_t<decltype(m)>>::value) {
        b(m.get());
      } else {
        if (m.has_value()) b(*m);
        else if constexpr (client_fills<Col>()) bind_generated<Col>(b, now);
      }
    }
  }
};

template <class Model, class Input>
struct UpdateWriter {
  using T = meta::model_traits<Model>;
  using Cols = typename T::columns;
  static constexpr std::size_t N = std::tuple_size_v<Cols>;

  // Per column: '0' untouched, 'u' @updatedAt (now), '=' set, '+' '-' '*' '/' atomic ops,
  // 'p' push.
  static std::string shape(const Input& in) {
    std::string key(N, '0');
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      ((key[I] = code<I>(in)), ...);
    }(std::make_index_sequence<N>{});
    return key;
  }

  template <std::size_t I>
  static char code(const Input& in) {
    using Col = std::tuple_element_t<I, Cols>;
    constexpr char untouched = (Col::descriptor::flags & meta::flags::updated_at) != 0 ? 'u' : '0';
    constexpr auto mp = input_member<Input, I>();
    if constexpr (std::is_same_v<std::remove_cv_t<decltype(mp)>, std::nullptr_t>) {
      return untouched;
    } else {
      const auto& m = in.*mp;
      if (!m.is_set()) return untouched;
      switch (m.op()) {
        case AtomicOp::Set: return '=';
        case AtomicOp::Increment: return '+';
        case AtomicOp::Decrement: return '-';
        case AtomicOp::Multiply: return '*';
        case AtomicOp::Divide: return '/';
        case AtomicOp::Push: return 'p';
      }
      return '=';
    }
  }

  // The assignments of `shape` (the columns' codes; 'u' sets @updatedAt) with placeholders
  // numbered from p (advanced past them).
  template <sql::Dialect D, class Sink>
  static void assignments(Sink& sink, const std::string& shape, std::size_t& p) {
    bool any = false;
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      auto add = [&](std::size_t i, std::string_view name) {
        char c = shape[i];
        if (c == '0') return;
        if (any) sink.append(", ");
        any = true;
        auto op = c == 'u' ? sql::Assign::Set : static_cast<sql::Assign>(c);
        sql::assignment(sink, name, op, [&](auto& o) { sql::placeholder(o, D, p++); });
      };
      (add(I, std::tuple_element_t<I, Cols>::db_name), ...);
    }(std::make_index_sequence<N>{});
    if (!any) sql::unchanged(sink, std::tuple_element_t<0, Cols>::db_name);
  }

  // UPDATE <table> SET ... WHERE <filter> [RETURNING <columns>]; `limited`: WHERE at most
  // $n of the rows the filter names (sql::limited), bound after the filter.
  template <sql::Dialect D, class F>
  static std::string text(const std::string& shape, bool returning, bool limited = false) {
    std::size_t p = 1;
    std::string out;
    StringSink o{out};
    sql::update(
        o, D, sql::table_of<Model>(), [&](auto& s) { assignments<D>(s, shape, p); }, true,
        [&](auto& s) {
          if (!limited) return F::template render<D>(s, p);
          sql::limited(s, D, sql::KeyList<Model>{}, [](auto& t) { sql::table(t, D, sql::table_of<Model>()); }, true,
                       [&](auto& w) { F::template render<D>(w, p); }, p + F::params);
        },
        {.returning = returning ? std::string_view(T::column_list) : std::string_view()});
    return out;
  }

  template <class Bind>
  static void bind(Bind& b, const Input& in, const std::string& shape, const DateTime& now) {
    [&]<std::size_t... I>(std::index_sequence<I...>) {
      (bind_one<I>(b, in, shape, now), ...);
    }(std::make_index_sequence<N>{});
  }

  template <std::size_t I, class Bind>
  static void bind_one(Bind& b, const Input& in, const std::string& shape, const DateTime& now) {
    using Col = std::tuple_element_t<I, Cols>;
    (void)shape;
    constexpr auto mp = input_member<Input, I>();
    if constexpr (!std::is_same_v<std::remove_cv_t<decltype(mp)>, std::nullptr_t>) {
      if (const auto* v = (in.*mp).get()) return b(*v);  // the member decides, as shape() did
    }
    if constexpr ((Col::descriptor::flags & meta::flags::updated_at) != 0) b(now);  // 'u'
  }
};

}  // namespace prisma::detail
