# Apache Kafka in KRaft mode from its Maven Central jars. Sourced by stack.sh.
# shellcheck shell=bash

KAFKA_HOME=$CHAT_CACHE_DIR/kafka-$KAFKA_VERSION
KAFKA_DIR=$CHAT_RUN_DIR/kafka

kafka_fetch() {
  [ -f "$KAFKA_HOME/.complete" ] && return 0
  require_disk 300 "$CHAT_CACHE_DIR"
  say "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central (first run only)"
  rm -rf "$KAFKA_HOME.tmp"
  if ! mvnw_fetch -f "$STACK_DIR/kafka/pom.xml" -Dkafka.version="$KAFKA_VERSION" \
      dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$KAFKA_HOME.tmp/libs" \
      >"$CHAT_LOG_DIR/kafka-fetch.log" 2>&1; then
    rm -rf "$KAFKA_HOME.tmp"
    die "could not fetch org.apache.kafka:kafka_2.13:$KAFKA_VERSION from Maven Central (log: $CHAT_LOG_DIR/kafka-fetch.log); check that https://repo.maven.apache.org is reachable"
  fi
  rm -rf "$KAFKA_HOME" && mv "$KAFKA_HOME.tmp" "$KAFKA_HOME" && touch "$KAFKA_HOME/.complete"
  ok "Kafka jars cached in $KAFKA_HOME/libs ($(ls "$KAFKA_HOME/libs" | wc -l) jars)"
}

kafka_write_config() {
  mkdir -p "$KAFKA_DIR/data"
  cat >"$KAFKA_DIR/server.properties" <<CONF
# Written by stack/kafka.sh; edit the script, not this file.
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SSL://127.0.0.1:$KAFKA_SSL_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SSL://127.0.0.1:$KAFKA_SSL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL
log.dirs=$KAFKA_DIR/data
# Topics come only from stack/kafka/topics.conf.
auto.create.topics.enable=false
num.partitions=3
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
min.insync.replicas=1
group.initial.rebalance.delay.ms=0
ssl.keystore.type=PKCS12
ssl.keystore.location=$CHAT_CERT_DIR/server.p12
ssl.keystore.password=$CHAT_STORE_PASSWORD
ssl.key.password=$CHAT_STORE_PASSWORD
ssl.truststore.type=PEM
ssl.truststore.location=$CHAT_CERT_DIR/ca.crt
ssl.client.auth=none
ssl.enabled.protocols=TLSv1.3,TLSv1.2
CONF
}

kafka_java() { "$CHAT_JAVA" -Xmx512m -Dlog4j2.configurationFile="$STACK_DIR/kafka/log4j2.xml" -cp "$KAFKA_HOME/libs/*" "$@"; }

kafka_ready() { port_open "$KAFKA_PORT" && port_open "$KAFKA_SSL_PORT"; }

kafka_start() {
  if is_alive kafka; then
    if kafka_ready; then ok "kafka already running (pid $(pid_of kafka))"; kafka_topics; return 0; fi
  fi
  require_java
  kafka_fetch
  certs_ensure
  local p; for p in "$KAFKA_PORT" "$KAFKA_SSL_PORT" "$KAFKA_CONTROLLER_PORT"; do require_free_port "$p" kafka; done
  require_disk 500 "$CHAT_RUN_DIR"
  kafka_write_config
  if [ ! -f "$KAFKA_DIR/data/meta.properties" ]; then
    say "formatting Kafka storage (KRaft, standalone controller)"
    local id; id=$(kafka_java kafka.tools.StorageTool random-uuid 2>>"$CHAT_LOG_DIR/kafka.log" | tail -n1)
    kafka_java kafka.tools.StorageTool format -t "$id" -c "$KAFKA_DIR/server.properties" --standalone \
      >>"$CHAT_LOG_DIR/kafka-format.log" 2>&1 || die "Kafka storage format failed; see $CHAT_LOG_DIR/kafka-format.log"
  fi
  say "starting kafka on 127.0.0.1:$KAFKA_PORT (PLAINTEXT), :$KAFKA_SSL_PORT (SSL), :$KAFKA_CONTROLLER_PORT (controller)"
  spawn kafka "$CHAT_JAVA" -Xmx512m -Xms256m -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$STACK_DIR/kafka/log4j2.xml" -cp "$KAFKA_HOME/libs/*" \
    kafka.Kafka "$KAFKA_DIR/server.properties"
  wait_until 90 "kafka" kafka kafka_ready || { stop_pid kafka 5; die "kafka did not start"; }
  ok "kafka ready (pid $(pid_of kafka))"
  kafka_topics
}

kafka_topics() {
  say "ensuring the topics of stack/kafka/topics.conf"
  require_java
  kafka_java "$STACK_DIR/kafka/EnsureTopics.java" "127.0.0.1:$KAFKA_PORT" "$STACK_DIR/kafka/topics.conf" \
    2>>"$CHAT_LOG_DIR/kafka-topics.log" || die "creating topics failed; see $CHAT_LOG_DIR/kafka-topics.log"
}

kafka_stop() { stop_pid kafka 30; }

kafka_status() {
  if is_alive kafka && kafka_ready; then say "kafka      running  pid $(pid_of kafka)  127.0.0.1:$KAFKA_PORT (PLAINTEXT) :$KAFKA_SSL_PORT (SSL)"
  elif is_alive kafka; then say "kafka      starting pid $(pid_of kafka)"
  else say "kafka      stopped"; fi
}

kafka_reset() { rm -rf "$KAFKA_DIR"; }
