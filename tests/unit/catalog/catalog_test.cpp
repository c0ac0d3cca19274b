#include <doctest/doctest.h>

#include "catalog/catalog.hpp"

using sqlwarden::catalog::TypeCategory;

TEST_CASE("catalog: columns and types from CREATE TABLE statements") {
  const auto r = sqlwarden::catalog::loadCatalog(
      "CREATE TABLE s.t (id bigint PRIMARY KEY, \"Name\" character varying(20) NOT NULL,"
      " born date DEFAULT now(), score numeric(10, 2) CHECK (score > 0), tags text[],"
      " CONSTRAINT pk PRIMARY KEY (id), FOREIGN KEY (id) REFERENCES u (id));"
      "CREATE INDEX i ON s.t (id); CREATE TABLE plain (flag boolean);");
  REQUIRE(r.errors.empty());
  REQUIRE(r.catalog.tables().size() == 2);
  const auto* t = r.catalog.find("s", "t");
  REQUIRE(t != nullptr);
  REQUIRE(t->columns.size() == 5);
  CHECK(t->columns[0].name == "id");
  CHECK(t->columns[0].category == TypeCategory::Numeric);
  CHECK(t->columns[1].name == "Name");
  CHECK(t->columns[1].type == "character varying(20)");
  CHECK(t->columns[1].category == TypeCategory::Text);
  CHECK(t->column("born")->category == TypeCategory::DateTime);
  CHECK(t->column("score")->type == "numeric(10, 2)");
  CHECK(t->column("tags")->category == TypeCategory::Other);
  const auto* plain = r.catalog.find("public", "plain");
  REQUIRE(plain != nullptr);
  CHECK(plain->column("flag")->category == TypeCategory::Boolean);
}

TEST_CASE("catalog: a schema file with a syntax error reports it") {
  const auto r = sqlwarden::catalog::loadCatalog("CREATE TABLE t (a int);\nCREATE TABEL u (b int);");
  CHECK(r.catalog.tables().size() == 1);
  REQUIRE(r.errors.size() == 1);
  CHECK(r.errors[0].message == "syntax error at or near \"TABEL\"");
}
