-- The example's tables; db-setup applies this at every start, so it only ever adds what is missing.
CREATE TABLE IF NOT EXISTS items (
    id   serial PRIMARY KEY,
    name text   NOT NULL
);
