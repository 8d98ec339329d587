// expect: conversion from
#include <blog/all.hpp>
// A hook's result is the call's result: a find_many hook that returns a count is checked as one.
struct Count {
  template <class Q>
  auto find_many(const Q& q) const { return static_cast<std::int64_t>(q().size()); }
};
void f(blog::Client& db) { std::vector<blog::User> rows = db.extend(Count{}).user.find_many(); }
