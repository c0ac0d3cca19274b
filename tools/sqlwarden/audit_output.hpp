#pragma once
// How `sqlwarden audit`, `sessions` and `approvals` print: aligned tables
// for a terminal (colour only on a TTY), JSON lines and CSV for pipes, and
// session transcripts laid out the way psql shows results.
#include <iosfwd>
#include <string>
#include <vector>

#include "audit/reader.hpp"
#include "audit/records.hpp"
#include "audit/verify.hpp"

namespace sqlwarden::tools {

enum class ListFormat { Table, Json, Csv };

/// Terminal colours, or none.
struct Palette {
  bool enabled = false;
  std::string paint(const std::string& text, const char* ansi) const;
  std::string red(const std::string& t) const { return paint(t, "31"); }
  std::string green(const std::string& t) const { return paint(t, "32"); }
  std::string yellow(const std::string& t) const { return paint(t, "33"); }
  std::string dim(const std::string& t) const { return paint(t, "2"); }
  std::string bold(const std::string& t) const { return paint(t, "1"); }
};

/// Statement records: a table (with a header when `header`), one JSON
/// object per line, or CSV (with a header row when `header`).
void printStatements(std::ostream& out, const std::vector<audit::StatementEntry>& rows,
                     ListFormat format, bool header, const Palette& palette);

void printSessions(std::ostream& out, const std::vector<audit::SessionSummary>& sessions,
                   ListFormat format, const Palette& palette);

void printApprovals(std::ostream& out, const std::vector<audit::ApprovalRecord>& approvals,
                    ListFormat format, const Palette& palette);

/// A session replayed: who, then each statement as received, what was
/// forwarded, the decision, and the recorded rows as psql lays them out.
void printTranscript(std::ostream& out, const audit::Transcript& transcript,
                     const Palette& palette);

/// The verify report: a summary line, then one line per problem.
void printVerifyReport(std::ostream& out, const std::string& file,
                       const audit::VerifyReport& report, const Palette& palette);

}  // namespace sqlwarden::tools
