// PostgreSQL 16 parser for sqlwarden.
//
// Written for this project after PostgreSQL's src/backend/parser/gram.y and
// its documentation. Queries and data changes are parsed in full; every other
// statement is recognised by its head (command tag and the objects it names)
// with the rest kept as balanced tokens, in which embedded queries and
// expressions are still parsed in full (see `opaqueItem`).
//
// One statement at a time: the driver splits the token stream at top-level
// semicolons (src/sql/parser/parser.cpp) and parses each with `statementEntry`.
//
// Conventions: rules are camelCase; keyword tokens are K_<WORD>; labels name
// the alternatives the transformer dispatches on.
parser grammar SqlParser;

options { tokenVocab = SqlLexer; superClass = SqlParserBase; contextSuperClass = SqlContextBase; }

@header {
#include "sql/parser/sql_context_base.hpp"
#include "sql/parser/sql_parser_base.hpp"
}

statementEntry : stmt EOF ;

stmt
  : preparableStmt
  | explainStmt
  | prepareStmt
  | executeStmt
  | declareCursorStmt
  | copyStmt
  | utilityStmt
  ;

// Statements that may appear in a CTE body, PREPARE, EXPLAIN and COPY (...).
preparableStmt : withClause? preparableBody ;

preparableBody
  : selectClause selectTail     # bodySelect
  | insertRest                  # bodyInsert
  | updateRest                  # bodyUpdate
  | deleteRest                  # bodyDelete
  | mergeRest                   # bodyMerge
  ;

// ===========================================================================
// SELECT

selectStmt : selectNoParens | selectWithParens ;

selectWithParens
  : LPAREN selectNoParens RPAREN
  | LPAREN selectWithParens RPAREN
  ;

selectNoParens : withClause? selectClause selectTail ;

// ORDER BY, LIMIT / OFFSET / FETCH and locking, in the orders PostgreSQL allows
// (the transformer rejects a clause given twice).
selectTail : sortClause? selectTailItem* ;

selectTailItem
  : limitClause
  | offsetClause
  | fetchClause
  | lockingClause
  ;

// Left-recursive: INTERSECT binds tighter than UNION and EXCEPT.
selectClause
  : simpleSelect                                                       # selectSimple
  | selectWithParens                                                   # selectParens
  | selectClause K_INTERSECT setQuantifier? selectClause               # selectIntersect
  | selectClause (K_UNION | K_EXCEPT) setQuantifier? selectClause      # selectUnion
  ;

setQuantifier : K_ALL | K_DISTINCT ;

simpleSelect
  : K_SELECT (K_ALL | distinctClause)? targetList? intoClause? fromClause? whereClause?
      groupClause? havingClause? windowClause?                         # simpleSelectCore
  | valuesClause                                                       # simpleSelectValues
  | K_TABLE relationExpr                                               # simpleSelectTable
  ;

distinctClause : K_DISTINCT (K_ON LPAREN exprList RPAREN)? ;

targetList : targetEl (COMMA targetEl)* ;

targetEl
  : STAR                                   # targetStar
  | aExpr (K_AS colLabel | bareColLabel)?  # targetExpr
  ;

intoClause
  : K_INTO (K_TEMPORARY | K_TEMP | K_LOCAL (K_TEMPORARY | K_TEMP) | K_GLOBAL (K_TEMPORARY | K_TEMP)
      | K_UNLOGGED)? K_TABLE? qualifiedName
  ;

fromClause : K_FROM fromList ;

fromList : tableRef (COMMA tableRef)* ;

// A FROM item and the joins that follow it, left to right.
tableRef : tablePrimary joinPart* ;

joinPart
  : K_CROSS K_JOIN tablePrimary                      # joinCross
  | K_NATURAL joinType? K_JOIN tablePrimary          # joinNatural
  | joinType? K_JOIN tableRef joinQual               # joinQualified
  ;

joinType
  : K_INNER
  | (K_LEFT | K_RIGHT | K_FULL) K_OUTER?
  ;

joinQual
  : K_ON aExpr
  | K_USING LPAREN nameList RPAREN (K_AS colId)?
  ;

tablePrimary
  : relationExpr aliasClause? tablesampleClause?               # primaryRelation
  | K_LATERAL? funcTable funcAliasClause?                      # primaryFunction
  | K_LATERAL? selectWithParens aliasClause?                   # primarySubquery
  | LPAREN tableRef RPAREN aliasClause?                        # primaryJoin
  | K_LATERAL? xmlTable aliasClause?                           # primaryXmlTable
  ;

xmlTable
  : K_XMLTABLE LPAREN
      (K_XMLNAMESPACES LPAREN xmlNamespace (COMMA xmlNamespace)* RPAREN COMMA)?
      cExpr K_PASSING (K_BY (K_REF | K_VALUE))? cExpr (K_BY (K_REF | K_VALUE))?
      K_COLUMNS xmlTableColumn (COMMA xmlTableColumn)* RPAREN
  ;

xmlNamespace : bExpr K_AS colLabel | K_DEFAULT bExpr ;

xmlTableColumn
  : colId K_FOR K_ORDINALITY
  | colId typeName xmlColumnOption*
  ;

// PATH is not a keyword in PostgreSQL: any identifier is read here and the
// transformer accepts only `path`.
xmlColumnOption
  : IDENT bExpr
  | K_DEFAULT bExpr
  | K_NOT K_NULL
  | K_NULL
  ;

relationExpr
  : qualifiedName STAR?
  | K_ONLY qualifiedName
  | K_ONLY LPAREN qualifiedName RPAREN
  ;

aliasClause : K_AS? colId (LPAREN nameList RPAREN)? ;

funcAliasClause
  : K_AS? colId LPAREN tableFuncElementList RPAREN
  | K_AS LPAREN tableFuncElementList RPAREN
  | aliasClause
  ;

tableFuncElementList : tableFuncElement (COMMA tableFuncElement)* ;
tableFuncElement : colId typeName (K_COLLATE anyName)? ;

funcTable
  : funcExprWindowless (K_WITH K_ORDINALITY)?
  | K_ROWS K_FROM LPAREN rowsFromItem (COMMA rowsFromItem)* RPAREN (K_WITH K_ORDINALITY)?
  ;

rowsFromItem : funcExprWindowless (K_AS LPAREN tableFuncElementList RPAREN)? ;

tablesampleClause
  : K_TABLESAMPLE funcName LPAREN exprList RPAREN (K_REPEATABLE LPAREN aExpr RPAREN)?
  ;

whereClause : K_WHERE aExpr ;

groupClause : K_GROUP K_BY (K_ALL | K_DISTINCT)? groupByItem (COMMA groupByItem)* ;

groupByItem
  : K_CUBE LPAREN exprList RPAREN                                      # groupCube
  | K_ROLLUP LPAREN exprList RPAREN                                    # groupRollup
  | K_GROUPING K_SETS LPAREN groupByItem (COMMA groupByItem)* RPAREN   # groupSets
  | LPAREN RPAREN                                                      # groupEmpty
  | aExpr                                                              # groupExpr
  ;

havingClause : K_HAVING aExpr ;

windowClause : K_WINDOW windowDefinition (COMMA windowDefinition)* ;

windowDefinition : colId K_AS windowSpecification ;

windowSpecification
  : LPAREN colId? (K_PARTITION K_BY exprList)? sortClause? frameClause? RPAREN
  ;

frameClause
  : (K_RANGE | K_ROWS | K_GROUPS) (frameBound | K_BETWEEN frameBound K_AND frameBound)
      frameExclusion?
  ;

frameBound
  : K_UNBOUNDED (K_PRECEDING | K_FOLLOWING)
  | K_CURRENT K_ROW
  | aExpr (K_PRECEDING | K_FOLLOWING)
  ;

frameExclusion
  : K_EXCLUDE (K_CURRENT K_ROW | K_GROUP | K_TIES | K_NO K_OTHERS)
  ;

sortClause : K_ORDER K_BY sortBy (COMMA sortBy)* ;

sortBy
  : aExpr (K_ASC | K_DESC | K_USING qualAllOp)? (K_NULLS (K_FIRST | K_LAST))?
  ;

limitClause : K_LIMIT (K_ALL | aExpr) ;

offsetClause : K_OFFSET aExpr (K_ROW | K_ROWS)? ;

fetchClause
  : K_FETCH (K_FIRST | K_NEXT) fetchCount? (K_ROW | K_ROWS) (K_ONLY | K_WITH K_TIES)
  ;

fetchCount : cExpr | (PLUS | MINUS) (INTEGER | NUMERIC) ;

lockingClause
  : K_FOR lockStrength (K_OF qualifiedName (COMMA qualifiedName)*)? (K_NOWAIT | K_SKIP K_LOCKED)?
  | K_FOR K_READ K_ONLY
  ;

lockStrength
  : K_UPDATE
  | K_NO K_KEY K_UPDATE
  | K_SHARE
  | K_KEY K_SHARE
  ;

valuesClause : K_VALUES valuesRow (COMMA valuesRow)* ;

valuesRow : LPAREN exprList RPAREN ;

withClause : K_WITH K_RECURSIVE? commonTableExpr (COMMA commonTableExpr)* ;

commonTableExpr
  : colId (LPAREN nameList RPAREN)? K_AS (K_NOT? K_MATERIALIZED)?
      LPAREN preparableStmt RPAREN searchClause? cycleClause?
  ;

searchClause : K_SEARCH (K_DEPTH | K_BREADTH) K_FIRST K_BY nameList K_SET colId ;

cycleClause
  : K_CYCLE nameList K_SET colId (K_TO aExpr K_DEFAULT aExpr)? K_USING colId
  ;

// ===========================================================================
// INSERT / UPDATE / DELETE / MERGE

insertRest
  : K_INSERT K_INTO qualifiedName (K_AS colId)? (LPAREN insertColumnList RPAREN)?
      overridingClause? (selectStmt | K_DEFAULT K_VALUES) onConflict? returningClause?
  ;

overridingClause : K_OVERRIDING (K_USER | K_SYSTEM) K_VALUE ;

insertColumnList : insertColumn (COMMA insertColumn)* ;

insertColumn : colId indirectionEl* ;

onConflict
  : K_ON K_CONFLICT conflictTarget? K_DO (K_NOTHING | K_UPDATE K_SET setClauseList whereClause?)
  ;

conflictTarget
  : LPAREN indexElem (COMMA indexElem)* RPAREN whereClause?
  | K_ON K_CONSTRAINT colId
  ;

indexElem
  : (colId | funcExprWindowless | LPAREN aExpr RPAREN) (K_COLLATE anyName)? anyName?
      (K_ASC | K_DESC)? (K_NULLS (K_FIRST | K_LAST))?
  ;

returningClause : K_RETURNING targetList ;

updateRest
  : K_UPDATE relationExprOptAlias K_SET setClauseList fromClause? whereOrCurrent?
      returningClause?
  ;

setClauseList : setClause (COMMA setClause)* ;

setClause
  : insertColumn EQ aExpr                                   # setSingle
  | LPAREN insertColumnList RPAREN EQ aExpr                 # setMulti
  ;

whereOrCurrent
  : K_WHERE K_CURRENT K_OF colId   # whereCurrentOf
  | K_WHERE aExpr                  # whereExpr
  ;

relationExprOptAlias : relationExpr (K_AS? colId)? ;

deleteRest
  : K_DELETE K_FROM relationExprOptAlias (K_USING fromList)? whereOrCurrent? returningClause?
  ;

mergeRest
  : K_MERGE K_INTO relationExprOptAlias K_USING tableRef K_ON aExpr mergeWhen+ returningClause?
  ;

mergeWhen
  : K_WHEN K_MATCHED (K_AND aExpr)? K_THEN mergeMatchedAction             # mergeWhenMatched
  | K_WHEN K_NOT K_MATCHED (K_AND aExpr)? K_THEN mergeNotMatchedAction    # mergeWhenNotMatched
  ;

mergeMatchedAction
  : K_UPDATE K_SET setClauseList
  | K_DELETE
  | K_DO K_NOTHING
  ;

mergeNotMatchedAction
  : K_INSERT (LPAREN insertColumnList RPAREN)? overridingClause?
      (K_VALUES LPAREN exprList RPAREN | K_DEFAULT K_VALUES)
  | K_DO K_NOTHING
  ;

// ===========================================================================
// Statements wrapping statements

explainStmt
  : K_EXPLAIN LPAREN genericOption (COMMA genericOption)* RPAREN stmt   # explainOptions
  | K_EXPLAIN (K_ANALYZE | K_ANALYSE)? K_VERBOSE? stmt                 # explainLegacy
  ;

genericOption : colLabel genericOptionValue? ;

genericOptionValue
  : (PLUS | MINUS)? (INTEGER | NUMERIC)
  | sconst
  | colLabel
  | STAR
  | LPAREN genericOptionValue (COMMA genericOptionValue)* RPAREN
  ;

prepareStmt
  : K_PREPARE colId (LPAREN typeName (COMMA typeName)* RPAREN)? K_AS preparableStmt
  ;

executeStmt : K_EXECUTE colId (LPAREN exprList RPAREN)? ;

declareCursorStmt
  : K_DECLARE colId cursorOption* K_CURSOR ((K_WITH | K_WITHOUT) K_HOLD)? K_FOR selectStmt
  ;

cursorOption : K_NO K_SCROLL | K_SCROLL | K_BINARY | K_INSENSITIVE | K_ASENSITIVE ;

copyStmt
  : K_COPY K_BINARY? qualifiedName (LPAREN nameList RPAREN)? (K_FROM | K_TO) K_PROGRAM?
      copyTarget copyDelimiter? K_WITH? copyOptions? whereClause?                 # copyTable
  | K_COPY LPAREN preparableStmt RPAREN K_TO K_PROGRAM? copyTarget K_WITH? copyOptions?  # copyQuery
  ;

copyTarget : sconst | K_STDIN | K_STDOUT ;

copyDelimiter : K_USING? K_DELIMITERS sconst ;

copyOptions
  : LPAREN genericOption (COMMA genericOption)* RPAREN   # copyOptionsList
  | copyLegacyOption+                                   # copyOptionsLegacy
  ;

copyLegacyOption
  : K_BINARY
  | K_FREEZE
  | K_CSV
  | K_HEADER
  | (K_DELIMITER | K_NULL | K_QUOTE | K_ESCAPE | K_ENCODING) K_AS? sconst
  | K_FORCE K_QUOTE (nameList | STAR)
  | K_FORCE K_NOT K_NULL nameList
  | K_FORCE K_NULL nameList
  ;

// ===========================================================================
// Everything else: recognised by its head, the rest kept as balanced tokens.
// Wrapper rules below (tableName, functionName, roleName, ...) mark the
// objects a statement names; the transformer collects them wherever they are.

utilityStmt
  // First, so that it wins over reading MAPPING as a role name (ANTLR takes
  // the first of two alternatives that both match).
  : (K_CREATE | K_ALTER | K_DROP) K_USER K_MAPPING (ifNotExists | ifExists)?
      K_FOR roleName K_SERVER serverName opaqueItem*                             # userMapping
  | K_CREATE (K_OR K_REPLACE)? tempOption? K_RECURSIVE? K_VIEW viewName
      (LPAREN nameList RPAREN)? opaqueNoAs* K_AS embeddedQuery
      (K_WITH (K_CASCADED | K_LOCAL)? K_CHECK K_OPTION)?                          # createView
  | K_CREATE K_MATERIALIZED K_VIEW ifNotExists? matViewName (LPAREN nameList RPAREN)?
      opaqueNoAs* K_AS embeddedQuery withData?                                    # createMatView
  | K_CREATE K_UNIQUE? K_INDEX K_CONCURRENTLY? (ifNotExists? indexName)? K_ON K_ONLY?
      tableName opaqueItem*                                                      # createIndex
  | K_CREATE (K_OR K_REPLACE)? K_CONSTRAINT? K_TRIGGER triggerName opaqueNoOn+ K_ON tableName
      opaqueItem*                                                                # createTrigger
  | K_CREATE K_POLICY colId K_ON tableName opaqueItem*                           # createPolicy
  | K_CREATE (K_OR K_REPLACE)? K_RULE colId K_AS K_ON opaqueToken K_TO tableName
      (K_WHERE embeddedExpr)? K_DO (K_ALSO | K_INSTEAD)? ruleActions                # createRule
  | K_CREATE (K_OR K_REPLACE)? K_TRUSTED? K_PROCEDURAL? createObjectType ifNotExists?
      createdName? opaqueItem*                                                   # createGeneric
  // CREATE TABLE and CREATE TABLE AS share one alternative so that an error
  // in the element list is reported where it is, not at the end of input.
  | K_CREATE tempOption? K_TABLE ifNotExists? tableName
      (K_OF opaqueName | K_PARTITION K_OF tableName)?
      (LPAREN (tableElement (COMMA tableElement)*)? RPAREN)?
      tableTail? (K_AS (embeddedQuery | embeddedExecute) withData?)?             # createTable
  | K_ALTER alterObjectType ifExists? K_ONLY? alteredName opaqueItem+           # alterGeneric
  | K_ALTER K_DEFAULT K_PRIVILEGES opaqueItem*                                   # alterDefaultPrivileges
  | K_ALTER K_SYSTEM opaqueItem*                                                 # alterSystem
  | K_DROP dropObjectType K_CONCURRENTLY? ifExists? droppedName (COMMA droppedName)*
      (K_ON tableName | K_USING colId)? (K_CASCADE | K_RESTRICT)?
      (K_WITH LPAREN opaqueItem* RPAREN)?                                        # dropGeneric
  | K_DROP K_OWNED K_BY roleName (COMMA roleName)* (K_CASCADE | K_RESTRICT)?     # dropOwned
  | K_TRUNCATE K_TABLE? relationExpr (COMMA relationExpr)* opaqueItem*           # truncateStmt
  | K_GRANT privilegeItem+ K_ON grantTarget K_TO roleList opaqueItem*            # grantOn
  | K_GRANT privilegeItem+ K_TO roleList opaqueItem*                             # grantRole
  | K_REVOKE privilegeItem+ K_ON grantTarget K_FROM roleList opaqueItem*         # revokeOn
  | K_REVOKE privilegeItem+ K_FROM roleList opaqueItem*                          # revokeRole
  | K_COMMENT K_ON commentTarget K_IS (sconst | K_NULL)                          # commentStmt
  | K_SECURITY K_LABEL opaqueItem*                                               # securityLabel
  | K_SET (K_SESSION | K_LOCAL)? setTarget opaqueItem*                           # setStmt
  | K_RESET resetTarget                                                          # resetStmt
  | K_SHOW showTarget                                                            # showStmt
  | (K_BEGIN | K_START K_TRANSACTION) opaqueItem*                                # beginStmt
  | (K_COMMIT | K_END) (K_WORK | K_TRANSACTION)? (K_AND K_NO? K_CHAIN)?          # commitStmt
  | K_COMMIT K_PREPARED sconst                                                   # commitPrepared
  | (K_ROLLBACK | K_ABORT) (K_WORK | K_TRANSACTION)? (K_AND K_NO? K_CHAIN)?      # rollbackStmt
  | K_ROLLBACK (K_WORK | K_TRANSACTION)? K_TO K_SAVEPOINT? savepointName         # rollbackTo
  | K_ROLLBACK K_PREPARED sconst                                                 # rollbackPrepared
  | K_SAVEPOINT savepointName                                                    # savepointStmt
  | K_RELEASE K_SAVEPOINT? savepointName                                         # releaseStmt
  | K_PREPARE K_TRANSACTION sconst                                               # prepareTransaction
  | K_DEALLOCATE K_PREPARE? (preparedName | K_ALL)                               # deallocateStmt
  | (K_FETCH | K_MOVE) fetchDirection? (K_FROM | K_IN)? cursorName               # fetchStmt
  | K_CLOSE (cursorName | K_ALL)                                                 # closeStmt
  | K_LISTEN channelName                                                         # listenStmt
  | K_UNLISTEN (channelName | STAR)                                              # unlistenStmt
  | K_NOTIFY channelName (COMMA sconst)?                                         # notifyStmt
  | K_DO opaqueItem+                                                             # doStmt
  | K_CALL embeddedExpr                                                          # callStmt
  | K_VACUUM (LPAREN opaqueItem* RPAREN | vacuumWord*) relationList?             # vacuumStmt
  | (K_ANALYZE | K_ANALYSE) (LPAREN opaqueItem* RPAREN | K_VERBOSE)? relationList?  # analyzeStmt
  | K_CLUSTER (LPAREN opaqueItem* RPAREN)? K_VERBOSE?
      (tableName (K_USING colId)? | indexName K_ON tableName)?                   # clusterStmt
  | K_REINDEX (LPAREN opaqueItem* RPAREN)? reindexTarget                         # reindexStmt
  | K_REFRESH K_MATERIALIZED K_VIEW K_CONCURRENTLY? matViewName withData?        # refreshStmt
  | K_LOCK K_TABLE? relationExpr (COMMA relationExpr)* opaqueItem*               # lockStmt
  | K_DISCARD (K_ALL | K_PLANS | K_SEQUENCES | K_TEMP | K_TEMPORARY)             # discardStmt
  | K_CHECKPOINT                                                                 # checkpointStmt
  | K_LOAD sconst                                                                # loadStmt
  | K_REASSIGN K_OWNED K_BY roleList K_TO roleName                               # reassignStmt
  | K_IMPORT K_FOREIGN K_SCHEMA schemaName opaqueItem*                           # importForeignSchema
  ;

tempOption
  : (K_LOCAL | K_GLOBAL)? (K_TEMPORARY | K_TEMP)
  | K_UNLOGGED
  ;

ifNotExists : K_IF K_NOT K_EXISTS ;
ifExists : K_IF K_EXISTS ;

withData : K_WITH K_NO? K_DATA ;

// Object types of CREATE other than those with rules of their own above.
createObjectType
  : tempOption? K_SEQUENCE                          # objSequence
  | K_SCHEMA                                        # objSchema
  | K_FUNCTION                                      # objFunction
  | K_PROCEDURE                                     # objProcedure
  | K_AGGREGATE                                     # objAggregate
  | K_EVENT K_TRIGGER                               # objEventTrigger
  | (K_ROLE | K_USER | K_GROUP)                     # objRole
  | K_EXTENSION                                     # objExtension
  | K_TYPE                                          # objType
  | K_DOMAIN                                        # objDomain
  | K_DATABASE                                      # objDatabase
  | K_TABLESPACE                                    # objTablespace
  | K_DEFAULT? K_COLLATION                          # objCollation
  | K_DEFAULT? K_CONVERSION                         # objConversion
  | K_LANGUAGE                                      # objLanguage
  | K_OPERATOR (K_CLASS | K_FAMILY)?                # objOperator
  | K_STATISTICS                                    # objStatistics
  | K_PUBLICATION                                   # objPublication
  | K_SUBSCRIPTION                                  # objSubscription
  | K_SERVER                                        # objServer
  | K_FOREIGN K_TABLE                               # objForeignTable
  | K_FOREIGN K_DATA K_WRAPPER                      # objForeignDataWrapper
  | K_TEXT K_SEARCH (K_PARSER | K_DICTIONARY | K_TEMPLATE | K_CONFIGURATION)  # objTextSearch
  | K_ACCESS K_METHOD                               # objAccessMethod
  | K_CAST                                          # objCast
  | K_TRANSFORM                                     # objTransform
  ;

alterObjectType
  : K_TABLE                     # altTable
  | K_VIEW                      # altView
  | K_MATERIALIZED K_VIEW       # altMatView
  | K_INDEX                     # altIndex
  | K_TRIGGER                   # altTrigger
  | K_POLICY                    # altPolicy
  | K_RULE                      # altRule
  | K_ROUTINE                   # altRoutine
  | K_LARGE K_OBJECT            # altLargeObject
  | createObjectType            # altOther
  ;

dropObjectType
  : K_TABLE                     # dropTable
  | K_VIEW                      # dropView
  | K_MATERIALIZED K_VIEW       # dropMatView
  | K_INDEX                     # dropIndex
  | K_TRIGGER                   # dropTrigger
  | K_POLICY                    # dropPolicy
  | K_RULE                      # dropRule
  | K_ROUTINE                   # dropRoutine
  | createObjectType            # dropOther2
  ;

// The object a CREATE / ALTER / DROP names; its kind comes from the object type.
createdName : qualifiedName | roleSpecial ;
// Operators are named by symbol, large objects by number.
alteredName
  : qualifiedName
  | roleSpecial
  | K_ALL
  | (colId DOT)* allOp
  | INTEGER
  ;
// Functions and operators carry argument types; casts are `(a AS b)`; user
// mappings are `FOR role SERVER s`.
droppedName
  : qualifiedName (LPAREN opaqueItem* RPAREN)?
  | (colId DOT)* allOp LPAREN opaqueItem* RPAREN
  | LPAREN opaqueItem+ RPAREN
  | K_FOR opaqueItem+
  ;

// A column or constraint of CREATE TABLE (...): tokens up to the next comma.
tableElement : opaqueElement+ ;

// What follows CREATE TABLE's element list (INHERITS, PARTITION BY, USING,
// WITH (...), ON COMMIT, TABLESPACE); it never starts with a parenthesis.
tableTail
  : (K_INHERITS LPAREN tableName (COMMA tableName)* RPAREN | opaqueTokenNoAs) opaqueNoAs*
  ;

roleSpecial : K_CURRENT_USER | K_CURRENT_ROLE | K_SESSION_USER ;

ruleActions
  : K_NOTHING
  | embeddedStmt
  | LPAREN embeddedStmt? (SEMI embeddedStmt?)* RPAREN
  ;

privilegeItem
  : LPAREN opaqueItem* RPAREN
  | opaqueToken
  | COMMA
  ;

grantTarget
  : K_ALL (K_TABLES | K_SEQUENCES | K_FUNCTIONS | K_PROCEDURES | K_ROUTINES) K_IN K_SCHEMA
      schemaName (COMMA schemaName)*                                        # grantAllInSchema
  | K_SCHEMA schemaName (COMMA schemaName)*                                 # grantSchema
  | (K_FUNCTION | K_PROCEDURE | K_ROUTINE) functionSignature (COMMA functionSignature)*  # grantFunction
  | (K_DATABASE | K_TABLESPACE | K_LANGUAGE | K_TYPE | K_DOMAIN | K_SEQUENCE | K_PARAMETER
      | K_FOREIGN K_DATA K_WRAPPER | K_FOREIGN K_SERVER | K_LARGE K_OBJECT)
      opaqueName (COMMA opaqueName)*                                        # grantOther
  | K_TABLE? tableName (COMMA tableName)*                                   # grantTable
  ;

functionSignature : functionName (LPAREN opaqueItem* RPAREN)? ;

opaqueName : qualifiedName | INTEGER ;

roleList : roleSpec (COMMA roleSpec)* ;
roleSpec : K_GROUP? roleName ;

commentTarget
  : K_TABLE tableName
  | K_COLUMN qualifiedName
  | K_FUNCTION functionSignature
  | (K_VIEW | K_MATERIALIZED K_VIEW) viewName
  | K_INDEX indexName
  | K_SCHEMA schemaName
  | K_ROLE roleName
  | opaqueNoIs+
  ;

setTarget
  : K_TIME K_ZONE
  | K_SESSION K_AUTHORIZATION
  | K_SESSION K_CHARACTERISTICS
  | K_TRANSACTION
  | K_CONSTRAINTS
  | K_NAMES
  | K_SCHEMA
  | K_ROLE
  | K_XML K_OPTION
  | settingName
  ;

resetTarget
  : K_TIME K_ZONE
  | K_SESSION K_AUTHORIZATION
  | K_ALL
  | settingName
  ;

showTarget
  : K_TIME K_ZONE
  | K_TRANSACTION K_ISOLATION K_LEVEL
  | K_SESSION K_AUTHORIZATION
  | K_ALL
  | settingName
  ;

settingName : colId (DOT colId)* ;

fetchDirection
  : K_NEXT | K_PRIOR | K_FIRST | K_LAST
  | (K_ABSOLUTE | K_RELATIVE) signedInteger
  | signedInteger
  | K_ALL
  | (K_FORWARD | K_BACKWARD) (signedInteger | K_ALL)?
  ;

signedInteger : (PLUS | MINUS)? INTEGER ;

vacuumWord : K_FULL | K_FREEZE | K_VERBOSE | K_ANALYZE | K_ANALYSE ;

relationList : relationWithColumns (COMMA relationWithColumns)* ;
relationWithColumns : tableName (LPAREN nameList RPAREN)? ;

reindexTarget
  : K_INDEX K_CONCURRENTLY? indexName
  | K_TABLE K_CONCURRENTLY? tableName
  | (K_SCHEMA | K_DATABASE | K_SYSTEM) K_CONCURRENTLY? colId?
  ;

// Object name wrappers: each marks what kind of object a name is.
tableName : qualifiedName ;
viewName : qualifiedName ;
matViewName : qualifiedName ;
indexName : qualifiedName ;
triggerName : colId ;
functionName : qualifiedName ;
schemaName : colId ;
roleName : colId | roleSpecial | sconst ;
savepointName : colId ;
preparedName : colId ;
cursorName : colId ;
channelName : colId ;
serverName : colId ;

// Embedded statements and expressions inside otherwise opaque statements.
embeddedQuery : preparableStmt ;
embeddedExecute : executeStmt ;
embeddedStmt : stmt ;
embeddedExpr : aExpr ;

// Balanced token soup. Parentheses and brackets must match; a few constructs
// inside are parsed so the objects they name are not lost.
opaqueItem : opaqueElement | COMMA ;

opaqueElement
  : K_REFERENCES tableName (LPAREN nameList RPAREN)?
  | K_PARTITION K_OF tableName
  | K_INHERITS LPAREN tableName (COMMA tableName)* RPAREN
  | K_OWNER K_TO roleName
  | K_AUTHORIZATION roleName
  | K_CHECK LPAREN embeddedExpr RPAREN
  | K_EXECUTE (K_FUNCTION | K_PROCEDURE) functionName LPAREN opaqueItem* RPAREN
  | K_BEGIN K_ATOMIC (embeddedStmt? SEMI)* K_END
  | LPAREN opaqueItem* RPAREN
  | LBRACKET opaqueItem* RBRACKET
  | opaqueToken
  ;

opaqueNoAs : LPAREN opaqueItem* RPAREN | opaqueTokenNoAs | COMMA ;
opaqueNoOn : LPAREN opaqueItem* RPAREN | opaqueTokenNoOn | COMMA ;
opaqueNoIs : LPAREN opaqueItem* RPAREN | opaqueTokenNoIs | COMMA ;

opaqueToken : opaqueTokenNoAs | K_AS ;
opaqueTokenNoAs : opaqueTokenBase | K_ON | K_IS ;
opaqueTokenNoOn : opaqueTokenBase | K_AS | K_IS ;
opaqueTokenNoIs : opaqueTokenBase | K_AS | K_ON ;
opaqueTokenBase
  : ~(LPAREN | RPAREN | LBRACKET | RBRACKET | SEMI | COMMA | K_AS | K_ON | K_IS | ERROR_CHAR
      | UNTERMINATED_STRING | UNTERMINATED_QUOTED_IDENT | UNTERMINATED_BLOCK_COMMENT
      | UNTERMINATED_DOLLAR_STRING)
  ;

// ===========================================================================
// Expressions
//
// Left-recursive, one alternative per precedence level, tightest first, as
// in PostgreSQL's operator precedence table:
//   . :: [] unary+- COLLATE AT ^ */% +- (other operators) LIKE/BETWEEN/IN
//   comparison IS NOT AND OR

aExpr
  : cExpr                                                                  # exprPrimary
  | aExpr TYPECAST typeName                                                # exprCast
  | <assoc=right> (PLUS | MINUS) aExpr                                     # exprUnary
  | aExpr K_COLLATE anyName                                                # exprCollate
  | aExpr K_AT K_TIME K_ZONE aExpr                                         # exprAtTimeZone
  | aExpr CARET aExpr                                                      # exprBinary
  | aExpr CARET quantified                                                 # exprQuantified
  | aExpr (STAR | SLASH | PERCENT) aExpr                                   # exprBinary
  | aExpr (STAR | SLASH | PERCENT) quantified                              # exprQuantified
  | aExpr (PLUS | MINUS) aExpr                                             # exprBinary
  | aExpr (PLUS | MINUS) quantified                                        # exprQuantified
  // A prefix operator binds tighter than the same operator class used as
  // infix (PostgreSQL: `@ a || b` is `(@ a) || b`, `@ a + b` is `@ (a + b)`).
  | qualOp aExpr                                                           # exprPrefix
  | aExpr qualOp aExpr                                                     # exprBinary
  | aExpr qualOp quantified                                                # exprQuantified
  // ESCAPE binds tighter than LIKE / SIMILAR TO and only follows a pattern:
  // `a LIKE b ESCAPE c AND d` is `(a LIKE (b ESCAPE c)) AND d`, as in
  // PostgreSQL's grammar. The transformer rejects ESCAPE anywhere else.
  | aExpr K_ESCAPE aExpr                                                   # exprEscape
  | aExpr K_NOT? (K_LIKE | K_ILIKE) aExpr                                  # exprLike
  | aExpr K_NOT? (K_LIKE | K_ILIKE) quantified                             # exprQuantified
  | aExpr K_NOT? K_SIMILAR K_TO aExpr                                      # exprSimilar
  | aExpr K_NOT? K_BETWEEN (K_SYMMETRIC | K_ASYMMETRIC)? bExpr K_AND aExpr  # exprBetween
  | aExpr K_NOT? K_IN (selectWithParens | LPAREN exprList RPAREN)          # exprIn
  | aExpr (LT | GT | EQ | LE | GE | NEQ) aExpr                             # exprBinary
  | aExpr (LT | GT | EQ | LE | GE | NEQ) quantified                        # exprQuantified
  | aExpr K_IS K_NOT? K_DISTINCT K_FROM aExpr                              # exprIsDistinct
  | aExpr K_IS K_NOT? (K_NULL | K_TRUE | K_FALSE | K_UNKNOWN | K_DOCUMENT)  # exprIs
  | aExpr K_IS K_NOT? normalForm? K_NORMALIZED                             # exprIsNormalized
  | aExpr K_IS K_NOT? K_JSON (K_VALUE | K_ARRAY | K_OBJECT | K_SCALAR)?
      ((K_WITH | K_WITHOUT) K_UNIQUE K_KEYS?)?                             # exprIsJson
  | aExpr (K_ISNULL | K_NOTNULL)                                           # exprNullTest
  | <assoc=right> K_NOT aExpr                                              # exprNot
  | aExpr K_AND aExpr                                                      # exprAnd
  | aExpr K_OR aExpr                                                       # exprOr
  ;

// The restricted expression of BETWEEN's lower bound: no boolean operators,
// no LIKE / IN / BETWEEN / IS (except IS DISTINCT FROM and IS DOCUMENT).
bExpr
  : cExpr                                                                  # bPrimary
  | bExpr TYPECAST typeName                                                # bCast
  | <assoc=right> (PLUS | MINUS) bExpr                                     # bUnary
  | bExpr CARET bExpr                                                      # bBinary
  | bExpr (STAR | SLASH | PERCENT) bExpr                                   # bBinary
  | bExpr (PLUS | MINUS) bExpr                                             # bBinary
  | qualOp bExpr                                                           # bPrefix
  | bExpr qualOp bExpr                                                     # bBinary
  | bExpr (LT | GT | EQ | LE | GE | NEQ) bExpr                             # bBinary
  | bExpr K_IS K_NOT? K_DISTINCT K_FROM bExpr                              # bIsDistinct
  | bExpr K_IS K_NOT? K_DOCUMENT                                           # bIsDocument
  ;

cExpr
  : K_EXISTS selectWithParens                                        # cExists
  | K_ARRAY selectWithParens                                         # cArraySubquery
  | K_ARRAY arrayBrackets                                            # cArray
  | K_GROUPING LPAREN exprList RPAREN                                # cGrouping
  | explicitRow (K_OVERLAPS rowForOverlaps)?                        # cRow
  | caseExpr                                                         # cCase
  | funcExpr                                                         # cFunc
  | aexprConst                                                       # cConst
  | PARAM indirectionEl*                                             # cParam
  | selectWithParens indirectionEl*                                  # cSubquery
  // `(a)`, `(a).f`, `(a, b)` and `(a, b) OVERLAPS (c, d)` share one
  // alternative so the choice is made after the first expression, not by
  // looking ahead over it; the transformer rejects the invalid mixes.
  | LPAREN aExpr (COMMA exprList)? RPAREN
      (K_OVERLAPS rowForOverlaps | indirectionEl*)                   # cParens
  | colId indirectionEl*                                             # cColumn
  | K_DEFAULT                                                        # cDefault
  ;

rowForOverlaps : explicitRow | LPAREN aExpr COMMA exprList RPAREN ;

explicitRow : K_ROW LPAREN exprList? RPAREN ;

arrayBrackets
  : LBRACKET (exprList | arrayBrackets (COMMA arrayBrackets)*)? RBRACKET
  ;


indirectionEl
  : DOT colLabel                                          # indField
  | DOT STAR                                              # indStar
  | LBRACKET aExpr RBRACKET                               # indSubscript
  | LBRACKET lower=aExpr? COLON upper=aExpr? RBRACKET     # indSlice
  ;

caseExpr
  : K_CASE aExpr? caseWhen+ (K_ELSE aExpr)? K_END
  ;

caseWhen : K_WHEN aExpr K_THEN aExpr ;

exprList : aExpr (COMMA aExpr)* ;

// ---------------------------------------------------------------------------
// Constants

aexprConst
  : INTEGER                                                   # constInteger
  | NUMERIC                                                   # constNumeric
  | sconst                                                    # constString
  | BIT_STRING                                                # constBits
  | HEX_STRING                                                # constHex
  | funcName sconst                                           # constTypedGeneric
  | funcName LPAREN funcArgList RPAREN sconst                 # constTypedGenericMod
  | constTypeName sconst                                      # constTyped
  | K_INTERVAL sconst intervalFields?                         # constInterval
  | K_INTERVAL LPAREN INTEGER RPAREN sconst                   # constIntervalPrecision
  | K_TRUE                                                    # constTrue
  | K_FALSE                                                   # constFalse
  | K_NULL                                                    # constNull
  ;

sconst
  : STRING
  | ESCAPE_STRING
  | NATIONAL_STRING
  | UNICODE_STRING (K_UESCAPE STRING)?
  | DOLLAR_STRING
  ;

// ---------------------------------------------------------------------------
// Function calls

funcExpr
  : funcApplication withinGroupClause? filterClause? overClause?   # funcCall
  | funcExprSpecial                                                # funcSpecial
  ;

funcExprWindowless : funcApplication | funcExprSpecial ;

funcApplication
  : funcName LPAREN (
        STAR
      | funcArgList sortClause?
      | K_VARIADIC funcArgExpr sortClause?
      | funcArgList COMMA K_VARIADIC funcArgExpr sortClause?
      | (K_ALL | K_DISTINCT) funcArgList sortClause?
    )? RPAREN
  ;

funcArgList : funcArgExpr (COMMA funcArgExpr)* ;

funcArgExpr
  : typeFunctionName (COLON_EQUALS | EQUALS_GREATER) aExpr
  | aExpr
  ;

withinGroupClause : K_WITHIN K_GROUP LPAREN sortClause RPAREN ;

filterClause : K_FILTER LPAREN K_WHERE aExpr RPAREN ;

overClause : K_OVER (windowSpecification | colId) ;

funcExprSpecial
  : K_COLLATION K_FOR LPAREN aExpr RPAREN                                       # specCollationFor
  | (K_CURRENT_DATE | K_CURRENT_ROLE | K_CURRENT_USER | K_SESSION_USER | K_SYSTEM_USER
      | K_USER | K_CURRENT_CATALOG | K_CURRENT_SCHEMA)                            # specNoArgs
  | (K_CURRENT_TIME | K_CURRENT_TIMESTAMP | K_LOCALTIME | K_LOCALTIMESTAMP)
      (LPAREN INTEGER RPAREN)?                                                  # specTime
  | K_CAST LPAREN aExpr K_AS typeName RPAREN                                    # specCast
  | K_TREAT LPAREN aExpr K_AS typeName RPAREN                                   # specTreat
  | K_EXTRACT LPAREN extractField K_FROM aExpr RPAREN                           # specExtract
  | K_NORMALIZE LPAREN aExpr (COMMA normalForm)? RPAREN                         # specNormalize
  | K_OVERLAY LPAREN aExpr K_PLACING aExpr K_FROM aExpr (K_FOR aExpr)? RPAREN    # specOverlay
  | K_POSITION LPAREN bExpr K_IN bExpr RPAREN                                   # specPosition
  | K_SUBSTRING LPAREN aExpr K_FROM aExpr (K_FOR aExpr)? RPAREN                 # specSubstringFrom
  | K_SUBSTRING LPAREN aExpr K_FOR aExpr (K_FROM aExpr)? RPAREN                 # specSubstringFor
  | K_SUBSTRING LPAREN aExpr K_SIMILAR aExpr K_ESCAPE aExpr RPAREN              # specSubstringSimilar
  | (K_SUBSTRING | K_OVERLAY) LPAREN funcArgList? RPAREN                        # specPlainCall
  | K_TRIM LPAREN (K_BOTH | K_LEADING | K_TRAILING)? (aExpr? K_FROM)? exprList RPAREN  # specTrim
  | K_NULLIF LPAREN aExpr COMMA aExpr RPAREN                                    # specNullIf
  | (K_COALESCE | K_GREATEST | K_LEAST | K_XMLCONCAT) LPAREN exprList RPAREN   # specVariadic
  | K_JSON_OBJECT LPAREN funcArgList RPAREN                                     # specJsonObjectCall
  | K_JSON_OBJECT LPAREN (jsonKeyValue (COMMA jsonKeyValue)*)? jsonNullClause?
      jsonUniqueClause? jsonReturning? RPAREN                                   # specJsonObject
  | K_JSON_ARRAY LPAREN (jsonValueExpr (COMMA jsonValueExpr)*)? jsonNullClause?
      jsonReturning? RPAREN                                                     # specJsonArray
  | K_JSON_ARRAY LPAREN selectNoParens jsonFormat? jsonReturning? RPAREN         # specJsonArrayQuery
  | K_JSON_OBJECTAGG LPAREN jsonKeyValue jsonNullClause? jsonUniqueClause?
      jsonReturning? RPAREN filterClause? overClause?                           # specJsonObjectAgg
  | K_JSON_ARRAYAGG LPAREN jsonValueExpr sortClause? jsonNullClause?
      jsonReturning? RPAREN filterClause? overClause?                           # specJsonArrayAgg
  | K_XMLELEMENT LPAREN K_NAME colLabel (COMMA xmlAttributes)? (COMMA exprList)? RPAREN  # specXmlElement
  | K_XMLFOREST LPAREN xmlAttributeList RPAREN                                  # specXmlForest
  | K_XMLPARSE LPAREN (K_DOCUMENT | K_CONTENT) aExpr
      ((K_PRESERVE | K_STRIP) K_WHITESPACE)? RPAREN                             # specXmlParse
  | K_XMLPI LPAREN K_NAME colLabel (COMMA aExpr)? RPAREN                        # specXmlPi
  | K_XMLROOT LPAREN aExpr COMMA K_VERSION (aExpr | K_NO K_VALUE)
      (COMMA K_STANDALONE (K_YES | K_NO K_VALUE | K_NO))? RPAREN                # specXmlRoot
  | K_XMLSERIALIZE LPAREN (K_DOCUMENT | K_CONTENT) aExpr K_AS typeName
      (K_NO? K_INDENT)? RPAREN                                                  # specXmlSerialize
  | K_XMLEXISTS LPAREN cExpr K_PASSING (K_BY (K_REF | K_VALUE))? cExpr
      (K_BY (K_REF | K_VALUE))? RPAREN                                          # specXmlExists
  ;

// SQL/JSON constructors (PostgreSQL 16). Kept as written: the transformer
// stores them as SpecialFunc with their clauses as words.
jsonKeyValue : jsonValueExpr (K_VALUE | COLON) jsonValueExpr ;
jsonValueExpr : aExpr jsonFormat? ;
jsonFormat : K_FORMAT K_JSON (K_ENCODING colId)? ;
jsonNullClause : (K_NULL | K_ABSENT) K_ON K_NULL ;
jsonUniqueClause : (K_WITH | K_WITHOUT) K_UNIQUE K_KEYS? ;
jsonReturning : K_RETURNING typeName jsonFormat? ;

xmlAttributes : K_XMLATTRIBUTES LPAREN xmlAttributeList RPAREN ;
xmlAttributeList : xmlAttribute (COMMA xmlAttribute)* ;
xmlAttribute : aExpr (K_AS colLabel)? ;

extractField
  : IDENT | K_YEAR | K_MONTH | K_DAY | K_HOUR | K_MINUTE | K_SECOND | sconst | colLabel
  ;

normalForm : K_NFC | K_NFD | K_NFKC | K_NFKD ;

// ---------------------------------------------------------------------------
// Operators

qualOp
  : OPERATOR
  | K_OPERATOR LPAREN anyOperator RPAREN
  ;

qualAllOp
  : allOp
  | K_OPERATOR LPAREN anyOperator RPAREN
  ;

// `ANY (array)` / `ALL (subquery)` after an operator; the operator's own
// precedence level decides how much of the left side it takes.
quantified : (K_ANY | K_SOME | K_ALL) (selectWithParens | LPAREN aExpr RPAREN) ;

anyOperator : (colId DOT)* allOp ;

allOp
  : OPERATOR | PLUS | MINUS | STAR | SLASH | PERCENT | CARET | LT | GT | EQ | LE | GE | NEQ
  ;

// ---------------------------------------------------------------------------
// Type names

typeName
  : K_SETOF? simpleTypeName arrayBounds                          # typeWithBounds
  | K_SETOF? simpleTypeName K_ARRAY (LBRACKET INTEGER RBRACKET)?  # typeArrayKeyword
  | qualifiedName PERCENT K_TYPE                                  # typePercent
  ;

arrayBounds : (LBRACKET INTEGER? RBRACKET)* ;

simpleTypeName
  : constTypeName
  | K_INTERVAL intervalFields?
  | K_INTERVAL LPAREN INTEGER RPAREN
  | genericType
  ;

// Types that may prefix a string constant (`timestamp '...'`).
constTypeName
  : numericType
  | bitType
  | characterType
  | datetimeType
  | K_JSON
  ;

genericType : typeFunctionName (DOT colLabel)* (LPAREN exprList RPAREN)? ;

numericType
  : K_INT | K_INTEGER | K_SMALLINT | K_BIGINT | K_REAL | K_BOOLEAN
  | K_FLOAT (LPAREN INTEGER RPAREN)?
  | K_DOUBLE K_PRECISION
  | (K_DECIMAL | K_DEC | K_NUMERIC) (LPAREN exprList RPAREN)?
  ;

bitType : K_BIT K_VARYING? (LPAREN exprList RPAREN)? ;

characterType
  : (K_CHARACTER K_VARYING? | K_CHAR K_VARYING? | K_VARCHAR
      | K_NATIONAL (K_CHARACTER | K_CHAR) K_VARYING? | K_NCHAR K_VARYING?)
    (LPAREN INTEGER RPAREN)?
  ;

datetimeType
  : (K_TIMESTAMP | K_TIME) (LPAREN INTEGER RPAREN)? ((K_WITH | K_WITHOUT) K_TIME K_ZONE)?
  ;

intervalFields
  : K_YEAR (K_TO K_MONTH)?
  | K_MONTH
  | K_DAY (K_TO (K_HOUR | K_MINUTE | intervalSecond))?
  | K_HOUR (K_TO (K_MINUTE | intervalSecond))?
  | K_MINUTE (K_TO intervalSecond)?
  | intervalSecond
  ;

intervalSecond : K_SECOND (LPAREN INTEGER RPAREN)? ;

// ---------------------------------------------------------------------------
// Names

qualifiedName : colId (DOT colLabel)* ;

anyName : colId (DOT colLabel)* ;

funcName
  : typeFunctionName
  | colId (DOT colLabel)+
  ;

nameList : colId (COMMA colId)* ;

// Identifier tokens are spelled out in each name rule rather than shared
// through an `identifier` rule: names are the most frequent nodes, and each
// rule level costs a context in the tree.
colId
  : IDENT | QUOTED_IDENT | UNICODE_QUOTED_IDENT (K_UESCAPE STRING)?
  | unreservedKeyword | colNameKeyword
  ;

typeFunctionName
  : IDENT | QUOTED_IDENT | UNICODE_QUOTED_IDENT (K_UESCAPE STRING)?
  | unreservedKeyword | typeFuncNameKeyword
  ;

colLabel
  : IDENT | QUOTED_IDENT | UNICODE_QUOTED_IDENT (K_UESCAPE STRING)?
  | unreservedKeyword | colNameKeyword | typeFuncNameKeyword | reservedKeyword
  ;

// Aliases written without AS: any name except keywords that could continue
// the expression before them.
bareColLabel
  : IDENT | QUOTED_IDENT | UNICODE_QUOTED_IDENT (K_UESCAPE STRING)?
  | unreservedKeyword | bareColNameKeyword
  ;

bareColNameKeyword
  : K_BIGINT | K_BIT | K_BOOLEAN | K_CHAR | K_CHARACTER | K_COALESCE | K_DEC | K_DECIMAL
  | K_EXISTS | K_EXTRACT | K_FLOAT | K_GREATEST | K_GROUPING | K_INOUT | K_INT | K_INTEGER
  | K_INTERVAL | K_JSON | K_LEAST | K_NATIONAL | K_NCHAR | K_NONE | K_NORMALIZE | K_NULLIF
  | K_NUMERIC | K_OUT | K_OVERLAY | K_POSITION | K_PRECISION | K_REAL | K_ROW | K_SETOF
  | K_SMALLINT | K_SUBSTRING | K_TIME | K_TIMESTAMP | K_TREAT | K_TRIM | K_VALUES | K_VARCHAR
  ;

// Keyword categories, as PostgreSQL 16's kwlist.h.

unreservedKeyword
  :
      K_ABORT | K_ABSENT | K_ABSOLUTE | K_ACCESS | K_ACTION | K_ADD | K_ADMIN | K_AFTER
    | K_AGGREGATE | K_ALSO | K_ALTER | K_ALWAYS | K_ASENSITIVE | K_ASSERTION | K_ASSIGNMENT
    | K_AT | K_ATOMIC | K_ATTACH | K_ATTRIBUTE | K_BACKWARD | K_BEFORE | K_BEGIN | K_BREADTH
    | K_BY | K_CACHE | K_CALL | K_CALLED | K_CASCADE | K_CASCADED | K_CATALOG | K_CHAIN
    | K_CHARACTERISTICS | K_CHECKPOINT | K_CLASS | K_CLOSE | K_CLUSTER | K_COLUMNS | K_COMMENT
    | K_COMMENTS | K_COMMIT | K_COMMITTED | K_COMPRESSION | K_CONFIGURATION | K_CONFLICT
    | K_CONNECTION | K_CONSTRAINTS | K_CONTENT | K_CONTINUE | K_CONVERSION | K_COPY | K_COST
    | K_CSV | K_CUBE | K_CURRENT | K_CURSOR | K_CYCLE | K_DATA | K_DATABASE | K_DAY
    | K_DEALLOCATE | K_DECLARE | K_DEFAULTS | K_DEFERRED | K_DEFINER | K_DELETE | K_DELIMITER
    | K_DELIMITERS | K_DEPENDS | K_DEPTH | K_DETACH | K_DICTIONARY | K_DISABLE | K_DISCARD
    | K_DOCUMENT | K_DOMAIN | K_DOUBLE | K_DROP | K_EACH | K_ENABLE | K_ENCODING | K_ENCRYPTED
    | K_ENUM | K_ESCAPE | K_EVENT | K_EXCLUDE | K_EXCLUDING | K_EXCLUSIVE | K_EXECUTE
    | K_EXPLAIN | K_EXPRESSION | K_EXTENSION | K_EXTERNAL | K_FAMILY | K_FILTER | K_FINALIZE
    | K_FIRST | K_FOLLOWING | K_FORCE | K_FORMAT | K_FORWARD | K_FUNCTION | K_FUNCTIONS
    | K_GENERATED | K_GLOBAL | K_GRANTED | K_GROUPS | K_HANDLER | K_HEADER | K_HOLD | K_HOUR
    | K_IDENTITY | K_IF | K_IMMEDIATE | K_IMMUTABLE | K_IMPLICIT | K_IMPORT | K_INCLUDE
    | K_INCLUDING | K_INCREMENT | K_INDENT | K_INDEX | K_INDEXES | K_INHERIT | K_INHERITS
    | K_INLINE | K_INPUT | K_INSENSITIVE | K_INSERT | K_INSTEAD | K_INVOKER | K_ISOLATION
    | K_KEY | K_KEYS | K_LABEL | K_LANGUAGE | K_LARGE | K_LAST | K_LEAKPROOF | K_LEVEL
    | K_LISTEN | K_LOAD | K_LOCAL | K_LOCATION | K_LOCK | K_LOCKED | K_LOGGED | K_MAPPING
    | K_MATCH | K_MATCHED | K_MATERIALIZED | K_MAXVALUE | K_MERGE | K_METHOD | K_MINUTE
    | K_MINVALUE | K_MODE | K_MONTH | K_MOVE | K_NAME | K_NAMES | K_NEW | K_NEXT | K_NFC
    | K_NFD | K_NFKC | K_NFKD | K_NO | K_NORMALIZED | K_NOTHING | K_NOTIFY | K_NOWAIT | K_NULLS
    | K_OBJECT | K_OF | K_OFF | K_OIDS | K_OLD | K_OPERATOR | K_OPTION | K_OPTIONS
    | K_ORDINALITY | K_OTHERS | K_OVER | K_OVERRIDING | K_OWNED | K_OWNER | K_PARALLEL
    | K_PARAMETER | K_PARSER | K_PARTIAL | K_PARTITION | K_PASSING | K_PASSWORD | K_PLANS
    | K_POLICY | K_PRECEDING | K_PREPARE | K_PREPARED | K_PRESERVE | K_PRIOR | K_PRIVILEGES
    | K_PROCEDURAL | K_PROCEDURE | K_PROCEDURES | K_PROGRAM | K_PUBLICATION | K_QUOTE | K_RANGE
    | K_READ | K_REASSIGN | K_RECHECK | K_RECURSIVE | K_REF | K_REFERENCING | K_REFRESH
    | K_REINDEX | K_RELATIVE | K_RELEASE | K_RENAME | K_REPEATABLE | K_REPLACE | K_REPLICA
    | K_RESET | K_RESTART | K_RESTRICT | K_RETURN | K_RETURNS | K_REVOKE | K_ROLE | K_ROLLBACK
    | K_ROLLUP | K_ROUTINE | K_ROUTINES | K_ROWS | K_RULE | K_SAVEPOINT | K_SCALAR | K_SCHEMA
    | K_SCHEMAS | K_SCROLL | K_SEARCH | K_SECOND | K_SECURITY | K_SEQUENCE | K_SEQUENCES
    | K_SERIALIZABLE | K_SERVER | K_SESSION | K_SET | K_SETS | K_SHARE | K_SHOW | K_SIMPLE
    | K_SKIP | K_SNAPSHOT | K_SQL | K_STABLE | K_STANDALONE | K_START | K_STATEMENT
    | K_STATISTICS | K_STDIN | K_STDOUT | K_STORAGE | K_STORED | K_STRICT | K_STRIP
    | K_SUBSCRIPTION | K_SUPPORT | K_SYSID | K_SYSTEM | K_TABLES | K_TABLESPACE | K_TEMP
    | K_TEMPLATE | K_TEMPORARY | K_TEXT | K_TIES | K_TRANSACTION | K_TRANSFORM | K_TRIGGER
    | K_TRUNCATE | K_TRUSTED | K_TYPE | K_TYPES | K_UESCAPE | K_UNBOUNDED | K_UNCOMMITTED
    | K_UNENCRYPTED | K_UNKNOWN | K_UNLISTEN | K_UNLOGGED | K_UNTIL | K_UPDATE | K_VACUUM
    | K_VALID | K_VALIDATE | K_VALIDATOR | K_VALUE | K_VARYING | K_VERSION | K_VIEW | K_VIEWS
    | K_VOLATILE | K_WHITESPACE | K_WITHIN | K_WITHOUT | K_WORK | K_WRAPPER | K_WRITE | K_XML
    | K_YEAR | K_YES | K_ZONE
  ;

colNameKeyword
  :
      K_BETWEEN | K_BIGINT | K_BIT | K_BOOLEAN | K_CHAR | K_CHARACTER | K_COALESCE | K_DEC
    | K_DECIMAL | K_EXISTS | K_EXTRACT | K_FLOAT | K_GREATEST | K_GROUPING | K_INOUT | K_INT
    | K_INTEGER | K_INTERVAL | K_JSON | K_JSON_ARRAY | K_JSON_ARRAYAGG | K_JSON_OBJECT
    | K_JSON_OBJECTAGG | K_LEAST | K_NATIONAL | K_NCHAR | K_NONE | K_NORMALIZE | K_NULLIF
    | K_NUMERIC | K_OUT | K_OVERLAY | K_POSITION | K_PRECISION | K_REAL | K_ROW | K_SETOF
    | K_SMALLINT | K_SUBSTRING | K_TIME | K_TIMESTAMP | K_TREAT | K_TRIM | K_VALUES | K_VARCHAR
    | K_XMLATTRIBUTES | K_XMLCONCAT | K_XMLELEMENT | K_XMLEXISTS | K_XMLFOREST
    | K_XMLNAMESPACES | K_XMLPARSE | K_XMLPI | K_XMLROOT | K_XMLSERIALIZE | K_XMLTABLE
  ;

typeFuncNameKeyword
  :
      K_AUTHORIZATION | K_BINARY | K_COLLATION | K_CONCURRENTLY | K_CROSS | K_CURRENT_SCHEMA
    | K_FREEZE | K_FULL | K_ILIKE | K_INNER | K_IS | K_ISNULL | K_JOIN | K_LEFT | K_LIKE
    | K_NATURAL | K_NOTNULL | K_OUTER | K_OVERLAPS | K_RIGHT | K_SIMILAR | K_TABLESAMPLE
    | K_VERBOSE
  ;

reservedKeyword
  :
      K_ALL | K_ANALYSE | K_ANALYZE | K_AND | K_ANY | K_ARRAY | K_AS | K_ASC | K_ASYMMETRIC
    | K_BOTH | K_CASE | K_CAST | K_CHECK | K_COLLATE | K_COLUMN | K_CONSTRAINT | K_CREATE
    | K_CURRENT_CATALOG | K_CURRENT_DATE | K_CURRENT_ROLE | K_CURRENT_TIME
    | K_CURRENT_TIMESTAMP | K_CURRENT_USER | K_DEFAULT | K_DEFERRABLE | K_DESC | K_DISTINCT
    | K_DO | K_ELSE | K_END | K_EXCEPT | K_FALSE | K_FETCH | K_FOR | K_FOREIGN | K_FROM
    | K_GRANT | K_GROUP | K_HAVING | K_IN | K_INITIALLY | K_INTERSECT | K_INTO | K_LATERAL
    | K_LEADING | K_LIMIT | K_LOCALTIME | K_LOCALTIMESTAMP | K_NOT | K_NULL | K_OFFSET | K_ON
    | K_ONLY | K_OR | K_ORDER | K_PLACING | K_PRIMARY | K_REFERENCES | K_RETURNING | K_SELECT
    | K_SESSION_USER | K_SOME | K_SYMMETRIC | K_SYSTEM_USER | K_TABLE | K_THEN | K_TO
    | K_TRAILING | K_TRUE | K_UNION | K_UNIQUE | K_USER | K_USING | K_VARIADIC | K_WHEN
    | K_WHERE | K_WINDOW | K_WITH
  ;

