#pragma once
// The transformer: ANTLR parse tree -> sqlwarden AST. The only code that sees
// generated parser types (besides the driver, parser.cpp).
//
// One function per construct, like Kuzu's transformer. Every alternative of
// the grammar is handled explicitly; anything unexpected is a
// `sql-unsupported` error, never silently dropped (we fail closed).
//
// Errors inside deep recursion are raised as TransformError and caught once
// in transformStatement(), which turns them into a Diagnostic value.
#include <string>
#include <typeinfo>
#include <string_view>

#include "SqlParser.h"
#include "common/result.hpp"
#include "sql/ast.hpp"

namespace sqlwarden::sql::detail {

using P = gen::SqlParser;

/// `ctx` as the labeled-alternative (or rule) context class T when that is
/// its exact type, else null. Generated context classes are leaves, so the
/// exact type is what dispatch needs (see isExactly for how it is tested).
template <class T>
T* as(antlr4::tree::ParseTree* ctx) {
  return ctx != nullptr && isExactly<T>(ctx) ? static_cast<T*>(ctx) : nullptr;
}

/// Internal to the transformer: never crosses transformStatement().
struct TransformError {
  Diagnostic diagnostic;
};

class Transformer {
 public:
  Transformer(std::string_view source, uint32_t max_depth)
      : source_(source), max_depth_(max_depth) {}

  Result<Statement> transformStatement(P::StatementEntryContext* ctx);

 private:
  // --- statements (transform.cpp)
  Statement stmt(P::StmtContext* ctx);
  Statement preparable(P::PreparableStmtContext* ctx);
  SelectStmt selectStmt(P::SelectStmtContext* ctx);
  SelectStmt selectWithParens(P::SelectWithParensContext* ctx);
  SelectStmt selectNoParens(P::SelectNoParensContext* ctx);
  SelectStmt selectClause(P::SelectClauseContext* ctx);
  SelectStmt simpleSelect(P::SimpleSelectContext* ctx);
  void applyTail(SelectStmt& s, P::SelectTailContext* ctx);
  WithClause withClause(P::WithClauseContext* ctx);
  std::vector<ResTarget> targetList(P::TargetListContext* ctx);
  std::vector<TableRef> fromList(P::FromListContext* ctx);
  TableRef tableRef(P::TableRefContext* ctx);
  TableRef tablePrimary(P::TablePrimaryContext* ctx);
  RangeVar relationExpr(P::RelationExprContext* ctx);
  RangeVar relationExprOptAlias(P::RelationExprOptAliasContext* ctx);
  Alias aliasClause(P::AliasClauseContext* ctx);
  std::vector<ColumnDef> tableFuncElements(P::TableFuncElementListContext* ctx);
  GroupingElem groupByItem(P::GroupByItemContext* ctx);
  WindowDef windowSpecification(P::WindowSpecificationContext* ctx);
  WindowDef overClause(P::OverClauseContext* ctx);
  FrameBound frameBound(P::FrameBoundContext* ctx);
  std::vector<SortBy> sortClause(P::SortClauseContext* ctx);
  InsertStmt insertRest(P::InsertRestContext* ctx);
  UpdateStmt updateRest(P::UpdateRestContext* ctx);
  DeleteStmt deleteRest(P::DeleteRestContext* ctx);
  MergeStmt mergeRest(P::MergeRestContext* ctx);
  std::vector<SetClause> setClauses(P::SetClauseListContext* ctx);
  std::vector<TargetColumn> insertColumns(P::InsertColumnListContext* ctx);
  TargetColumn insertColumn(P::InsertColumnContext* ctx);
  Overriding overriding(P::OverridingClauseContext* ctx);
  void whereOrCurrent(P::WhereOrCurrentContext* ctx, ExprPtr& where, std::string& cursor);
  std::vector<GenericOption> genericOptions(const std::vector<P::GenericOptionContext*>& opts);
  Statement copyStmt(P::CopyStmtContext* ctx);

  // --- utility statements (transform_utility.cpp)
  Statement utility(P::UtilityStmtContext* ctx);

  // --- expressions, types and names (transform_expr.cpp)
  Expr expr(P::AExprContext* ctx);
  Expr bexpr(P::BExprContext* ctx);
  /// LIKE's right side: the pattern, with `ESCAPE e` split off when present.
  void likePattern(P::AExprContext* ctx, LikeExpr& like);
  Expr cexpr(P::CExprContext* ctx);
  ExprList exprList(P::ExprListContext* ctx);
  Expr funcExpr(P::FuncExprContext* ctx);
  Expr funcApplication(P::FuncApplicationContext* ctx, Span span);
  Expr funcSpecial(P::FuncExprSpecialContext* ctx);
  Expr windowless(P::FuncExprWindowlessContext* ctx);
  Expr constant(P::AexprConstContext* ctx);
  Expr caseExpr(P::CaseExprContext* ctx);
  Expr arrayBrackets(P::ArrayBracketsContext* ctx, bool bare);
  Expr columnRef(P::CColumnContext* ctx);
  Expr withIndirection(Expr base, const std::vector<P::IndirectionElContext*>& items);
  IndirectionItem indirectionItem(P::IndirectionElContext* ctx);
  Expr rowForOverlaps(P::RowForOverlapsContext* ctx);
  std::vector<FuncArg> funcArgs(P::FuncArgListContext* ctx);
  FuncArg funcArg(P::FuncArgExprContext* ctx);
  std::vector<std::string> qualOp(P::QualOpContext* ctx, bool& explicit_syntax);
  std::vector<std::string> anyOperator(P::AnyOperatorContext* ctx);
  TypeName typeName(P::TypeNameContext* ctx);
  TypeName simpleTypeName(P::SimpleTypeNameContext* ctx);
  TypeName constTypeName(P::ConstTypeNameContext* ctx);
  std::string intervalFields(P::IntervalFieldsContext* ctx, ExprList& modifiers);
  std::string stringValue(P::SconstContext* ctx);
  /// The escape character of U&'' / U&"" (UESCAPE 'c', default backslash).
  char uescape(antlr4::tree::TerminalNode* escape_string);
  /// Decodes \XXXX and \+XXXXXX escapes (with `esc` for the backslash).
  std::string decodeUnicode(const std::string& raw, char esc, antlr4::ParserRuleContext* ctx,
                            const char* malformed);
  Expr binary(std::string op, Expr left, Expr right, Span span);
  void jsonValue(P::JsonValueExprContext* ctx, SpecialFunc& f);
  void jsonKeyValue(P::JsonKeyValueContext* ctx, SpecialFunc& f);
  std::string jsonClauses(std::initializer_list<antlr4::ParserRuleContext*> clauses);
  /// The terminal tokens under `node` as written, joined by single spaces.
  std::string tokensText(antlr4::tree::ParseTree* node);

 public:
  // Names are also used by the utility transformer and tests of the parser.
  std::string colId(P::ColIdContext* ctx);
  std::string colLabel(P::ColLabelContext* ctx);
  /// The name a name rule (colId, colLabel, typeFunctionName, bareColLabel)
  /// spells: an identifier folded or unquoted, or a keyword folded.
  std::string name(antlr4::ParserRuleContext* ctx);
  std::string typeFunctionName(P::TypeFunctionNameContext* ctx);
  QualifiedName qualifiedName(P::QualifiedNameContext* ctx);
  QualifiedName anyName(P::AnyNameContext* ctx);
  QualifiedName funcName(P::FuncNameContext* ctx);
  std::vector<std::string> nameList(P::NameListContext* ctx);

 private:
  Span span(antlr4::ParserRuleContext* ctx) const;
  Span span(antlr4::tree::TerminalNode* node) const;
  [[noreturn]] void fail(antlr4::ParserRuleContext* ctx, const std::string& message) const;
  [[noreturn]] void fail(Span span, const std::string& message) const;
  std::string sourceText(antlr4::ParserRuleContext* ctx) const;

  /// Guards recursion into nested expressions and queries.
  struct DepthGuard {
    Transformer& t;
    DepthGuard(Transformer& tr, antlr4::ParserRuleContext* ctx) : t(tr) {
      // The driver already limits nesting by tokens (parentheses, CASE,
      // prefix operators); this backstop catches long left-deep operator
      // chains, at a few recursion levels per syntactic level.
      if (++t.depth_ > 4 * t.max_depth_) {
        --t.depth_;
        t.fail(ctx, "statement is too deeply nested (more than " +
                        std::to_string(t.max_depth_) + " levels)");
      }
    }
    ~DepthGuard() { --t.depth_; }
  };

  std::string_view source_;
  uint32_t max_depth_;
  uint32_t depth_ = 0;
};

/// Lower-cases ASCII letters, as PostgreSQL folds unquoted identifiers.
std::string foldIdentifier(std::string_view text);

}  // namespace sqlwarden::sql::detail
