#pragma once
// Turns what X3 reports (an expectation_failure: where, and the name of the
// rule or literal that was expected) into a Diagnostic a person understands:
// `expected ';' after mask clause`, `unknown statement class "selct"` with a
// note `did you mean "select"?`. Also the few lexical helpers the messages and
// the error recovery in parse.cpp need.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/diagnostic.hpp"

namespace sqlwarden::policy::parser {

// --- Words of the language -----------------------------------------------

inline const std::vector<std::string_view>& statementClassWords() {
  static const std::vector<std::string_view> words = {
      "select", "insert", "update", "delete", "merge",  "copy",    "call", "ddl",
      "create", "alter",  "drop",   "truncate", "grant", "revoke", "comment", "all"};
  return words;
}
inline const std::vector<std::string_view>& topLevelWords() {
  static const std::vector<std::string_view> words = {"version", "include", "mask_function",
                                                      "policy"};
  return words;
}
inline const std::vector<std::string_view>& policyStatementWords() {
  static const std::vector<std::string_view> words = {"applies", "allow", "deny",   "mask",
                                                      "filter",  "require", "limit"};
  return words;
}
/// Keywords that continue a statement (after its first word).
inline const std::vector<std::string_view>& continuationWords() {
  static const std::vector<std::string_view> words = {
      "to",   "user", "group",   "claim",   "on",   "statement", "function", "table",
      "message", "with", "where", "approval", "for", "without",  "rows"};
  return words;
}
inline const std::vector<std::string_view>& builtinMaskWords() {
  static const std::vector<std::string_view> words = {"email", "redact", "hash", "null",
                                                      "year",  "keep_first", "keep_last"};
  return words;
}

inline bool contains(const std::vector<std::string_view>& words, std::string_view w) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// --- "Did you mean" --------------------------------------------------------

/// Edit distance between two words: insertions, deletions, substitutions and
/// swaps of two adjacent letters (Levenshtein with transpositions, the
/// "optimal string alignment" variant), so "wiht" is one edit from "with".
inline size_t editDistance(std::string_view a, std::string_view b) {
  const size_t n = b.size() + 1;
  std::vector<size_t> before(n), previous(n), current(n);
  for (size_t j = 0; j < n; ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j < n; ++j) {
      const size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        current[j] = std::min(current[j], before[j - 2] + 1);
    }
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return previous[b.size()];
}

/// The candidate a typo of `word` most likely meant: at most 1 edit for words
/// of up to 4 letters, 2 for longer ones; the first of equally close ones.
inline std::optional<std::string_view> closestWord(std::string_view word,
                                                   const std::vector<std::string_view>& candidates) {
  if (word.size() > 64) return std::nullopt;  // nobody misspells a keyword this long
  const size_t limit = word.size() <= 4 ? 1 : 2;
  std::optional<std::string_view> best;
  size_t best_distance = limit + 1;
  for (std::string_view c : candidates) {
    const size_t d = editDistance(word, c);
    if (d < best_distance && d < std::max(word.size(), c.size())) {
      best = c;
      best_distance = d;
    }
  }
  return best;
}

inline std::string didYouMean(std::string_view word) {
  return "did you mean \"" + std::string(word) + "\"?";
}

// --- Lexical helpers ---------------------------------------------------------

inline bool isWordStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
inline bool isWordChar(char c) { return isWordStart(c) || (c >= '0' && c <= '9'); }
inline bool isBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/// Skips whitespace and `#` comments from `pos`.
inline uint32_t skipBlank(std::string_view text, uint32_t pos) {
  while (pos < text.size()) {
    if (isBlank(text[pos])) {
      ++pos;
    } else if (text[pos] == '#') {
      while (pos < text.size() && text[pos] != '\n') ++pos;
    } else {
      break;
    }
  }
  return pos;
}

/// The token at `pos` (which must not be blank), for messages: a word, a
/// number, or one character.
struct Token {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool is_word = false;
  bool eof = true;
  std::string_view text;
};

inline Token tokenAt(std::string_view text, uint32_t pos) {
  Token t;
  t.begin = t.end = pos;
  if (pos >= text.size()) return t;
  t.eof = false;
  uint32_t end = pos;
  if (text[pos] == '"') {
    ++end;
    while (end < text.size() && text[end] != '"' && text[end] != '\n') end += text[end] == '\\' ? 2 : 1;
    if (end < text.size() && text[end] == '"') ++end;
    end = std::min<uint32_t>(end, static_cast<uint32_t>(text.size()));
  } else if (isWordChar(text[pos])) {
    while (end < text.size() && isWordChar(text[end])) ++end;
    t.is_word = isWordStart(text[pos]);
  } else {
    // One character; a UTF-8 sequence stays whole so the message is valid text.
    ++end;
    if (static_cast<unsigned char>(text[pos]) >= 0xC0)
      while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  t.end = end;
  t.text = text.substr(pos, end - pos);
  return t;
}

/// `"word"`, `a string`, or `end of file`.
inline std::string describeToken(const Token& t) {
  if (t.eof) return "end of file";
  if (t.text.size() > 1 && t.text.front() == '"') return "a string";
  std::string out = "\"";
  for (char c : t.text) {
    if (c == '"') out += "\\\"";
    else if (static_cast<unsigned char>(c) < 0x20) out += ' ';
    else out += c;
  }
  return out + "\"";
}

/// The word at `pos`, or empty.
inline std::string_view wordAt(std::string_view text, uint32_t pos) {
  const Token t = tokenAt(text, pos);
  return t.is_word ? t.text : std::string_view{};
}

inline bool sameLine(std::string_view text, uint32_t from, uint32_t to) {
  return to >= from && to <= text.size() && text.substr(from, to - from).find('\n') == std::string_view::npos;
}

/// The end of the token before the blanks and comments that end just before
/// `pos`, not going back past `floor`. X3 skips blanks before it tries a
/// parser, so a failure is reported after them; "expected ';'" belongs right
/// after the previous token instead.
inline uint32_t previousTokenEnd(std::string_view text, uint32_t pos, uint32_t floor) {
  pos = std::min<uint32_t>(pos, static_cast<uint32_t>(text.size()));
  while (pos > floor) {
    if (isBlank(text[pos - 1])) {
      --pos;
      continue;
    }
    // Is text[pos - 1] inside a `#` comment? Find the line's first `#`
    // outside quotes.
    uint32_t line_begin = pos - 1;
    while (line_begin > 0 && text[line_begin - 1] != '\n') --line_begin;
    uint32_t comment = pos;
    char quote = 0;
    for (uint32_t i = line_begin; i < pos; ++i) {
      const char c = text[i];
      if (quote) {
        if (c == '\\' && quote == '"') ++i;
        else if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '#') {
        comment = i;
        break;
      }
    }
    if (comment >= pos) break;
    pos = std::max(comment, floor);
  }
  return pos;
}

/// The end of the last token before `pos`: where a missing `}` is reported
/// when the file ends.
inline uint32_t endOfContent(std::string_view text) {
  uint32_t end = static_cast<uint32_t>(text.size());
  while (end > 0 && isBlank(text[end - 1])) --end;
  return end;
}

// --- From X3's names to words a user understands ----------------------------

/// How messages name the statement that starts at `begin`: "mask clause" in
/// `expected ';' after mask clause`.
inline std::string clauseName(std::string_view text, uint32_t begin) {
  const std::string_view w = wordAt(text, begin);
  if (w == "version") return "version statement";
  if (w == "include") return "include statement";
  if (w == "mask_function") return "mask_function definition";
  if (w == "policy") return "policy header";
  if (w == "applies") return "applies to clause";
  if (w == "require") return "require approval clause";
  if (w == "limit") return "limit rows clause";
  if (!w.empty()) return std::string(w) + " clause";
  return "statement";
}

/// The words X3 rule names (`which`) stand for, as the text after "expected".
inline std::string describeExpected(std::string_view which) {
  if (which.size() >= 2 && which.front() == '\'' && which.back() == '\'') return std::string(which);
  if (which == "name") return "a name";
  if (which == "number") return "a number";
  if (which == "string") return "a quoted string";
  if (which == "name or '*'") return "a name or '*' after '.'";
  if (which == "table pattern") return "a table pattern";
  if (which == "column pattern") return "a column pattern";
  if (which == "function pattern") return "a function name or pattern";
  if (which == "statement class") return "a statement class";
  if (which == "matcher") return "user \"...\", group \"...\" or claim \"...\" = \"...\"";
  if (which == "mask") return "a mask";
  if (which == "SQL expression") return "a SQL expression";
  if (which == "deny target") return "'statement', 'function' or 'table'";
  return std::string(which);
}

/// Words that may stand where `which` was expected: the source of "did you mean".
inline std::vector<std::string_view> candidatesFor(std::string_view which) {
  if (which == "statement class") return statementClassWords();
  if (which == "deny target") return {"statement", "function", "table"};
  if (which == "matcher") return {"user", "group", "claim"};
  if (which == "mask") return builtinMaskWords();
  if (which == "';'") return continuationWords();
  if (which.size() >= 3 && which.front() == '\'' && which.back() == '\'' &&
      isWordStart(which[1]))
    return {which.substr(1, which.size() - 2)};
  return {};
}

inline std::string classList() {
  std::string out;
  for (std::string_view w : statementClassWords()) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

/// Messages for the failures the hand-written parsers in grammar_def.hpp
/// throw (they name no rule but the problem).
inline std::optional<Diagnostic> lexicalDiagnostic(std::string_view text, uint32_t where,
                                                   std::string_view which) {
  auto make = [&](std::string message, std::vector<std::string> notes = {}) {
    Diagnostic d = Diagnostic::error("rules-syntax", std::move(message), Span{where, where + 1});
    d.notes = std::move(notes);
    return d;
  };
  if (which == "unterminated string")
    return make("unterminated string", {"a string ends with '\"' on the line where it starts"});
  if (which == "invalid escape") {
    std::string seq = "\\";
    if (where + 1 < text.size() && static_cast<unsigned char>(text[where + 1]) >= 0x20 &&
        static_cast<unsigned char>(text[where + 1]) < 0x80)
      seq += text[where + 1];
    return make("invalid escape sequence \"" + seq + "\" in string",
                {"the only escapes are \\\" and \\\\"});
  }
  if (which == "unterminated SQL string") return make("unterminated quoted string in SQL");
  if (which == "unterminated SQL identifier") return make("unterminated quoted identifier in SQL");
  if (which == "unterminated SQL comment") return make("unterminated /* comment in SQL");
  if (which == "unterminated dollar quote") return make("unterminated dollar-quoted string in SQL");
  if (which == "number too large") return make("number is too large", {"the largest number allowed is 4294967295"});
  return std::nullopt;
}

/// The Diagnostic for X3's expectation_failure inside the statement that
/// starts at `statement_begin`: `which` was expected at `where`.
inline Diagnostic expectationDiagnostic(std::string_view text, uint32_t statement_begin,
                                        uint32_t where, std::string_view which) {
  if (auto lexical = lexicalDiagnostic(text, where, which)) return *lexical;
  where = previousTokenEnd(text, where, statement_begin);

  const Token found = tokenAt(text, skipBlank(text, where));
  const bool found_here = !found.eof && sameLine(text, where, found.begin);
  const std::string clause = clauseName(text, statement_begin);

  Diagnostic d = Diagnostic::error("rules-syntax", "", Span{where, where});
  std::vector<std::string_view> candidates = candidatesFor(which);
  std::optional<std::string_view> suggestion;
  if (found.is_word) suggestion = closestWord(found.text, candidates);

  // A word that names nothing where a statement class belongs.
  if (which == "statement class" && found.is_word && !contains(continuationWords(), found.text)) {
    d.message = "unknown statement class \"" + std::string(found.text) + "\"";
    d.span = Span{found.begin, found.end};
    if (suggestion) d.notes.push_back(didYouMean(*suggestion));
    else d.notes.push_back("statement classes are " + classList());
    return d;
  }

  std::string message = "expected " + describeExpected(which);
  if (which == "deny target") message += " after 'deny'";
  else message += (which == "';'" ? " after " : " in ") + clause;
  if (found_here) {
    message += ", found " + describeToken(found);
    d.span = Span{found.begin, found.end};
  }
  d.message = std::move(message);
  if (suggestion && *suggestion != found.text) {
    if (which == "';'")
      d.notes.push_back("\"" + std::string(found.text) + "\" is not a keyword here; " +
                        didYouMean(*suggestion));
    else
      d.notes.push_back(didYouMean(*suggestion));
  } else if (found_here && found.text == "." && found.begin > 0 && isBlank(text[found.begin - 1])) {
    d.notes.push_back("write patterns without blanks around '.'");
  } else if (found_here && found.is_word && found.begin > 0 && text[found.begin - 1] == '*') {
    d.notes.push_back("'*' stands alone or ends a name, as in schema.* or pg_*");
  } else if (which == "statement class") {
    d.notes.push_back("statement classes are " + classList());
  } else if (which == "mask") {
    d.notes.push_back(
        "masks are email, redact, hash, null, year, keep_first(n), keep_last(n) and the name of "
        "a mask_function");
  } else if (which == "column pattern") {
    d.notes.push_back("write schema.table.column, table.column or *.column");
  }
  return d;
}

/// The Diagnostic for a statement no rule accepts at all (its first word is
/// not a statement keyword here). `in_policy`: inside `policy NAME { }`.
inline Diagnostic unknownStatementDiagnostic(std::string_view text, uint32_t pos, bool in_policy) {
  const Token found = tokenAt(text, pos);
  Diagnostic d = Diagnostic::error("rules-syntax", "", Span{found.begin, found.end});
  if (!found.is_word) {
    d.message = std::string(in_policy ? "expected a policy statement or '}'" : "expected a statement") +
                ", found " + describeToken(found);
    return d;
  }
  const std::string word(found.text);
  if (in_policy && contains(topLevelWords(), found.text)) {
    d.message = "\"" + word + "\" is only allowed at the top level of a file, not inside a policy";
    return d;
  }
  if (!in_policy && contains(policyStatementWords(), found.text)) {
    d.message = "\"" + word + "\" is only allowed inside a policy";
    d.notes.push_back("write it between the braces of policy NAME { ... }");
    return d;
  }
  const auto& words = in_policy ? policyStatementWords() : topLevelWords();
  d.message = std::string(in_policy ? "unknown policy statement \"" : "unknown statement \"") + word + "\"";
  if (auto s = closestWord(found.text, words)) {
    d.notes.push_back(didYouMean(*s));
  } else if (in_policy) {
    d.notes.push_back("a policy holds applies to, allow, deny, mask, filter, require approval and limit rows statements");
  } else {
    d.notes.push_back("a file holds version, include, mask_function and policy statements");
  }
  return d;
}

}  // namespace sqlwarden::policy::parser
