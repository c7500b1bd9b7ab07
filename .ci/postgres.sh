# Sourced by .ci/run: a PostgreSQL 15 cluster on 127.0.0.1 for the store and multi-replica tests, and
# INTERPLAY_TEST_PG_URL pointing at it. Idempotent: installs, creates and starts only what is missing.
# Without it those tests fail (they never skip), so a failure here is reported and the run goes on.
# A throwaway test cluster: fsync and synchronous commit are off (the tests check behavior, not disks).
ci_postgres() {
  local version=15 name=interplay-ci port=54329 bin=/usr/lib/postgresql/15/bin
  local url="postgres://interplay:interplay@127.0.0.1:$port/interplay_test"
  local as_postgres=(runuser -u postgres --)
  if [ ! -x "$bin/postgres" ]; then
    echo "ci: installing postgresql-$version from Debian's packages"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-$version" >/dev/null; } ||
      return 1
  fi
  if ! pg_lsclusters -h 2>/dev/null | grep -q "^$version $name "; then
    pg_createcluster "$version" "$name" --port "$port" --start-conf manual \
      -- --auth-host=scram-sha-256 --auth-local=peer >/dev/null || return 1
    printf '%s\n' "listen_addresses = '127.0.0.1'" 'max_connections = 300' 'fsync = off' \
      'synchronous_commit = off' 'full_page_writes = off' >"/etc/postgresql/$version/$name/conf.d/interplay-ci.conf"
  fi
  if ! pg_lsclusters -h | grep -q "^$version $name $port online"; then
    pg_ctlcluster "$version" "$name" start || return 1
  fi
  "${as_postgres[@]}" psql -q -p "$port" -v ON_ERROR_STOP=1 >/dev/null <<'SQL' || return 1
SELECT 'CREATE ROLE interplay LOGIN CREATEDB PASSWORD ''interplay'''
  WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'interplay') \gexec
SELECT 'CREATE DATABASE interplay_test OWNER interplay'
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'interplay_test') \gexec
SQL
  export INTERPLAY_TEST_PG_URL="$url"
  echo "ci: postgresql $version on 127.0.0.1:$port (INTERPLAY_TEST_PG_URL)"
}

if [ -z "${INTERPLAY_TEST_PG_URL:-}" ]; then
  ci_postgres || echo "ci: could not start PostgreSQL; the Postgres tests will fail"
fi
