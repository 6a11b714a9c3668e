#include "deltacat/catalog/statistics_pruning.h"

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

#include <arrow/compute/api_scalar.h>
#include <arrow/compute/cast.h>
#include <arrow/compute/exec.h>
#include <arrow/scalar.h>
#include <arrow/type.h>
#include <arrow/util/checked_cast.h>

namespace deltacat {
namespace {

namespace cp = arrow::compute;
using arrow::internal::checked_cast;

// The outcomes a predicate can have over the rows of a file, as a bit set. The empty set means
// the file has no rows.
using Outcomes = uint8_t;
constexpr Outcomes kTrue = 1;
constexpr Outcomes kFalse = 2;
constexpr Outcomes kNull = 4;
constexpr Outcomes kUnknown = kTrue | kFalse | kNull;

bool Has(Outcomes set, Outcomes outcome) { return (set & outcome) != 0; }

bool IsFloating(const arrow::DataType& type) {
  return type.id() == arrow::Type::FLOAT || type.id() == arrow::Type::DOUBLE ||
         type.id() == arrow::Type::HALF_FLOAT;
}

bool IsNumeric(const arrow::DataType& type) {
  return arrow::is_integer(type.id()) || IsFloating(type);
}

// Whether `cast(value, to)` never reverses the order of two values of `from` (it may merge
// them, as rounding to float does; bounds stay bounds).
bool OrderPreservingCast(const arrow::DataType& from, const arrow::DataType& to) {
  if (from.Equals(to)) return true;
  if (IsNumeric(from) && IsNumeric(to)) return !(IsFloating(from) && !IsFloating(to));
  const auto f = from.id();
  const auto t = to.id();
  if ((f == arrow::Type::STRING || f == arrow::Type::LARGE_STRING) &&
      (t == arrow::Type::STRING || t == arrow::Type::LARGE_STRING)) {
    return true;
  }
  if ((f == arrow::Type::BINARY || f == arrow::Type::LARGE_BINARY) &&
      (t == arrow::Type::BINARY || t == arrow::Type::LARGE_BINARY)) {
    return true;
  }
  const bool from_date = f == arrow::Type::DATE32 || f == arrow::Type::DATE64;
  const bool to_point =
      t == arrow::Type::DATE32 || t == arrow::Type::DATE64 || t == arrow::Type::TIMESTAMP;
  if ((from_date || f == arrow::Type::TIMESTAMP) && to_point) return true;
  return false;
}

// -1, 0 or 1 as Arrow's compare kernels order `a` and `b`; nullopt when they cannot compare.
std::optional<int> Compare(const std::shared_ptr<arrow::Scalar>& a,
                           const std::shared_ptr<arrow::Scalar>& b) {
  auto less = cp::CallFunction("less", {a, b});
  auto equal = cp::CallFunction("equal", {a, b});
  if (!less.ok() || !equal.ok() || !less->is_scalar() || !equal->is_scalar()) return std::nullopt;
  const auto& lt = checked_cast<const arrow::BooleanScalar&>(*less->scalar());
  const auto& eq = checked_cast<const arrow::BooleanScalar&>(*equal->scalar());
  if (!lt.is_valid || !eq.is_valid) return std::nullopt;
  if (lt.value) return -1;
  return eq.value ? 0 : 1;
}

bool IsNaN(const arrow::Scalar& scalar) {
  if (!scalar.is_valid) return false;
  if (scalar.type->id() == arrow::Type::DOUBLE) {
    return std::isnan(checked_cast<const arrow::DoubleScalar&>(scalar).value);
  }
  if (scalar.type->id() == arrow::Type::FLOAT) {
    return std::isnan(checked_cast<const arrow::FloatScalar&>(scalar).value);
  }
  return false;
}

enum class Op { kEq, kNe, kLt, kLe, kGt, kGe };

std::optional<Op> ComparisonOf(const std::string& name) {
  if (name == "equal") return Op::kEq;
  if (name == "not_equal") return Op::kNe;
  if (name == "less") return Op::kLt;
  if (name == "less_equal") return Op::kLe;
  if (name == "greater") return Op::kGt;
  if (name == "greater_equal") return Op::kGe;
  return std::nullopt;
}

// `literal op column` is `column flipped(op) literal`.
Op Flipped(Op op) {
  switch (op) {
    case Op::kLt: return Op::kGt;
    case Op::kLe: return Op::kGe;
    case Op::kGt: return Op::kLt;
    case Op::kGe: return Op::kLe;
    default: return op;
  }
}

// A column as a comparison sees it: its statistics (nullptr when it has none), its type in
// the table, and the bounds converted to the type compared.
struct ColumnOperand {
  const io::ColumnStatistics* stats = nullptr;
  bool floating = false;  // NaN is possible unless the statistics say otherwise
  std::shared_ptr<arrow::Scalar> low;
  std::shared_ptr<arrow::Scalar> high;
};

class Evaluator {
 public:
  explicit Evaluator(const compute::FileColumnStatistics& stats) : stats_(stats) {}

  Outcomes Evaluate(const cp::Expression& expression) const {
    if (const arrow::Datum* literal = expression.literal()) {
      if (!literal->is_scalar()) return kUnknown;
      const arrow::Scalar& scalar = *literal->scalar();
      if (!scalar.is_valid) return kNull;
      if (scalar.type->id() != arrow::Type::BOOL) return kUnknown;
      return checked_cast<const arrow::BooleanScalar&>(scalar).value ? kTrue : kFalse;
    }
    const cp::Expression::Call* call = expression.call();
    if (call == nullptr) return kUnknown;  // e.g. a boolean column used as the condition
    const std::string& name = call->function_name;
    const auto& args = call->arguments;
    if ((name == "and" || name == "and_kleene") && args.size() == 2) {
      const Outcomes a = Evaluate(args[0]);
      const Outcomes b = Evaluate(args[1]);
      if (a == 0 || b == 0) return 0;
      Outcomes out = 0;
      if (Has(a, kTrue) && Has(b, kTrue)) out |= kTrue;
      if (Has(a, kFalse) || Has(b, kFalse)) out |= kFalse;
      if (Has(a, kNull) || Has(b, kNull)) out |= kNull;
      return out;
    }
    if ((name == "or" || name == "or_kleene") && args.size() == 2) {
      const Outcomes a = Evaluate(args[0]);
      const Outcomes b = Evaluate(args[1]);
      if (a == 0 || b == 0) return 0;
      Outcomes out = 0;
      if (Has(a, kTrue) || Has(b, kTrue)) out |= kTrue;
      if (Has(a, kFalse) && Has(b, kFalse)) out |= kFalse;
      if (Has(a, kNull) || Has(b, kNull)) out |= kNull;
      return out;
    }
    if (name == "invert" && args.size() == 1) {
      const Outcomes inner = Evaluate(args[0]);
      Outcomes out = inner & kNull;
      if (Has(inner, kTrue)) out |= kFalse;
      if (Has(inner, kFalse)) out |= kTrue;
      return out;
    }
    if ((name == "is_null" || name == "is_valid") && args.size() == 1) {
      return NullTest(*call, name == "is_null");
    }
    if (auto op = ComparisonOf(name); op && args.size() == 2) {
      if (args[1].literal() != nullptr) return Comparison(*op, args[0], *args[1].literal());
      if (args[0].literal() != nullptr) {
        return Comparison(Flipped(*op), args[1], *args[0].literal());
      }
    }
    return kUnknown;
  }

 private:
  const io::ColumnStatistics* StatsOf(const std::string& column) const {
    for (const auto& stats : stats_.columns) {
      if (stats.column == column) return &stats;
    }
    return nullptr;
  }

  // The column behind `expression` (a field reference, possibly under an order-preserving
  // cast), or nullopt when it is something else.
  std::optional<ColumnOperand> Column(const cp::Expression& expression) const {
    const cp::Expression* field = &expression;
    const cp::CastOptions* cast = nullptr;
    if (const auto* call = expression.call()) {
      if (call->function_name != "cast" || call->arguments.size() != 1 || !call->options) {
        return std::nullopt;
      }
      cast = dynamic_cast<const cp::CastOptions*>(call->options.get());
      field = &call->arguments[0];
      if (cast == nullptr || field->type() == nullptr || cast->to_type.type == nullptr ||
          !OrderPreservingCast(*field->type(), *cast->to_type.type)) {
        return std::nullopt;
      }
    }
    const arrow::FieldRef* ref = field->field_ref();
    if (ref == nullptr || ref->name() == nullptr || field->type() == nullptr) return std::nullopt;
    ColumnOperand operand;
    operand.stats = StatsOf(*ref->name());
    operand.floating = IsFloating(*field->type());
    if (operand.stats != nullptr) {
      operand.low = operand.stats->min;
      operand.high = operand.stats->max;
      if (cast != nullptr) {
        auto convert = [cast](const std::shared_ptr<arrow::Scalar>& bound) {
          if (!bound) return std::shared_ptr<arrow::Scalar>();
          auto converted = cp::Cast(bound, *cast);
          return converted.ok() && converted->is_scalar() ? converted->scalar()
                                                          : std::shared_ptr<arrow::Scalar>();
        };
        operand.low = convert(operand.low);
        operand.high = convert(operand.high);
      }
    }
    return operand;
  }

  Outcomes NullTest(const cp::Expression::Call& call, bool is_null) const {
    auto column = Column(call.arguments[0]);
    if (!column) return kTrue | kFalse;
    if (stats_.record_count == 0) return 0;
    const auto* options = dynamic_cast<const cp::NullOptions*>(call.options.get());
    const bool nan_is_null = options != nullptr && options->nan_is_null;
    const io::ColumnStatistics* stats = column->stats;
    if (stats == nullptr || !stats->null_count) return kTrue | kFalse;
    const int64_t nulls = *stats->null_count;
    int64_t nulls_or_nans = nulls;
    if (nan_is_null && column->floating) {
      if (!stats->nan_count) return kTrue | kFalse;
      nulls_or_nans += *stats->nan_count;
    }
    const bool some_null = nulls_or_nans > 0;
    const bool some_valid = nulls_or_nans < stats_.record_count;
    Outcomes out = 0;
    if (some_null) out |= is_null ? kTrue : kFalse;
    if (some_valid) out |= is_null ? kFalse : kTrue;
    return out;
  }

  Outcomes Comparison(Op op, const cp::Expression& column_expression,
                      const arrow::Datum& literal) const {
    auto column = Column(column_expression);
    if (!column || !literal.is_scalar()) return kUnknown;
    if (stats_.record_count == 0) return 0;
    const std::shared_ptr<arrow::Scalar>& value = literal.scalar();
    if (!value->is_valid) return kNull;  // comparing with null is null
    const io::ColumnStatistics* stats = column->stats;
    Outcomes out = 0;
    std::optional<int64_t> non_null;
    if (stats != nullptr && stats->null_count) {
      if (*stats->null_count > 0) out |= kNull;
      non_null = stats_.record_count - *stats->null_count;
      if (*non_null == 0) return out;
    } else {
      out |= kNull;
    }
    // NaN compares false with everything, and not-equal to everything.
    const Outcomes nan_outcome = op == Op::kNe ? kTrue : kFalse;
    if (IsNaN(*value)) return out | nan_outcome;
    bool only_nan = false;
    if (column->floating) {
      if (stats == nullptr || !stats->nan_count || *stats->nan_count > 0) out |= nan_outcome;
      only_nan = stats != nullptr && stats->nan_count && non_null && *stats->nan_count == *non_null;
    }
    if (only_nan) return out;
    return out | RangeOutcomes(op, column->low, column->high, value);
  }

  // Outcomes of `v op value` for non-null, non-NaN v in [low, high] (nullptr: unbounded).
  static Outcomes RangeOutcomes(Op op, const std::shared_ptr<arrow::Scalar>& low,
                                const std::shared_ptr<arrow::Scalar>& high,
                                const std::shared_ptr<arrow::Scalar>& value) {
    std::optional<int> low_cmp;
    std::optional<int> high_cmp;
    if (low) {
      low_cmp = Compare(low, value);
      if (!low_cmp) return kTrue | kFalse;
    }
    if (high) {
      high_cmp = Compare(high, value);
      if (!high_cmp) return kTrue | kFalse;
    }
    const bool below = !low_cmp || *low_cmp < 0;    // some v < value possible
    const bool above = !high_cmp || *high_cmp > 0;  // some v > value possible
    const bool equal = (!low_cmp || *low_cmp <= 0) && (!high_cmp || *high_cmp >= 0);
    const bool different = !(low_cmp && high_cmp && *low_cmp == 0 && *high_cmp == 0);
    Outcomes out = 0;
    auto set = [&out](bool possible, Outcomes outcome) {
      if (possible) out |= outcome;
    };
    switch (op) {
      case Op::kEq:
        set(equal, kTrue);
        set(different, kFalse);
        break;
      case Op::kNe:
        set(different, kTrue);
        set(equal, kFalse);
        break;
      case Op::kLt:
        set(below, kTrue);
        set(equal || above, kFalse);
        break;
      case Op::kLe:
        set(below || equal, kTrue);
        set(above, kFalse);
        break;
      case Op::kGt:
        set(above, kTrue);
        set(equal || below, kFalse);
        break;
      case Op::kGe:
        set(above || equal, kTrue);
        set(below, kFalse);
        break;
    }
    return out;
  }

  const compute::FileColumnStatistics& stats_;
};

}  // namespace

Result<arrow::compute::Expression> PrepareFilterForPruning(
    const arrow::compute::Expression& bound_filter) {
  DC_ASSIGN_OR_RAISE(auto folded, cp::FoldConstants(bound_filter));
  return folded;
}

bool FileMayMatch(const arrow::compute::Expression& filter,
                  const compute::FileColumnStatistics& stats) {
  return Has(Evaluator(stats).Evaluate(filter), kTrue);
}

}  // namespace deltacat
