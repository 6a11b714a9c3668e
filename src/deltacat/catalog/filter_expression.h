#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <arrow/compute/expression.h>
#include <arrow/type_fwd.h>

#include "deltacat/result.h"

namespace deltacat {

/// Parses a row filter written as text (the CLI's `--where`) into an Arrow expression.
///
/// Grammar (keywords case-insensitive):
///   expr      := and_expr ("or" and_expr)*
///   and_expr  := not_expr ("and" not_expr)*
///   not_expr  := "not" not_expr | "(" expr ")" | predicate
///   predicate := operand cmp operand
///              | operand ["not"] "in" "(" literal ("," literal)* ")"
///              | operand "is" ["not"] "null"
///              | operand ["not"] "between" operand "and" operand
///   cmp       := "=" | "==" | "!=" | "<>" | "<" | "<=" | ">" | ">="
///   operand   := identifier | `quoted identifier` | literal
///   literal   := integer | decimal number | 'string' | "string" | true | false | null
/// Errors are kInvalidArgument with the position of the offending token.
Result<arrow::compute::Expression> ParseFilterExpression(std::string_view text);

/// The column names an expression refers to, in first-seen order.
std::vector<std::string> ReferencedColumns(const arrow::compute::Expression& expression);

/// Checks that every referenced column exists in `schema` (kSchemaValidation naming the first
/// missing one) and that the expression binds (types compare), returning the bound expression.
Result<arrow::compute::Expression> BindFilter(const arrow::compute::Expression& expression,
                                              const arrow::Schema& schema);

}  // namespace deltacat
