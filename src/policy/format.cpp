#include "policy/format.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "policy/error_handler.hpp"

namespace sqlwarden::policy {
namespace {

// --- Text helpers --------------------------------------------------------------

/// Columns a reader sees: UTF-8 code points (continuation bytes do not count).
size_t width(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string_view trimRight(std::string_view s) {
  while (!s.empty() && parser::isBlank(s.back())) s.remove_suffix(1);
  return s;
}

/// `value` as a `.rules` string: the only escapes are `\"` and `\\`, and
/// they are required, so this is also the only way to write the value.
std::string quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
  return out;
}

std::string joinPatterns(const std::vector<ast::Pattern>& patterns) {
  std::string out;
  for (const auto& p : patterns) {
    if (!out.empty()) out += ", ";
    out += p.str();
  }
  return out;
}

std::string joinClasses(const std::vector<ast::ClassRef>& classes) {
  std::string out;
  for (const auto& c : classes) {
    if (!out.empty()) out += ", ";
    out += ast::toString(c.value);
  }
  return out;
}

std::string matcherText(const ast::Matcher& m) {
  switch (m.kind) {
    case ast::Matcher::Kind::User:
      return "user " + quote(m.value.value);
    case ast::Matcher::Kind::Group:
      return "group " + quote(m.value.value);
    case ast::Matcher::Kind::Claim:
      return "claim " + quote(m.value.value) + " = " + quote(m.claim_value.value);
  }
  return "?";
}

std::string maskSpecText(const ast::MaskSpec& spec) {
  switch (spec.kind) {
    case ast::MaskSpec::Kind::KeepFirst:
      return "keep_first(" + std::to_string(spec.count) + ")";
    case ast::MaskSpec::Kind::KeepLast:
      return "keep_last(" + std::to_string(spec.count) + ")";
    case ast::MaskSpec::Kind::Function:
      return spec.function;
    default:
      return ast::toString(spec.kind);
  }
}

// --- Comments between and inside statements ------------------------------------

/// A `#` comment found between two statements.
struct GapComment {
  std::string text;              ///< from `#` to the end of its line, trailing blanks cut
  uint32_t newlines_before = 0;  ///< line breaks between what precedes it and it
};

/// The blanks and comments between two statements (or a statement and a brace).
struct Gap {
  std::vector<GapComment> comments;
  uint32_t newlines_after = 0;  ///< line breaks after the last comment (or in the whole gap)
};

/// Reads [from, to), which in a file that parsed holds only blanks and comments.
Gap scanGap(std::string_view text, uint32_t from, uint32_t to) {
  Gap gap;
  uint32_t newlines = 0;
  to = std::min<uint32_t>(to, static_cast<uint32_t>(text.size()));
  for (uint32_t i = from; i < to;) {
    if (text[i] == '\n') {
      ++newlines;
      ++i;
    } else if (text[i] == '#') {
      uint32_t j = i;
      while (j < to && text[j] != '\n') ++j;
      gap.comments.push_back({std::string(trimRight(text.substr(i, j - i))), newlines});
      newlines = 0;
      i = j;
    } else {
      ++i;
    }
  }
  gap.newlines_after = newlines;
  return gap;
}

/// The `#` comments inside a statement's span [from, to), outside its strings
/// and outside [keep_begin, keep_end) (SQL that is kept as written, comments
/// and all).
std::vector<std::string> scanInner(std::string_view text, uint32_t from, uint32_t to,
                                   uint32_t keep_begin = 0, uint32_t keep_end = 0) {
  std::vector<std::string> out;
  to = std::min<uint32_t>(to, static_cast<uint32_t>(text.size()));
  for (uint32_t i = from; i < to;) {
    if (keep_end > keep_begin && i == keep_begin) {
      i = keep_end;
      continue;
    }
    const char c = text[i];
    if (c == '"') {
      ++i;
      while (i < to && text[i] != '"' && text[i] != '\n') i += text[i] == '\\' ? 2 : 1;
      ++i;
    } else if (c == '#') {
      uint32_t j = i;
      while (j < to && text[j] != '\n') ++j;
      out.emplace_back(trimRight(text.substr(i, j - i)));
      i = j;
    } else {
      ++i;
    }
  }
  return out;
}

// --- Output lines ----------------------------------------------------------------

struct Line {
  std::string code;          ///< indentation and code, or an own-line comment; "" for a blank line
  std::string comment;       ///< trailing comment (`# ...`), "" if none
  bool own_comment = false;  ///< the line is a comment on its own
  // A mask statement: laid out by alignMasks as prefix + column (padded) + rest.
  bool is_mask = false;
  std::string mask_prefix, mask_column, mask_rest;

  bool blank() const { return code.empty() && comment.empty() && !is_mask; }
};

class Formatter {
 public:
  Formatter(std::string_view text, const PolicyFile& file) : text_(text), file_(file) {}
  std::string run();

 private:
  struct TopRef {
    uint32_t begin, end;
    std::variant<const ast::Version*, const ast::Include*, const ast::MaskFunction*,
                 const ast::Policy*>
        node;
  };

  void blank() {
    if (!lines_.empty() && !lines_.back().blank()) lines_.push_back(Line{});
  }
  void code(std::string text) {
    // SQL kept as written may span lines: each becomes its own output line.
    size_t start = 0;
    for (;;) {
      const size_t nl = text.find('\n', start);
      Line line;
      line.code = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      lines_.push_back(std::move(line));
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  void ownComment(std::string_view indent, const std::string& comment) {
    Line line;
    line.code = std::string(indent) + comment;
    line.own_comment = true;
    lines_.push_back(std::move(line));
  }
  void trailingComment(const std::string& comment) {
    if (lines_.empty() || !lines_.back().comment.empty() || lines_.back().own_comment ||
        lines_.back().blank()) {
      ownComment("", comment);
      return;
    }
    lines_.back().comment = comment;
  }

  void topGap(const Gap& gap, bool at_file_start, bool item_follows);
  void bodyGap(const Gap& gap, bool first_in_body, bool statement_follows);
  void item(const TopRef& ref);
  void policy(const ast::Policy& policy);
  void statement(const ast::PolicyStmt& statement);
  void deny(const Span& span, const std::string& head,
            const std::optional<ast::StringLit>& message);

  void alignMasks();
  std::string render();

  std::string_view text_;
  const PolicyFile& file_;
  std::vector<Line> lines_;
  static constexpr std::string_view kIndent = "  ";
};

std::string Formatter::run() {
  std::vector<TopRef> items;
  if (file_.version)
    items.push_back({file_.version->span.begin, file_.version->span.end, &*file_.version});
  for (const auto& x : file_.includes) items.push_back({x.span.begin, x.span.end, &x});
  for (const auto& x : file_.mask_functions) items.push_back({x.span.begin, x.span.end, &x});
  for (const auto& x : file_.policies) items.push_back({x.span.begin, x.span.end, &x});
  std::stable_sort(items.begin(), items.end(),
                   [](const TopRef& a, const TopRef& b) { return a.begin < b.begin; });

  uint32_t prev = 0;
  bool first = true;
  for (const TopRef& ref : items) {
    topGap(scanGap(text_, prev, ref.begin), first, true);
    item(ref);
    prev = std::max(prev, ref.end);
    first = false;
  }
  topGap(scanGap(text_, prev, static_cast<uint32_t>(text_.size())), first, false);
  alignMasks();
  return render();
}

// Top level: exactly one blank line between items; inside a run of comments,
// blank lines are kept (several become one).
void Formatter::topGap(const Gap& gap, bool at_file_start, bool item_follows) {
  size_t k = 0;
  if (!at_file_start && !gap.comments.empty() && gap.comments[0].newlines_before == 0) {
    trailingComment(gap.comments[0].text);
    k = 1;
  }
  const bool own = k < gap.comments.size();
  if (!at_file_start && (own || item_follows)) blank();
  for (size_t first = k; k < gap.comments.size(); ++k) {
    if (k > first && gap.comments[k].newlines_before >= 2) blank();
    ownComment("", gap.comments[k].text);
  }
  if (own && item_follows && gap.newlines_after >= 2) blank();
}

// Inside a policy: a blank line (several become one) is kept between
// statements and comments, but never right after `{` or before `}`.
void Formatter::bodyGap(const Gap& gap, bool first_in_body, bool statement_follows) {
  size_t k = 0;
  if (!gap.comments.empty() && gap.comments[0].newlines_before == 0) {
    trailingComment(gap.comments[0].text);
    k = 1;
  }
  bool at_open = first_in_body;
  for (; k < gap.comments.size(); ++k) {
    if (!at_open && gap.comments[k].newlines_before >= 2) blank();
    ownComment(kIndent, gap.comments[k].text);
    at_open = false;
  }
  if (statement_follows && !at_open && gap.newlines_after >= 2) blank();
}

void Formatter::item(const TopRef& ref) {
  // A policy places the comments of its head itself.
  if (!std::holds_alternative<const ast::Policy*>(ref.node)) {
    for (const auto& c : scanInner(text_, ref.begin, ref.end)) ownComment("", c);
  }
  if (const auto* v = std::get_if<const ast::Version*>(&ref.node)) {
    code("version " + std::to_string((*v)->number.value) + ";");
  } else if (const auto* inc = std::get_if<const ast::Include*>(&ref.node)) {
    code("include " + quote((*inc)->path.value) + ";");
  } else if (const auto* mf = std::get_if<const ast::MaskFunction*>(&ref.node)) {
    code("mask_function " + (*mf)->name.text + " = " + quote((*mf)->body.value) + ";");
  } else if (const auto* p = std::get_if<const ast::Policy*>(&ref.node)) {
    policy(**p);
  }
}

void Formatter::policy(const ast::Policy& p) {
  const auto size = static_cast<uint32_t>(text_.size());
  uint32_t brace = parser::skipBlank(text_, p.name.span.end);
  while (brace < size && text_[brace] != '{') brace = parser::skipBlank(text_, brace + 1);
  // Comments between `policy` and `{` go above the policy.
  for (const auto& c : scanInner(text_, p.span.begin, brace)) ownComment("", c);
  code("policy " + p.name.text + " {");

  uint32_t prev = std::min(brace + 1, size);
  for (size_t k = 0; k < p.statements.size(); ++k) {
    const Span span =
        boost::apply_visitor([](const auto& n) { return n.span; }, p.statements[k].get());
    bodyGap(scanGap(text_, prev, span.begin), k == 0, true);
    statement(p.statements[k]);
    prev = std::max(prev, span.end);
  }
  const uint32_t close = p.span.end > 0 && p.span.end <= size && text_[p.span.end - 1] == '}'
                             ? p.span.end - 1
                             : p.span.end;
  bodyGap(scanGap(text_, prev, close), p.statements.empty(), false);
  code("}");
}

void Formatter::deny(const Span& span, const std::string& head,
                     const std::optional<ast::StringLit>& message) {
  for (const auto& c : scanInner(text_, span.begin, span.end)) ownComment(kIndent, c);
  if (!message) {
    code(std::string(kIndent) + head + ";");
    return;
  }
  const std::string clause = "message " + quote(message->value) + ";";
  std::string one_line = std::string(kIndent) + head + " " + clause;
  if (width(one_line) <= kFormatLineLimit) {
    code(std::move(one_line));
    return;
  }
  code(std::string(kIndent) + head);
  code(std::string(kIndent) + std::string(kIndent) + clause);
}

void Formatter::statement(const ast::PolicyStmt& stmt) {
  const std::string indent(kIndent);
  struct Visitor {
    using result_type = void;
    Formatter& f;
    const std::string& indent;
    void inner(const Span& span) const {
      for (const auto& c : scanInner(f.text_, span.begin, span.end)) f.ownComment(indent, c);
    }
    void operator()(const ast::AppliesTo& s) const {
      inner(s.span);
      std::string out = indent + "applies to ";
      for (size_t i = 0; i < s.matchers.size(); ++i) {
        if (i > 0) out += ", ";
        out += matcherText(s.matchers[i]);
      }
      f.code(out + ";");
    }
    void operator()(const ast::Allow& s) const {
      inner(s.span);
      std::string out = indent + "allow " + joinClasses(s.classes);
      if (!s.tables.empty()) out += " on " + joinPatterns(s.tables);
      f.code(out + ";");
    }
    void operator()(const ast::DenyStatement& s) const {
      f.deny(s.span, "deny statement " + joinClasses(s.classes), s.message);
    }
    void operator()(const ast::DenyFunction& s) const {
      f.deny(s.span, "deny function " + joinPatterns(s.functions), s.message);
    }
    void operator()(const ast::DenyTable& s) const {
      f.deny(s.span, "deny table " + joinPatterns(s.tables), s.message);
    }
    void operator()(const ast::Mask& s) const {
      inner(s.span);
      Line line;
      line.is_mask = true;
      line.mask_prefix = indent + "mask ";
      line.mask_column = s.column.str();
      line.mask_rest = " with " + maskSpecText(s.mask) + ";";
      f.lines_.push_back(std::move(line));
    }
    void operator()(const ast::Filter& s) const {
      // The SQL runs from its first to its last token, its own comments
      // included; `#` comments after it (before the `;`) are moved above.
      const uint32_t sql_end = s.condition.span.end;
      const uint32_t sql_begin = std::min(s.condition.span.begin, sql_end);
      for (const auto& c : scanInner(f.text_, s.span.begin, s.span.end, sql_begin, sql_end))
        f.ownComment(indent, c);
      std::string out = indent + "filter " + joinPatterns(s.tables) + " where ";
      out += f.text_.substr(sql_begin, sql_end - sql_begin);
      out += ";";
      f.code(std::move(out));
    }
    void operator()(const ast::RequireApproval& s) const {
      inner(s.span);
      std::string out = indent + "require approval for " + joinClasses(s.classes);
      if (!s.tables.empty()) out += " on " + joinPatterns(s.tables);
      if (s.without_where) out += " without where";
      f.code(out + ";");
    }
    void operator()(const ast::LimitRows& s) const {
      inner(s.span);
      f.code(indent + "limit rows " + std::to_string(s.rows.value) + ";");
    }
  };
  boost::apply_visitor(Visitor{*this, indent}, stmt.get());
}

// Consecutive mask statements (comment lines between them allowed, blank lines
// and other statements not) align their `with`.
void Formatter::alignMasks() {
  for (size_t i = 0; i < lines_.size();) {
    if (!lines_[i].is_mask) {
      ++i;
      continue;
    }
    size_t last = i;
    size_t column = 0;
    for (size_t j = i; j < lines_.size() && (lines_[j].is_mask || lines_[j].own_comment); ++j) {
      if (!lines_[j].is_mask) continue;
      last = j;
      column = std::max(column, width(lines_[j].mask_column));
    }
    for (size_t j = i; j <= last; ++j) {
      Line& line = lines_[j];
      if (!line.is_mask) continue;
      line.code = line.mask_prefix + line.mask_column +
                  std::string(column - width(line.mask_column), ' ') + line.mask_rest;
    }
    i = last + 1;
  }
}

// Trailing comments on consecutive lines start in one column, two blanks
// after the longest code among them.
std::string Formatter::render() {
  std::string out;
  for (size_t i = 0; i < lines_.size();) {
    if (lines_[i].comment.empty()) {
      out += lines_[i].code;
      out += '\n';
      ++i;
      continue;
    }
    size_t end = i;
    size_t column = 0;
    for (; end < lines_.size() && !lines_[end].comment.empty(); ++end)
      column = std::max(column, width(lines_[end].code) + 2);
    for (; i < end; ++i) {
      out += lines_[i].code;
      out += std::string(column - width(lines_[i].code), ' ');
      out += lines_[i].comment;
      out += '\n';
    }
  }
  return out;
}

// --- Content summary -------------------------------------------------------------

std::string list(const std::vector<ast::Pattern>& patterns) {
  std::string out = "[";
  for (const auto& p : patterns) out += "<" + p.str() + ">";
  return out + "]";
}

std::string list(const std::vector<ast::ClassRef>& classes) {
  std::string out = "[";
  for (const auto& c : classes) out += "<" + std::string(ast::toString(c.value)) + ">";
  return out + "]";
}

std::string optionalMessage(const std::optional<ast::StringLit>& m) {
  return m ? " message=" + quote(m->value) : std::string();
}

struct SummaryVisitor {
  using result_type = void;
  std::string& out;
  void operator()(const ast::AppliesTo& s) const {
    out += "  applies_to";
    for (const auto& m : s.matchers) {
      out += " " + std::to_string(static_cast<int>(m.kind)) + ":" + quote(m.value.value);
      if (m.kind == ast::Matcher::Kind::Claim) out += "=" + quote(m.claim_value.value);
    }
    out += "\n";
  }
  void operator()(const ast::Allow& s) const {
    out += "  allow " + list(s.classes) + " on " + list(s.tables) + "\n";
  }
  void operator()(const ast::DenyStatement& s) const {
    out += "  deny_statement " + list(s.classes) + optionalMessage(s.message) + "\n";
  }
  void operator()(const ast::DenyFunction& s) const {
    out += "  deny_function " + list(s.functions) + optionalMessage(s.message) + "\n";
  }
  void operator()(const ast::DenyTable& s) const {
    out += "  deny_table " + list(s.tables) + optionalMessage(s.message) + "\n";
  }
  void operator()(const ast::Mask& s) const {
    out += "  mask <" + s.column.str() + "> kind=" + ast::toString(s.mask.kind) +
           " count=" + std::to_string(s.mask.count) + " function=" + s.mask.function + "\n";
  }
  void operator()(const ast::Filter& s) const {
    out += "  filter " + list(s.tables) + " sql=" + quote(s.condition.text) + "\n";
  }
  void operator()(const ast::RequireApproval& s) const {
    out += "  require_approval " + list(s.classes) + " on " + list(s.tables) +
           (s.without_where ? " without_where" : "") + "\n";
  }
  void operator()(const ast::LimitRows& s) const {
    out += "  limit_rows " + std::to_string(s.rows.value) + "\n";
  }
};

}  // namespace

std::string formatPolicyFile(std::string_view text, const PolicyFile& file) {
  return Formatter(text, file).run();
}

std::string policyContentSummary(const PolicyFile& file) {
  std::string out;
  if (file.version) out += "version " + std::to_string(file.version->number.value) + "\n";
  for (const auto& inc : file.includes) out += "include " + quote(inc.path.value) + "\n";
  for (const auto& mf : file.mask_functions)
    out += "mask_function " + mf.name.text + " " + quote(mf.body.value) + "\n";
  for (const auto& p : file.policies) {
    out += "policy " + p.name.text + "\n";
    for (const auto& s : p.statements) boost::apply_visitor(SummaryVisitor{out}, s.get());
  }
  return out;
}

}  // namespace sqlwarden::policy
