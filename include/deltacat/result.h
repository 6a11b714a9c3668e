#pragma once

#include <optional>
#include <type_traits>
#include <utility>

#include <arrow/result.h>

#include "deltacat/status.h"

namespace deltacat {

namespace internal {
/// Prints `status` to stderr and aborts.
[[noreturn]] void DieWithStatus(const Status& status);
}  // namespace internal

/// A value or the error that prevented computing it.
template <typename T>
class [[nodiscard]] Result {
 public:
  /// A successful result holding `value`.
  Result(T value) : value_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  /// A failed result; `status` must not be OK.
  Result(Status status) : status_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    if (status_.ok()) {
      status_ =
          Status(ErrorCode::kInternal, "Result constructed from an OK status without a value");
    }
  }
  /// Converts a compatible result (e.g. Result<Derived> to Result<Base>).
  template <typename U>
  requires(std::is_convertible_v<U, T> && !std::is_same_v<U, T>)
      Result(Result<U> other)  // NOLINT(google-explicit-constructor)
      : status_(other.status()) {
    if (other.ok()) value_.emplace(std::move(other).ValueOrDie());
  }

  /// Converts an Arrow result; the error keeps its DeltaCAT kind when it has one.
  template <typename U>
  requires std::is_convertible_v<U, T> Result(
      arrow::Result<U> other)  // NOLINT(google-explicit-constructor)
      : status_(FromArrowStatus(other.status())) {
    if (other.ok()) value_.emplace(std::move(other).MoveValueUnsafe());
  }

  /// True when a value is present.
  bool ok() const { return status_.ok(); }
  /// OK, or the error.
  const Status& status() const& { return status_; }
  /// OK, or the error, by value: a reference into a temporary Result would dangle (as in
  /// `DC_RETURN_NOT_OK(MakeResult().status())`).
  Status status() && { return status_; }

  /// The value; must only be called when ok().
  const T& ValueOrDie() const& {
    DieIfError();
    return *value_;
  }
  T& ValueOrDie() & {
    DieIfError();
    return *value_;
  }
  T ValueOrDie() && {
    DieIfError();
    return std::move(*value_);
  }
  /// The value, or `fallback` when failed.
  T ValueOr(T fallback) && { return ok() ? std::move(*value_) : std::move(fallback); }

  const T& operator*() const& { return ValueOrDie(); }
  T& operator*() & { return ValueOrDie(); }
  const T* operator->() const { return &ValueOrDie(); }
  T* operator->() { return &ValueOrDie(); }

 private:
  // Misuse is a programming error: fail loudly with the error instead of reading garbage.
  void DieIfError() const {
    if (!ok()) internal::DieWithStatus(status_);
  }

  Status status_;
  std::optional<T> value_;
};

namespace internal {
template <typename T>
bool IsOk(const Result<T>& r) {
  return r.ok();
}
template <typename T>
bool IsOk(const arrow::Result<T>& r) {
  return r.ok();
}
template <typename T>
Status ToStatus(const Result<T>& r) {
  return r.status();
}
template <typename T>
Status ToStatus(const arrow::Result<T>& r) {
  return FromArrowStatus(r.status());
}
template <typename T>
T MoveValue(Result<T>&& r) {
  return std::move(r).ValueOrDie();
}
template <typename T>
T MoveValue(arrow::Result<T>&& r) {
  return std::move(r).MoveValueUnsafe();
}
}  // namespace internal

/// Converts an Arrow result, keeping the DeltaCAT error kind when there is one.
template <typename T>
Result<T> FromArrowResult(arrow::Result<T>&& r) {
  if (!r.ok()) return FromArrowStatus(r.status());
  return std::move(r).MoveValueUnsafe();
}

}  // namespace deltacat

#define DC_ASSIGN_OR_RAISE_IMPL(tmp, lhs, rexpr)       \
  auto tmp = (rexpr);                                  \
  if (!::deltacat::internal::IsOk(tmp)) [[unlikely]] { \
    return ::deltacat::internal::ToStatus(tmp);        \
  }                                                    \
  lhs = ::deltacat::internal::MoveValue(std::move(tmp))

/// Evaluates `rexpr` (a deltacat::Result or arrow::Result); on error returns it from the
/// enclosing function, otherwise moves the value into `lhs` (which may declare a variable).
#define DC_ASSIGN_OR_RAISE(lhs, rexpr) \
  DC_ASSIGN_OR_RAISE_IMPL(DC_CONCAT(_dc_result_, __COUNTER__), lhs, rexpr)
