#!/usr/bin/env bash
# Starts the real services IEX ChatOps needs on a machine without Docker:
#   - a single-node Apache Kafka broker in KRaft mode, from jars Maven fetches (Java 17);
#   - FerretDB v1 with its embedded SQLite backend (built once with Go), a MongoDB-wire server;
#     without Go it falls back to mongodb-memory-server, which downloads a real mongod.
# A service whose address is given (KAFKA_BROKERS, MONGO_URL) is left alone.
#
# Usage: scripts/services.sh up|down|status|env [kafka|mongo]
#   up      start what is missing, wait until it answers, print its address as KEY=value lines
#   down    stop what this script started
#   status  say what runs where
#   env     print the KEY=value lines of the running services (eval-able with `export`)
# Progress goes to stderr; stdout carries only KEY=value lines.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${IEX_DATA_DIR:-$ROOT/.data}
CACHE=${IEX_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/iex-chatops}
KAFKA_VERSION=${IEX_KAFKA_VERSION:-4.1.1}
LOG4J_VERSION=2.24.3
FERRETDB_VERSION=v1.24.2
KAFKA_PORT=${IEX_KAFKA_PORT:-9092}
KAFKA_CONTROLLER_PORT=${IEX_KAFKA_CONTROLLER_PORT:-9093}
MONGO_PORT=${IEX_MONGO_PORT:-27017}
MONGO_DB=${IEX_MONGO_DB:-iex}
WAIT_SECONDS=${IEX_SERVICES_WAIT_SECONDS:-90}

KAFKA_LIBS=$CACHE/kafka-$KAFKA_VERSION/libs
FERRETDB_BIN=$CACHE/ferretdb-$FERRETDB_VERSION-idindex/ferretdb

say() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] error: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_for_port() { # name port pidfile log
  local deadline=$((SECONDS + WAIT_SECONDS))
  until port_open "$2"; do
    pid_alive "$3" || die "$1 exited during start; its log: $4 (last lines below)
$(tail -n 20 "$4" 2>/dev/null)"
    [ $SECONDS -lt $deadline ] || die "$1 did not answer on port $2 within ${WAIT_SECONDS}s; its log: $4"
    sleep 0.3
  done
}

start_detached() { # pidfile log command...
  local pidfile=$1 log=$2; shift 2
  mkdir -p "$(dirname "$log")"
  # setsid: the service outlives the shell that started it and ignores its terminal's Ctrl-C.
  setsid "$@" >>"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
}

stop_pidfile() { # name pidfile
  local pidfile=$2
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; say "$1 is not running (started by this script)"; return 0; fi
  local pid; pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 40))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then say "$1 did not stop in time; killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.2
  done
  rm -f "$pidfile"
  say "$1 stopped"
}

# ---------------------------------------------------------------- Kafka

kafka_fetch() {
  [ -f "$KAFKA_LIBS/.complete" ] && return 0
  command -v java >/dev/null || die "Kafka needs Java 17 (and Maven to fetch its jars) — or Docker: docker compose up. Or set KAFKA_BROKERS to a broker you run."
  command -v mvn >/dev/null || die "Kafka needs Maven to fetch its jars from Maven Central (Java 17 is there) — or Docker: docker compose up. Or set KAFKA_BROKERS."
  say "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central (once; cached in $KAFKA_LIBS)"
  local work=$CACHE/kafka-$KAFKA_VERSION
  mkdir -p "$work"
  cat >"$work/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>iex-chatops</groupId><artifactId>kafka-runtime</artifactId><version>1</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>$KAFKA_VERSION</version></dependency>
    <dependency><groupId>org.apache.logging.log4j</groupId><artifactId>log4j-slf4j-impl</artifactId><version>$LOG4J_VERSION</version></dependency>
  </dependencies>
</project>
EOF
  rm -rf "$KAFKA_LIBS"
  mvn -q -B -Dstyle.color=never -f "$work/pom.xml" dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS" >&2 \
    || die "Maven could not fetch the Kafka jars (see above)"
  touch "$KAFKA_LIBS/.complete"
}

kafka_configure() {
  local dir=$DATA/kafka
  mkdir -p "$dir/logs" "$dir/data"
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=3
# One node: internal topics cannot have three replicas, or consumer groups never get a coordinator.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Topics are created by the service with the partitions it wants, never by a typo.
auto.create.topics.enable=false
log.retention.hours=168
EOF
  cat >"$dir/log4j2.properties" <<EOF
status = error
appender.file.type = File
appender.file.name = FILE
appender.file.fileName = $dir/logs/server.log
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.state.name = state.change.logger
logger.state.level = WARN
EOF
  if [ ! -f "$dir/data/meta.properties" ]; then
    local cluster
    cluster=$(java -cp "$KAFKA_LIBS/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    java -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$KAFKA_LIBS/*" \
      kafka.tools.StorageTool format -t "$cluster" -c "$dir/server.properties" >>"$dir/logs/format.log" 2>&1 \
      || die "formatting Kafka storage failed; see $dir/logs/format.log"
    say "formatted Kafka storage in $dir/data (cluster $cluster)"
  fi
}

kafka_up() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then say "Kafka: using KAFKA_BROKERS=$KAFKA_BROKERS"; return 0; fi
  local pidfile=$DATA/kafka/kafka.pid log=$DATA/kafka/logs/console.log
  if pid_alive "$pidfile" && port_open "$KAFKA_PORT"; then say "Kafka already running on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  port_open "$KAFKA_PORT" && die "port $KAFKA_PORT is taken by a process this script did not start; set KAFKA_BROKERS to use it, or IEX_KAFKA_PORT for another port"
  kafka_fetch
  kafka_configure
  say "starting Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (log: $DATA/kafka/logs/server.log)"
  start_detached "$pidfile" "$log" java -Xms256m -Xmx1g -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -Djava.awt.headless=true -Dlog4j2.configurationFile="$DATA/kafka/log4j2.properties" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$DATA/kafka/server.properties"
  wait_for_port Kafka "$KAFKA_PORT" "$pidfile" "$DATA/kafka/logs/server.log"
  say "Kafka is up"
}

# ---------------------------------------------------------------- MongoDB-wire store

ferretdb_build() {
  [ -x "$FERRETDB_BIN" ] && return 0
  command -v go >/dev/null || return 1
  say "building FerretDB $FERRETDB_VERSION with Go (once; cached in $(dirname "$FERRETDB_BIN"))"
  local src dir
  dir=$(cd "$ROOT" && go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" 2>/dev/null \
    | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p') || return 1
  [ -n "$dir" ] && [ -d "$dir" ] || return 1
  src=$(mktemp -d)
  cp -r "$dir/." "$src/"
  chmod -R u+w "$src"
  # A module download lacks the generated version file that FerretDB's build embeds (it panics without).
  echo "$FERRETDB_VERSION" >"$src/build/version/version.txt"
  # FerretDB v1 pushes a filter of exactly {_id: value} down to SQLite as `sjson->'$._id' = ?`, but
  # creates the unique _id index on `sjson->"_id"`. SQLite uses an expression index only for the
  # identical expression, so every _id lookup, update and delete scanned the whole table (58 ms at
  # 20,000 documents, growing linearly). Both expressions read the same value; use the indexed one.
  local meta=$src/internal/backends/sqlite/metadata/metadata.go
  grep -q "IDColumn = DefaultColumn + \"->'\$._id'\"" "$meta" || { say "FerretDB's _id expression moved; not patching"; rm -rf "$src"; return 1; }
  sed -i "s/IDColumn = DefaultColumn + \"->'\$._id'\"/IDColumn = DefaultColumn + \"->\\\\\"_id\\\\\"\"/" "$meta"
  grep -q 'IDColumn = DefaultColumn + "->\\"_id\\""' "$meta" || { say "patching FerretDB's _id expression failed"; rm -rf "$src"; return 1; }
  mkdir -p "$(dirname "$FERRETDB_BIN")"
  if ! (cd "$src" && go build -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) >&2; then rm -rf "$src"; return 1; fi
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$src"
}

mongo_up() {
  if [ -n "${MONGO_URL:-}" ]; then say "MongoDB: using MONGO_URL"; return 0; fi
  local dir=$DATA/mongo pidfile=$DATA/mongo/mongo.pid
  mkdir -p "$dir/logs" "$dir/data"
  if pid_alive "$pidfile" && port_open "$MONGO_PORT"; then say "store already running on 127.0.0.1:$MONGO_PORT"; return 0; fi
  port_open "$MONGO_PORT" && die "port $MONGO_PORT is taken by a process this script did not start; set MONGO_URL to use it, or IEX_MONGO_PORT for another port"
  if ferretdb_build; then
    say "starting FerretDB $FERRETDB_VERSION (SQLite backend, data in $dir/data) on 127.0.0.1:$MONGO_PORT (log: $dir/logs/ferretdb.log)"
    echo ferretdb >"$dir/kind"
    start_detached "$pidfile" "$dir/logs/ferretdb.log" "$FERRETDB_BIN" --handler=sqlite \
      --sqlite-url="file:$dir/data/" --state-dir="$dir" --listen-addr="127.0.0.1:$MONGO_PORT" \
      --debug-addr=- --telemetry=disable --log-level=warn
  elif command -v node >/dev/null && [ -d "$ROOT/node_modules/mongodb-memory-server-core" ]; then
    say "Go is missing: falling back to mongodb-memory-server (downloads a real mongod once) on 127.0.0.1:$MONGO_PORT"
    echo mongod >"$dir/kind"
    start_detached "$pidfile" "$dir/logs/mongod.log" node "$ROOT/scripts/mongo-memory.js" "$MONGO_PORT" "$dir/data"
  else
    die "no MongoDB-compatible store: install Go (to build FerretDB), or run npm ci (for mongodb-memory-server), or Docker (docker compose up), or set MONGO_URL"
  fi
  wait_for_port "store" "$MONGO_PORT" "$pidfile" "$dir/logs/$(cat "$dir/kind").log"
  say "store is up"
}

# ---------------------------------------------------------------- commands

print_env() {
  local which=${1:-all}
  if [ "$which" != mongo ]; then echo "KAFKA_BROKERS=${KAFKA_BROKERS:-127.0.0.1:$KAFKA_PORT}"; fi
  if [ "$which" != kafka ]; then echo "MONGO_URL=${MONGO_URL:-mongodb://127.0.0.1:$MONGO_PORT/$MONGO_DB}"; fi
}

status() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then echo "kafka: given (KAFKA_BROKERS=$KAFKA_BROKERS)" >&2
  elif pid_alive "$DATA/kafka/kafka.pid"; then echo "kafka: running, pid $(cat "$DATA/kafka/kafka.pid"), 127.0.0.1:$KAFKA_PORT, log $DATA/kafka/logs/server.log" >&2
  else echo "kafka: stopped" >&2; fi
  if [ -n "${MONGO_URL:-}" ]; then echo "store: given (MONGO_URL)" >&2
  elif pid_alive "$DATA/mongo/mongo.pid"; then echo "store: $(cat "$DATA/mongo/kind" 2>/dev/null) running, pid $(cat "$DATA/mongo/mongo.pid"), 127.0.0.1:$MONGO_PORT, logs in $DATA/mongo/logs" >&2
  else echo "store: stopped" >&2; fi
}

cmd=${1:-}
which=${2:-all}
case "$which" in all|kafka|mongo) ;; *) die "unknown service '$which' (kafka or mongo)";; esac
case "$cmd" in
  up)
    mkdir -p "$DATA"
    if [ "$which" != mongo ]; then kafka_up; fi
    if [ "$which" != kafka ]; then mongo_up; fi
    print_env "$which"
    ;;
  down)
    if [ "$which" != mongo ]; then stop_pidfile Kafka "$DATA/kafka/kafka.pid"; fi
    if [ "$which" != kafka ]; then stop_pidfile store "$DATA/mongo/mongo.pid"; fi
    ;;
  status) status ;;
  env) print_env "$which" ;;
  *) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
