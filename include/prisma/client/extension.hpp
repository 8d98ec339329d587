// Query extensions, the C++ form of Prisma Client's `$extends({ query: ... })`: hooks that see a
// model operation's arguments and result, may change either, and are checked by the compiler.
//
//   struct SoftDelete {
//     // every model's findMany (Prisma: `$allModels: { findMany }`); a constraint narrows it
//     template <class Q> requires prisma::ModelQuery<Q, Post>
//     auto find_many(const Q& q) { return q.where(post::deletedAt == std::nullopt); }
//     // every operation of every model (Prisma: `$allOperations`)
//     template <class Q> auto all_operations(const Q& q) { log(q.model_name, q.operation); return q(); }
//   };
//   auto xdb = db.extend(SoftDelete{});   // the client is unchanged; xdb.post.find_many(...) goes through it
//
// A hook is a member function named after the delegate's operation (find_many, find_first,
// find_first_or_throw, find_unique, find_unique_or_throw, count, aggregate, group_by, create,
// create_many, create_many_and_return, update, update_versioned, update_many,
// update_many_and_return, upsert, delete_, delete_many) or `all_operations`, taking the
// operation's Query: `q()` runs it as called, `q.with(args...)` with other arguments, `q.where(f)`
// with the filter `f` ANDed into its where / filter, `q.args()` / `q.arg<I>()` are the arguments,
// `q.delegate()` the model's delegate below this extension (to run another operation instead:
// soft delete's delete_ as an update). What it returns is what the call returns. The operation's
// own hook wins over all_operations; without either the call runs as it is. `extend` again
// stacks another extension (the last one added runs first, as Prisma's), and transactions on
// an extended client (`xdb.transaction(...)`) hand out extended delegates.
#pragma once
#include <cstddef>
#include <memory>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "prisma/client/delegate.hpp"
#include "prisma/client/include.hpp"
#include "prisma/client/transaction.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/meta/write_info.hpp"
#include "prisma/query/clauses.hpp"
#include "prisma/query/filter.hpp"

namespace prisma {

// A source whose delegates run an extension's hooks before the delegates of `Inner`.
template <class Inner, class Ext>
struct Extended {
  static constexpr sql::Dialect dialect = Inner::dialect;
  using connection = typename Inner::connection;
  using transaction = typename Inner::transaction;
  using inner_source = Inner;
  using extension = Ext;
  Inner* inner = nullptr;
  std::shared_ptr<Ext> ext;
  std::shared_ptr<void> keep;  // what keeps `inner` alive (a transaction's pinned source)

  auto acquire() const { return inner->acquire(); }
  auto acquire_read() const { return inner->acquire_read(); }
};

namespace op {
// How an operation's arguments take an added filter (Query::where).
enum class Args { Clauses, Unique, Filter, Data };

#define PRISMA_CPP_OPERATION(tag, prisma_name, args_kind)                         \
  struct tag {                                                                    \
    static constexpr std::string_view name = prisma_name;                         \
    static constexpr Args args = Args::args_kind;                                 \
    template <class E, class Q>                                                   \
    static constexpr bool hooked = requires(E& e, const Q& q) { e.tag(q); };      \
    template <class E, class Q>                                                   \
    static auto hook(E& e, const Q& q) { return e.tag(q); }                       \
  };
PRISMA_CPP_OPERATION(find_many, "findMany", Clauses)
PRISMA_CPP_OPERATION(find_first, "findFirst", Clauses)
PRISMA_CPP_OPERATION(find_first_or_throw, "findFirstOrThrow", Clauses)
PRISMA_CPP_OPERATION(find_unique, "findUnique", Unique)
PRISMA_CPP_OPERATION(find_unique_or_throw, "findUniqueOrThrow", Unique)
PRISMA_CPP_OPERATION(count, "count", Clauses)
PRISMA_CPP_OPERATION(aggregate, "aggregate", Clauses)
PRISMA_CPP_OPERATION(group_by, "groupBy", Clauses)
PRISMA_CPP_OPERATION(create, "create", Data)
PRISMA_CPP_OPERATION(create_many, "createMany", Data)
PRISMA_CPP_OPERATION(create_many_and_return, "createManyAndReturn", Data)
PRISMA_CPP_OPERATION(update, "update", Unique)
PRISMA_CPP_OPERATION(update_versioned, "update", Unique)
PRISMA_CPP_OPERATION(update_many, "updateMany", Filter)
PRISMA_CPP_OPERATION(update_many_and_return, "updateManyAndReturn", Filter)
PRISMA_CPP_OPERATION(upsert, "upsert", Unique)
PRISMA_CPP_OPERATION(delete_, "delete", Unique)
PRISMA_CPP_OPERATION(delete_many, "deleteMany", Filter)
#undef PRISMA_CPP_OPERATION
}  // namespace op

namespace detail {

template <class A, class F>
auto and_into_where(const A& a, const F& f) {
  if constexpr (sql::detail::is_where<A>::value) return prisma::where(a.filter && f);
  else return a;
}

// The arguments of an operation with the filter `f` added, as a tuple (see op::Args).
template <op::Args K, class F, class... A>
auto with_filter(const F& f, const A&... a) {
  if constexpr (K == op::Args::Clauses) {
    if constexpr ((sql::detail::is_where<A>::value || ...)) return std::tuple{and_into_where(a, f)...};
    else return std::tuple{a..., prisma::where(f)};
  } else if constexpr (K == op::Args::Data) {
    static_assert(wrong_input<F>, "prisma: a create has no filter to add to (Query::where)");
  } else {
    return [&f](const auto& first, const auto&... rest) {
      if constexpr (Filter<std::remove_cvref_t<decltype(first)>>) return std::tuple{first && f, rest...};
      else return std::tuple{f, first, rest...};  // delete_many(limit(n)) has no filter yet
    }(a...);
  }
}
template <op::Args K, class F>
auto with_filter(const F& f) {
  static_assert(K != op::Args::Data, "prisma: a create has no filter to add to (Query::where)");
  if constexpr (K == op::Args::Clauses) return std::tuple{prisma::where(f)};
  else return std::tuple{f};  // delete_many() with no filter
}

}  // namespace detail

// One call of a model operation as an extension's hook sees it.
template <class Model, class Op, class Base, class Next, class... A>
class Query {
 public:
  using model = Model;
  using operation_tag = Op;
  static constexpr std::string_view model_name = meta::model_traits<Model>::name;
  static constexpr std::string_view operation = Op::name;  // Prisma's name: "findMany", "create", ...

  Query(Base& base, Next& next, const A&... a) : base_(&base), next_(&next), args_(a...) {}

  // Runs the operation with the arguments it was called with.
  auto operator()() const { return std::apply(*next_, args_); }
  // Runs the operation with other arguments (checked as the operation checks its own).
  template <class... B>
  auto with(const B&... b) const { return (*next_)(b...); }
  // Runs the operation with `f` ANDed into its where (find_many, count, ...), its unique criterion
  // (find_unique, update, delete_, upsert: the row must match both, Prisma's extended where
  // unique) or its filter (update_many, delete_many).
  template <Filter F>
  auto where(const F& f) const {
    static_assert(std::is_same_v<typename F::model, Model>, "prisma: Query::where takes a filter on the query's model");
    return std::apply([this](const auto&... b) { return (*next_)(b...); },
                      std::apply([&f](const auto&... a) { return detail::with_filter<Op::args>(f, a...); }, args_));
  }
  // The arguments as called.
  const std::tuple<const A&...>& args() const { return args_; }
  template <std::size_t I>
  const auto& arg() const { return std::get<I>(args_); }
  // The model's delegate below this extension: another operation in place of this one.
  Base& delegate() const { return *base_; }

 private:
  Base* base_;
  Next* next_;
  std::tuple<const A&...> args_;
};

template <class Q, class M>
concept ModelQuery = std::is_same_v<typename Q::model, M>;

// The delegate of a model on an extended source: each operation goes through the extension's
// hook, then to the delegate below.
template <class Model, class Inner, class Ext>
class Delegate<Model, Extended<Inner, Ext>> {
  using Base = Delegate<Model, Inner>;
  template <class M> using Create = typename meta::write_types<M>::create;
  template <class M> using Update = typename meta::write_types<M>::update;

 public:
  using model = Model;
  explicit Delegate(Extended<Inner, Ext>* src) : base_(src->inner), ext_(src->ext.get()) {}

#define PRISMA_CPP_FORWARD(tag) [this](const auto&... b) { return base_.tag(b...); }
  template <class... C> auto find_many(const C&... c) { return call<op::find_many>(PRISMA_CPP_FORWARD(find_many), c...); }
  template <class... C> auto find_first(const C&... c) { return call<op::find_first>(PRISMA_CPP_FORWARD(find_first), c...); }
  template <class... C>
  auto find_first_or_throw(const C&... c) {
    return call<op::find_first_or_throw>(PRISMA_CPP_FORWARD(find_first_or_throw), c...);
  }
  template <class F, class... S>
  auto find_unique(const F& f, const S&... s) { return call<op::find_unique>(PRISMA_CPP_FORWARD(find_unique), f, s...); }
  template <class F, class... S>
  auto find_unique_or_throw(const F& f, const S&... s) {
    return call<op::find_unique_or_throw>(PRISMA_CPP_FORWARD(find_unique_or_throw), f, s...);
  }
  template <class... C> auto count(const C&... c) { return call<op::count>(PRISMA_CPP_FORWARD(count), c...); }
  template <class... C> auto aggregate(const C&... c) { return call<op::aggregate>(PRISMA_CPP_FORWARD(aggregate), c...); }
  template <class... C> auto group_by(const C&... c) { return call<op::group_by>(PRISMA_CPP_FORWARD(group_by), c...); }

  template <class M = Model, class... S>
  auto create(const Create<M>& data, const S&... s) { return call<op::create>(PRISMA_CPP_FORWARD(create), data, s...); }
  template <class M = Model, class... S>
  auto create_many(const std::vector<Create<M>>& rows, const S&... s) {
    return call<op::create_many>(PRISMA_CPP_FORWARD(create_many), rows, s...);
  }
  template <class M = Model, class... S>
  auto create_many_and_return(const std::vector<Create<M>>& rows, const S&... s) {
    return call<op::create_many_and_return>(PRISMA_CPP_FORWARD(create_many_and_return), rows, s...);
  }
  template <class F, class M = Model, class... S>
  auto update(const F& f, const Update<M>& data, const S&... s) {
    return call<op::update>(PRISMA_CPP_FORWARD(update), f, data, s...);
  }
  template <class F, class M = Model>
  auto update_versioned(const F& f, std::int64_t expected_version, const Update<M>& data) {
    return call<op::update_versioned>(PRISMA_CPP_FORWARD(update_versioned), f, expected_version, data);
  }
  template <class F, class M = Model, class... S>
  auto update_many(const F& f, const Update<M>& data, const S&... s) {
    return call<op::update_many>(PRISMA_CPP_FORWARD(update_many), f, data, s...);
  }
  template <class F, class M = Model, class... S>
  auto update_many_and_return(const F& f, const Update<M>& data, const S&... s) {
    return call<op::update_many_and_return>(PRISMA_CPP_FORWARD(update_many_and_return), f, data, s...);
  }
  template <class F, class M = Model, class... S>
  auto upsert(const F& f, const Create<M>& create_data, const Update<M>& update_data, const S&... s) {
    return call<op::upsert>(PRISMA_CPP_FORWARD(upsert), f, create_data, update_data, s...);
  }
  template <class F, class... S>
  auto delete_(const F& f, const S&... s) { return call<op::delete_>(PRISMA_CPP_FORWARD(delete_), f, s...); }
  template <class... A>
  auto delete_many(const A&... a) { return call<op::delete_many>(PRISMA_CPP_FORWARD(delete_many), a...); }
#undef PRISMA_CPP_FORWARD

 private:
  template <class Op, class Next, class... A>
  auto call(Next next, const A&... a) {
    Query<Model, Op, Base, Next, A...> q(base_, next, a...);
    if constexpr (Op::template hooked<Ext, decltype(q)>) return Op::hook(*ext_, q);
    else if constexpr (requires { ext_->all_operations(q); }) return ext_->all_operations(q);
    else return q();
  }

  Base base_;
  Ext* ext_;
};

// Prisma's client-wide omit (`new PrismaClient({ omit: { user: { password: true } } })`), as a
// query extension, so that the rows' types lack the fields: `auto db = base.extend(
// prisma::omit_everywhere(user::password, post::secret));` leaves them out of every read (included
// relations too) and of the record create / update / upsert / delete_ / create_many_and_return
// return. A query that has its own select(...) or omit(...) gets that shape instead (Prisma's local
// omit wins too); a write asked for include(...) returns its own model's fields whole.
namespace detail {
// Omission<the columns of Cs... that are M's>.
template <class M, class Acc, class... Cs> struct omission_of { using type = Acc; };
template <class M, class... Acc, class C, class... Cs>
struct omission_of<M, Omission<Acc...>, C, Cs...>
    : omission_of<M, std::conditional_t<std::is_same_v<typename C::model, M>, Omission<Acc..., C>, Omission<Acc...>>, Cs...> {};
}  // namespace detail

template <class... Cols>
struct OmitEverywhere {
  template <class Q>
  auto all_operations(const Q& q) const {
    using O = typename Q::operation_tag;
    using M = typename Q::model;
    constexpr bool read = std::is_same_v<O, op::find_many> || std::is_same_v<O, op::find_first> ||
                          std::is_same_v<O, op::find_first_or_throw> || std::is_same_v<O, op::find_unique> ||
                          std::is_same_v<O, op::find_unique_or_throw>;
    constexpr bool write = std::is_same_v<O, op::create> || std::is_same_v<O, op::update> ||
                           std::is_same_v<O, op::upsert> || std::is_same_v<O, op::delete_> ||
                           std::is_same_v<O, op::create_many_and_return>;
    auto args = std::apply([](const auto&... a) { return std::tuple{nested(a)...}; }, q.args());
    using Args = decltype(args);
    using Omit = omission_for<M>;
    constexpr bool own_shape = has_clause<Args, sql::detail::is_selection>() || has_clause<Args, sql::detail::is_omission>();
    constexpr bool any_shape = own_shape || has_clause<Args, detail::is_include>();
    auto run = [&q](const auto&... a) { return q.with(a...); };
    if constexpr (std::is_same_v<Omit, Omission<>> || own_shape || !(read || write) || (write && any_shape)) {
      return std::apply(run, args);
    } else if constexpr (std::is_same_v<O, op::create_many_and_return> && std::tuple_size_v<Args> == 1) {
      return q.with(std::get<0>(args), false, Omit{});
    } else {
      return std::apply(run, std::tuple_cat(args, std::tuple<Omit>{}));
    }
  }

 private:
  template <class M>
  using omission_for = typename detail::omission_of<M, Omission<>, Cols...>::type;
  template <class Tuple, template <class> class Pred>
  static constexpr bool has_clause() {
    return []<class... A>(std::tuple<A...>*) { return (Pred<A>::value || ...); }(static_cast<Tuple*>(nullptr));
  }
  // Includes (and selects with relations) with the omission added to every relation's rows that
  // have no shape of their own, at every level.
  template <class C>
  static auto nested(const C& c) {
    if constexpr (sql::detail::is_instance<Include, C>::value)
      return std::apply([](const auto&... spec) { return Include<decltype(nested_spec(spec))...>{{nested_spec(spec)...}}; },
                        c.specs);
    else if constexpr (requires { typename C::selection; typename C::include_type; })
      return SelectWith<typename C::selection, decltype(nested(c.include))>{nested(c.include)};
    else
      return c;
  }
  template <class Spec>
  static auto nested_spec(const Spec& spec) {
    if constexpr (is_relation_query<Spec>::value) {
      using Rel = typename Spec::relation;
      auto clauses = std::apply([](const auto&... c) { return std::tuple{nested(c)...}; }, spec.clauses);
      using Clauses = decltype(clauses);
      using Omit = omission_for<typename Rel::target>;
      constexpr bool own_shape =
          has_clause<Clauses, sql::detail::is_selection>() || has_clause<Clauses, sql::detail::is_omission>();
      if constexpr (std::is_same_v<Omit, Omission<>> || own_shape)
        return std::apply([](const auto&... c) { return RelationQuery<Rel, std::remove_cvref_t<decltype(c)>...>{{c...}}; },
                          clauses);
      else
        return std::apply(
            [](const auto&... c) { return RelationQuery<Rel, std::remove_cvref_t<decltype(c)>..., Omit>{{c..., Omit{}}}; },
            clauses);
    } else {
      return spec;  // count_of(...)
    }
  }
};
template <class... D>
constexpr OmitEverywhere<Column<D>...> omit_everywhere(Column<D>...) {
  static_assert(sizeof...(D) > 0, "prisma: omit_everywhere names at least one field");
  return {};
}

}  // namespace prisma
