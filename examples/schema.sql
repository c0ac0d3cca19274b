-- examples/schema.sql: the sample database of the demo sandbox and of the
-- example tests. `sqlwarden rewrite --schema` and `sqlwarden test` read the
-- CREATE TABLE statements; PostgreSQL runs the whole file.
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE SCHEMA IF NOT EXISTS staging;

CREATE TABLE public.users (
  id bigint PRIMARY KEY,
  tenant_id int NOT NULL,
  name text NOT NULL,
  email text,
  ssn varchar(11),
  card_no text,
  birth_date date,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_tenant ON public.users (tenant_id);

CREATE TABLE public.orders (
  id bigint PRIMARY KEY,
  tenant_id int NOT NULL,
  user_id bigint REFERENCES public.users (id),
  amount numeric(10,2) NOT NULL,
  status text NOT NULL,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_tenant ON public.orders (tenant_id);

CREATE TABLE public.products (
  id int PRIMARY KEY,
  name text NOT NULL,
  price numeric(10,2) NOT NULL
);

CREATE TABLE analytics.daily_sales (
  day date NOT NULL,
  tenant_id int NOT NULL,
  total numeric(12,2) NOT NULL
);

CREATE TABLE staging.imports (
  id int PRIMARY KEY,
  tenant_id int,
  payload text
);
