-- Pilote QSE: first-start initialisation of the production PostgreSQL container.
-- Mounted into /docker-entrypoint-initdb.d/ (runs once, on an empty data volume, as the
-- image superuser POSTGRES_USER=postgres). Passwords come from the container environment
-- (QSE_OWNER_PASSWORD, QSE_APP_PASSWORD) through psql's \getenv (psql >= 15).
--
--   qse_owner  owns database qse and its schema, runs the migrations (QSE_DB_ROLE=owner).
--   qse_app    runtime role of web/worker/beat: not superuser, no BYPASSRLS, owns nothing,
--              so the row-level-security policies apply to it.
\set ON_ERROR_STOP on
\getenv owner_password QSE_OWNER_PASSWORD
\getenv app_password QSE_APP_PASSWORD

SELECT format('CREATE ROLE qse_owner LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS NOCREATEROLE',
              :'owner_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qse_owner') \gexec

SELECT format('CREATE ROLE qse_app LOGIN PASSWORD %L NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE',
              :'app_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'qse_app') \gexec

SELECT 'CREATE DATABASE qse OWNER qse_owner'
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'qse') \gexec

REVOKE ALL ON DATABASE qse FROM PUBLIC;
GRANT CONNECT, TEMPORARY ON DATABASE qse TO qse_owner;
GRANT CONNECT ON DATABASE qse TO qse_app;

\connect qse
-- Extensions are created here by the superuser so that the migrations (run by the
-- non-superuser owner) find them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gist;
