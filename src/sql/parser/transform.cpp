// Statements, queries and data changes: parse tree -> AST.
#include <functional>

#include "sql/parser/transform.hpp"

namespace sqlwarden::sql::detail {

namespace {

using antlr4::tree::TerminalNode;

std::string upperAscii(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

}  // namespace

Result<Statement> Transformer::transformStatement(P::StatementEntryContext* ctx) {
  try {
    return stmt(ctx->stmt());
  } catch (const TransformError& e) {
    return e.diagnostic;
  }
}

Statement Transformer::stmt(P::StmtContext* ctx) {
  DepthGuard guard(*this, ctx);
  Statement s;
  s.span = span(ctx);
  if (auto* p = ctx->preparableStmt()) return preparable(p);
  if (auto* e = ctx->explainStmt()) {
    ExplainStmt ex;
    if (auto* o = as<P::ExplainOptionsContext>(e)) {
      ex.options = genericOptions(o->genericOption());
      ex.statement = stmt(o->stmt());
    } else {
      auto* l = as<P::ExplainLegacyContext>(e);
      if (l->K_ANALYZE() || l->K_ANALYSE()) ex.options.push_back(GenericOption{"analyze", ""});
      if (l->K_VERBOSE()) ex.options.push_back(GenericOption{"verbose", ""});
      ex.statement = stmt(l->stmt());
    }
    s.tag = "EXPLAIN";
    s.node = std::move(ex);
    return s;
  }
  if (auto* p = ctx->prepareStmt()) {
    PrepareStmt ps;
    ps.name = colId(p->colId());
    for (auto* t : p->typeName()) ps.param_types.push_back(typeName(t));
    ps.statement = preparable(p->preparableStmt());
    s.tag = "PREPARE";
    s.node = std::move(ps);
    return s;
  }
  if (auto* e = ctx->executeStmt()) {
    ExecuteStmt ex;
    ex.name = colId(e->colId());
    if (e->exprList()) ex.params = exprList(e->exprList());
    s.tag = "EXECUTE";
    s.node = std::move(ex);
    return s;
  }
  if (auto* d = ctx->declareCursorStmt()) {
    DeclareCursorStmt dc;
    dc.name = colId(d->colId());
    for (auto* o : d->cursorOption()) {
      std::string words;
      for (auto* ch : o->children) {
        if (!words.empty()) words += ' ';
        words += upperAscii(ch->getText());
      }
      dc.options.push_back(words);
    }
    if (d->K_HOLD()) dc.options.push_back(d->K_WITH() ? "WITH HOLD" : "WITHOUT HOLD");
    Statement q;
    q.tag = "SELECT";
    q.node = selectStmt(d->selectStmt());
    q.span = span(d->selectStmt());
    dc.query = std::move(q);
    s.tag = "DECLARE CURSOR";
    s.node = std::move(dc);
    return s;
  }
  if (auto* c = ctx->copyStmt()) return copyStmt(c);
  return utility(ctx->utilityStmt());
}

Statement Transformer::preparable(P::PreparableStmtContext* ctx) {
  Statement s;
  s.span = span(ctx);
  Box<WithClause> with;
  if (ctx->withClause()) with = withClause(ctx->withClause());
  auto* body = ctx->preparableBody();
  if (auto* b = as<P::BodySelectContext>(body)) {
    SelectStmt sel = selectClause(b->selectClause());
    applyTail(sel, b->selectTail());
    if (with) {
      if (sel.with) fail(ctx, "multiple WITH clauses not allowed");
      sel.with = std::move(with);
    }
    sel.span = s.span;
    s.tag = "SELECT";
    s.node = std::move(sel);
  } else if (auto* i = as<P::BodyInsertContext>(body)) {
    InsertStmt ins = insertRest(i->insertRest());
    ins.with = std::move(with);
    ins.span = s.span;
    s.tag = "INSERT";
    s.node = std::move(ins);
  } else if (auto* u = as<P::BodyUpdateContext>(body)) {
    UpdateStmt upd = updateRest(u->updateRest());
    upd.with = std::move(with);
    upd.span = s.span;
    s.tag = "UPDATE";
    s.node = std::move(upd);
  } else if (auto* d = as<P::BodyDeleteContext>(body)) {
    DeleteStmt del = deleteRest(d->deleteRest());
    del.with = std::move(with);
    del.span = s.span;
    s.tag = "DELETE";
    s.node = std::move(del);
  } else if (auto* m = as<P::BodyMergeContext>(body)) {
    MergeStmt mer = mergeRest(m->mergeRest());
    mer.with = std::move(with);
    mer.span = s.span;
    s.tag = "MERGE";
    s.node = std::move(mer);
  } else {
    fail(ctx, "unsupported statement");
  }
  return s;
}

// ---------------------------------------------------------------------------
// SELECT

SelectStmt Transformer::selectStmt(P::SelectStmtContext* ctx) {
  if (auto* n = ctx->selectNoParens()) return selectNoParens(n);
  return selectWithParens(ctx->selectWithParens());
}

SelectStmt Transformer::selectWithParens(P::SelectWithParensContext* ctx) {
  DepthGuard guard(*this, ctx);
  if (auto* n = ctx->selectNoParens()) return selectNoParens(n);
  return selectWithParens(ctx->selectWithParens());
}

SelectStmt Transformer::selectNoParens(P::SelectNoParensContext* ctx) {
  SelectStmt s = selectClause(ctx->selectClause());
  applyTail(s, ctx->selectTail());
  if (ctx->withClause()) {
    if (s.with) fail(ctx->withClause(), "multiple WITH clauses not allowed");
    s.with = withClause(ctx->withClause());
  }
  s.span = span(ctx);
  return s;
}

void Transformer::applyTail(SelectStmt& s, P::SelectTailContext* ctx) {
  if (ctx == nullptr) return;
  if (auto* sort = ctx->sortClause()) {
    if (!s.order_by.empty()) fail(sort, "multiple ORDER BY clauses not allowed");
    s.order_by = sortClause(sort);
  }
  bool have_limit = s.limit_count || s.limit_all;
  bool have_offset = static_cast<bool>(s.offset);
  for (auto* item : ctx->selectTailItem()) {
    if (auto* l = item->limitClause()) {
      if (have_limit) fail(l, "multiple LIMIT clauses not allowed");
      have_limit = true;
      if (l->K_ALL()) s.limit_all = true;
      else s.limit_count = expr(l->aExpr());
      s.limit_style = SelectStmt::LimitStyle::Limit;
    } else if (auto* o = item->offsetClause()) {
      if (have_offset) fail(o, "multiple OFFSET clauses not allowed");
      have_offset = true;
      s.offset = expr(o->aExpr());
    } else if (auto* f = item->fetchClause()) {
      if (have_limit) fail(f, "multiple LIMIT clauses not allowed");
      have_limit = true;
      s.limit_style = f->K_TIES() ? SelectStmt::LimitStyle::FetchWithTies
                                  : SelectStmt::LimitStyle::FetchFirst;
      if (auto* n = f->fetchCount()) {
        if (n->cExpr()) {
          s.limit_count = cexpr(n->cExpr());
        } else {
          Expr lit{Literal{n->INTEGER() ? Literal::Kind::Integer : Literal::Kind::Numeric,
                           n->INTEGER() ? n->INTEGER()->getText() : n->NUMERIC()->getText()},
                   span(n)};
          if (n->MINUS()) {
            OpExpr neg;
            neg.op.push_back("-");
            neg.right = std::move(lit);
            s.limit_count = Expr{std::move(neg), span(n)};
          } else {
            s.limit_count = std::move(lit);
          }
        }
      }
    } else if (auto* lk = item->lockingClause()) {
      if (lk->K_READ()) continue;  // FOR READ ONLY: the default, nothing to lock
      LockingClause c;
      auto* st = lk->lockStrength();
      c.strength = st->K_NO()      ? LockingClause::Strength::NoKeyUpdate
                   : st->K_KEY()   ? LockingClause::Strength::KeyShare
                   : st->K_SHARE() ? LockingClause::Strength::Share
                                   : LockingClause::Strength::Update;
      for (auto* q : lk->qualifiedName()) c.of.push_back(qualifiedName(q));
      if (lk->K_NOWAIT()) c.wait = LockingClause::Wait::NoWait;
      if (lk->K_SKIP()) c.wait = LockingClause::Wait::SkipLocked;
      s.locking.push_back(std::move(c));
    }
  }
  if (s.limit_style == SelectStmt::LimitStyle::FetchWithTies && s.order_by.empty())
    fail(ctx, "WITH TIES cannot be specified without ORDER BY clause");
}

SelectStmt Transformer::selectClause(P::SelectClauseContext* ctx) {
  DepthGuard guard(*this, ctx);
  if (auto* c = as<P::SelectSimpleContext>(ctx)) return simpleSelect(c->simpleSelect());
  if (auto* c = as<P::SelectParensContext>(ctx)) return selectWithParens(c->selectWithParens());
  SelectStmt s;
  s.kind = SelectStmt::Kind::SetOp;
  s.span = span(ctx);
  P::SetQuantifierContext* quant = nullptr;
  if (auto* c = as<P::SelectIntersectContext>(ctx)) {
    s.op = SelectStmt::SetOp::Intersect;
    s.left = selectClause(c->selectClause(0));
    s.right = selectClause(c->selectClause(1));
    quant = c->setQuantifier();
  } else {
    auto* u = as<P::SelectUnionContext>(ctx);
    s.op = u->K_UNION() ? SelectStmt::SetOp::Union : SelectStmt::SetOp::Except;
    s.left = selectClause(u->selectClause(0));
    s.right = selectClause(u->selectClause(1));
    quant = u->setQuantifier();
  }
  if (quant != nullptr) {
    s.set_all = quant->K_ALL() != nullptr;
    s.set_distinct = quant->K_DISTINCT() != nullptr;
  }
  return s;
}

SelectStmt Transformer::simpleSelect(P::SimpleSelectContext* ctx) {
  SelectStmt s;
  s.span = span(ctx);
  if (auto* v = as<P::SimpleSelectValuesContext>(ctx)) {
    s.kind = SelectStmt::Kind::Values;
    for (auto* row : v->valuesClause()->valuesRow()) s.values.push_back(exprList(row->exprList()));
    const size_t width = s.values.front().size();
    for (size_t i = 1; i < s.values.size(); ++i) {
      if (s.values[i].size() != width)
        fail(v->valuesClause()->valuesRow(i), "VALUES lists must all be the same length");
    }
    return s;
  }
  if (auto* t = as<P::SimpleSelectTableContext>(ctx)) {
    s.kind = SelectStmt::Kind::Table;
    s.table = relationExpr(t->relationExpr());
    return s;
  }
  auto* c = as<P::SimpleSelectCoreContext>(ctx);
  s.kind = SelectStmt::Kind::Select;
  s.all = c->K_ALL() != nullptr;
  if (auto* d = c->distinctClause()) {
    s.distinct = true;
    if (d->exprList()) s.distinct_on = exprList(d->exprList());
  }
  if (auto* t = c->targetList()) s.targets = targetList(t);
  if (s.distinct && s.targets.empty()) fail(c, "syntax error: DISTINCT needs a target list");
  if (auto* i = c->intoClause()) {
    IntoClause into;
    for (auto* ch : i->children) {
      auto* term = dynamic_cast<TerminalNode*>(ch);
      if (term == nullptr) continue;
      const size_t type = term->getSymbol()->getType();
      if (type == P::K_INTO) continue;
      if (type == P::K_TABLE) {
        into.table_keyword = true;
        continue;
      }
      if (!into.persistence.empty()) into.persistence += ' ';
      into.persistence += upperAscii(term->getText());
    }
    into.name = qualifiedName(i->qualifiedName());
    s.into = std::move(into);
  }
  if (auto* f = c->fromClause()) s.from = fromList(f->fromList());
  if (auto* w = c->whereClause()) s.where = expr(w->aExpr());
  if (auto* g = c->groupClause()) {
    s.group_distinct = g->K_DISTINCT() != nullptr;
    for (auto* item : g->groupByItem()) s.group_by.push_back(groupByItem(item));
  }
  if (auto* h = c->havingClause()) s.having = expr(h->aExpr());
  if (auto* w = c->windowClause()) {
    for (auto* def : w->windowDefinition()) {
      WindowDef wd = windowSpecification(def->windowSpecification());
      wd.name = colId(def->colId());
      s.windows.push_back(std::move(wd));
    }
  }
  return s;
}

std::vector<ResTarget> Transformer::targetList(P::TargetListContext* ctx) {
  std::vector<ResTarget> out;
  out.reserve(ctx->targetEl().size());
  for (auto* el : ctx->targetEl()) {
    if (auto* st = as<P::TargetStarContext>(el)) {
      ColumnRef star;
      star.star = true;
      out.push_back(ResTarget{Expr{std::move(star), span(st)}, std::nullopt});
      continue;
    }
    auto* te = as<P::TargetExprContext>(el);
    ResTarget t{expr(te->aExpr()), std::nullopt};
    if (auto* l = te->colLabel()) t.name = colLabel(l);
    if (auto* b = te->bareColLabel()) {
      t.name = name(b);
    }
    out.push_back(std::move(t));
  }
  return out;
}

WithClause Transformer::withClause(P::WithClauseContext* ctx) {
  WithClause w;
  w.recursive = ctx->K_RECURSIVE() != nullptr;
  for (auto* c : ctx->commonTableExpr()) {
    CommonTableExpr cte;
    cte.name = colId(c->colId());
    if (c->nameList()) cte.columns = nameList(c->nameList());
    if (c->K_MATERIALIZED())
      cte.materialized = c->K_NOT() ? CommonTableExpr::Materialized::No
                                    : CommonTableExpr::Materialized::Yes;
    cte.query = preparable(c->preparableStmt());
    if (auto* sc = c->searchClause()) {
      CommonTableExpr::Search search;
      search.breadth_first = sc->K_BREADTH() != nullptr;
      search.columns = nameList(sc->nameList());
      search.set_column = colId(sc->colId());
      cte.search = std::move(search);
    }
    if (auto* cc = c->cycleClause()) {
      CommonTableExpr::Cycle cycle;
      cycle.columns = nameList(cc->nameList());
      cycle.set_column = colId(cc->colId(0));
      if (cc->K_TO()) {
        cycle.mark_value = expr(cc->aExpr(0));
        cycle.mark_default = expr(cc->aExpr(1));
      }
      cycle.path_column = colId(cc->colId(1));
      cte.cycle = std::move(cycle);
    }
    w.ctes.push_back(std::move(cte));
  }
  return w;
}

std::vector<TableRef> Transformer::fromList(P::FromListContext* ctx) {
  std::vector<TableRef> out;
  for (auto* t : ctx->tableRef()) out.push_back(tableRef(t));
  return out;
}

TableRef Transformer::tableRef(P::TableRefContext* ctx) {
  DepthGuard guard(*this, ctx);
  TableRef left = tablePrimary(ctx->tablePrimary());
  for (auto* part : ctx->joinPart()) {
    JoinExpr j;
    TableRef right;
    if (auto* c = as<P::JoinCrossContext>(part)) {
      j.type = JoinExpr::Type::Cross;
      right = tablePrimary(c->tablePrimary());
    } else {
      P::JoinTypeContext* jt = nullptr;
      if (auto* n = as<P::JoinNaturalContext>(part)) {
        j.natural = true;
        jt = n->joinType();
        right = tablePrimary(n->tablePrimary());
      } else {
        auto* q = as<P::JoinQualifiedContext>(part);
        jt = q->joinType();
        right = tableRef(q->tableRef());
        auto* qual = q->joinQual();
        if (qual->K_ON()) {
          j.on = expr(qual->aExpr());
        } else {
          j.using_columns = nameList(qual->nameList());
          if (qual->colId()) j.using_alias = colId(qual->colId());
        }
      }
      if (jt != nullptr) {
        if (jt->K_INNER()) {
          j.type = JoinExpr::Type::Inner;
          j.explicit_inner = true;
        } else {
          j.type = jt->K_LEFT() ? JoinExpr::Type::Left
                   : jt->K_RIGHT() ? JoinExpr::Type::Right
                                   : JoinExpr::Type::Full;
          j.explicit_outer = jt->K_OUTER() != nullptr;
        }
      }
    }
    const Span sp{left.span.begin, span(part).end};
    j.left = std::move(left);
    j.right = std::move(right);
    left = TableRef{std::move(j), sp};
  }
  return left;
}

TableRef Transformer::tablePrimary(P::TablePrimaryContext* ctx) {
  const Span sp = span(ctx);
  if (auto* c = as<P::PrimaryRelationContext>(ctx)) {
    RangeVar rv = relationExpr(c->relationExpr());
    if (c->aliasClause()) rv.alias = aliasClause(c->aliasClause());
    if (auto* ts = c->tablesampleClause()) {
      RangeVar::Sample sample;
      sample.method = funcName(ts->funcName());
      sample.args = exprList(ts->exprList());
      if (ts->K_REPEATABLE()) sample.repeatable = expr(ts->aExpr());
      rv.tablesample = std::move(sample);
    }
    rv.span = sp;
    return TableRef{std::move(rv), sp};
  }
  if (auto* c = as<P::PrimarySubqueryContext>(ctx)) {
    RangeSubselect sub;
    sub.lateral = c->K_LATERAL() != nullptr;
    sub.query = selectWithParens(c->selectWithParens());
    if (c->aliasClause()) sub.alias = aliasClause(c->aliasClause());
    return TableRef{std::move(sub), sp};
  }
  if (auto* c = as<P::PrimaryJoinContext>(ctx)) {
    TableRef inner = tableRef(c->tableRef());
    if (c->aliasClause() == nullptr) {
      inner.span = sp;
      return inner;
    }
    if (auto* j = inner.as<JoinExpr>()) {
      if (j->alias) fail(c->aliasClause(), "syntax error at or near \"" + c->aliasClause()->getText() + "\"");
      j->alias = aliasClause(c->aliasClause());
      inner.span = sp;
      return inner;
    }
    // `(t) AS x` around a plain table is not SQL PostgreSQL accepts.
    fail(c->aliasClause(), "syntax error at or near \"" + c->aliasClause()->getStart()->getText() + "\"");
  }
  if (auto* x = as<P::PrimaryXmlTableContext>(ctx)) {
    RangeXmlTable t;
    t.lateral = x->K_LATERAL() != nullptr;
    auto* xt = x->xmlTable();
    for (auto* ns : xt->xmlNamespace()) {
      RangeXmlTable::Namespace n;
      n.uri = bexpr(ns->bExpr());
      if (ns->colLabel()) n.name = colLabel(ns->colLabel());
      t.namespaces.push_back(std::move(n));
    }
    t.row_expr = cexpr(xt->cExpr(0));
    t.document = cexpr(xt->cExpr(1));
    for (auto* col : xt->xmlTableColumn()) {
      RangeXmlTable::Column c;
      c.name = colId(col->colId());
      if (col->K_ORDINALITY()) {
        c.for_ordinality = true;
      } else {
        c.type = typeName(col->typeName());
        for (auto* opt : col->xmlColumnOption()) {
          if (auto* id = opt->IDENT()) {
            if (foldIdentifier(id->getText()) != "path" || c.path)
              fail(opt, "unrecognized column option \"" + id->getText() + "\"");
            c.path = bexpr(opt->bExpr());
          } else if (opt->K_DEFAULT()) {
            if (c.default_value) fail(opt, "only one DEFAULT value is allowed");
            c.default_value = bexpr(opt->bExpr());
          } else {
            if (c.nullability != RangeXmlTable::Column::Nullability::Unspecified)
              fail(opt, "conflicting or redundant NULL / NOT NULL declarations");
            c.nullability = opt->K_NOT() ? RangeXmlTable::Column::Nullability::NotNull
                                         : RangeXmlTable::Column::Nullability::Null;
          }
        }
      }
      t.columns.push_back(std::move(c));
    }
    if (x->aliasClause()) t.alias = aliasClause(x->aliasClause());
    return TableRef{std::move(t), sp};
  }
  auto* c = as<P::PrimaryFunctionContext>(ctx);
  RangeFunction rf;
  rf.lateral = c->K_LATERAL() != nullptr;
  auto* ft = c->funcTable();
  rf.ordinality = ft->K_ORDINALITY() != nullptr;
  if (ft->K_ROWS()) {
    rf.rows_from = true;
    for (auto* item : ft->rowsFromItem()) {
      RangeFunction::Item it{windowless(item->funcExprWindowless()), {}};
      if (item->tableFuncElementList()) it.column_defs = tableFuncElements(item->tableFuncElementList());
      rf.functions.push_back(std::move(it));
    }
  } else {
    rf.functions.push_back(RangeFunction::Item{windowless(ft->funcExprWindowless()), {}});
  }
  if (auto* a = c->funcAliasClause()) {
    if (a->aliasClause()) {
      rf.alias = aliasClause(a->aliasClause());
    } else {
      if (a->colId()) rf.alias = Alias{colId(a->colId()), {}};
      rf.column_defs = tableFuncElements(a->tableFuncElementList());
    }
  }
  return TableRef{std::move(rf), sp};
}

std::vector<ColumnDef> Transformer::tableFuncElements(P::TableFuncElementListContext* ctx) {
  std::vector<ColumnDef> out;
  for (auto* e : ctx->tableFuncElement()) {
    ColumnDef d;
    d.name = colId(e->colId());
    d.type = typeName(e->typeName());
    if (e->anyName()) d.collation = anyName(e->anyName());
    out.push_back(std::move(d));
  }
  return out;
}

RangeVar Transformer::relationExpr(P::RelationExprContext* ctx) {
  RangeVar rv;
  rv.name = qualifiedName(ctx->qualifiedName());
  rv.only = ctx->K_ONLY() != nullptr;
  rv.inherit_star = ctx->STAR() != nullptr;
  rv.span = span(ctx);
  return rv;
}

RangeVar Transformer::relationExprOptAlias(P::RelationExprOptAliasContext* ctx) {
  RangeVar rv = relationExpr(ctx->relationExpr());
  if (ctx->colId()) rv.alias = Alias{colId(ctx->colId()), {}};
  rv.span = span(ctx);
  return rv;
}

Alias Transformer::aliasClause(P::AliasClauseContext* ctx) {
  Alias a;
  a.name = colId(ctx->colId());
  if (ctx->nameList()) a.columns = nameList(ctx->nameList());
  return a;
}

GroupingElem Transformer::groupByItem(P::GroupByItemContext* ctx) {
  DepthGuard guard(*this, ctx);
  GroupingElem g;
  if (auto* c = as<P::GroupExprContext>(ctx)) {
    g.kind = GroupingElem::Kind::Expr;
    g.exprs.push_back(expr(c->aExpr()));
  } else if (as<P::GroupEmptyContext>(ctx)) {
    g.kind = GroupingElem::Kind::Empty;
  } else if (auto* c = as<P::GroupCubeContext>(ctx)) {
    g.kind = GroupingElem::Kind::Cube;
    g.exprs = exprList(c->exprList());
  } else if (auto* c = as<P::GroupRollupContext>(ctx)) {
    g.kind = GroupingElem::Kind::Rollup;
    g.exprs = exprList(c->exprList());
  } else {
    auto* s = as<P::GroupSetsContext>(ctx);
    g.kind = GroupingElem::Kind::Sets;
    for (auto* item : s->groupByItem()) g.sets.push_back(groupByItem(item));
  }
  return g;
}

WindowDef Transformer::windowSpecification(P::WindowSpecificationContext* ctx) {
  WindowDef w;
  if (ctx->colId()) w.ref_name = colId(ctx->colId());
  if (ctx->K_PARTITION()) w.partition_by = exprList(ctx->exprList());
  if (ctx->sortClause()) w.order_by = sortClause(ctx->sortClause());
  if (auto* f = ctx->frameClause()) {
    WindowFrame frame;
    frame.mode = f->K_ROWS()     ? WindowFrame::Mode::Rows
                 : f->K_GROUPS() ? WindowFrame::Mode::Groups
                                 : WindowFrame::Mode::Range;
    auto bounds = f->frameBound();
    frame.start = frameBound(bounds[0]);
    if (bounds.size() > 1) frame.end = frameBound(bounds[1]);
    if (frame.start.kind == FrameBound::Kind::UnboundedFollowing)
      fail(bounds[0], "frame start cannot be UNBOUNDED FOLLOWING");
    if (frame.end && frame.end->kind == FrameBound::Kind::UnboundedPreceding)
      fail(bounds[1], "frame end cannot be UNBOUNDED PRECEDING");
    if (auto* ex = f->frameExclusion()) {
      frame.exclusion = ex->K_ROW()     ? WindowFrame::Exclusion::CurrentRow
                        : ex->K_GROUP() ? WindowFrame::Exclusion::Group
                        : ex->K_TIES()  ? WindowFrame::Exclusion::Ties
                                        : WindowFrame::Exclusion::NoOthers;
    }
    w.frame = std::move(frame);
  }
  return w;
}

FrameBound Transformer::frameBound(P::FrameBoundContext* ctx) {
  FrameBound b;
  if (ctx->K_UNBOUNDED()) {
    b.kind = ctx->K_PRECEDING() ? FrameBound::Kind::UnboundedPreceding
                                : FrameBound::Kind::UnboundedFollowing;
  } else if (ctx->K_CURRENT()) {
    b.kind = FrameBound::Kind::CurrentRow;
  } else {
    b.kind = ctx->K_PRECEDING() ? FrameBound::Kind::Preceding : FrameBound::Kind::Following;
    b.offset = expr(ctx->aExpr());
  }
  return b;
}

std::vector<SortBy> Transformer::sortClause(P::SortClauseContext* ctx) {
  std::vector<SortBy> out;
  for (auto* s : ctx->sortBy()) {
    SortBy sb{expr(s->aExpr()), SortBy::Dir::Default, {}, SortBy::Nulls::Default};
    if (s->K_ASC()) sb.dir = SortBy::Dir::Asc;
    if (s->K_DESC()) sb.dir = SortBy::Dir::Desc;
    if (auto* op = s->qualAllOp()) {
      sb.dir = SortBy::Dir::Using;
      if (op->anyOperator()) sb.using_op = anyOperator(op->anyOperator());
      else sb.using_op.push_back(op->allOp()->getText() == "!=" ? "<>" : op->allOp()->getText());
    }
    if (s->K_NULLS()) sb.nulls = s->K_FIRST() ? SortBy::Nulls::First : SortBy::Nulls::Last;
    out.push_back(std::move(sb));
  }
  return out;
}

// ---------------------------------------------------------------------------
// INSERT / UPDATE / DELETE / MERGE

TargetColumn Transformer::insertColumn(P::InsertColumnContext* ctx) {
  TargetColumn c;
  c.name = colId(ctx->colId());
  for (auto* i : ctx->indirectionEl()) {
    IndirectionItem item = indirectionItem(i);
    if (item.kind == IndirectionItem::Kind::Star) fail(i, "row expansion via \"*\" is not supported here");
    c.indirection.push_back(std::move(item));
  }
  return c;
}

std::vector<TargetColumn> Transformer::insertColumns(P::InsertColumnListContext* ctx) {
  std::vector<TargetColumn> out;
  for (auto* c : ctx->insertColumn()) out.push_back(insertColumn(c));
  return out;
}

Overriding Transformer::overriding(P::OverridingClauseContext* ctx) {
  if (ctx == nullptr) return Overriding::None;
  return ctx->K_USER() ? Overriding::UserValue : Overriding::SystemValue;
}

std::vector<SetClause> Transformer::setClauses(P::SetClauseListContext* ctx) {
  std::vector<SetClause> out;
  for (auto* s : ctx->setClause()) {
    if (auto* single = as<P::SetSingleContext>(s)) {
      out.push_back(SetClause{{insertColumn(single->insertColumn())}, false, expr(single->aExpr())});
    } else {
      auto* multi = as<P::SetMultiContext>(s);
      SetClause sc{insertColumns(multi->insertColumnList()), true, expr(multi->aExpr())};
      // The source must yield a row: ROW(...), (a, b), a sub-SELECT, or a
      // single parenthesized expression for a one-column list.
      out.push_back(std::move(sc));
    }
  }
  return out;
}

InsertStmt Transformer::insertRest(P::InsertRestContext* ctx) {
  InsertStmt ins;
  ins.relation.name = qualifiedName(ctx->qualifiedName());
  ins.relation.span = span(ctx->qualifiedName());
  if (ctx->colId()) ins.relation.alias = Alias{colId(ctx->colId()), {}};
  if (ctx->insertColumnList()) ins.columns = insertColumns(ctx->insertColumnList());
  ins.overriding = overriding(ctx->overridingClause());
  if (ctx->selectStmt()) ins.source = selectStmt(ctx->selectStmt());
  if (auto* oc = ctx->onConflict()) {
    OnConflict conflict;
    if (auto* t = oc->conflictTarget()) {
      if (t->K_CONSTRAINT()) {
        conflict.constraint = colId(t->colId());
      } else {
        for (auto* e : t->indexElem()) {
          IndexElem ie{Expr{}, false, std::nullopt, std::nullopt};
          if (e->colId()) {
            ie.expr = Expr{ColumnRef{{colId(e->colId())}, false}, span(e->colId())};
          } else if (e->funcExprWindowless()) {
            ie.expr = windowless(e->funcExprWindowless());
          } else {
            ie.expr = expr(e->aExpr());
            ie.parenthesized = true;
          }
          auto names = e->anyName();
          size_t next = 0;
          if (e->K_COLLATE()) ie.collation = anyName(names[next++]);
          if (next < names.size()) ie.opclass = anyName(names[next]);
          if (e->K_ASC() || e->K_DESC() || e->K_NULLS())
            fail(e, "ASC/DESC is not allowed in ON CONFLICT clause");
          conflict.target.push_back(std::move(ie));
        }
        if (t->whereClause()) conflict.target_where = expr(t->whereClause()->aExpr());
      }
    }
    if (oc->K_UPDATE()) {
      if (oc->conflictTarget() == nullptr)
        fail(oc, "ON CONFLICT DO UPDATE requires inference specification or constraint name");
      conflict.action = OnConflict::Action::Update;
      conflict.set = setClauses(oc->setClauseList());
      if (oc->whereClause()) conflict.where = expr(oc->whereClause()->aExpr());
    }
    ins.on_conflict = std::move(conflict);
  }
  if (auto* r = ctx->returningClause()) ins.returning = targetList(r->targetList());
  return ins;
}

void Transformer::whereOrCurrent(P::WhereOrCurrentContext* ctx, ExprPtr& where,
                                 std::string& cursor) {
  if (ctx == nullptr) return;
  if (auto* c = as<P::WhereCurrentOfContext>(ctx)) {
    cursor = colId(c->colId());
  } else {
    where = expr(as<P::WhereExprContext>(ctx)->aExpr());
  }
}

UpdateStmt Transformer::updateRest(P::UpdateRestContext* ctx) {
  UpdateStmt upd;
  upd.relation = relationExprOptAlias(ctx->relationExprOptAlias());
  upd.set = setClauses(ctx->setClauseList());
  if (ctx->fromClause()) upd.from = fromList(ctx->fromClause()->fromList());
  whereOrCurrent(ctx->whereOrCurrent(), upd.where, upd.current_of);
  if (auto* r = ctx->returningClause()) upd.returning = targetList(r->targetList());
  return upd;
}

DeleteStmt Transformer::deleteRest(P::DeleteRestContext* ctx) {
  DeleteStmt del;
  del.relation = relationExprOptAlias(ctx->relationExprOptAlias());
  if (ctx->fromList()) del.using_ = fromList(ctx->fromList());
  whereOrCurrent(ctx->whereOrCurrent(), del.where, del.current_of);
  if (auto* r = ctx->returningClause()) del.returning = targetList(r->targetList());
  return del;
}

MergeStmt Transformer::mergeRest(P::MergeRestContext* ctx) {
  MergeStmt m;
  m.target = relationExprOptAlias(ctx->relationExprOptAlias());
  m.source = tableRef(ctx->tableRef());
  m.on = expr(ctx->aExpr());
  if (ctx->returningClause()) fail(ctx->returningClause(), "MERGE ... RETURNING requires PostgreSQL 17");
  for (auto* w : ctx->mergeWhen()) {
    MergeWhen mw;
    if (auto* mm = as<P::MergeWhenMatchedContext>(w)) {
      mw.matched = true;
      if (mm->aExpr()) mw.condition = expr(mm->aExpr());
      auto* a = mm->mergeMatchedAction();
      if (a->K_UPDATE()) {
        mw.action = MergeWhen::Action::Update;
        mw.set = setClauses(a->setClauseList());
      } else if (a->K_DELETE()) {
        mw.action = MergeWhen::Action::Delete;
      } else {
        mw.action = MergeWhen::Action::DoNothing;
      }
    } else {
      auto* nm = as<P::MergeWhenNotMatchedContext>(w);
      mw.matched = false;
      if (nm->aExpr()) mw.condition = expr(nm->aExpr());
      auto* a = nm->mergeNotMatchedAction();
      if (a->K_INSERT()) {
        mw.action = MergeWhen::Action::Insert;
        if (a->insertColumnList()) mw.insert_columns = insertColumns(a->insertColumnList());
        mw.overriding = overriding(a->overridingClause());
        if (a->exprList()) mw.insert_values = exprList(a->exprList());
        else mw.default_values = true;
      } else {
        mw.action = MergeWhen::Action::DoNothing;
      }
    }
    m.whens.push_back(std::move(mw));
  }
  return m;
}

// ---------------------------------------------------------------------------
// EXPLAIN / COPY options

std::vector<GenericOption> Transformer::genericOptions(
    const std::vector<P::GenericOptionContext*>& opts) {
  std::vector<GenericOption> out;
  for (auto* o : opts) {
    GenericOption g;
    g.name = colLabel(o->colLabel());
    if (auto* v = o->genericOptionValue()) {
      // The value is kept as written, tokens joined by single spaces.
      std::string text;
      std::vector<std::string> tokens;
      std::function<void(antlr4::tree::ParseTree*)> walk = [&](antlr4::tree::ParseTree* n) {
        if (auto* t = dynamic_cast<TerminalNode*>(n)) {
          tokens.push_back(t->getText());
          return;
        }
        for (auto* ch : n->children) walk(ch);
      };
      walk(v);
      for (size_t i = 0; i < tokens.size(); ++i) {
        if (i > 0 && tokens[i] != "," && tokens[i] != ")" && tokens[i - 1] != "(" &&
            !(i == 1 && (tokens[0] == "-" || tokens[0] == "+")))
          text += ' ';
        text += tokens[i];
      }
      g.value = text;
    }
    out.push_back(std::move(g));
  }
  return out;
}

Statement Transformer::copyStmt(P::CopyStmtContext* ctx) {
  Statement s;
  s.tag = "COPY";
  s.span = span(ctx);
  CopyStmt c;
  P::CopyTargetContext* target = nullptr;
  P::CopyOptionsContext* options = nullptr;
  if (auto* t = as<P::CopyTableContext>(ctx)) {
    RangeVar rv;
    rv.name = qualifiedName(t->qualifiedName());
    rv.span = span(t->qualifiedName());
    c.relation = std::move(rv);
    c.binary = t->K_BINARY() != nullptr;
    if (t->nameList()) c.columns = nameList(t->nameList());
    c.is_from = t->K_FROM() != nullptr;
    if (t->K_PROGRAM()) c.target = CopyStmt::Target::Program;
    target = t->copyTarget();
    options = t->copyOptions();

    if (t->whereClause()) {
      if (!c.is_from) fail(t->whereClause(), "WHERE clause not allowed with COPY TO");
      c.where = expr(t->whereClause()->aExpr());
    }
  } else {
    auto* q = as<P::CopyQueryContext>(ctx);
    c.query = preparable(q->preparableStmt());
    c.is_from = false;
    if (q->K_PROGRAM()) c.target = CopyStmt::Target::Program;
    target = q->copyTarget();
    options = q->copyOptions();
  }
  if (target->K_STDIN()) {
    if (!c.is_from) fail(target, "COPY TO cannot write to STDIN");
    c.target = CopyStmt::Target::Stdin;
  } else if (target->K_STDOUT()) {
    if (c.is_from) fail(target, "COPY FROM cannot read from STDOUT");
    c.target = CopyStmt::Target::Stdout;
  } else {
    if (c.target != CopyStmt::Target::Program) c.target = CopyStmt::Target::File;
    c.filename = stringValue(target->sconst());
  }
  // Oldest syntax: `USING DELIMITERS 'x'` is the delimiter option, in
  // whichever form the other options use.
  P::CopyDelimiterContext* delimiter = nullptr;
  if (auto* t = as<P::CopyTableContext>(ctx)) delimiter = t->copyDelimiter();
  if (delimiter != nullptr) {
    const bool generic = as<P::CopyOptionsListContext>(options) != nullptr;
    c.options.push_back(GenericOption{generic ? "delimiter" : "DELIMITER",
                                      sourceText(delimiter->sconst())});
    c.legacy_options = !generic;
  }
  if (auto* list = as<P::CopyOptionsListContext>(options)) {
    for (auto& o : genericOptions(list->genericOption())) c.options.push_back(std::move(o));
  } else if (auto* legacy = as<P::CopyOptionsLegacyContext>(options)) {
    c.legacy_options = true;
    for (auto* o : legacy->copyLegacyOption()) {
      GenericOption g;
      // Name: the keywords; value: the rest as written.
      size_t i = 0;
      for (; i < o->children.size(); ++i) {
        auto* t = dynamic_cast<TerminalNode*>(o->children[i]);
        if (t == nullptr || t->getSymbol()->getType() == P::STAR) break;
        if (t->getSymbol()->getType() == P::K_AS) continue;
        if (!g.name.empty()) g.name += ' ';
        g.name += upperAscii(t->getText());
      }
      for (; i < o->children.size(); ++i) {
        if (!g.value.empty()) g.value += ' ';
        auto* child = o->children[i];
        if (auto* rc = dynamic_cast<antlr4::ParserRuleContext*>(child)) {
          if (auto* nl = as<P::NameListContext>(rc)) {
            std::string joined;
            for (auto& n : nameList(nl)) {
              if (!joined.empty()) joined += ", ";
              joined += '"';
              for (char ch : n) {
                joined += ch;
                if (ch == '"') joined += '"';
              }
              joined += '"';
            }
            g.value += joined;
          } else {
            g.value += sourceText(rc);
          }
        } else {
          g.value += child->getText();
        }
      }
      c.options.push_back(std::move(g));
    }
  }
  s.node = std::move(c);
  return s;
}

}  // namespace sqlwarden::sql::detail
