#!/usr/bin/env bash
# flink-platform side by side with db-scheduler and Quartz, in one JVM on one embedded MariaDB
# (docs/performance.md, "Side by side with db-scheduler and Quartz").
#
#   platform-examples/bench-peers.sh            full run: 3 repetitions, about 11 minutes on 2 cores
#   platform-examples/bench-peers.sh --quick    1 repetition at smaller sizes, a few minutes
#   (also --reps=N --runs=N --quartz-runs=N --dag-tasks=N --dag-runs=N --timeout-seconds=N
#    --rows=TEXT: only the rows whose name contains TEXT, or one of TEXT|TEXT2|...)
#
# Builds the reactor with the `peers` profile (nothing is installed into ~/.m2), then runs
# io.flinkplatform.examples.bench.peers.PeerBenchmark. The summary goes to stdout and to
# platform-examples/target/bench-results/<UTC time>/summary.md, progress to stderr.
# Environment: JAVA_FLAGS (default -Xms2g -Xmx2g -XX:+UseG1GC; add -Dpeers.urlOptions=... to change
# the peers' driver options), MVN_FLAGS (e.g. -o).
set -euo pipefail
examples="$(cd "$(dirname "$0")" && pwd)"
cd "$examples/.."
# shellcheck disable=SC2086
./mvnw -B -q ${MVN_FLAGS:-} -pl platform-examples -am -Ppeers -DskipTests package \
  dependency:build-classpath -Dmdep.outputFile=target/peers.classpath -Dmdep.includeScope=runtime
cd "$examples"
# shellcheck disable=SC2086
exec java ${JAVA_FLAGS:--Xms2g -Xmx2g -XX:+UseG1GC} -Dpeers.output=target/bench-results \
  -cp "target/classes:$(cat target/peers.classpath)" \
  io.flinkplatform.examples.bench.peers.PeerBenchmark "$@"
