#pragma once
// The policy AST: what a `.rules` file says, with the byte range of every
// piece in the file. Plain structs filled by the X3 grammar (grammar_def.hpp);
// meaning (how policies combine, which tables exist) is the checker's business.
#include <boost/spirit/home/x3/support/ast/variant.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/span.hpp"
#include "sql/ast.hpp"

namespace sqlwarden::policy::ast {

/// Base of every node that remembers where it was written: a byte range into
/// the `.rules` text. (X3's `position_tagged` keeps ids into a side table of
/// iterators instead; byte offsets are what Diagnostic and later stages want,
/// so the grammar's on_success handler writes them here directly.)
struct Tagged {
  Span span;
};

/// An identifier `[A-Za-z_][A-Za-z0-9_]*`: a policy or mask_function name.
struct Name : Tagged {
  std::string text;
};

/// A double-quoted string, escapes (`\"`, `\\`) already decoded. The span
/// includes the quotes.
struct StringLit : Tagged {
  std::string value;
};

/// An unsigned decimal number (version, row limit, keep_first count).
struct Number : Tagged {
  uint32_t value = 0;
};

/// A dotted name pattern: `public.users`, `public.*`, `*.card_no`, `dblink*`.
/// Each part is a name, a name followed by `*` (prefix match), or `*` alone.
/// The grammar checks the shape of each part; how many parts a table, column
/// or function pattern may have is checked by parsePolicyFile.
struct Pattern : Tagged {
  std::vector<std::string> parts;
  /// The pattern as written: parts joined by '.'.
  std::string str() const;
};

/// The kinds of statement a rule can name. `All` stands for every class.
enum class StatementClass {
  Select, Insert, Update, Delete, Merge, Copy, Call,
  Ddl, Create, Alter, Drop, Truncate, Grant, Revoke, Comment,
  All,
};
/// The keyword that spells `c` in a `.rules` file.
const char* toString(StatementClass c);

struct ClassRef : Tagged {
  StatementClass value = StatementClass::Select;
};

/// One alternative of `applies to`: `user "x"`, `group "x"`, `claim "k" = "v"`.
struct Matcher : Tagged {
  enum class Kind { User, Group, Claim };
  Kind kind = Kind::User;
  StringLit value;        ///< user or group name; for Claim the claim's name
  StringLit claim_value;  ///< Claim only: the value the claim must have
};

/// What `mask COLUMN with MASK` replaces the column by.
struct MaskSpec : Tagged {
  enum class Kind { Email, Redact, Hash, Null, Year, KeepFirst, KeepLast, Function };
  Kind kind = Kind::Redact;
  uint32_t count = 0;    ///< KeepFirst / KeepLast: how many characters stay
  std::string function;  ///< Function: the mask_function's name
};
const char* toString(MaskSpec::Kind k);

/// A piece of SQL inside a rule: a filter condition or a mask_function body.
///
/// `text` is the SQL: for a filter the source text of `span` with `#`
/// comments blanked out (same length, so offsets match); for a mask_function
/// the decoded string, `{col}` still in it, and `span` is the string literal.
/// `expr` is what the SQL front end made of it; parsePolicyFile fills it,
/// and leaves it empty only when it also reported an error. The spans inside
/// `expr` are offsets into kSqlWrapperPrefix + text (with `{col}` spelled
/// `_col_`); fileOffset() maps them back into the `.rules` file.
struct SqlFragment : Tagged {
  std::string text;
  sql::ExprPtr expr;
  /// For a fragment taken from a string literal: the file offset of every
  /// byte of `text` (escapes make them differ). Empty when `text` is a
  /// verbatim slice of the file starting at span.begin.
  std::vector<uint32_t> source_offsets;

  /// The `.rules` file offset of byte `offset` of the wrapped SQL.
  uint32_t fileOffset(uint32_t offset) const;
};

/// How `user()` reaches the SQL front end inside a fragment (USER is a SQL
/// keyword and `user()` no SQL): as a call of this name, of the same length.
inline constexpr std::string_view kUserCallName = "_usr";

/// The SQL a fragment is parsed as: `SELECT 1 WHERE <fragment>`.
inline constexpr std::string_view kSqlWrapperPrefix = "SELECT 1 WHERE ";

// --- Statements inside `policy NAME { ... }` ---------------------------------

/// `applies to user "a", group "b", claim "k" = "v";` (alternatives)
struct AppliesTo : Tagged {
  std::vector<Matcher> matchers;
};

/// `allow CLASSES [on TABLE_PATTERNS];`
struct Allow : Tagged {
  std::vector<ClassRef> classes;
  std::vector<Pattern> tables;  ///< empty: every table
};

/// `deny statement CLASSES [message "..."];`
struct DenyStatement : Tagged {
  std::vector<ClassRef> classes;
  std::optional<StringLit> message;
};

/// `deny function FUNCTION_PATTERNS [message "..."];`
struct DenyFunction : Tagged {
  std::vector<Pattern> functions;
  std::optional<StringLit> message;
};

/// `deny table TABLE_PATTERNS [message "..."];`
struct DenyTable : Tagged {
  std::vector<Pattern> tables;
  std::optional<StringLit> message;
};

/// `mask COLUMN_PATTERN with MASK;`
struct Mask : Tagged {
  Pattern column;
  MaskSpec mask;
};

/// `filter TABLE_PATTERNS where SQL_EXPRESSION;`
struct Filter : Tagged {
  std::vector<Pattern> tables;
  SqlFragment condition;
};

/// `require approval for CLASSES [on TABLE_PATTERNS] [without where];`
struct RequireApproval : Tagged {
  std::vector<ClassRef> classes;
  std::vector<Pattern> tables;  ///< empty: every table
  bool without_where = false;   ///< only statements that have no WHERE clause
};

/// `limit rows N;`
struct LimitRows : Tagged {
  Number rows;
};

namespace x3 = boost::spirit::x3;

struct PolicyStmt : x3::variant<AppliesTo, Allow, DenyStatement, DenyFunction, DenyTable, Mask,
                                Filter, RequireApproval, LimitRows> {
  using base_type::base_type;
  using base_type::operator=;
};

/// `policy NAME { STATEMENTS }`. The span runs from `policy` to the `}`.
struct Policy : Tagged {
  Name name;
  std::vector<PolicyStmt> statements;
};

// --- Top-level statements ----------------------------------------------------

/// `version N;`
struct Version : Tagged {
  Number number;
};

/// `include "file.rules";`
struct Include : Tagged {
  StringLit path;
};

/// `mask_function NAME = "SQL with {col}";`
struct MaskFunction : Tagged {
  Name name;
  StringLit body;
  SqlFragment sql;  ///< the body as SQL, filled by parsePolicyFile
};

struct TopItem : x3::variant<Version, Include, MaskFunction, Policy> {
  using base_type::base_type;
  using base_type::operator=;
};

}  // namespace sqlwarden::policy::ast
