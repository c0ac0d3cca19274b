-- examples/seed.sql: sample rows for examples/schema.sql, and the role the
-- gateway logs in as. Tenant 7 is the demo agent's own tenant; every value
-- of other tenants carries the word OTHERTENANT, and every e-mail address the
-- word canary, so a leak is easy to spot (tests/attack uses this).
INSERT INTO public.users (id, tenant_id, name, email, ssn, card_no, birth_date) VALUES
  (1, 7, 'Alice Seven', 'alice.canary7@example.com', '701-00-1111', '4000000000007001', '1980-03-14'),
  (2, 7, 'Bruno Seven', 'bruno.canary7@example.com', '702-00-2222', '4000000000007002', '1991-07-02'),
  (3, 7, 'Chen Seven', NULL, NULL, NULL, NULL),
  (11, 8, 'OTHERTENANT Dora', 'dora.canary8@example.com', '801-00-3333', '4000000000008001', '1975-01-30'),
  (12, 8, 'OTHERTENANT Emil', 'emil.canary8@example.com', '802-00-4444', '4000000000008002', '1969-12-01'),
  (21, 9, 'OTHERTENANT Fay', 'fay.canary9@example.org', '901-00-5555', '4000000000009001', '2000-02-29');

-- Many more tenants, so that a filtered key lookup has an index to use.
INSERT INTO public.users (id, tenant_id, name, email, ssn, card_no, birth_date)
SELECT 1000 + g, 100 + g % 500, 'OTHERTENANT gen ' || g, 'gen' || g || '.canary@example.net',
       lpad((g % 900 + 100)::text, 3, '0') || '-' || lpad((g % 90 + 10)::text, 2, '0') || '-' || lpad((g % 9000 + 1000)::text, 4, '0'),
       (4000000000100000 + g)::text, date '1950-01-01' + g % 20000
FROM generate_series(1, 50000) AS g;

INSERT INTO public.users_archive (id, tenant_id, name, email, ssn, card_no, birth_date, archived_at) VALUES
  (4, 7, 'Dan Seven (archived)', 'dan.canary7@example.com', '704-00-6666', '4000000000007004', '1985-05-05', '2020-01-01'),
  (13, 8, 'OTHERTENANT Gil (archived)', 'gil.canary8@example.com', '803-00-7777', '4000000000008003', '1970-06-06', '2020-01-01');

INSERT INTO public.orders (id, tenant_id, user_id, amount, status, note) VALUES
  (1, 7, 1, 120.00, 'paid', 'own order one'),
  (2, 7, 1, 35.50, 'paid', 'own order two'),
  (3, 7, 2, 990.00, 'open', NULL),
  (11, 8, 11, 8001.00, 'paid', 'OTHERTENANT order'),
  (12, 8, 12, 8002.00, 'open', 'OTHERTENANT order'),
  (21, 9, 21, 9001.00, 'paid', 'OTHERTENANT order');

INSERT INTO public.products (id, name, price) VALUES
  (1, 'Widget', 9.99), (2, 'Gadget', 24.50), (3, 'Gizmo', 100.00);

INSERT INTO analytics.daily_sales (day, tenant_id, total) VALUES
  ('2026-11-01', 7, 155.50), ('2026-11-02', 7, 990.00);

ANALYZE;

-- The gateway's own login: not a superuser; it may read and write the
-- sample tables and nothing else.
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sqlwarden_gateway') THEN
    CREATE ROLE sqlwarden_gateway LOGIN PASSWORD 'gateway-sandbox-password';
  END IF;
END $$;
GRANT USAGE ON SCHEMA public, analytics, staging TO sqlwarden_gateway;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, analytics, staging TO sqlwarden_gateway;
GRANT EXECUTE ON FUNCTION public.all_emails() TO sqlwarden_gateway;
