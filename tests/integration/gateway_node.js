// node-postgres (npm pg) through the gateway: parameterised queries (the
// extended protocol), a cursor, a denial that leaves the client usable, a
// denial inside a transaction, token login. Run by gateway_clients_test.sh.
// Usage: node gateway_node.js PORT TOKEN
const { Client } = require('pg');
const Cursor = require('pg-cursor');
const assert = require('assert');

const port = Number(process.argv[2]);
const token = process.argv[3];
const ssl = { rejectUnauthorized: false };

async function main() {
  const agent = new Client({ host: '127.0.0.1', port, database: 'sqlwarden_demo', user: 'agent',
                             password: 'agent-password', ssl });
  await agent.connect();

  // Parameterised: Parse (decided, rewritten with $1 kept), Bind, Execute.
  let r = await agent.query('SELECT id, email FROM users WHERE id = $1', [1]);
  assert.deepStrictEqual(r.rows, [{ id: '1', email: 'a***@example.com' }]);
  r = await agent.query('SELECT id FROM users WHERE id = $1', [11]);  // another tenant: filtered out
  assert.strictEqual(r.rows.length, 0);
  // Named prepared statement, executed twice.
  const named = { name: 'by_tenant', text: 'SELECT count(*)::int AS n FROM orders WHERE tenant_id = $1', values: [7] };
  r = await agent.query(named);
  r = await agent.query(named);
  assert.ok(r.rows[0].n >= 0);
  console.log('ok parameterised and named statements');

  // A denied Parse: 42501, and the connection keeps working.
  await assert.rejects(agent.query('DELETE FROM products WHERE id = $1', [1]), (e) => e.code === '42501');
  r = await agent.query('SELECT $1::int + 1 AS two', [1]);
  assert.strictEqual(r.rows[0].two, 2);
  console.log('ok denied Parse, session continues');

  // A denial inside a transaction aborts it.
  await agent.query('BEGIN');
  await agent.query('INSERT INTO staging.imports VALUES ($1, 7, $2)', [700, 'node']);
  await assert.rejects(agent.query('DROP TABLE users'), (e) => e.code === '42501');
  await assert.rejects(agent.query('SELECT 1'), (e) => e.code === '25P02');
  await agent.query('ROLLBACK');
  const dba = new Client({ host: '127.0.0.1', port, database: 'sqlwarden_demo', user: 'dba', password: 'dba-password', ssl });
  await dba.connect();
  r = await dba.query('SELECT count(*)::int AS n FROM staging.imports WHERE id = 700');
  assert.strictEqual(r.rows[0].n, 0);
  await dba.end();
  console.log('ok denial inside a transaction aborts it');

  // A cursor (portal with a row limit: Execute max_rows, PortalSuspended).
  const cursor = agent.query(new Cursor('SELECT id, name FROM users ORDER BY id'));
  const first = await cursor.read(2);
  const rest = await cursor.read(100);
  await cursor.close();
  assert.strictEqual(first.length, 2);
  assert.ok(rest.length >= 1);
  for (const row of first.concat(rest)) assert.ok(!row.name.includes('OTHERTENANT'));
  console.log('ok cursor reads filtered rows in pieces');
  await agent.end();

  // Cancel: the driver sends a CancelRequest on a new connection with the
  // gateway's BackendKeyData; the gateway forwards it upstream.
  const sleeper = new Client({ host: '127.0.0.1', port, database: 'sqlwarden_demo', user: 'dba', password: 'dba-password', ssl });
  await sleeper.connect();
  const started = Date.now();
  const slow = sleeper.query('SELECT pg_sleep(10)');
  await new Promise((resolve) => setTimeout(resolve, 500));
  // node-postgres cancels through another (unconnected) Client, naming the
  // busy client and its active query.
  const canceller = new Client({ host: '127.0.0.1', port, database: 'sqlwarden_demo', user: 'dba' });
  canceller.cancel(sleeper, sleeper.activeQuery);
  await assert.rejects(slow, (e) => e.code === '57014');
  assert.ok(Date.now() - started < 8000, 'cancel took effect');
  r = await sleeper.query('SELECT 1 AS one');
  assert.strictEqual(r.rows[0].one, 1);
  await sleeper.end();
  console.log('ok cancel');

  // Token login (the JWT as the password).
  const claude = new Client({ host: '127.0.0.1', port, database: 'sqlwarden_demo', user: 'claude', password: token, ssl });
  await claude.connect();
  r = await claude.query('SELECT email FROM users WHERE id = $1', [11]);
  assert.deepStrictEqual(r.rows, [{ email: 'd***@example.com' }]);
  await claude.end();
  console.log('ok token login');

  // Wrong password.
  const bad = new Client({ host: '127.0.0.1', port, database: 'sqlwarden_demo', user: 'agent', password: 'nope', ssl });
  await assert.rejects(bad.connect(), (e) => e.code === '28P01');
  console.log('ok wrong password is 28P01');
}

main().then(() => console.log('node: all passed'), (e) => { console.error('node FAILED:', e); process.exit(1); });
