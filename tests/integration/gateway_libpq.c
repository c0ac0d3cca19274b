/* libpq from C through the gateway: PQexecParams (extended protocol) with a
 * masked result, PQprepare/PQexecPrepared, a denied statement with SQLSTATE
 * 42501 and the connection still usable. Run by gateway_clients_test.sh.
 * Also PQcancel and a token login.
 * Usage: gateway_libpq "agent conninfo" "dba conninfo" "token conninfo" */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char* what, PGconn* c) {
  fprintf(stderr, "libpq FAILED: %s: %s\n", what, c ? PQerrorMessage(c) : "");
  exit(1);
}

int main(int argc, char** argv) {
  if (argc < 4) return 2;
  PGconn* c = PQconnectdb(argv[1]);
  if (PQstatus(c) != CONNECTION_OK) die("connect", c);
  if (!PQsslInUse(c)) die("no TLS", c);

  const char* params[1] = {"1"};
  PGresult* r = PQexecParams(c, "SELECT email FROM users WHERE id = $1::bigint", 1, NULL, params, NULL, NULL, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "a***@example.com") != 0)
    die("masked PQexecParams", c);
  PQclear(r);
  printf("ok PQexecParams masked\n");

  r = PQprepare(c, "s1", "SELECT count(*) FROM orders WHERE tenant_id = $1", 0, NULL);
  if (PQresultStatus(r) != PGRES_COMMAND_OK) die("PQprepare", c);
  PQclear(r);
  const char* tenant[1] = {"8"};
  r = PQexecPrepared(c, "s1", 1, tenant, NULL, NULL, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK || strcmp(PQgetvalue(r, 0, 0), "0") != 0) die("filtered prepared", c);
  PQclear(r);
  printf("ok PQprepare/PQexecPrepared filtered\n");

  r = PQprepare(c, "s2", "DELETE FROM products WHERE id = $1", 0, NULL);
  const char* state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
  if (PQresultStatus(r) != PGRES_FATAL_ERROR || !state || strcmp(state, "42501") != 0) die("denied prepare", c);
  PQclear(r);
  r = PQexec(c, "SELECT 'alive'");
  if (PQresultStatus(r) != PGRES_TUPLES_OK || strcmp(PQgetvalue(r, 0, 0), "alive") != 0) die("after denial", c);
  PQclear(r);
  printf("ok denied Parse is 42501, connection usable\n");
  PQfinish(c);

  /* Cancel: PQcancel sends a CancelRequest with the gateway's key. */
  PGconn* d = PQconnectdb(argv[2]);
  if (PQstatus(d) != CONNECTION_OK) die("connect as dba", d);
  if (!PQsendQuery(d, "SELECT pg_sleep(10)")) die("send pg_sleep", d);
  struct timespec half = {0, 500000000};
  nanosleep(&half, NULL);
  PGcancel* cancel = PQgetCancel(d);
  char err[256];
  if (!cancel || !PQcancel(cancel, err, sizeof err)) die("PQcancel", d);
  PQfreeCancel(cancel);
  int cancelled = 0;
  while ((r = PQgetResult(d)) != NULL) {
    const char* st = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    if (st && strcmp(st, "57014") == 0) cancelled = 1;
    PQclear(r);
  }
  if (!cancelled) die("query not cancelled", d);
  PQfinish(d);
  printf("ok PQcancel\n");

  /* Token login: the OIDC token as the password; the identity is tenant 8's. */
  PGconn* t = PQconnectdb(argv[3]);
  if (PQstatus(t) != CONNECTION_OK) die("token login", t);
  if (!PQsslInUse(t)) die("no TLS for the token login", t);
  r = PQexec(t, "SELECT email FROM users WHERE id IN (1, 11) ORDER BY id");
  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1 || strcmp(PQgetvalue(r, 0, 0), "d***@example.com") != 0)
    die("token identity sees its own tenant, masked", t);
  PQclear(r);
  PQfinish(t);
  printf("ok token login\n");
  printf("libpq: all passed\n");
  return 0;
}
