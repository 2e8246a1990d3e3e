/**
 * What the read side needs from Kafka and the registry before anything reads, and how its own clients are made.
 *
 * <p><b>Start-up</b> ({@link io.orderpipeline.query.kafka.ReadSideStartup}): {@code orders.state} is declared
 * (compacted, {@code orders.topics.partitions}) through the shared {@code TopicProvisioner}, so that the read side can
 * start before the stream-processor, and the schema registry must answer; only then do the Streams application and
 * the change feed start. Both waits retry until {@code orders.startup.timeout}, then fail the start with a message
 * naming what was waited for.
 *
 * <p><b>One Kafka configuration</b>: every client of this service (the Streams application, the change feed, the push
 * relay, the topic provisioner's admin) is built by the shared {@code KafkaClients} from {@code spring.kafka.*} plus
 * the component's own overrides, so security settings reach all of them ({@code docs/ARCHITECTURE.md}).
 *
 * <p><b>Registry outages</b> ({@link io.orderpipeline.query.kafka.RegistryOutage}): a record whose schema cannot be
 * fetched because the registry is unreachable is read again later, never skipped; only a record that cannot be read
 * with a reachable registry is logged and skipped.
 *
 * <p><b>Recovery</b> ({@link io.orderpipeline.query.kafka.RecoveryProperties}): the long-lived loops of this service
 * recover from unexpected failures by themselves, with exponential backoff.
 */
package io.orderpipeline.query.kafka;
