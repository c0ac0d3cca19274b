#include "policy/parse.hpp"

#include <algorithm>
#include <exception>
#include <limits>
#include <utility>

#include "policy/error_handler.hpp"
#include "policy/grammar.hpp"
#include "sql/parser.hpp"

namespace sqlwarden::policy {

// --- AST helpers ---------------------------------------------------------------

namespace ast {

std::string Pattern::str() const {
  std::string out;
  for (const auto& part : parts) {
    if (!out.empty()) out += '.';
    out += part;
  }
  return out;
}

const char* toString(StatementClass c) {
  switch (c) {
    case StatementClass::Select: return "select";
    case StatementClass::Insert: return "insert";
    case StatementClass::Update: return "update";
    case StatementClass::Delete: return "delete";
    case StatementClass::Merge: return "merge";
    case StatementClass::Copy: return "copy";
    case StatementClass::Call: return "call";
    case StatementClass::Ddl: return "ddl";
    case StatementClass::Create: return "create";
    case StatementClass::Alter: return "alter";
    case StatementClass::Drop: return "drop";
    case StatementClass::Truncate: return "truncate";
    case StatementClass::Grant: return "grant";
    case StatementClass::Revoke: return "revoke";
    case StatementClass::Comment: return "comment";
    case StatementClass::All: return "all";
  }
  return "?";
}

const char* toString(MaskSpec::Kind k) {
  switch (k) {
    case MaskSpec::Kind::Email: return "email";
    case MaskSpec::Kind::Redact: return "redact";
    case MaskSpec::Kind::Hash: return "hash";
    case MaskSpec::Kind::Null: return "null";
    case MaskSpec::Kind::Year: return "year";
    case MaskSpec::Kind::KeepFirst: return "keep_first";
    case MaskSpec::Kind::KeepLast: return "keep_last";
    case MaskSpec::Kind::Function: return "function";
  }
  return "?";
}

uint32_t SqlFragment::fileOffset(uint32_t offset) const {
  const auto prefix = static_cast<uint32_t>(kSqlWrapperPrefix.size());
  if (offset < prefix) return span.begin;
  const uint32_t i = offset - prefix;
  if (!source_offsets.empty()) {
    if (i < source_offsets.size()) return source_offsets[i];
    return span.end > span.begin ? span.end - 1 : span.end;  // the closing quote
  }
  return std::min(span.begin + i, span.end);
}

}  // namespace ast

bool PolicyParseResult::ok() const {
  return std::none_of(diagnostics.begin(), diagnostics.end(),
                      [](const Diagnostic& d) { return d.severity == Severity::Error; });
}

namespace {

using parser::contains;
using parser::skipBlank;
using parser::wordAt;

/// Where error recovery stopped, and on what.
struct Stop {
  uint32_t pos = 0;
  enum class At { Semicolon, CloseBrace, OpenBrace, Keyword, End } at = At::End;
};

/// Walks one file: statement by statement, with recovery, then the checks X3
/// does not do (version, pattern shapes, the SQL inside rules).
class FileParser {
 public:
  explicit FileParser(std::string_view text) : text_(text) {}

  void run(PolicyFile& file);
  std::vector<Diagnostic> diagnostics;

 private:
  void error(Span span, std::string message, std::vector<std::string> notes = {},
             std::string code = "rules-syntax") {
    Diagnostic d = Diagnostic::error(std::move(code), std::move(message), span);
    d.notes = std::move(notes);
    diagnostics.push_back(std::move(d));
  }

  uint32_t size() const { return static_cast<uint32_t>(text_.size()); }
  Stop recover(uint32_t pos, bool in_policy) const;
  uint32_t skipBlock(uint32_t open_brace) const;
  uint32_t skipQuoted(uint32_t pos) const;
  /// Past a `#` comment or a quoted string starting at `pos`; `pos` itself
  /// when neither starts there.
  uint32_t skipCommentOrQuoted(uint32_t pos) const;
  uint32_t parsePolicyBody(ast::Policy& policy, uint32_t pos);

  void checkTop(ast::Version& v, bool first_statement);
  void checkTop(ast::Include& inc);
  void checkTop(ast::MaskFunction& mf);
  void checkTablePatterns(const std::vector<ast::Pattern>& patterns);
  void checkFunctionPatterns(const std::vector<ast::Pattern>& patterns);
  void checkColumnPattern(const ast::Pattern& pattern);
  void checkSql(ast::SqlFragment& fragment, const std::string& sql_text, std::string_view what,
                std::string_view end_word);

  friend struct StatementChecker;

  std::string_view text_;
  sql::Parser sql_;
  bool saw_version_ = false;
  std::optional<Span> first_version_;
};

/// The per-statement checks of a policy body.
struct StatementChecker {
  using result_type = void;
  FileParser& p;
  void operator()(ast::AppliesTo& s) const {
    for (const auto& m : s.matchers) {
      if (m.value.value.empty()) {
        const char* what = m.kind == ast::Matcher::Kind::User    ? "user name"
                           : m.kind == ast::Matcher::Kind::Group ? "group name"
                                                                 : "claim name";
        p.error(m.value.span, std::string(what) + " is empty");
      }
    }
  }
  void operator()(ast::Allow& s) const { p.checkTablePatterns(s.tables); }
  void operator()(ast::DenyStatement&) const {}
  void operator()(ast::DenyFunction& s) const { p.checkFunctionPatterns(s.functions); }
  void operator()(ast::DenyTable& s) const { p.checkTablePatterns(s.tables); }
  void operator()(ast::Mask& s) const { p.checkColumnPattern(s.column); }
  void operator()(ast::Filter& s) const {
    p.checkTablePatterns(s.tables);
    p.checkSql(s.condition, s.condition.text, "filter expression", "';' after the filter expression");
  }
  void operator()(ast::RequireApproval& s) const { p.checkTablePatterns(s.tables); }
  void operator()(ast::LimitRows& s) const {
    if (s.rows.value == 0) p.error(s.rows.span, "row limit must be at least 1");
  }
};

// Recovery: resume at the next `;` (after it), at a `}` (before it), at a `{`
// outside a policy (the caller skips or parses the block), or at a line that
// starts with a statement keyword followed by a blank (a statement that lost
// its `;`). Quotes end at the end of their line here, so one stray quote does
// not swallow the file.
Stop FileParser::recover(uint32_t pos, bool in_policy) const {
  uint32_t i = pos;
  while (i < size()) {
    const char c = text_[i];
    if (const uint32_t next = skipCommentOrQuoted(i); next != i) {
      i = next;
      continue;
    }
    if (c == ';') return {i + 1, Stop::At::Semicolon};
    if (c == '}') return {i, Stop::At::CloseBrace};
    if (c == '{' && !in_policy) return {i, Stop::At::OpenBrace};
    if (c == '\n') {
      uint32_t j = i + 1;
      while (j < size() && (text_[j] == ' ' || text_[j] == '\t' || text_[j] == '\r')) ++j;
      const std::string_view w = wordAt(text_, j);
      if (!w.empty() && j + w.size() < size() && parser::isBlank(text_[j + w.size()]) &&
          (contains(parser::policyStatementWords(), w) || contains(parser::topLevelWords(), w)))
        return {j, Stop::At::Keyword};
    }
    ++i;
  }
  return {size(), Stop::At::End};
}

uint32_t FileParser::skipCommentOrQuoted(uint32_t pos) const {
  const char c = text_[pos];
  if (c == '#') {
    uint32_t i = pos;
    while (i < size() && text_[i] != '\n') ++i;
    return i;
  }
  if (c == '"' || c == '\'') return skipQuoted(pos);
  return pos;
}

uint32_t FileParser::skipQuoted(uint32_t pos) const {
  const char quote = text_[pos];
  uint32_t i = pos + 1;
  while (i < size() && text_[i] != quote && text_[i] != '\n') {
    if (quote == '"' && text_[i] == '\\') ++i;
    ++i;
  }
  // An unterminated quote (already reported) is taken as one stray character,
  // so a `;` or `}` after it on the line still counts.
  return i < size() && text_[i] == quote ? i + 1 : pos + 1;
}

uint32_t FileParser::skipBlock(uint32_t open_brace) const {
  uint32_t depth = 0;
  uint32_t i = open_brace;
  while (i < size()) {
    const char c = text_[i];
    if (const uint32_t next = skipCommentOrQuoted(i); next != i) {
      i = next;
      continue;
    }
    ++i;
    if (c == '{') ++depth;
    if (c == '}' && --depth == 0) return i;
  }
  return size();
}

void FileParser::run(PolicyFile& file) {
  uint32_t pos = 0;
  bool first_statement = true;
  std::optional<uint32_t> first_begin;
  while (true) {
    pos = skipBlank(text_, pos);
    if (pos >= size()) break;
    const uint32_t begin = pos;
    if (!first_begin) first_begin = begin;
    if (text_[pos] == '}') {
      error(Span{pos, pos + 1}, "unexpected '}' outside a policy");
      ++pos;
      continue;
    }
    const std::string_view first_word = wordAt(text_, begin);
    if (first_word == "version") saw_version_ = true;

    ast::TopItem item;
    const StepResult step = parseTopItem(text_, pos, item);
    if (!step.ok) {
      diagnostics.push_back(*step.error);
      const Stop stop = recover(begin, false);
      const bool body_follows =
          stop.at == Stop::At::OpenBrace ||
          (stop.at == Stop::At::Keyword &&
           contains(parser::policyStatementWords(), wordAt(text_, stop.pos)));
      if (first_word == "policy" && body_follows) {
        // A broken policy header (perhaps without its `{`): check the body
        // anyway, keep nothing of it.
        ast::Policy scratch;
        const std::string_view name = wordAt(text_, skipBlank(text_, begin + 6));
        scratch.name.text = name.empty() ? "?" : std::string(name);
        scratch.span.begin = begin;
        pos = parsePolicyBody(scratch, stop.at == Stop::At::OpenBrace ? stop.pos + 1 : stop.pos);
      } else if (stop.at == Stop::At::OpenBrace) {
        pos = skipBlock(stop.pos);
      } else if (stop.at == Stop::At::CloseBrace) {
        pos = stop.pos + 1;
      } else {
        pos = stop.pos;
      }
      first_statement = false;
      continue;
    }

    struct Dispatch {
      using result_type = void;
      FileParser& p;
      PolicyFile& file;
      Span span;
      bool first;
      uint32_t& pos;
      void operator()(ast::Version& v) const {
        v.span = span;
        p.checkTop(v, first);
        if (!file.version) file.version = v;
      }
      void operator()(ast::Include& inc) const {
        inc.span = span;
        p.checkTop(inc);
        file.includes.push_back(inc);
      }
      void operator()(ast::MaskFunction& mf) const {
        mf.span = span;
        p.checkTop(mf);
        file.mask_functions.push_back(std::move(mf));
      }
      void operator()(ast::Policy& policy) const {
        policy.span = span;
        pos = p.parsePolicyBody(policy, pos);
        file.policies.push_back(std::move(policy));
      }
    };
    pos = step.end;
    boost::apply_visitor(Dispatch{*this, file, Span{begin, step.end}, first_statement, pos},
                         item.get());
    first_statement = false;
  }
  if (!saw_version_) {
    const uint32_t at = first_begin.value_or(0);
    error(Span{at, at}, "missing 'version 1;' at the top of the file",
          {"every .rules file starts with the language version: version 1;"}, "rules-version");
  }
  std::stable_sort(diagnostics.begin(), diagnostics.end(),
                   [](const Diagnostic& a, const Diagnostic& b) { return a.span.begin < b.span.begin; });
}

/// Parses the statements of a policy body from `pos` (just after its `{`) to
/// its `}`; returns the position after the `}`. Sets policy.span.end.
uint32_t FileParser::parsePolicyBody(ast::Policy& policy, uint32_t pos) {
  const std::string line = std::to_string(lineColAt(text_, policy.span.begin).line);
  const std::string opened = "policy \"" + policy.name.text + "\" starts on line " + line;
  while (true) {
    pos = skipBlank(text_, pos);
    if (pos >= size()) {
      const uint32_t at = parser::endOfContent(text_);
      error(Span{at, at}, "expected '}' at end of file to close policy \"" + policy.name.text + "\"",
            {opened});
      policy.span.end = size();
      return size();
    }
    if (text_[pos] == '}') {
      policy.span.end = pos + 1;
      return pos + 1;
    }
    if (wordAt(text_, pos) == "policy") {
      error(Span{pos, pos + 6},
            "expected '}' to close policy \"" + policy.name.text + "\" before the next policy",
            {opened});
      policy.span.end = pos;
      return pos;
    }
    ast::PolicyStmt statement;
    const StepResult step = parsePolicyStmt(text_, pos, statement);
    if (step.ok) {
      const Span span{pos, step.end};
      boost::apply_visitor([&](auto& node) { node.span = span; }, statement.get());
      boost::apply_visitor(StatementChecker{*this}, statement.get());
      policy.statements.push_back(std::move(statement));
      pos = step.end;
      continue;
    }
    diagnostics.push_back(*step.error);
    pos = recover(pos, true).pos;
  }
}

void FileParser::checkTop(ast::Version& v, bool first_statement) {
  if (first_version_) {
    error(v.span, "duplicate version statement",
          {"the file states its version on line " +
           std::to_string(lineColAt(text_, first_version_->begin).line)},
          "rules-version");
    return;
  }
  first_version_ = v.span;
  if (!first_statement) {
    error(v.span, "the version statement must be the first statement of the file", {},
          "rules-version");
  } else if (v.number.value != 1) {
    error(v.number.span,
          "unsupported policy language version " + std::to_string(v.number.value),
          {"this sqlwarden reads version 1"}, "rules-version");
  }
}

void FileParser::checkTop(ast::Include& inc) {
  if (inc.path.value.empty()) error(inc.path.span, "include path is empty");
}

void FileParser::checkTop(ast::MaskFunction& mf) {
  if (contains(parser::builtinMaskWords(), mf.name.text)) {
    error(mf.name.span, "mask_function \"" + mf.name.text + "\" has the name of a built-in mask",
          {"choose another name"});
  }
  ast::SqlFragment& fragment = mf.sql;
  fragment.span = mf.body.span;
  fragment.text = mf.body.value;
  // The file offset of every decoded byte: escapes are two bytes in the file.
  fragment.source_offsets.clear();
  for (uint32_t i = mf.body.span.begin + 1; i + 1 < mf.body.span.end; ++i) {
    fragment.source_offsets.push_back(i);
    if (text_[i] == '\\') ++i;
  }
  if (fragment.source_offsets.size() != fragment.text.size()) fragment.source_offsets.clear();

  const std::string_view body = fragment.text;
  const auto at = [&](size_t i) {
    return i < fragment.source_offsets.size() ? fragment.source_offsets[i] : fragment.span.begin;
  };
  // `{word}` other than `{col}` is a placeholder we do not know (outside SQL strings).
  bool in_string = false;
  for (size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\'') in_string = !in_string;
    if (in_string || body[i] != '{') continue;
    size_t j = i + 1;
    while (j < body.size() && parser::isWordChar(body[j])) ++j;
    if (j < body.size() && body[j] == '}' && j > i + 1 && body.substr(i, j + 1 - i) != "{col}") {
      const std::string placeholder(body.substr(i, j + 1 - i));
      error(Span{at(i), at(j) + 1},
            "unknown placeholder \"" + placeholder + "\" in mask_function body",
            {"the only placeholder is {col}, the masked column"});
      return;
    }
  }
  if (body.find("{col}") == std::string_view::npos) {
    error(mf.body.span, "mask_function body does not use {col}",
          {"{col} stands for the masked column, as in \"left({col}, 2) || '***'\""});
    return;
  }
  // `_col_` has the length of `{col}`, so offsets stay put; it is a valid
  // name both bare and inside a quoted identifier (`"{col}"`).
  std::string sql_text(body);
  for (size_t i = sql_text.find("{col}"); i != std::string::npos; i = sql_text.find("{col}", i))
    sql_text.replace(i, 5, "_col_");
  checkSql(fragment, sql_text, "mask_function body", "the end of the mask_function body");
}

void FileParser::checkTablePatterns(const std::vector<ast::Pattern>& patterns) {
  for (const auto& p : patterns) {
    if (p.parts.size() > 2)
      error(p.span, "table pattern \"" + p.str() + "\" has " + std::to_string(p.parts.size()) + " parts",
            {"write table, schema.table, schema.* or *.table"}, "rules-pattern");
  }
}

void FileParser::checkFunctionPatterns(const std::vector<ast::Pattern>& patterns) {
  for (const auto& p : patterns) {
    if (p.parts.size() > 2)
      error(p.span,
            "function pattern \"" + p.str() + "\" has " + std::to_string(p.parts.size()) + " parts",
            {"write function or schema.function; a trailing * matches names that start alike"},
            "rules-pattern");
  }
}

void FileParser::checkColumnPattern(const ast::Pattern& p) {
  const std::vector<std::string> note = {"write schema.table.column, table.column or *.column"};
  if (p.parts.size() < 2) error(p.span, "column pattern \"" + p.str() + "\" names no table", note, "rules-pattern");
  if (p.parts.size() > 3)
    error(p.span, "column pattern \"" + p.str() + "\" has " + std::to_string(p.parts.size()) + " parts",
          note, "rules-pattern");
}

// `user()` is not SQL (USER is a keyword that takes no parentheses), so
// before the SQL front end sees a fragment each `user()` outside strings and
// quoted names is spelled `_usr()`, a plain call of the same length; the
// checker and the rewrite engine read `_usr` as user() (kUserCallName).
std::string spellIdentityCalls(std::string text) {
  char quote = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      quote = c;
      continue;
    }
    const bool boundary = i == 0 || !parser::isWordChar(text[i - 1]);
    if (!boundary || i + 4 > text.size()) continue;
    std::string word = text.substr(i, 4);
    for (char& ch : word) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (word != "user" || (i + 4 < text.size() && parser::isWordChar(text[i + 4]))) continue;
    size_t j = i + 4;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n')) ++j;
    if (j >= text.size() || text[j] != '(') continue;
    ++j;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t' || text[j] == '\n')) ++j;
    if (j >= text.size() || text[j] != ')') continue;
    text.replace(i, 4, ast::kUserCallName);
  }
  return text;
}

// Parses `sql_text` (same length as fragment.text) as `SELECT 1 WHERE <sql>`
// and keeps the WHERE expression. Errors are moved to their place in the file.
void FileParser::checkSql(ast::SqlFragment& fragment, const std::string& sql_text,
                          std::string_view what, std::string_view end_word) {
  const std::string wrapped = std::string(ast::kSqlWrapperPrefix) + spellIdentityCalls(sql_text);
  std::optional<sql::Statement> statement;
  std::optional<Diagnostic> sql_error;
  try {
    Result<sql::Statement> result = sql_.parseStatement(wrapped);
    if (result.ok()) statement = std::move(result).value();
    else sql_error = result.error();
  } catch (const std::exception& e) {
    sql_error = Diagnostic::error("sql-internal", std::string("internal error: ") + e.what(), Span{});
  }
  if (sql_error) {
    Diagnostic d = std::move(*sql_error);
    const uint32_t begin = fragment.fileOffset(d.span.begin);
    d.span = Span{begin, std::max(begin, fragment.fileOffset(d.span.end))};
    static constexpr std::string_view kEnd = "end of input";
    if (d.message.size() >= kEnd.size() &&
        d.message.compare(d.message.size() - kEnd.size(), kEnd.size(), kEnd) == 0)
      d.message.replace(d.message.size() - kEnd.size(), kEnd.size(), "end of " + std::string(what));
    else
      d.message += " in " + std::string(what);
    diagnostics.push_back(std::move(d));
    return;
  }
  auto* select = statement->as<sql::SelectStmt>();
  const sql::SelectStmt* inner = select;
  if (select && select->kind == sql::SelectStmt::Kind::SetOp && select->left)
    inner = select->left.get();
  const bool plain = select && select->kind == sql::SelectStmt::Kind::Select && !select->with &&
                     !select->distinct && select->distinct_on.empty() &&
                     select->targets.size() == 1 && !select->into && select->from.empty() &&
                     select->where && select->group_by.empty() && !select->having &&
                     select->windows.empty() && select->order_by.empty() &&
                     !select->limit_count && !select->limit_all && !select->offset &&
                     select->locking.empty();
  if (!plain) {
    // Something follows the expression (ORDER BY, UNION, ...): point at it.
    uint32_t at = fragment.span.begin;
    if (inner && inner->where) at = fragment.fileOffset(inner->where->span.end);
    const parser::Token found = parser::tokenAt(text_, skipBlank(text_, at));
    error(Span{found.begin, found.end},
          "expected " + std::string(end_word) + ", found " + parser::describeToken(found));
    return;
  }
  fragment.expr = std::move(select->where);
}

}  // namespace

PolicyParseResult parsePolicyFile(std::string_view text, std::string_view file_name) {
  PolicyParseResult result;
  result.file.file_name = std::string(file_name);
  if (text.size() >= std::numeric_limits<uint32_t>::max()) {
    result.diagnostics.push_back(
        Diagnostic::error("rules-too-large", "policy file is larger than 4 GiB", Span{}));
    return result;
  }
  try {
    FileParser parser(text);
    parser.run(result.file);
    result.diagnostics = std::move(parser.diagnostics);
  } catch (const std::exception& e) {
    result.diagnostics.push_back(
        Diagnostic::error("rules-internal", std::string("internal error: ") + e.what(), Span{}));
  }
  return result;
}

}  // namespace sqlwarden::policy
