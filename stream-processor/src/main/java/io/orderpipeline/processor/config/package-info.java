/**
 * Spring wiring of the stream-processor: typed {@code @ConfigurationProperties} records (every key has a default and
 * can be set by environment variable, e.g. {@code ORDERS_EXCHANGE_FAILURERATE=0.5}), the Kafka Streams configuration,
 * topic declarations, instrument seeding and the Kafka Streams health indicator. Nothing outside this package depends
 * on Spring.
 */
package io.orderpipeline.processor.config;
