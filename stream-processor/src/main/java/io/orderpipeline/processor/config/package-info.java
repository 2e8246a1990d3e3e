/**
 * Spring wiring of the stream-processor: typed {@code @ConfigurationProperties} records (every key has a default and
 * can be set by environment variable, e.g. {@code ORDERS_EXCHANGE_VENUEPORT=9979}), the choice of exchange ({@code
 * orders.exchange.kind}: the venue over FIX, wired in {@code processor.venue}, or the in-process simulator), the Kafka
 * Streams configuration,
 * topic declarations, start-up, failure handling and the Kafka Streams health indicator. Nothing outside this package
 * and {@code processor.venue} depends on Spring. Settings every service shares ({@code orders.topics.*}, {@code orders.registry.*}, {@code
 * orders.startup.*}) and the Kafka client factory come from the {@code shared} module.
 *
 * <h2>Start-up never races the broker</h2>
 *
 * {@link io.orderpipeline.processor.config.ProcessorStartup} runs before the Kafka Streams instance starts: it waits
 * for the schema registry, creates the missing topics and waits until each is described with a leader per partition
 * (checking co-partitioning on those descriptions), then seeds the instruments. Every step retries retriable errors
 * until {@code orders.startup.timeout} (default 3 min) and then fails start-up with a message naming what it waited
 * for, and the process exits non-zero.
 *
 * <h2>No silent deaths: the processor stops rather than limp</h2>
 *
 * Decided in {@link io.orderpipeline.processor.config.StreamsFailurePolicy}. Bad records never stop anything (the
 * deserialization and processing handlers dead-letter them). A stream thread that dies of anything else is
 * <em>replaced</em> in place and logged; exactly-once makes the replacement lossless. If the Kafka Streams client
 * nevertheless fails as a whole ({@code ERROR}, for example when the global thread that keeps the instruments table
 * dies, or it stops without being asked to), it cannot recover inside the process, so the service logs why and exits
 * with code 1 (closing the context first) for its supervisor — the local-stack launcher, compose {@code restart:},
 * Kubernetes — to start a fresh instance, which resumes from the committed offsets. It never stays up with a dead
 * client behind a health endpoint that says DOWN. See {@code docs/ARCHITECTURE.md}.
 */
package io.orderpipeline.processor.config;
