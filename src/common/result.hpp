#pragma once
#include <cassert>
#include <utility>
#include <variant>

#include "common/diagnostic.hpp"

namespace sqlwarden {

/// Either a value or the Diagnostic explaining why there is none.
/// A small stand-in for std::expected, which C++20 lacks.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Diagnostic error) : v_(std::in_place_index<1>, std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() { return value(); }

  const Diagnostic& error() const {
    assert(!ok());
    return std::get<1>(v_);
  }

 private:
  std::variant<T, Diagnostic> v_;
};

}  // namespace sqlwarden
