// Write inputs: the generated `<Model>Create` and `<Model>Update` structs are built from these.
//   Required<T>  a create member the schema requires and nothing fills: leaving it out of a
//                designated initializer does not compile (it has no default constructor).
//   std::optional<T> a create member with a default or a nullable column: unset means "the
//                default" (or NULL).
//   Update<T>    an update member: unset, a new value, null (nullable columns), or an atomic
//                operation (increment, decrement, multiply, divide) on numbers.
#pragma once
#include <concepts>
#include <initializer_list>
#include <optional>
#include <type_traits>
#include <string>
#include <utility>
#include <vector>

namespace prisma {

template <class T>
class Required {
 public:
  Required() = delete;  // a required field was left out of the create input
  template <class U>
    requires std::constructible_from<T, U&&>
  Required(U&& v) : value_(std::forward<U>(v)) {}
  const T& get() const { return value_; }
  T& get() { return value_; }

 private:
  T value_;
};

// A scalar-list member of a create input (`String[]`, `Role[]`): an optional list that also
// takes a braced list, `.roles = {Role::WRITER}`, `.nicknames = {"countess"}` (a std::optional
// alone needs `std::vector{...}` there).
template <class E>
class ListInput : public std::optional<std::vector<E>> {
 public:
  using Base = std::optional<std::vector<E>>;
  using Base::Base;
  using Base::operator=;
  ListInput() = default;
  ListInput(std::initializer_list<E> l) : Base(std::vector<E>(l)) {}
};

namespace detail {
struct not_a_list {};
template <class T> struct list_element { using type = not_a_list; };
template <class E> struct list_element<std::vector<E>> { using type = E; };
template <class E> struct list_element<std::optional<std::vector<E>>> { using type = E; };
}  // namespace detail

enum class AtomicOp { Set, Increment, Decrement, Multiply, Divide, Push };

// `.tags = push("x")` / `push({"x", "y"})`: appends to a scalar list (PostgreSQL).
template <class E>
struct Push {
  std::vector<E> values;
};
template <class E>
Push<std::decay_t<E>> push(E v) { return {{std::move(v)}}; }
inline Push<std::string> push(const char* v) { return {{std::string(v)}}; }
template <class E>
Push<E> push(std::vector<E> vs) { return {std::move(vs)}; }

template <class N>
struct Atomic {
  AtomicOp op;
  N operand;
};

template <class N> constexpr Atomic<N> increment(N n) { return {AtomicOp::Increment, n}; }
template <class N> constexpr Atomic<N> decrement(N n) { return {AtomicOp::Decrement, n}; }
template <class N> constexpr Atomic<N> multiply(N n) { return {AtomicOp::Multiply, n}; }
template <class N> constexpr Atomic<N> divide(N n) { return {AtomicOp::Divide, n}; }

namespace detail {
template <class T> struct is_required : std::false_type {};
template <class T> struct is_required<Required<T>> : std::true_type {};
}  // namespace detail

// One member of an update input. `T` is the column's C++ type (std::optional<X> when nullable).
template <class T>
class Update {
 public:
  using scalar_type = std::remove_cvref_t<decltype(*std::declval<std::optional<T>>())>;

  Update() = default;
  template <class U>
    requires std::constructible_from<T, U&&> && (!std::is_same_v<std::remove_cvref_t<U>, Update>)
  Update(U&& v) : op_(AtomicOp::Set), set_(true), value_(std::forward<U>(v)) {}
  // A scalar list set from a braced list: `.roles = {Role::WRITER}` (list members only).
  Update(std::initializer_list<typename detail::list_element<T>::type> l)
    requires(!std::is_same_v<typename detail::list_element<T>::type, detail::not_a_list>)
      : op_(AtomicOp::Set), set_(true), value_(std::vector<typename detail::list_element<T>::type>(l)) {}
  template <class N>
  Update(Atomic<N> a) : op_(a.op), set_(true) {
    constexpr bool numeric = std::is_arithmetic_v<unwrap<T>> && !std::is_same_v<unwrap<T>, bool>;
    static_assert(numeric, "prisma: increment/decrement/multiply/divide apply to numeric fields only");
    if constexpr (numeric) value_ = T(static_cast<unwrap<T>>(a.operand));
  }

  template <class E>
  Update(Push<E> p) : op_(AtomicOp::Push), set_(true) {
    constexpr bool list = requires { typename unwrap<T>::value_type; } && !std::is_same_v<unwrap<T>, std::string>;
    static_assert(list, "prisma: push() applies to list fields (String[], Int[], ...)");
    if constexpr (list) {
      using L = unwrap<T>;
      L values;
      for (auto& v : p.values) values.push_back(typename L::value_type(std::move(v)));
      value_ = T(std::move(values));
    }
  }

  bool is_set() const { return set_; }
  AtomicOp op() const { return op_; }
  const T& value() const { return value_; }
  // The value to write, or nullptr when the member is unset.
  const T* get() const { return set_ ? &value_ : nullptr; }

 private:
  template <class X> struct unwrap_t { using type = X; };
  template <class X> struct unwrap_t<std::optional<X>> { using type = X; };
  template <class X> using unwrap = typename unwrap_t<X>::type;

  // A flag and a value-initialised T rather than std::optional<T>: g++ 12 warns (falsely) about
  // maybe-uninitialized reads of nested optionals in designated-initializer temporaries, which
  // would break users' -Werror builds.
  AtomicOp op_ = AtomicOp::Set;
  bool set_ = false;
  T value_{};
};

}  // namespace prisma
