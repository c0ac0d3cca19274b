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

-- Archived users inherit from users: the policy's masks and filter on
-- public.users protect them too.
CREATE TABLE public.users_archive (archived_at date) INHERITS (public.users);

-- A view and a function over users: what they read is out of the gateway's
-- sight, so identities with masks or filters may not use them.
CREATE VIEW public.user_emails AS SELECT id, email FROM public.users;
CREATE FUNCTION public.all_emails() RETURNS SETOF text LANGUAGE sql STABLE
  AS 'SELECT email FROM public.users';
