-- The floors' scratch table: one complaint-sized row (10 columns besides the key), written by
-- pgbench (insert.sql) and by the bare Django view (bench/floor/views.py).
DROP TABLE IF EXISTS bench_floor_row;
CREATE TABLE bench_floor_row (
    id bigserial PRIMARY KEY,
    reference varchar(20) NOT NULL,
    citizen_id bigint NOT NULL,
    category_id bigint NOT NULL,
    area_id bigint NOT NULL,
    position_id bigint NOT NULL,
    status varchar(20) NOT NULL,
    subject varchar(150) NOT NULL,
    description text NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
