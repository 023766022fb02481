# Sourced by .ci/run: installs (when missing) and starts Debian's PostgreSQL
# for bulwark-server's integration tests, then exports
# BULWARK_TEST_POSTGRES_URL. Without it those tests skip with a message.

bulwark_start_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null && apt-get install -y -qq postgresql >/dev/null || return 1
  fi
  local version port
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  if ! pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { found = 1 } END { exit !found }'; then
    pg_createcluster "$version" main >/dev/null || return 1
  fi
  pg_ctlcluster "$version" main start >/dev/null 2>&1 || true
  port=$(pg_lsclusters -h | awk -v v="$version" '$1 == v && $2 == "main" { print $3 }')
  for _ in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 0.5
  done
  pg_isready -q -h 127.0.0.1 -p "$port" || return 1
  su postgres -c "psql -q -p $port -c \"ALTER USER postgres PASSWORD 'bulwark-ci'\"" >/dev/null || return 1
  export BULWARK_TEST_POSTGRES_URL="postgres://postgres:bulwark-ci@127.0.0.1:$port/postgres"
}

if bulwark_start_postgres; then
  echo "PostgreSQL ready for the bulwark-server tests: ${BULWARK_TEST_POSTGRES_URL/bulwark-ci/***}"
else
  echo "WARNING: PostgreSQL could not be installed or started; bulwark-server's PostgreSQL tests will skip" >&2
fi
