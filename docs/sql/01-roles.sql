-- SINTRA on PostgreSQL 15+: the database and its least-privilege roles.
-- Run once, as a superuser, BEFORE the first `npm run sintra -- migrate`:
--   psql -v ON_ERROR_STOP=1 -U postgres -f docs/sql/01-roles.sql
-- then migrate as sintra_owner, then run 02-after-first-migrate.sql (docs/deployment.md, "Database").
-- Change both passwords (or use client certificates / SCRAM secrets from your vault); they are examples.
--
-- sintra_owner  owns the schema. Only `npm run sintra -- migrate` (and backups) connect as it.
-- sintra_web    the application's login (DATABASE_URL of every instance). Reads and writes data, appends
--               to the audit trail; cannot create, alter or drop tables, cannot edit or delete audit
--               entries. BYPASSRLS covers only its own statements (sign-in, sessions, rate limits);
--               every request's transaction switches to sintra_app (SET LOCAL ROLE), which has no
--               BYPASSRLS, so the row-level security policies of drizzle/0003_access_control.sql apply.
-- sintra_app    NOLOGIN: the role of request transactions (migration 0003 creates it when missing).
-- Roles are cluster-wide: each CREATE is guarded so the script can be run again.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sintra_app') THEN
    CREATE ROLE sintra_app NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sintra_owner') THEN
    CREATE ROLE sintra_owner LOGIN PASSWORD 'cambie-esta-clave-owner';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sintra_web') THEN
    CREATE ROLE sintra_web LOGIN BYPASSRLS PASSWORD 'cambie-esta-clave-web';
  END IF;
END
$$;

-- The owner's migrations grant sintra_app to their own login (0003): that needs the admin option.
GRANT sintra_app TO sintra_owner WITH ADMIN OPTION;
-- The app switches to sintra_app inside each request's transaction.
GRANT sintra_app TO sintra_web;

CREATE DATABASE sintra OWNER sintra_owner ENCODING 'UTF8' TEMPLATE template0;

\connect sintra

REVOKE ALL ON DATABASE sintra FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE sintra TO sintra_web;
-- PostgreSQL 15 already keeps PUBLIC from creating in public; say it anyway for older habits.
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO sintra_web;

-- Tables and sequences the owner's migrations create (now and in later versions) are usable by the app.
ALTER DEFAULT PRIVILEGES FOR ROLE sintra_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO sintra_web;
ALTER DEFAULT PRIVILEGES FOR ROLE sintra_owner IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO sintra_web;

-- drizzle's record of applied migrations, read by /api/v1/health/ready and by a start with
-- SINTRA_MIGRATE_AT_START=0 (the app checks it is current, it never writes it).
CREATE SCHEMA IF NOT EXISTS drizzle AUTHORIZATION sintra_owner;
GRANT USAGE ON SCHEMA drizzle TO sintra_web;
ALTER DEFAULT PRIVILEGES FOR ROLE sintra_owner IN SCHEMA drizzle GRANT SELECT ON TABLES TO sintra_web;
