/**
 * What every service of the pipeline shares, declared once: topic names and sizing ({@link
 * io.orderpipeline.shared.TopicSettings}), the schema registry ({@link io.orderpipeline.shared.RegistrySettings}), the
 * Kafka client factory that builds every producer, consumer, admin and Streams client from Spring Boot's {@code
 * spring.kafka.*} properties ({@link io.orderpipeline.shared.KafkaClients}), topic provisioning ({@link
 * io.orderpipeline.shared.TopicProvisioner}) and start-up waits that retry until a deadline ({@link
 * io.orderpipeline.shared.StartupWait}). Spring Boot auto-configures all of it ({@link
 * io.orderpipeline.shared.SharedKafkaAutoConfiguration}); see {@code docs/ARCHITECTURE.md}, "Shared settings".
 */
package io.orderpipeline.shared;
