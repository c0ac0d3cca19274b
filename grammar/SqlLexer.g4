// PostgreSQL 16 lexer for sqlwarden.
//
// Follows src/backend/parser/scan.l of PostgreSQL: keywords are matched
// case-insensitively (letter fragments, since the 4.7 tool has no
// caseInsensitive option), quoted and Unicode identifiers, all string forms,
// dollar quoting, nested block comments and PostgreSQL's operator rules.
// Two things need code: a dollar-quoted body ends at the matching tag, and a
// run of operator characters is cut where PostgreSQL cuts it; both live in
// SqlLexerBase (src/sql/parser/sql_lexer_base.hpp).
lexer grammar SqlLexer;

options { superClass = SqlLexerBase; }

// Types SqlLexerBase::finishOperator() assigns; never matched directly.
tokens { EQ, NEQ, LT, GT, LE, GE, PLUS, MINUS, STAR, SLASH, PERCENT, CARET, EQUALS_GREATER,
         UNTERMINATED_DOLLAR_STRING, LINE_COMMENT, BLOCK_COMMENT, UNTERMINATED_BLOCK_COMMENT }

@header {
#include "sql/parser/sql_lexer_base.hpp"
}

@members {
 protected:
  OperatorTypes operatorTypes() const override {
    return {EQ, NEQ, LT, GT, LE, GE, PLUS, MINUS, STAR, SLASH, PERCENT, CARET, EQUALS_GREATER,
            OPERATOR, UNTERMINATED_DOLLAR_STRING, LINE_COMMENT, BLOCK_COMMENT,
            UNTERMINATED_BLOCK_COMMENT};
  }
 public:
}

// ---------------------------------------------------------------------------
// Punctuation that is not an operator character in PostgreSQL.
LPAREN : '(' ;
RPAREN : ')' ;
LBRACKET : '[' ;
RBRACKET : ']' ;
COMMA : ',' ;
SEMI : ';' ;
DOT : '.' ;
TYPECAST : '::' ;
COLON_EQUALS : ':=' ;
COLON : ':' ;

// Every run of operator characters is lexed here, then cut to PostgreSQL's
// rules and given its final type (EQ, LT, PLUS, ... or OPERATOR) by
// SqlLexerBase::finishOperator(). The token types below are only assigned
// from there, never matched directly.
OPERATOR : OP_CHAR+ { finishOperator(); } ;
fragment OP_CHAR : [+\-*/<>=~!@#%^&|`?] ;

// ---------------------------------------------------------------------------
// Literals
PARAM : '$' [0-9]+ ;

// Numbers: decimal with optional _ separators, 0x / 0o / 0b (PostgreSQL 16).
INTEGER
  : DIGITS
  | '0' [xX] '_'? HEX_DIGIT+ ('_' HEX_DIGIT+)*
  | '0' [oO] '_'? [0-7]+ ('_' [0-7]+)*
  | '0' [bB] '_'? [01]+ ('_' [01]+)*
  ;
NUMERIC
  : DIGITS '.' DIGITS? EXPONENT?
  | '.' DIGITS EXPONENT?
  | DIGITS EXPONENT
  ;
fragment DIGITS : [0-9]+ ('_' [0-9]+)* ;
fragment EXPONENT : [eE] [+-]? DIGITS ;
fragment HEX_DIGIT : [0-9a-fA-F] ;

// 'standard string', with '' for a quote. Adjacent literals separated by
// whitespace that contains a newline are one literal, as in PostgreSQL.
STRING : SQUOTED (STRING_CONT SQUOTED)* ;
// E'escape string'
ESCAPE_STRING : [eE] EQUOTED (STRING_CONT EQUOTED)* ;
// N'national string' is an ordinary string typed as char
NATIONAL_STRING : [nN] SQUOTED (STRING_CONT SQUOTED)* ;
// U&'unicode string' (optionally followed by UESCAPE 'c' in the parser)
UNICODE_STRING : [uU] '&' SQUOTED (STRING_CONT SQUOTED)* ;
BIT_STRING : [bB] SQUOTED (STRING_CONT SQUOTED)* ;
HEX_STRING : [xX] SQUOTED (STRING_CONT SQUOTED)* ;
fragment SQUOTED : '\'' ( ~'\'' | '\'\'' )* '\'' ;
fragment EQUOTED : '\'' ( ~['\\] | '\'\'' | '\\' . )* '\'' ;
fragment STRING_CONT : [ \t\f\r]* '\r'? '\n' ( [ \t\f\r\n] | '--' ~[\r\n]* '\r'? '\n' )* ;

// $tag$ ... $tag$: the opening delimiter is matched here, the body and the
// closing delimiter by SqlLexerBase::finishDollarString().
DOLLAR_STRING : '$' DOLLAR_TAG? '$' { finishDollarString(); } ;
fragment DOLLAR_TAG : [A-Za-z_\u0080-\uFFFF] [A-Za-z_0-9\u0080-\uFFFF]* ;

// ---------------------------------------------------------------------------
// Identifiers
QUOTED_IDENT : '"' ( ~'"' | '""' )* '"' ;
UNICODE_QUOTED_IDENT : [uU] '&' '"' ( ~'"' | '""' )* '"' ;

// ---------------------------------------------------------------------------
// Whitespace and comments
WHITESPACE : [ \t\n\r\f\u000B]+ -> channel(HIDDEN) ;
// `--` and `/*` start with operator characters, so OPERATOR matches them
// first and SqlLexerBase::finishOperator() turns them into LINE_COMMENT /
// BLOCK_COMMENT (hidden; block comments nest) or UNTERMINATED_BLOCK_COMMENT.

// ---------------------------------------------------------------------------
// Keywords (PostgreSQL 16's list; categories are in the parser grammar)
K_ABORT : A B O R T;
K_ABSENT : A B S E N T;
K_ABSOLUTE : A B S O L U T E;
K_ACCESS : A C C E S S;
K_ACTION : A C T I O N;
K_ADD : A D D;
K_ADMIN : A D M I N;
K_AFTER : A F T E R;
K_AGGREGATE : A G G R E G A T E;
K_ALL : A L L;
K_ALSO : A L S O;
K_ALTER : A L T E R;
K_ALWAYS : A L W A Y S;
K_ANALYSE : A N A L Y S E;
K_ANALYZE : A N A L Y Z E;
K_AND : A N D;
K_ANY : A N Y;
K_ARRAY : A R R A Y;
K_AS : A S;
K_ASC : A S C;
K_ASENSITIVE : A S E N S I T I V E;
K_ASSERTION : A S S E R T I O N;
K_ASSIGNMENT : A S S I G N M E N T;
K_ASYMMETRIC : A S Y M M E T R I C;
K_AT : A T;
K_ATOMIC : A T O M I C;
K_ATTACH : A T T A C H;
K_ATTRIBUTE : A T T R I B U T E;
K_AUTHORIZATION : A U T H O R I Z A T I O N;
K_BACKWARD : B A C K W A R D;
K_BEFORE : B E F O R E;
K_BEGIN : B E G I N;
K_BETWEEN : B E T W E E N;
K_BIGINT : B I G I N T;
K_BINARY : B I N A R Y;
K_BIT : B I T;
K_BOOLEAN : B O O L E A N;
K_BOTH : B O T H;
K_BREADTH : B R E A D T H;
K_BY : B Y;
K_CACHE : C A C H E;
K_CALL : C A L L;
K_CALLED : C A L L E D;
K_CASCADE : C A S C A D E;
K_CASCADED : C A S C A D E D;
K_CASE : C A S E;
K_CAST : C A S T;
K_CATALOG : C A T A L O G;
K_CHAIN : C H A I N;
K_CHAR : C H A R;
K_CHARACTER : C H A R A C T E R;
K_CHARACTERISTICS : C H A R A C T E R I S T I C S;
K_CHECK : C H E C K;
K_CHECKPOINT : C H E C K P O I N T;
K_CLASS : C L A S S;
K_CLOSE : C L O S E;
K_CLUSTER : C L U S T E R;
K_COALESCE : C O A L E S C E;
K_COLLATE : C O L L A T E;
K_COLLATION : C O L L A T I O N;
K_COLUMN : C O L U M N;
K_COLUMNS : C O L U M N S;
K_COMMENT : C O M M E N T;
K_COMMENTS : C O M M E N T S;
K_COMMIT : C O M M I T;
K_COMMITTED : C O M M I T T E D;
K_COMPRESSION : C O M P R E S S I O N;
K_CONCURRENTLY : C O N C U R R E N T L Y;
K_CONFIGURATION : C O N F I G U R A T I O N;
K_CONFLICT : C O N F L I C T;
K_CONNECTION : C O N N E C T I O N;
K_CONSTRAINT : C O N S T R A I N T;
K_CONSTRAINTS : C O N S T R A I N T S;
K_CONTENT : C O N T E N T;
K_CONTINUE : C O N T I N U E;
K_CONVERSION : C O N V E R S I O N;
K_COPY : C O P Y;
K_COST : C O S T;
K_CREATE : C R E A T E;
K_CROSS : C R O S S;
K_CSV : C S V;
K_CUBE : C U B E;
K_CURRENT : C U R R E N T;
K_CURRENT_CATALOG : C U R R E N T UNDERSCORE C A T A L O G;
K_CURRENT_DATE : C U R R E N T UNDERSCORE D A T E;
K_CURRENT_ROLE : C U R R E N T UNDERSCORE R O L E;
K_CURRENT_SCHEMA : C U R R E N T UNDERSCORE S C H E M A;
K_CURRENT_TIME : C U R R E N T UNDERSCORE T I M E;
K_CURRENT_TIMESTAMP : C U R R E N T UNDERSCORE T I M E S T A M P;
K_CURRENT_USER : C U R R E N T UNDERSCORE U S E R;
K_CURSOR : C U R S O R;
K_CYCLE : C Y C L E;
K_DATA : D A T A;
K_DATABASE : D A T A B A S E;
K_DAY : D A Y;
K_DEALLOCATE : D E A L L O C A T E;
K_DEC : D E C;
K_DECIMAL : D E C I M A L;
K_DECLARE : D E C L A R E;
K_DEFAULT : D E F A U L T;
K_DEFAULTS : D E F A U L T S;
K_DEFERRABLE : D E F E R R A B L E;
K_DEFERRED : D E F E R R E D;
K_DEFINER : D E F I N E R;
K_DELETE : D E L E T E;
K_DELIMITER : D E L I M I T E R;
K_DELIMITERS : D E L I M I T E R S;
K_DEPENDS : D E P E N D S;
K_DEPTH : D E P T H;
K_DESC : D E S C;
K_DETACH : D E T A C H;
K_DICTIONARY : D I C T I O N A R Y;
K_DISABLE : D I S A B L E;
K_DISCARD : D I S C A R D;
K_DISTINCT : D I S T I N C T;
K_DO : D O;
K_DOCUMENT : D O C U M E N T;
K_DOMAIN : D O M A I N;
K_DOUBLE : D O U B L E;
K_DROP : D R O P;
K_EACH : E A C H;
K_ELSE : E L S E;
K_ENABLE : E N A B L E;
K_ENCODING : E N C O D I N G;
K_ENCRYPTED : E N C R Y P T E D;
K_END : E N D;
K_ENUM : E N U M;
K_ESCAPE : E S C A P E;
K_EVENT : E V E N T;
K_EXCEPT : E X C E P T;
K_EXCLUDE : E X C L U D E;
K_EXCLUDING : E X C L U D I N G;
K_EXCLUSIVE : E X C L U S I V E;
K_EXECUTE : E X E C U T E;
K_EXISTS : E X I S T S;
K_EXPLAIN : E X P L A I N;
K_EXPRESSION : E X P R E S S I O N;
K_EXTENSION : E X T E N S I O N;
K_EXTERNAL : E X T E R N A L;
K_EXTRACT : E X T R A C T;
K_FALSE : F A L S E;
K_FAMILY : F A M I L Y;
K_FETCH : F E T C H;
K_FILTER : F I L T E R;
K_FINALIZE : F I N A L I Z E;
K_FIRST : F I R S T;
K_FLOAT : F L O A T;
K_FOLLOWING : F O L L O W I N G;
K_FOR : F O R;
K_FORCE : F O R C E;
K_FOREIGN : F O R E I G N;
K_FORMAT : F O R M A T;
K_FORWARD : F O R W A R D;
K_FREEZE : F R E E Z E;
K_FROM : F R O M;
K_FULL : F U L L;
K_FUNCTION : F U N C T I O N;
K_FUNCTIONS : F U N C T I O N S;
K_GENERATED : G E N E R A T E D;
K_GLOBAL : G L O B A L;
K_GRANT : G R A N T;
K_GRANTED : G R A N T E D;
K_GREATEST : G R E A T E S T;
K_GROUP : G R O U P;
K_GROUPING : G R O U P I N G;
K_GROUPS : G R O U P S;
K_HANDLER : H A N D L E R;
K_HAVING : H A V I N G;
K_HEADER : H E A D E R;
K_HOLD : H O L D;
K_HOUR : H O U R;
K_IDENTITY : I D E N T I T Y;
K_IF : I F;
K_ILIKE : I L I K E;
K_IMMEDIATE : I M M E D I A T E;
K_IMMUTABLE : I M M U T A B L E;
K_IMPLICIT : I M P L I C I T;
K_IMPORT : I M P O R T;
K_IN : I N;
K_INCLUDE : I N C L U D E;
K_INCLUDING : I N C L U D I N G;
K_INCREMENT : I N C R E M E N T;
K_INDENT : I N D E N T;
K_INDEX : I N D E X;
K_INDEXES : I N D E X E S;
K_INHERIT : I N H E R I T;
K_INHERITS : I N H E R I T S;
K_INITIALLY : I N I T I A L L Y;
K_INLINE : I N L I N E;
K_INNER : I N N E R;
K_INOUT : I N O U T;
K_INPUT : I N P U T;
K_INSENSITIVE : I N S E N S I T I V E;
K_INSERT : I N S E R T;
K_INSTEAD : I N S T E A D;
K_INT : I N T;
K_INTEGER : I N T E G E R;
K_INTERSECT : I N T E R S E C T;
K_INTERVAL : I N T E R V A L;
K_INTO : I N T O;
K_INVOKER : I N V O K E R;
K_IS : I S;
K_ISNULL : I S N U L L;
K_ISOLATION : I S O L A T I O N;
K_JOIN : J O I N;
K_JSON : J S O N;
K_JSON_ARRAY : J S O N UNDERSCORE A R R A Y;
K_JSON_ARRAYAGG : J S O N UNDERSCORE A R R A Y A G G;
K_JSON_OBJECT : J S O N UNDERSCORE O B J E C T;
K_JSON_OBJECTAGG : J S O N UNDERSCORE O B J E C T A G G;
K_KEY : K E Y;
K_KEYS : K E Y S;
K_LABEL : L A B E L;
K_LANGUAGE : L A N G U A G E;
K_LARGE : L A R G E;
K_LAST : L A S T;
K_LATERAL : L A T E R A L;
K_LEADING : L E A D I N G;
K_LEAKPROOF : L E A K P R O O F;
K_LEAST : L E A S T;
K_LEFT : L E F T;
K_LEVEL : L E V E L;
K_LIKE : L I K E;
K_LIMIT : L I M I T;
K_LISTEN : L I S T E N;
K_LOAD : L O A D;
K_LOCAL : L O C A L;
K_LOCALTIME : L O C A L T I M E;
K_LOCALTIMESTAMP : L O C A L T I M E S T A M P;
K_LOCATION : L O C A T I O N;
K_LOCK : L O C K;
K_LOCKED : L O C K E D;
K_LOGGED : L O G G E D;
K_MAPPING : M A P P I N G;
K_MATCH : M A T C H;
K_MATCHED : M A T C H E D;
K_MATERIALIZED : M A T E R I A L I Z E D;
K_MAXVALUE : M A X V A L U E;
K_MERGE : M E R G E;
K_METHOD : M E T H O D;
K_MINUTE : M I N U T E;
K_MINVALUE : M I N V A L U E;
K_MODE : M O D E;
K_MONTH : M O N T H;
K_MOVE : M O V E;
K_NAME : N A M E;
K_NAMES : N A M E S;
K_NATIONAL : N A T I O N A L;
K_NATURAL : N A T U R A L;
K_NCHAR : N C H A R;
K_NEW : N E W;
K_NEXT : N E X T;
K_NFC : N F C;
K_NFD : N F D;
K_NFKC : N F K C;
K_NFKD : N F K D;
K_NO : N O;
K_NONE : N O N E;
K_NORMALIZE : N O R M A L I Z E;
K_NORMALIZED : N O R M A L I Z E D;
K_NOT : N O T;
K_NOTHING : N O T H I N G;
K_NOTIFY : N O T I F Y;
K_NOTNULL : N O T N U L L;
K_NOWAIT : N O W A I T;
K_NULL : N U L L;
K_NULLIF : N U L L I F;
K_NULLS : N U L L S;
K_NUMERIC : N U M E R I C;
K_OBJECT : O B J E C T;
K_OF : O F;
K_OFF : O F F;
K_OFFSET : O F F S E T;
K_OIDS : O I D S;
K_OLD : O L D;
K_ON : O N;
K_ONLY : O N L Y;
K_OPERATOR : O P E R A T O R;
K_OPTION : O P T I O N;
K_OPTIONS : O P T I O N S;
K_OR : O R;
K_ORDER : O R D E R;
K_ORDINALITY : O R D I N A L I T Y;
K_OTHERS : O T H E R S;
K_OUT : O U T;
K_OUTER : O U T E R;
K_OVER : O V E R;
K_OVERLAPS : O V E R L A P S;
K_OVERLAY : O V E R L A Y;
K_OVERRIDING : O V E R R I D I N G;
K_OWNED : O W N E D;
K_OWNER : O W N E R;
K_PARALLEL : P A R A L L E L;
K_PARAMETER : P A R A M E T E R;
K_PARSER : P A R S E R;
K_PARTIAL : P A R T I A L;
K_PARTITION : P A R T I T I O N;
K_PASSING : P A S S I N G;
K_PASSWORD : P A S S W O R D;
K_PLACING : P L A C I N G;
K_PLANS : P L A N S;
K_POLICY : P O L I C Y;
K_POSITION : P O S I T I O N;
K_PRECEDING : P R E C E D I N G;
K_PRECISION : P R E C I S I O N;
K_PREPARE : P R E P A R E;
K_PREPARED : P R E P A R E D;
K_PRESERVE : P R E S E R V E;
K_PRIMARY : P R I M A R Y;
K_PRIOR : P R I O R;
K_PRIVILEGES : P R I V I L E G E S;
K_PROCEDURAL : P R O C E D U R A L;
K_PROCEDURE : P R O C E D U R E;
K_PROCEDURES : P R O C E D U R E S;
K_PROGRAM : P R O G R A M;
K_PUBLICATION : P U B L I C A T I O N;
K_QUOTE : Q U O T E;
K_RANGE : R A N G E;
K_READ : R E A D;
K_REAL : R E A L;
K_REASSIGN : R E A S S I G N;
K_RECHECK : R E C H E C K;
K_RECURSIVE : R E C U R S I V E;
K_REF : R E F;
K_REFERENCES : R E F E R E N C E S;
K_REFERENCING : R E F E R E N C I N G;
K_REFRESH : R E F R E S H;
K_REINDEX : R E I N D E X;
K_RELATIVE : R E L A T I V E;
K_RELEASE : R E L E A S E;
K_RENAME : R E N A M E;
K_REPEATABLE : R E P E A T A B L E;
K_REPLACE : R E P L A C E;
K_REPLICA : R E P L I C A;
K_RESET : R E S E T;
K_RESTART : R E S T A R T;
K_RESTRICT : R E S T R I C T;
K_RETURN : R E T U R N;
K_RETURNING : R E T U R N I N G;
K_RETURNS : R E T U R N S;
K_REVOKE : R E V O K E;
K_RIGHT : R I G H T;
K_ROLE : R O L E;
K_ROLLBACK : R O L L B A C K;
K_ROLLUP : R O L L U P;
K_ROUTINE : R O U T I N E;
K_ROUTINES : R O U T I N E S;
K_ROW : R O W;
K_ROWS : R O W S;
K_RULE : R U L E;
K_SAVEPOINT : S A V E P O I N T;
K_SCALAR : S C A L A R;
K_SCHEMA : S C H E M A;
K_SCHEMAS : S C H E M A S;
K_SCROLL : S C R O L L;
K_SEARCH : S E A R C H;
K_SECOND : S E C O N D;
K_SECURITY : S E C U R I T Y;
K_SELECT : S E L E C T;
K_SEQUENCE : S E Q U E N C E;
K_SEQUENCES : S E Q U E N C E S;
K_SERIALIZABLE : S E R I A L I Z A B L E;
K_SERVER : S E R V E R;
K_SESSION : S E S S I O N;
K_SESSION_USER : S E S S I O N UNDERSCORE U S E R;
K_SET : S E T;
K_SETOF : S E T O F;
K_SETS : S E T S;
K_SHARE : S H A R E;
K_SHOW : S H O W;
K_SIMILAR : S I M I L A R;
K_SIMPLE : S I M P L E;
K_SKIP : S K I P;
K_SMALLINT : S M A L L I N T;
K_SNAPSHOT : S N A P S H O T;
K_SOME : S O M E;
K_SQL : S Q L;
K_STABLE : S T A B L E;
K_STANDALONE : S T A N D A L O N E;
K_START : S T A R T;
K_STATEMENT : S T A T E M E N T;
K_STATISTICS : S T A T I S T I C S;
K_STDIN : S T D I N;
K_STDOUT : S T D O U T;
K_STORAGE : S T O R A G E;
K_STORED : S T O R E D;
K_STRICT : S T R I C T;
K_STRIP : S T R I P;
K_SUBSCRIPTION : S U B S C R I P T I O N;
K_SUBSTRING : S U B S T R I N G;
K_SUPPORT : S U P P O R T;
K_SYMMETRIC : S Y M M E T R I C;
K_SYSID : S Y S I D;
K_SYSTEM : S Y S T E M;
K_SYSTEM_USER : S Y S T E M UNDERSCORE U S E R;
K_TABLE : T A B L E;
K_TABLES : T A B L E S;
K_TABLESAMPLE : T A B L E S A M P L E;
K_TABLESPACE : T A B L E S P A C E;
K_TEMP : T E M P;
K_TEMPLATE : T E M P L A T E;
K_TEMPORARY : T E M P O R A R Y;
K_TEXT : T E X T;
K_THEN : T H E N;
K_TIES : T I E S;
K_TIME : T I M E;
K_TIMESTAMP : T I M E S T A M P;
K_TO : T O;
K_TRAILING : T R A I L I N G;
K_TRANSACTION : T R A N S A C T I O N;
K_TRANSFORM : T R A N S F O R M;
K_TREAT : T R E A T;
K_TRIGGER : T R I G G E R;
K_TRIM : T R I M;
K_TRUE : T R U E;
K_TRUNCATE : T R U N C A T E;
K_TRUSTED : T R U S T E D;
K_TYPE : T Y P E;
K_TYPES : T Y P E S;
K_UESCAPE : U E S C A P E;
K_UNBOUNDED : U N B O U N D E D;
K_UNCOMMITTED : U N C O M M I T T E D;
K_UNENCRYPTED : U N E N C R Y P T E D;
K_UNION : U N I O N;
K_UNIQUE : U N I Q U E;
K_UNKNOWN : U N K N O W N;
K_UNLISTEN : U N L I S T E N;
K_UNLOGGED : U N L O G G E D;
K_UNTIL : U N T I L;
K_UPDATE : U P D A T E;
K_USER : U S E R;
K_USING : U S I N G;
K_VACUUM : V A C U U M;
K_VALID : V A L I D;
K_VALIDATE : V A L I D A T E;
K_VALIDATOR : V A L I D A T O R;
K_VALUE : V A L U E;
K_VALUES : V A L U E S;
K_VARCHAR : V A R C H A R;
K_VARIADIC : V A R I A D I C;
K_VARYING : V A R Y I N G;
K_VERBOSE : V E R B O S E;
K_VERSION : V E R S I O N;
K_VIEW : V I E W;
K_VIEWS : V I E W S;
K_VOLATILE : V O L A T I L E;
K_WHEN : W H E N;
K_WHERE : W H E R E;
K_WHITESPACE : W H I T E S P A C E;
K_WINDOW : W I N D O W;
K_WITH : W I T H;
K_WITHIN : W I T H I N;
K_WITHOUT : W I T H O U T;
K_WORK : W O R K;
K_WRAPPER : W R A P P E R;
K_WRITE : W R I T E;
K_XML : X M L;
K_XMLATTRIBUTES : X M L A T T R I B U T E S;
K_XMLCONCAT : X M L C O N C A T;
K_XMLELEMENT : X M L E L E M E N T;
K_XMLEXISTS : X M L E X I S T S;
K_XMLFOREST : X M L F O R E S T;
K_XMLNAMESPACES : X M L N A M E S P A C E S;
K_XMLPARSE : X M L P A R S E;
K_XMLPI : X M L P I;
K_XMLROOT : X M L R O O T;
K_XMLSERIALIZE : X M L S E R I A L I Z E;
K_XMLTABLE : X M L T A B L E;
K_YEAR : Y E A R;
K_YES : Y E S;
K_ZONE : Z O N E;

// Unquoted identifiers; after the keywords so that keywords win ties.
IDENT : IDENT_START IDENT_CONT* ;
fragment IDENT_START : [A-Za-z_\u0080-\uFFFF] ;
fragment IDENT_CONT : [A-Za-z_0-9$\u0080-\uFFFF] ;

// Unterminated quotes run to the end of input and are reported by the parser.
UNTERMINATED_STRING
  : [nNbBxX]? '\'' ( ~'\'' | '\'\'' )* EOF
  | [eE] '\'' ( ~['\\] | '\'\'' | '\\' . )* '\\'? EOF
  ;
UNTERMINATED_QUOTED_IDENT : ([uU] '&')? '"' ( ~'"' | '""' )* EOF ;

// Anything else is a token the parser rejects with its position.
ERROR_CHAR : . ;

fragment UNDERSCORE : '_' ;
fragment A : [aA] ; fragment B : [bB] ; fragment C : [cC] ; fragment D : [dD] ;
fragment E : [eE] ; fragment F : [fF] ; fragment G : [gG] ; fragment H : [hH] ;
fragment I : [iI] ; fragment J : [jJ] ; fragment K : [kK] ; fragment L : [lL] ;
fragment M : [mM] ; fragment N : [nN] ; fragment O : [oO] ; fragment P : [pP] ;
fragment Q : [qQ] ; fragment R : [rR] ; fragment S : [sS] ; fragment T : [tT] ;
fragment U : [uU] ; fragment V : [vV] ; fragment W : [wW] ; fragment X : [xX] ;
fragment Y : [yY] ; fragment Z : [zZ] ;
