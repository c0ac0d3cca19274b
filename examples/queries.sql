-- A small shop's day, in PostgreSQL syntax. `scripts/demo.sh` runs
-- `sqlwarden parse` over this file; nothing here is executed.

CREATE TABLE IF NOT EXISTS public.orders (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES public.customers (id),
    status      text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'paid', 'shipped', 'cancelled')),
    total_cents integer NOT NULL CHECK (total_cents >= 0),
    created_at  timestamptz NOT NULL DEFAULT now()
);

GRANT SELECT, INSERT, UPDATE ON public.orders TO shop_app;

BEGIN;

INSERT INTO public.customers AS c (email, display_name, last_seen_at)
VALUES ('ada@example.com', 'Ada', now())
ON CONFLICT (email) DO UPDATE
    SET display_name = EXCLUDED.display_name, last_seen_at = EXCLUDED.last_seen_at
RETURNING c.id, (xmax = 0) AS inserted;

UPDATE public.inventory AS i
   SET quantity = i.quantity - li.quantity
  FROM public.line_items AS li
 WHERE li.order_id = 42
   AND li.product_id = i.product_id;

DELETE FROM public.sessions AS s
 USING public.customers AS c
 WHERE s.customer_id = c.id
   AND c.deleted_at IS NOT NULL;

COMMIT;

-- Monthly revenue per customer, with each customer's rank in their region.
WITH monthly AS (
    SELECT o.customer_id,
           date_trunc('month', o.created_at) AS month,
           sum(o.total_cents) / 100.0 AS revenue
      FROM public.orders AS o
     WHERE o.status IN ('paid', 'shipped')
     GROUP BY o.customer_id, date_trunc('month', o.created_at)
)
SELECT c.id,
       lower(c.email) AS email,
       m.month,
       m.revenue,
       rank() OVER (PARTITION BY c.region, m.month ORDER BY m.revenue DESC) AS region_rank
  FROM monthly AS m
  JOIN public.customers AS c ON c.id = m.customer_id
  LEFT JOIN public.regions AS r ON r.code = c.region
 WHERE m.month >= date_trunc('month', now()) - interval '3 months'
 ORDER BY m.month DESC, region_rank
 LIMIT 100;

MERGE INTO public.inventory AS t
USING public.stock_delivery AS d ON t.product_id = d.product_id
WHEN MATCHED THEN
    UPDATE SET quantity = t.quantity + d.quantity
WHEN NOT MATCHED THEN
    INSERT (product_id, quantity) VALUES (d.product_id, d.quantity);

COPY (
    SELECT id, customer_id, total_cents, created_at
      FROM public.orders
     WHERE created_at >= current_date - 1
) TO STDOUT WITH (FORMAT csv, HEADER true);

EXPLAIN ANALYZE
SELECT count(*)
  FROM public.orders
 WHERE customer_id = 7
   AND status = 'paid';

SELECT p.id, p.name, p.attributes ->> 'colour' AS colour
  FROM public.products AS p
 WHERE p.id = ANY (ARRAY[3, 5, 8])
   AND EXISTS (SELECT 1 FROM public.inventory AS i WHERE i.product_id = p.id AND i.quantity > 0);
