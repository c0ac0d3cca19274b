// Statements kept opaque: DDL, privileges, session and transaction control.
// They become a UtilityStmt: the command tag, every object the statement
// names (found through the wrapper rules of the grammar: tableName,
// roleName, ...), and the tokens, with embedded queries and expressions
// parsed in full.
#include <functional>

#include "sql/parser/transform.hpp"

// g++ 12 reports -Wmaybe-uninitialized inside std::variant<std::string, ...>
// moves when OpaquePiece vectors grow (a known false positive of its
// inliner, GCC bug 105562); nothing here reads an uninitialized string.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

namespace sqlwarden::sql::detail {

namespace {

using antlr4::tree::ParseTree;
using antlr4::tree::TerminalNode;

std::string upperAscii(std::string s) {
  for (char& c : s)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return s;
}

/// The upper-cased terminal words directly under `ctx` (not in sub-rules).
std::string words(antlr4::ParserRuleContext* ctx) {
  std::string out;
  for (auto* ch : ctx->children) {
    if (auto* t = dynamic_cast<TerminalNode*>(ch)) {
      if (!out.empty()) out += ' ';
      out += upperAscii(t->getText());
    }
  }
  return out;
}

/// Object kind and tag words of an object type rule of the grammar.
struct ObjectType {
  ObjectKind kind = ObjectKind::Other;
  std::string words;
};

ObjectType objectType(P::CreateObjectTypeContext* ctx) {
  ObjectType t;
  t.words = words(ctx);
  if (t.words.rfind("DEFAULT ", 0) == 0) t.words = t.words.substr(8);
  if (as<P::ObjSequenceContext>(ctx)) t.kind = ObjectKind::Sequence;
  else if (as<P::ObjSchemaContext>(ctx)) t.kind = ObjectKind::Schema;
  else if (as<P::ObjFunctionContext>(ctx)) t.kind = ObjectKind::Function;
  else if (as<P::ObjProcedureContext>(ctx)) t.kind = ObjectKind::Procedure;
  else if (as<P::ObjAggregateContext>(ctx)) t.kind = ObjectKind::Aggregate;
  else if (as<P::ObjEventTriggerContext>(ctx)) t.kind = ObjectKind::EventTrigger;
  else if (as<P::ObjRoleContext>(ctx)) { t.kind = ObjectKind::Role; t.words = "ROLE"; }
  else if (as<P::ObjExtensionContext>(ctx)) t.kind = ObjectKind::Extension;
  else if (as<P::ObjTypeContext>(ctx)) t.kind = ObjectKind::Type;
  else if (as<P::ObjDomainContext>(ctx)) t.kind = ObjectKind::Domain;
  else if (as<P::ObjDatabaseContext>(ctx)) t.kind = ObjectKind::Database;
  else if (as<P::ObjTablespaceContext>(ctx)) t.kind = ObjectKind::Tablespace;
  else if (as<P::ObjCollationContext>(ctx)) t.kind = ObjectKind::Collation;
  else if (as<P::ObjConversionContext>(ctx)) t.kind = ObjectKind::Conversion;
  else if (as<P::ObjLanguageContext>(ctx)) t.kind = ObjectKind::Language;
  else if (as<P::ObjOperatorContext>(ctx)) t.kind = ObjectKind::Operator;
  else if (as<P::ObjStatisticsContext>(ctx)) t.kind = ObjectKind::Statistics;
  else if (as<P::ObjPublicationContext>(ctx)) t.kind = ObjectKind::Publication;
  else if (as<P::ObjSubscriptionContext>(ctx)) t.kind = ObjectKind::Subscription;
  else if (as<P::ObjServerContext>(ctx)) t.kind = ObjectKind::Server;
  else if (as<P::ObjForeignTableContext>(ctx)) t.kind = ObjectKind::ForeignTable;
  else if (as<P::ObjForeignDataWrapperContext>(ctx)) t.kind = ObjectKind::ForeignDataWrapper;
  else if (as<P::ObjTextSearchContext>(ctx)) t.kind = ObjectKind::TextSearch;
  else if (as<P::ObjAccessMethodContext>(ctx)) t.kind = ObjectKind::AccessMethod;
  else if (as<P::ObjCastContext>(ctx)) t.kind = ObjectKind::Cast;
  else if (as<P::ObjTransformContext>(ctx)) t.kind = ObjectKind::Transform;
  return t;
}

ObjectType objectType(P::AlterObjectTypeContext* ctx) {
  if (auto* o = as<P::AltOtherContext>(ctx)) return objectType(o->createObjectType());
  ObjectType t;
  t.words = words(ctx);
  if (as<P::AltTableContext>(ctx)) t.kind = ObjectKind::Table;
  else if (as<P::AltViewContext>(ctx)) t.kind = ObjectKind::View;
  else if (as<P::AltMatViewContext>(ctx)) t.kind = ObjectKind::MaterializedView;
  else if (as<P::AltIndexContext>(ctx)) t.kind = ObjectKind::Index;
  else if (as<P::AltTriggerContext>(ctx)) t.kind = ObjectKind::Trigger;
  else if (as<P::AltPolicyContext>(ctx)) t.kind = ObjectKind::Policy;
  else if (as<P::AltRuleContext>(ctx)) t.kind = ObjectKind::Rule;
  else if (as<P::AltRoutineContext>(ctx)) t.kind = ObjectKind::Function;
  return t;
}

ObjectType objectType(P::DropObjectTypeContext* ctx) {
  if (auto* o = as<P::DropOther2Context>(ctx)) return objectType(o->createObjectType());
  ObjectType t;
  t.words = words(ctx);
  if (as<P::DropTableContext>(ctx)) t.kind = ObjectKind::Table;
  else if (as<P::DropViewContext>(ctx)) t.kind = ObjectKind::View;
  else if (as<P::DropMatViewContext>(ctx)) t.kind = ObjectKind::MaterializedView;
  else if (as<P::DropIndexContext>(ctx)) t.kind = ObjectKind::Index;
  else if (as<P::DropTriggerContext>(ctx)) t.kind = ObjectKind::Trigger;
  else if (as<P::DropPolicyContext>(ctx)) t.kind = ObjectKind::Policy;
  else if (as<P::DropRuleContext>(ctx)) t.kind = ObjectKind::Rule;
  else if (as<P::DropRoutineContext>(ctx)) t.kind = ObjectKind::Function;
  return t;
}

}  // namespace

namespace {

/// Walks an opaque statement, collecting pieces and objects. `named_kind`
/// is the kind of the object the statement's createdName / alteredName /
/// droppedName designates.
class PieceCollector {
 public:
  PieceCollector(Transformer& t, UtilityStmt& out, ObjectKind named_kind,
                 std::function<Statement(antlr4::ParserRuleContext*)> embed_stmt,
                 std::function<Expr(P::AExprContext*)> embed_expr)
      : t_(t), out_(out), named_kind_(named_kind), embed_stmt_(std::move(embed_stmt)),
        embed_expr_(std::move(embed_expr)) {}

  void walk(ParseTree* node) {
    if (auto* term = dynamic_cast<TerminalNode*>(node)) {
      if (term->getSymbol()->getType() != antlr4::Token::EOF)
        out_.pieces.push_back(OpaquePiece{term->getText()});
      return;
    }
    auto* ctx = dynamic_cast<antlr4::ParserRuleContext*>(node);
    if (ctx == nullptr) return;

    if (auto* e = as<P::EmbeddedQueryContext>(ctx)) {
      out_.pieces.push_back(OpaquePiece{Box<Statement>(embed_stmt_(e))});
      return;
    }
    if (auto* e = as<P::EmbeddedExecuteContext>(ctx)) {
      out_.pieces.push_back(OpaquePiece{Box<Statement>(embed_stmt_(e))});
      return;
    }
    if (auto* e = as<P::EmbeddedStmtContext>(ctx)) {
      out_.pieces.push_back(OpaquePiece{Box<Statement>(embed_stmt_(e))});
      return;
    }
    if (auto* e = as<P::EmbeddedExprContext>(ctx)) {
      Expr x = embed_expr_(e->aExpr());
      if (auto* f = x.as<FuncCall>()) out_.objects.push_back(ObjectRef{ObjectKind::Function, f->name});
      out_.pieces.push_back(OpaquePiece{Box<Expr>(std::move(x))});
      return;
    }
    if (auto* n = as<P::TableNameContext>(ctx)) {
      add(ObjectKind::Table, t_.qualifiedName(n->qualifiedName()));
    } else if (auto* n = as<P::ViewNameContext>(ctx)) {
      add(ObjectKind::View, t_.qualifiedName(n->qualifiedName()));
    } else if (auto* n = as<P::MatViewNameContext>(ctx)) {
      add(ObjectKind::MaterializedView, t_.qualifiedName(n->qualifiedName()));
    } else if (auto* n = as<P::IndexNameContext>(ctx)) {
      add(ObjectKind::Index, t_.qualifiedName(n->qualifiedName()));
    } else if (auto* n = as<P::FunctionNameContext>(ctx)) {
      add(ObjectKind::Function, t_.qualifiedName(n->qualifiedName()));
    } else if (auto* n = as<P::TriggerNameContext>(ctx)) {
      add(ObjectKind::Trigger, QualifiedName{{t_.colId(n->colId())}});
    } else if (auto* n = as<P::SchemaNameContext>(ctx)) {
      add(ObjectKind::Schema, QualifiedName{{t_.colId(n->colId())}});
    } else if (auto* n = as<P::RoleNameContext>(ctx)) {
      if (n->colId()) add(ObjectKind::Role, QualifiedName{{t_.colId(n->colId())}});
      else add(ObjectKind::Role, QualifiedName{{foldIdentifier(n->getText())}});
    } else if (auto* n = as<P::SavepointNameContext>(ctx)) {
      add(ObjectKind::Savepoint, QualifiedName{{t_.colId(n->colId())}});
    } else if (auto* n = as<P::PreparedNameContext>(ctx)) {
      add(ObjectKind::PreparedStatement, QualifiedName{{t_.colId(n->colId())}});
    } else if (auto* n = as<P::CursorNameContext>(ctx)) {
      add(ObjectKind::Cursor, QualifiedName{{t_.colId(n->colId())}});
    } else if (auto* n = as<P::ChannelNameContext>(ctx)) {
      add(ObjectKind::Channel, QualifiedName{{t_.colId(n->colId())}});
    } else if (auto* n = as<P::ServerNameContext>(ctx)) {
      add(ObjectKind::Server, QualifiedName{{t_.colId(n->colId())}});
    } else if (auto* n = as<P::SettingNameContext>(ctx)) {
      QualifiedName q;
      for (auto* c : n->colId()) q.parts.push_back(t_.colId(c));
      add(ObjectKind::Setting, std::move(q));
    } else if (auto* n = as<P::RelationExprContext>(ctx)) {
      add(ObjectKind::Table, t_.qualifiedName(n->qualifiedName()));
    } else if (auto* n = as<P::CreatedNameContext>(ctx)) {
      if (n->qualifiedName()) add(named_kind_, t_.qualifiedName(n->qualifiedName()));
      else add(ObjectKind::Role, QualifiedName{{foldIdentifier(n->getText())}});
    } else if (auto* n = as<P::AlteredNameContext>(ctx)) {
      if (n->qualifiedName()) add(named_kind_, t_.qualifiedName(n->qualifiedName()));
    } else if (auto* n = as<P::DroppedNameContext>(ctx)) {
      if (n->qualifiedName()) add(named_kind_, t_.qualifiedName(n->qualifiedName()));
    }
    for (auto* ch : ctx->children) walk(ch);
  }

 private:
  void add(ObjectKind kind, QualifiedName name) {
    ObjectRef ref{kind, std::move(name)};
    for (const auto& o : out_.objects)
      if (o == ref) return;
    out_.objects.push_back(std::move(ref));
  }

  Transformer& t_;
  UtilityStmt& out_;
  ObjectKind named_kind_;
  std::function<Statement(antlr4::ParserRuleContext*)> embed_stmt_;
  std::function<Expr(P::AExprContext*)> embed_expr_;
};

}  // namespace

Statement Transformer::utility(P::UtilityStmtContext* ctx) {
  Statement s;
  s.span = span(ctx);
  UtilityStmt u;
  ObjectKind named = ObjectKind::Other;
  std::string tag;

  if (as<P::CreateViewContext>(ctx)) tag = "CREATE VIEW";
  else if (as<P::CreateMatViewContext>(ctx)) tag = "CREATE MATERIALIZED VIEW";
  else if (as<P::CreateIndexContext>(ctx)) tag = "CREATE INDEX";
  else if (as<P::CreateTriggerContext>(ctx)) tag = "CREATE TRIGGER";
  else if (auto* c = as<P::CreatePolicyContext>(ctx)) {
    tag = "CREATE POLICY";
    u.objects.push_back(ObjectRef{ObjectKind::Policy, QualifiedName{{colId(c->colId())}}});
  } else if (auto* c = as<P::CreateRuleContext>(ctx)) {
    tag = "CREATE RULE";
    u.objects.push_back(ObjectRef{ObjectKind::Rule, QualifiedName{{colId(c->colId())}}});
  } else if (auto* c = as<P::CreateGenericContext>(ctx)) {
    ObjectType t = objectType(c->createObjectType());
    tag = "CREATE " + t.words;
    named = t.kind;
  } else if (auto* c = as<P::CreateTableContext>(ctx)) {
    tag = c->K_AS() ? "CREATE TABLE AS" : "CREATE TABLE";
    if (!c->K_AS() && !c->LPAREN() && !c->K_OF()) {
      fail(Span{span(ctx).end, span(ctx).end},
           "syntax error at end of input: CREATE TABLE needs a column list, OF type, "
           "PARTITION OF or AS query");
    }
  } else if (auto* c = as<P::AlterGenericContext>(ctx)) {
    ObjectType t = objectType(c->alterObjectType());
    tag = "ALTER " + t.words;
    named = t.kind;
  } else if (auto* c = as<P::UserMappingContext>(ctx)) {
    tag = upperAscii(c->children[0]->getText()) + " USER MAPPING";
  } else if (as<P::AlterDefaultPrivilegesContext>(ctx)) {
    tag = "ALTER DEFAULT PRIVILEGES";
  } else if (as<P::AlterSystemContext>(ctx)) {
    tag = "ALTER SYSTEM";
  } else if (auto* c = as<P::DropGenericContext>(ctx)) {
    ObjectType t = objectType(c->dropObjectType());
    tag = "DROP " + t.words;
    named = t.kind;
  } else if (as<P::DropOwnedContext>(ctx)) {
    tag = "DROP OWNED";
  } else if (as<P::TruncateStmtContext>(ctx)) {
    tag = "TRUNCATE TABLE";
  } else if (as<P::GrantOnContext>(ctx) || as<P::GrantRoleContext>(ctx)) {
    tag = "GRANT";
  } else if (as<P::RevokeOnContext>(ctx) || as<P::RevokeRoleContext>(ctx)) {
    tag = "REVOKE";
  } else if (as<P::CommentStmtContext>(ctx)) {
    tag = "COMMENT";
  } else if (as<P::SecurityLabelContext>(ctx)) {
    tag = "SECURITY LABEL";
  } else if (auto* c = as<P::SetStmtContext>(ctx)) {
    tag = "SET";
    auto* target = c->setTarget();
    if (target->settingName() == nullptr) {
      // SET ROLE, SET SESSION AUTHORIZATION, SET TIME ZONE, ...: name the
      // setting as PostgreSQL's GUC does.
      std::string w = words(target);
      std::string name = w == "TIME ZONE"                    ? "timezone"
                         : w == "SESSION AUTHORIZATION"      ? "session_authorization"
                         : w == "SESSION CHARACTERISTICS"    ? "session_characteristics"
                         : w == "TRANSACTION"                ? "transaction"
                         : w == "CONSTRAINTS"                ? "constraints"
                         : w == "NAMES"                      ? "client_encoding"
                         : w == "SCHEMA"                     ? "search_path"
                         : w == "ROLE"                       ? "role"
                                                             : "xmloption";
      u.objects.push_back(ObjectRef{ObjectKind::Setting, QualifiedName{{name}}});
    }
  } else if (auto* c = as<P::ResetStmtContext>(ctx)) {
    tag = "RESET";
    if (c->resetTarget()->settingName() == nullptr) {
      std::string w = words(c->resetTarget());
      u.objects.push_back(ObjectRef{ObjectKind::Setting,
                                    QualifiedName{{w == "TIME ZONE"               ? "timezone"
                                                   : w == "SESSION AUTHORIZATION" ? "session_authorization"
                                                                                  : "all"}}});
    }
  } else if (as<P::ShowStmtContext>(ctx)) {
    tag = "SHOW";
  } else if (auto* c = as<P::BeginStmtContext>(ctx)) {
    tag = c->K_BEGIN() ? "BEGIN" : "START TRANSACTION";
  } else if (as<P::CommitStmtContext>(ctx)) {
    tag = "COMMIT";
  } else if (as<P::CommitPreparedContext>(ctx)) {
    tag = "COMMIT PREPARED";
  } else if (as<P::RollbackStmtContext>(ctx) || as<P::RollbackToContext>(ctx)) {
    tag = "ROLLBACK";
  } else if (as<P::RollbackPreparedContext>(ctx)) {
    tag = "ROLLBACK PREPARED";
  } else if (as<P::SavepointStmtContext>(ctx)) {
    tag = "SAVEPOINT";
  } else if (as<P::ReleaseStmtContext>(ctx)) {
    tag = "RELEASE";
  } else if (as<P::PrepareTransactionContext>(ctx)) {
    tag = "PREPARE TRANSACTION";
  } else if (auto* c = as<P::DeallocateStmtContext>(ctx)) {
    tag = c->K_ALL() ? "DEALLOCATE ALL" : "DEALLOCATE";
  } else if (auto* c = as<P::FetchStmtContext>(ctx)) {
    tag = c->K_FETCH() ? "FETCH" : "MOVE";
  } else if (as<P::CloseStmtContext>(ctx)) {
    tag = "CLOSE CURSOR";
  } else if (as<P::ListenStmtContext>(ctx)) {
    tag = "LISTEN";
  } else if (as<P::UnlistenStmtContext>(ctx)) {
    tag = "UNLISTEN";
  } else if (as<P::NotifyStmtContext>(ctx)) {
    tag = "NOTIFY";
  } else if (as<P::DoStmtContext>(ctx)) {
    tag = "DO";
  } else if (as<P::CallStmtContext>(ctx)) {
    tag = "CALL";
  } else if (as<P::VacuumStmtContext>(ctx)) {
    tag = "VACUUM";
  } else if (as<P::AnalyzeStmtContext>(ctx)) {
    tag = "ANALYZE";
  } else if (as<P::ClusterStmtContext>(ctx)) {
    tag = "CLUSTER";
  } else if (as<P::ReindexStmtContext>(ctx)) {
    tag = "REINDEX";
  } else if (as<P::RefreshStmtContext>(ctx)) {
    tag = "REFRESH MATERIALIZED VIEW";
  } else if (as<P::LockStmtContext>(ctx)) {
    tag = "LOCK TABLE";
  } else if (auto* c = as<P::DiscardStmtContext>(ctx)) {
    tag = "DISCARD " + upperAscii(c->children.back()->getText());
    if (tag == "DISCARD TEMPORARY") tag = "DISCARD TEMP";
  } else if (as<P::CheckpointStmtContext>(ctx)) {
    tag = "CHECKPOINT";
  } else if (as<P::LoadStmtContext>(ctx)) {
    tag = "LOAD";
  } else if (as<P::ReassignStmtContext>(ctx)) {
    tag = "REASSIGN OWNED";
  } else if (as<P::ImportForeignSchemaContext>(ctx)) {
    tag = "IMPORT FOREIGN SCHEMA";
  } else {
    fail(ctx, "unsupported statement");
  }

  PieceCollector collector(
      *this, u, named,
      [this](antlr4::ParserRuleContext* c) -> Statement {
        if (auto* q = as<P::EmbeddedQueryContext>(c)) return preparable(q->preparableStmt());
        if (auto* s = as<P::EmbeddedStmtContext>(c)) return stmt(s->stmt());
        auto* e = as<P::EmbeddedExecuteContext>(c);
        Statement st;
        st.tag = "EXECUTE";
        st.span = span(e);
        ExecuteStmt ex;
        ex.name = colId(e->executeStmt()->colId());
        if (e->executeStmt()->exprList()) ex.params = exprList(e->executeStmt()->exprList());
        st.node = std::move(ex);
        return st;
      },
      [this](P::AExprContext* e) { return expr(e); });
  collector.walk(ctx);
  s.tag = std::move(tag);
  s.node = std::move(u);
  return s;
}

}  // namespace sqlwarden::sql::detail
