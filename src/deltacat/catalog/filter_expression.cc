#include "deltacat/catalog/filter_expression.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>
#include <unordered_set>
#include <utility>

#include <arrow/compute/api.h>
#include <arrow/scalar.h>
#include <arrow/type.h>

namespace deltacat {
namespace {

namespace cp = arrow::compute;

enum class TokenKind { kIdentifier, kQuotedIdentifier, kString, kNumber, kSymbol, kEnd };

struct Token {
  TokenKind kind;
  std::string text;
  size_t position;
};

// Deeply nested input must fail cleanly rather than overflow the stack.
constexpr int kMaxDepth = 128;

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Tokenize() {
    std::vector<Token> tokens;
    while (true) {
      while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
      if (pos_ >= text_.size()) break;
      const size_t start = pos_;
      const char c = text_[pos_];
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                       text_[pos_] == '_' || text_[pos_] == '.')) {
          ++pos_;
        }
        tokens.push_back(
            {TokenKind::kIdentifier, std::string(text_.substr(start, pos_ - start)), start});
      } else if (std::isdigit(static_cast<unsigned char>(c)) ||
                 ((c == '-' || c == '+') && pos_ + 1 < text_.size() &&
                  (std::isdigit(static_cast<unsigned char>(text_[pos_ + 1])) ||
                   text_[pos_ + 1] == '.'))) {
        ++pos_;
        while (pos_ < text_.size() &&
               (std::isalnum(static_cast<unsigned char>(text_[pos_])) || text_[pos_] == '.' ||
                ((text_[pos_] == '-' || text_[pos_] == '+') &&
                 (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E')))) {
          ++pos_;
        }
        tokens.push_back(
            {TokenKind::kNumber, std::string(text_.substr(start, pos_ - start)), start});
      } else if (c == '\'' || c == '"' || c == '`') {
        DC_ASSIGN_OR_RAISE(std::string body, ReadQuoted(c));
        tokens.push_back(
            {c == '`' ? TokenKind::kQuotedIdentifier : TokenKind::kString, std::move(body), start});
      } else {
        static constexpr std::string_view kTwoChar[] = {"<=", ">=", "!=", "<>", "=="};
        std::string symbol(1, c);
        for (auto two : kTwoChar) {
          if (text_.substr(pos_, 2) == two) symbol = std::string(two);
        }
        if (std::string_view("=<>!(),").find(c) == std::string_view::npos) {
          return MakeError(ErrorCode::kInvalidArgument, "filter: unexpected character '", c,
                           "' at position ", start);
        }
        if (symbol == "!") {
          return MakeError(ErrorCode::kInvalidArgument, "filter: expected '!=' at position ",
                           start);
        }
        pos_ += symbol.size();
        tokens.push_back({TokenKind::kSymbol, std::move(symbol), start});
      }
    }
    tokens.push_back({TokenKind::kEnd, "", text_.size()});
    return tokens;
  }

 private:
  // Quotes are escaped by doubling them ('it''s') or with a backslash.
  Result<std::string> ReadQuoted(char quote) {
    const size_t start = pos_++;
    std::string body;
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size()) {
        body.push_back(text_[pos_++]);
      } else if (c == quote) {
        if (pos_ < text_.size() && text_[pos_] == quote) {
          body.push_back(quote);
          ++pos_;
        } else {
          return body;
        }
      } else {
        body.push_back(c);
      }
    }
    return MakeError(ErrorCode::kInvalidArgument,
                     "filter: unterminated quote starting at position ", start);
  }

  std::string_view text_;
  size_t pos_ = 0;
};

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

class Parser {
 public:
  explicit Parser(std::vector<Token> tokens) : tokens_(std::move(tokens)) {}

  Result<cp::Expression> ParseAll() {
    DC_ASSIGN_OR_RAISE(cp::Expression expression, ParseOr(0));
    if (Peek().kind != TokenKind::kEnd) return Unexpected("end of filter");
    return expression;
  }

 private:
  const Token& Peek() const { return tokens_[index_]; }
  const Token& Next() { return tokens_[index_ < tokens_.size() - 1 ? index_++ : index_]; }

  bool PeekKeyword(std::string_view keyword) const {
    return Peek().kind == TokenKind::kIdentifier && EqualsIgnoreCase(Peek().text, keyword);
  }
  bool AcceptKeyword(std::string_view keyword) {
    if (!PeekKeyword(keyword)) return false;
    ++index_;
    return true;
  }
  bool AcceptSymbol(std::string_view symbol) {
    if (Peek().kind != TokenKind::kSymbol || Peek().text != symbol) return false;
    ++index_;
    return true;
  }

  Status Unexpected(std::string_view expected) const {
    const Token& token = Peek();
    return MakeError(ErrorCode::kInvalidArgument, "filter: expected ", expected, " at position ",
                     token.position,
                     token.kind == TokenKind::kEnd ? std::string(" (end of input)")
                                                   : " near '" + token.text + "'");
  }

  Status CheckDepth(int depth) const {
    if (depth > kMaxDepth) {
      return MakeError(ErrorCode::kInvalidArgument, "filter: nested deeper than ", kMaxDepth,
                       " levels");
    }
    return Status::OK();
  }

  Result<cp::Expression> ParseOr(int depth) {
    DC_RETURN_NOT_OK(CheckDepth(depth));
    DC_ASSIGN_OR_RAISE(cp::Expression left, ParseAnd(depth + 1));
    while (AcceptKeyword("or")) {
      DC_ASSIGN_OR_RAISE(cp::Expression right, ParseAnd(depth + 1));
      left = cp::or_(std::move(left), std::move(right));
    }
    return left;
  }

  Result<cp::Expression> ParseAnd(int depth) {
    DC_ASSIGN_OR_RAISE(cp::Expression left, ParseNot(depth + 1));
    while (AcceptKeyword("and")) {
      DC_ASSIGN_OR_RAISE(cp::Expression right, ParseNot(depth + 1));
      left = cp::and_(std::move(left), std::move(right));
    }
    return left;
  }

  Result<cp::Expression> ParseNot(int depth) {
    DC_RETURN_NOT_OK(CheckDepth(depth));
    if (AcceptKeyword("not")) {
      DC_ASSIGN_OR_RAISE(cp::Expression inner, ParseNot(depth + 1));
      return cp::not_(std::move(inner));
    }
    if (AcceptSymbol("(")) {
      DC_ASSIGN_OR_RAISE(cp::Expression inner, ParseOr(depth + 1));
      if (!AcceptSymbol(")")) return Unexpected("')'");
      return inner;
    }
    return ParsePredicate();
  }

  // A literal: returns nullopt (and consumes nothing) when the next token is not one.
  Result<std::optional<arrow::Datum>> ParseLiteral() {
    const Token& token = Peek();
    if (token.kind == TokenKind::kString) {
      Next();
      return std::optional<arrow::Datum>(arrow::MakeScalar(token.text));
    }
    if (token.kind == TokenKind::kNumber) {
      Next();
      DC_ASSIGN_OR_RAISE(arrow::Datum number, ParseNumber(token));
      return std::optional<arrow::Datum>(std::move(number));
    }
    if (token.kind == TokenKind::kIdentifier) {
      if (EqualsIgnoreCase(token.text, "true") || EqualsIgnoreCase(token.text, "false")) {
        Next();
        return std::optional<arrow::Datum>(arrow::MakeScalar(EqualsIgnoreCase(token.text, "true")));
      }
      if (EqualsIgnoreCase(token.text, "null")) {
        Next();
        return std::optional<arrow::Datum>(arrow::MakeNullScalar(arrow::null()));
      }
    }
    return std::optional<arrow::Datum>();
  }

  Result<arrow::Datum> ParseNumber(const Token& token) {
    const std::string& text = token.text;
    int64_t integer = 0;
    auto [end, ec] =
        std::from_chars(text.data() + (text[0] == '+' ? 1 : 0), text.data() + text.size(), integer);
    if (ec == std::errc() && end == text.data() + text.size()) {
      return arrow::Datum(arrow::MakeScalar(integer));
    }
    char* parse_end = nullptr;
    const double real = std::strtod(text.c_str(), &parse_end);
    if (parse_end != text.c_str() + text.size()) {
      return MakeError(ErrorCode::kInvalidArgument, "filter: invalid number '", text,
                       "' at position ", token.position);
    }
    return arrow::Datum(arrow::MakeScalar(real));
  }

  Result<cp::Expression> ParseOperand() {
    const Token& token = Peek();
    if (token.kind == TokenKind::kQuotedIdentifier) {
      Next();
      return cp::field_ref(token.text);
    }
    if (token.kind == TokenKind::kNumber) {
      Next();
      DC_ASSIGN_OR_RAISE(arrow::Datum value, ParseNumber(token));
      return cp::literal(std::move(value));
    }
    DC_ASSIGN_OR_RAISE(auto literal, ParseLiteral());
    if (literal) return cp::literal(std::move(*literal));
    if (token.kind == TokenKind::kIdentifier && !IsReserved(token.text)) {
      Next();
      return cp::field_ref(token.text);
    }
    return Unexpected("a column name or a literal");
  }

  static bool IsReserved(std::string_view word) {
    for (auto keyword : {"and", "or", "not", "in", "is", "between"}) {
      if (EqualsIgnoreCase(word, keyword)) return true;
    }
    return false;
  }

  Result<cp::Expression> ParsePredicate() {
    DC_ASSIGN_OR_RAISE(cp::Expression left, ParseOperand());
    if (AcceptKeyword("is")) {
      const bool negated = AcceptKeyword("not");
      if (!AcceptKeyword("null")) return Unexpected("'null'");
      cp::Expression test = cp::is_null(std::move(left));
      return negated ? cp::not_(std::move(test)) : test;
    }
    const bool negated = AcceptKeyword("not");
    if (AcceptKeyword("in")) return ParseIn(left, negated);
    if (AcceptKeyword("between")) {
      DC_ASSIGN_OR_RAISE(cp::Expression low, ParseOperand());
      if (!AcceptKeyword("and")) return Unexpected("'and'");
      DC_ASSIGN_OR_RAISE(cp::Expression high, ParseOperand());
      cp::Expression test =
          cp::and_(cp::greater_equal(left, std::move(low)), cp::less_equal(left, std::move(high)));
      return negated ? cp::not_(std::move(test)) : test;
    }
    if (negated) return Unexpected("'in' or 'between' after 'not'");
    const Token& op = Peek();
    if (op.kind != TokenKind::kSymbol) return Unexpected("a comparison operator");
    Next();
    DC_ASSIGN_OR_RAISE(cp::Expression right, ParseOperand());
    if (op.text == "=" || op.text == "==") return cp::equal(std::move(left), std::move(right));
    if (op.text == "!=" || op.text == "<>") {
      return cp::not_equal(std::move(left), std::move(right));
    }
    if (op.text == "<") return cp::less(std::move(left), std::move(right));
    if (op.text == "<=") return cp::less_equal(std::move(left), std::move(right));
    if (op.text == ">") return cp::greater(std::move(left), std::move(right));
    if (op.text == ">=") return cp::greater_equal(std::move(left), std::move(right));
    --index_;
    return Unexpected("a comparison operator");
  }

  Result<cp::Expression> ParseIn(const cp::Expression& left, bool negated) {
    if (!AcceptSymbol("(")) return Unexpected("'('");
    // Membership is expanded to equality tests: it then binds to any column type the
    // literals can be compared with, and null literals never match (SQL semantics).
    std::optional<cp::Expression> any;
    do {
      DC_ASSIGN_OR_RAISE(auto literal, ParseLiteral());
      if (!literal) return Unexpected("a literal");
      cp::Expression test = cp::equal(left, cp::literal(std::move(*literal)));
      any = any ? cp::or_(std::move(*any), std::move(test)) : std::move(test);
    } while (AcceptSymbol(","));
    if (!AcceptSymbol(")")) return Unexpected("')'");
    return negated ? cp::not_(std::move(*any)) : std::move(*any);
  }

  std::vector<Token> tokens_;
  size_t index_ = 0;
};

void CollectColumns(const cp::Expression& expression, std::vector<std::string>& out,
                    std::unordered_set<std::string>& seen) {
  if (const auto* ref = expression.field_ref()) {
    if (const auto* name = ref->name(); name && seen.insert(*name).second) out.push_back(*name);
    return;
  }
  if (const auto* call = expression.call()) {
    for (const auto& argument : call->arguments) CollectColumns(argument, out, seen);
  }
}

}  // namespace

Result<arrow::compute::Expression> ParseFilterExpression(std::string_view text) {
  Lexer lexer(text);
  DC_ASSIGN_OR_RAISE(std::vector<Token> tokens, lexer.Tokenize());
  if (tokens.size() == 1) {
    return MakeError(ErrorCode::kInvalidArgument, "filter: the expression is empty");
  }
  Parser parser(std::move(tokens));
  return parser.ParseAll();
}

std::vector<std::string> ReferencedColumns(const arrow::compute::Expression& expression) {
  std::vector<std::string> columns;
  std::unordered_set<std::string> seen;
  CollectColumns(expression, columns, seen);
  return columns;
}

Result<arrow::compute::Expression> BindFilter(const arrow::compute::Expression& expression,
                                              const arrow::Schema& schema) {
  for (const auto& column : ReferencedColumns(expression)) {
    if (schema.GetFieldIndex(column) < 0) {
      return MakeError(ErrorCode::kSchemaValidation, "filter refers to column '", column,
                       "', which is not in the table schema");
    }
  }
  auto bound = expression.Bind(schema);
  if (!bound.ok()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "filter does not apply to the table schema: ", bound.status().message());
  }
  if (!bound->type()->Equals(arrow::boolean())) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "filter must be a condition, not a value of type ", bound->type()->ToString());
  }
  return bound.MoveValueUnsafe();
}

}  // namespace deltacat
