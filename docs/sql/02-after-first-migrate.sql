-- SINTRA: run once, as a superuser or as sintra_owner, AFTER the first `npm run sintra -- migrate`:
--   psql -v ON_ERROR_STOP=1 -U postgres -d sintra -f docs/sql/02-after-first-migrate.sql
-- The default privileges of 01-roles.sql gave sintra_web every DML right on each new table; the audit
-- trail must only grow. (A trigger refuses UPDATE/DELETE/TRUNCATE for everyone too: this is the
-- privilege layer under it.) Running it again is harmless.

REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM sintra_web;
