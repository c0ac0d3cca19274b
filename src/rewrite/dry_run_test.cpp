#include "rewrite/dry_run_test.hpp"

#include <sstream>

#include "rewrite/engine.hpp"

namespace sqlwarden::rewrite {

namespace {

struct Line {
  std::string_view text;  ///< without the line terminator
  size_t begin = 0;       ///< byte offset in the file
  size_t end = 0;         ///< offset just past the terminator
};

std::vector<Line> splitLines(std::string_view text) {
  std::vector<Line> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    const size_t stop = nl == std::string_view::npos ? text.size() : nl;
    std::string_view t = text.substr(pos, stop - pos);
    if (!t.empty() && t.back() == '\r') t.remove_suffix(1);
    out.push_back({t, pos, nl == std::string_view::npos ? text.size() : nl + 1});
    pos = out.back().end;
  }
  return out;
}

std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::istringstream in{std::string(s)};
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Diagnostic formatError(const Line& line, std::string message) {
  Diagnostic d;
  d.severity = Severity::Error;
  d.code = "test-format";
  d.message = std::move(message);
  d.span = {static_cast<uint32_t>(line.begin), static_cast<uint32_t>(line.begin + line.text.size())};
  return d;
}

bool isDecision(std::string_view w) { return w == "allow" || w == "deny" || w == "approval"; }

}  // namespace

DryRunFile parseDryRunFile(std::string_view text) {
  DryRunFile file;
  const std::vector<Line> lines = splitLines(text);
  size_t i = 0;
  const auto blankOrComment = [](std::string_view t) {
    t = trim(t);
    return t.empty() || t.front() == '#';
  };
  while (i < lines.size()) {
    const Line& line = lines[i];
    if (blankOrComment(line.text)) {
      ++i;
      continue;
    }
    const std::vector<std::string> w = words(line.text);
    if (w[0] == "rules") {
      if (w.size() < 2) file.errors.push_back(formatError(line, "rules needs at least one file or directory"));
      file.rules.insert(file.rules.end(), w.begin() + 1, w.end());
      ++i;
      continue;
    }
    if (w[0] == "schema") {
      if (w.size() != 2) file.errors.push_back(formatError(line, "schema needs exactly one file"));
      else file.schema = w[1];
      ++i;
      continue;
    }
    if (w[0] != "test") {
      file.errors.push_back(formatError(line, "expected `rules`, `schema` or `test`, found `" + w[0] + "`"));
      ++i;
      continue;
    }
    DryRunCase c;
    c.name = std::string(trim(line.text.substr(line.text.find("test") + 4)));
    c.line = static_cast<uint32_t>(i + 1);
    ++i;
    // `as USER [group G]... [claim K=V]...`
    if (i >= lines.size() || words(lines[i].text).empty() || words(lines[i].text)[0] != "as") {
      file.errors.push_back(formatError(line, "test \"" + c.name + "\" needs an `as USER ...` line next"));
      continue;
    }
    {
      const std::vector<std::string> aw = words(lines[i].text);
      if (aw.size() < 2) file.errors.push_back(formatError(lines[i], "`as` needs a user name"));
      else c.identity.user = aw[1];
      for (size_t k = 2; k < aw.size(); ++k) {
        if (aw[k] == "group" && k + 1 < aw.size()) {
          c.identity.groups.push_back(aw[++k]);
        } else if (aw[k] == "claim" && k + 1 < aw.size() && aw[k + 1].find('=') != std::string::npos &&
                   aw[k + 1].find('=') > 0) {
          const std::string& kv = aw[++k];
          c.identity.claims[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
        } else {
          file.errors.push_back(formatError(lines[i], "expected `group NAME` or `claim NAME=VALUE`, found `" +
                                                          aw[k] + "`"));
          break;
        }
      }
      ++i;
    }
    // SQL up to `----`.
    std::string sql;
    bool separator = false;
    for (; i < lines.size(); ++i) {
      if (trim(lines[i].text) == "----") {
        separator = true;
        ++i;
        break;
      }
      if (!sql.empty()) sql += '\n';
      sql += lines[i].text;
    }
    c.sql = std::string(trim(sql));
    if (!separator) {
      file.errors.push_back(formatError(line, "test \"" + c.name + "\" has no `----` line"));
      break;
    }
    // Expectation: a decision line, then optional text lines, up to a blank line.
    c.expect_begin = i < lines.size() ? lines[i].begin : text.size();
    c.expect_end = c.expect_begin;
    if (i < lines.size() && isDecision(trim(lines[i].text))) {
      c.expected_decision = std::string(trim(lines[i].text));
      c.expect_end = lines[i].end;
      ++i;
      std::string expected;
      bool any = false;
      for (; i < lines.size() && !trim(lines[i].text).empty(); ++i) {
        if (any) expected += '\n';
        expected += lines[i].text;
        any = true;
        c.expect_end = lines[i].end;
      }
      if (any) c.expected_text = expected;
    } else {
      file.errors.push_back(formatError(i < lines.size() ? lines[i] : line,
                                        "test \"" + c.name + "\" needs `allow`, `deny` or `approval` after `----`"));
    }
    if (c.sql.empty()) file.errors.push_back(formatError(line, "test \"" + c.name + "\" has no SQL"));
    file.cases.push_back(std::move(c));
  }
  return file;
}

DryRunOutcome runDryRunCase(const DryRunCase& c, const policy::Policy& policy, const catalog::Catalog& catalog) {
  Engine engine(policy, catalog, c.identity);
  std::vector<Decision> decisions = engine.decideScript(c.sql);
  denyAllIfAnyDenied(decisions);
  DryRunOutcome out;
  if (decisions.empty()) return {"deny", "permission denied by sqlwarden: no statement"};
  // Several statements: the strongest verdict, texts one per line.
  out.decision = "allow";
  for (const Decision& d : decisions) {
    if (d.verdict == Verdict::Deny) out.decision = "deny";
    else if (d.verdict == Verdict::Approval && out.decision == "allow") out.decision = "approval";
  }
  for (const Decision& d : decisions) {
    if (!out.text.empty()) out.text += '\n';
    out.text += d.verdict == Verdict::Deny ? d.message : d.sql;
  }
  return out;
}

bool compareDryRun(const DryRunCase& c, const DryRunOutcome& outcome, std::string& diff) {
  const bool decision_ok = c.expected_decision == outcome.decision;
  const bool text_ok = !c.expected_text || *c.expected_text == outcome.text;
  if (decision_ok && text_ok) return true;
  diff.clear();
  diff += "- " + c.expected_decision + "\n";
  if (c.expected_text) {
    std::istringstream in(*c.expected_text);
    for (std::string l; std::getline(in, l);) diff += "- " + l + "\n";
  }
  diff += "+ " + outcome.decision + "\n";
  std::istringstream in(outcome.text);
  for (std::string l; std::getline(in, l);) diff += "+ " + l + "\n";
  return false;
}

std::string updateDryRunFile(std::string_view text, const DryRunFile& file,
                             const std::vector<DryRunOutcome>& outcomes) {
  std::string out;
  size_t pos = 0;
  for (size_t k = 0; k < file.cases.size() && k < outcomes.size(); ++k) {
    const DryRunCase& c = file.cases[k];
    out.append(text.substr(pos, c.expect_begin - pos));
    out += outcomes[k].decision + "\n" + outcomes[k].text + "\n";
    pos = c.expect_end;
  }
  out.append(text.substr(pos));
  return out;
}

}  // namespace sqlwarden::rewrite
