#pragma once
// Fusion adaptation of the AST structs the grammar fills by plain attribute
// propagation. Structs filled by semantic actions instead (Name, Pattern,
// Matcher, MaskSpec, the one-member statements) are not listed: X3 in Boost
// 1.74 cannot fill a one-member struct whose member is a container.
#include <boost/fusion/include/adapt_struct.hpp>

#include "policy/ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(sqlwarden::policy::ast::Allow, classes, tables)
BOOST_FUSION_ADAPT_STRUCT(sqlwarden::policy::ast::DenyStatement, classes, message)
BOOST_FUSION_ADAPT_STRUCT(sqlwarden::policy::ast::DenyFunction, functions, message)
BOOST_FUSION_ADAPT_STRUCT(sqlwarden::policy::ast::DenyTable, tables, message)
BOOST_FUSION_ADAPT_STRUCT(sqlwarden::policy::ast::Mask, column, mask)
BOOST_FUSION_ADAPT_STRUCT(sqlwarden::policy::ast::Filter, tables, condition)
BOOST_FUSION_ADAPT_STRUCT(sqlwarden::policy::ast::RequireApproval, classes, tables, without_where)
BOOST_FUSION_ADAPT_STRUCT(sqlwarden::policy::ast::MaskFunction, name, body)
