\set n random(1, 1000000000)
INSERT INTO bench_floor_row (reference, citizen_id, category_id, area_id, position_id, status,
    subject, description, created_at, updated_at)
VALUES ('BF-' || :n, :n % 1000, 12, 34, 56, 'assigned', 'Bill three times the usual',
    'My bill is three times what I usually pay this month.', now(), now());
