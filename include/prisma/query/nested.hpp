// Nested writes: the relation members of the generated `<Model>Create` / `<Model>Update` inputs
// (`.posts = {.create = {...}, .connect = {post::id == 5}}`), and the criteria they hold.
//
// A criterion in a nested write (connect, disconnect, delete_, update, upsert: a unique one;
// delete_many, update_many: any filter of the target model) is kept as the filter's SQL shape
// per dialect and its bound values: the input structs are plain data that any backend runs.
#pragma once
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "prisma/core/types.hpp"
#include "prisma/meta/model.hpp"
#include "prisma/query/bound.hpp"
#include "prisma/query/filter.hpp"
#include "prisma/query/unique.hpp"

namespace prisma {

namespace detail {

template <class F, sql::Dialect D>
void render_kept(std::string& out, std::size_t& p) {
  struct Sink {
    std::string& s;
    void append(std::string_view v) { s += v; }
    void append(char c) { s += c; }
  } sink{out};
  F::template render<D>(sink, p);
  p += F::params;
}

// A filter kept for later: its SQL (rendered for the dialect of the statement it ends up in,
// numbering placeholders from where that statement is) and its values. Not a template: what a
// nested write's criteria need at run time is the same for every model.
class Kept {
 public:
  Kept() = default;
  template <class F>
  void keep(const F& f) {
    sqlite_ = &render_kept<F, sql::Dialect::Sqlite>;
    postgres_ = &render_kept<F, sql::Dialect::Postgresql>;
    binds_.clear();
    BindRecorder r{binds_};
    f.bind(r);
  }
  bool empty() const { return sqlite_ == nullptr; }
  template <sql::Dialect D>
  void render(std::string& out, std::size_t& p) const {
    (D == sql::Dialect::Sqlite ? sqlite_ : postgres_)(out, p);
  }
  // Appends its SQL for dialect d to a statement whose parameters so far are `params`, and its
  // values to them.
  void render(sql::Dialect d, std::string& out, std::vector<Bound>& params) const {
    std::size_t p = params.size() + 1;
    (d == sql::Dialect::Sqlite ? sqlite_ : postgres_)(out, p);
    params.insert(params.end(), binds_.begin(), binds_.end());
  }
  template <class Cur>
  void bind(Cur& cur) const { replay(cur, binds_); }

 private:
  void (*sqlite_)(std::string&, std::size_t&) = nullptr;
  void (*postgres_)(std::string&, std::size_t&) = nullptr;
  std::vector<Bound> binds_;
};

// A filter of Model kept for later (the model only types what may be kept).
template <class Model>
class KeptFilter : public Kept {};

}  // namespace detail

// A unique criterion of Model in a nested write (`post::id == 5`, `user::email == "a@x.io"`).
template <class Model>
class UniqueWhere : public detail::KeptFilter<Model> {
 public:
  template <Filter F>
  UniqueWhere(const F& f) {  // NOLINT: implicit, as a nested write reads
    static_assert(std::is_same_v<typename F::model, Model>,
                  "prisma: this nested write names a record of another model than the relation's");
    static_assert(detail::is_unique_filter<Model, F>::value,
                  "prisma: connect / disconnect / set / delete_ / update / upsert in a nested write need a "
                  "unique criterion: == on the id, on a @unique field, or on every field of a @@id/@@unique");
    this->keep(f);
  }
};

// Any filter of Model in a nested write (delete_many, update_many).
template <class Model>
class WhereFilter : public detail::KeptFilter<Model> {
 public:
  template <Filter F>
  WhereFilter(const F& f) {  // NOLINT: implicit
    static_assert(std::is_same_v<typename F::model, Model>,
                  "prisma: this nested write filters records of another model than the relation's");
    this->keep(f);
  }
};

template <class X> inline constexpr bool wrong_input = false;

namespace detail {

// A heap-held value behind a type-erased pointer. Not a template: a generated input names
// hundreds of List<...> and Box<...> members, and a member of type std::vector<T> would
// instantiate std::vector<T> for every one of them where the header is included. Through this
// base, naming List<T> instantiates a class of a few declarations; std::vector<T> is instantiated
// only where a nested write is written or run. The destructor is deliberately not constexpr:
// the inputs refer to each other before they are complete (clang instantiates constexpr
// destructors where a member's `{}` initializer names them).
// Lowers one nested-write item (an input, a unique criterion, a connect_or_create, an update or
// upsert item) into its node of the write tree (query/write_tree.hpp), which `out` points to;
// query/lower.hpp defines it.
template <class E>
void lower_element(const E& e, void* out);

class Erased {
 public:
  struct Ops {
    void* (*copy)(const void*);
    void (*destroy)(void*);
    // A held std::vector's elements and count (List): where the code that reads a list runs, no
    // std::vector<T> is instantiated.
    const void* (*data)(const void*);
    std::size_t (*size)(const void*);
    // Item i lowered into the write tree: instantiated where the value is stored, which is where
    // its type is complete (the code building the input), so the lowering of a relation member
    // (query/lower.hpp) never instantiates the related model's inputs, nor needs their headers.
    void (*lower)(const void*, std::size_t, void*);
  };
  Erased() noexcept {}  // NOLINT: not constexpr (see above)
  Erased(const Erased& o) : p_(o.p_ ? o.ops_->copy(o.p_) : nullptr), ops_(o.ops_) {}
  Erased(Erased&& o) noexcept : p_(o.p_), ops_(o.ops_) { o.p_ = nullptr; }
  Erased& operator=(const Erased& o) {
    if (this != &o) {
      Erased copy(o);
      swap(copy);
    }
    return *this;
  }
  Erased& operator=(Erased&& o) noexcept {
    swap(o);
    return *this;
  }
// g++ 12 at -O2 reports p_ of an aggregate's defaulted member (`.create_many` left out of a
// designated initializer) as maybe uninitialized here: a false positive, the default member
// initializer always runs.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
  ~Erased() {  // NOLINT: not `= default` (see above)
    if (p_) ops_->destroy(p_);
  }
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

 protected:
  void swap(Erased& o) noexcept {
    std::swap(p_, o.p_);
    std::swap(ops_, o.ops_);
  }
  void* p_ = nullptr;
  const Ops* ops_ = nullptr;
};

template <class V>
inline constexpr Erased::Ops erased_ops{
    [](const void* p) -> void* { return new V(*static_cast<const V*>(p)); },
    [](void* p) { delete static_cast<V*>(p); },
    [](const void* p) -> const void* {
      if constexpr (requires(const V& v) { v.data(); v.size(); }) return static_cast<const V*>(p)->data();
      else return p;
    },
    [](const void* p) -> std::size_t {
      if constexpr (requires(const V& v) { v.data(); v.size(); }) return static_cast<const V*>(p)->size();
      else return 1;
    },
    [](const void* p, std::size_t i, void* out) {
      if constexpr (requires(const V& v) { v.data(); v.size(); }) detail::lower_element(static_cast<const V*>(p)->data()[i], out);
      else detail::lower_element(*static_cast<const V*>(p), out);
    }};

}  // namespace detail

// A list of nested-write items (`.create = {{.title = "a"}, {.title = "b"}}`): a std::vector<T>
// held behind detail::Erased, iterable as one. An empty list holds no storage, so empty() and
// size() == 0 tell without T being complete (a create checks every relation member for nested
// writes, also in a file that does not include the related model's header).
template <class T>
class List : private detail::Erased {
 public:
  List() {}  // NOLINT: not constexpr (see detail::Erased)
  List(std::initializer_list<T> l) {
    if (l.size()) set(std::vector<T>(l));
  }
  List(std::vector<T> v) {  // NOLINT: implicit, as a std::vector reads
    if (!v.empty()) set(std::move(v));
  }

  bool empty() const { return p_ == nullptr; }
  std::size_t size() const { return p_ ? ops_->size(p_) : 0; }
  const T* begin() const { return p_ ? static_cast<const T*>(ops_->data(p_)) : nullptr; }
  const T* end() const { return p_ ? begin() + size() : nullptr; }
  const T& operator[](std::size_t i) const { return begin()[i]; }
  // Item i into its node of the write tree (detail::lower_element), without T's definition.
  void lower(std::size_t i, void* out) const { ops_->lower(p_, i, out); }
  void push_back(T v) { mut().push_back(std::move(v)); }
  template <class... A>
  T& emplace_back(A&&... a) { return mut().emplace_back(std::forward<A>(a)...); }
  void clear() {
    Erased none;
    swap(none);
  }

 private:
  std::vector<T>& mut() {
    if (!p_) set({});
    return *static_cast<std::vector<T>*>(p_);
  }
  void set(std::vector<T> v) {
    p_ = new std::vector<T>(std::move(v));
    ops_ = &detail::erased_ops<std::vector<T>>;
  }
};

// One value of a type that may still be incomplete where Box is named (the nested inputs of a
// to-one relation refer to each other), or none. `.create = {{.bio = "hi"}}`.
template <class T>
class Box : private detail::Erased {
 public:
  Box() {}  // NOLINT: not constexpr (see detail::Erased)
  Box(T v) { set(std::move(v)); }  // NOLINT: implicit
  template <class X>
    requires(!std::is_same_v<std::remove_cvref_t<X>, Box> && !std::is_same_v<std::remove_cvref_t<X>, T> &&
             std::is_convertible_v<X, T>)
  Box(X&& x) {  // NOLINT: implicit: `.connect = post::id == 5`
    set(T(std::forward<X>(x)));
  }
  template <class X>
    requires(!std::is_same_v<std::remove_cvref_t<X>, Box> && !std::is_convertible_v<X, T>)
  Box(X&&) {  // NOLINT: implicit
    static_assert(wrong_input<X>,
                  "prisma: a nested write takes the data of the relation's own input type "
                  "(<Model>CreateWithout<Relation> / <Model>UpdateWithout<Relation>): this is another model's");
  }
  explicit operator bool() const { return p_ != nullptr; }
  bool has_value() const { return p_ != nullptr; }
  const T* get() const { return static_cast<const T*>(p_); }
  const T& operator*() const { return *get(); }
  const T* operator->() const { return get(); }
  // The value into its node of the write tree (detail::lower_element), without T's definition.
  void lower(void* out) const { ops_->lower(p_, 0, out); }

 private:
  void set(T v) {
    p_ = new T(std::move(v));
    ops_ = &detail::erased_ops<T>;
  }
};

// The records a nested create / create_many writes: `.create = {{.title = "a"}, {.title = "b"}}`.
template <class C>
class Creates : public List<C> {
 public:
  Creates() {}  // NOLINT: not constexpr (see List)
  Creates(std::initializer_list<C> l) : List<C>(l) {}
  Creates(std::vector<C> v) : List<C>(std::move(v)) {}  // NOLINT: implicit
  template <class X>
  Creates(std::initializer_list<X>) {
    static_assert(wrong_input<X>,
                  "prisma: a nested create takes the data of the relation's own input type "
                  "(<Model>CreateWithout<Relation>): this is another model's");
  }
};

// `.set = prisma::empty`: a set() that leaves nothing connected.
struct EmptyList {};
inline constexpr EmptyList empty{};

namespace detail {

template <class Desc>
constexpr bool foreign_key_optional() {
  using Owner = std::conditional_t<Desc::owns_foreign_key, typename Desc::model, typename Desc::target>;
  constexpr auto& fk = Desc::owns_foreign_key ? Desc::local : meta::remote_of<Desc>;
  using Cols = typename meta::model_traits<Owner>::columns;
  bool optional = true;
  [&]<std::size_t... I>(std::index_sequence<I...>) {
    ((optional = optional && ((std::tuple_element_t<I, Cols>::descriptor::flags & meta::flags::optional) != 0 ||
                              std::find(fk.begin(), fk.end(), I) == fk.end())),
     ...);
  }(std::make_index_sequence<std::tuple_size_v<Cols>>{});
  return optional;
}

// Whether a relation may be left empty from this side: its foreign key is optional (1:1, 1:n),
// or it is many-to-many.
template <class Desc>
constexpr bool can_disconnect() {
  if constexpr (Desc::kind == meta::RelationKind::ManyToMany) return true;
  else return foreign_key_optional<Desc>();
}

}  // namespace detail

// `.disconnect = {post::id == 1}` / `.set = {...}` on a to-many relation: only where the link may
// be removed (an optional foreign key, or many-to-many).
template <class Desc>
class Disconnects {
  using T = typename Desc::target;

 public:
  Disconnects() = default;
  Disconnects(std::initializer_list<UniqueWhere<T>> l) : items_(l), set_(true) { check(); }
  Disconnects(std::vector<UniqueWhere<T>> l) : items_(std::move(l)), set_(true) { check(); }  // NOLINT
  Disconnects(EmptyList) : set_(true) { check(); }
  bool is_set() const { return set_; }
  const List<UniqueWhere<T>>& items() const { return items_; }

 private:
  static constexpr void check() {
    static_assert(detail::can_disconnect<Desc>(),
                  "prisma: disconnect / set need an optional relation: the foreign key of this relation "
                  "is required (delete the records, or connect them elsewhere)");
  }
  List<UniqueWhere<T>> items_;
  bool set_ = false;
};

// `.disconnect = true` / `.delete_ = true` on a to-one relation.
template <class Desc, bool Delete>
class ToOneFlag {
 public:
  ToOneFlag() = default;
  ToOneFlag(bool on) : on_(on) {  // NOLINT: implicit
    if constexpr (Delete)
      static_assert(Desc::owns_foreign_key ? Desc::is_optional : true,
                    "prisma: delete_ of a required to-one relation would leave this record without it");
    else
      static_assert(detail::can_disconnect<Desc>(),
                    "prisma: disconnect needs an optional relation: this relation's foreign key is required");
  }
  explicit operator bool() const { return on_; }
  bool on() const { return on_; }

 private:
  bool on_ = false;
};

template <class T, class C>
struct ConnectOrCreate {
  UniqueWhere<T> where;
  C create;
};
template <class C>
struct CreateManyData {
  Creates<C> data{};
  bool skip_duplicates = false;
};
template <class T, class U>
struct UpdateWhere {
  UniqueWhere<T> where;
  U data;
};
template <class T, class U>
struct UpdateManyWhere {
  WhereFilter<T> where;
  U data;
};
template <class T, class C, class U>
struct UpsertWhere {
  UniqueWhere<T> where;
  C create;
  U update;
};
template <class C, class U>
struct UpsertOne {
  C create;
  U update;
};

// The relation members of `<Model>Create`: to-many and to-one.
template <class Desc, class C>
struct NestedCreateList {
  using descriptor = Desc;
  using target = typename Desc::target;
  Creates<C> create{};
  CreateManyData<C> create_many{};
  List<UniqueWhere<target>> connect{};
  List<ConnectOrCreate<target, C>> connect_or_create{};

  bool empty() const {
    return create.empty() && create_many.data.empty() && connect.empty() && connect_or_create.empty();
  }
};
template <class Desc, class C>
struct NestedCreateOne {
  using descriptor = Desc;
  using target = typename Desc::target;
  Box<C> create{};
  Box<UniqueWhere<target>> connect{};
  Box<ConnectOrCreate<target, C>> connect_or_create{};

  // Member calls, not `!create`: an operator would look for friends in the target's input types,
  // which a file that only creates this model has not included.
  bool empty() const { return !create.has_value() && !connect.has_value() && !connect_or_create.has_value(); }
};

// The relation members of `<Model>Update`.
template <class Desc, class C, class U>
struct NestedUpdateList {
  using descriptor = Desc;
  using target = typename Desc::target;
  Creates<C> create{};
  CreateManyData<C> create_many{};
  List<UniqueWhere<target>> connect{};
  List<ConnectOrCreate<target, C>> connect_or_create{};
  Disconnects<Desc> set{};
  Disconnects<Desc> disconnect{};
  List<UniqueWhere<target>> delete_{};
  List<WhereFilter<target>> delete_many{};
  List<UpdateWhere<target, U>> update{};
  List<UpdateManyWhere<target, U>> update_many{};
  List<UpsertWhere<target, C, U>> upsert{};

  bool empty() const {
    return create.empty() && create_many.data.empty() && connect.empty() && connect_or_create.empty() &&
           !set.is_set() && !disconnect.is_set() && delete_.empty() && delete_many.empty() && update.empty() &&
           update_many.empty() && upsert.empty();
  }
};
template <class Desc, class C, class U>
struct NestedUpdateOne {
  using descriptor = Desc;
  using target = typename Desc::target;
  Box<C> create{};
  Box<UniqueWhere<target>> connect{};
  Box<ConnectOrCreate<target, C>> connect_or_create{};
  ToOneFlag<Desc, false> disconnect{};
  ToOneFlag<Desc, true> delete_{};
  Box<U> update{};
  Box<UpsertOne<C, U>> upsert{};

  bool empty() const {
    return !create.has_value() && !connect.has_value() && !connect_or_create.has_value() && !disconnect.on() &&
           !delete_.on() && !update.has_value() && !upsert.has_value();
  }
};

}  // namespace prisma
