/**
 * Dead-letter browsing for operators ({@code orders:admin}): {@code GET /admin/dead-letters?topic=place|dlq}, {@code
 * GET /admin/dead-letters/{ref}} and {@code GET /admin/dead-letters/summary}. The placement DLT ({@code
 * orders.place.dlt}: FAILED orders' last {@code PlacementAttempt}, Spring-style {@code kafka_dlt-*} headers) and the
 * stream-processor's DLQ ({@code orders.dlq}: poison records with Kafka Streams' {@code __streams.errors.*} headers)
 * are read straight from Kafka by a plain consumer per request (assigned partitions, no group, {@code
 * read_committed}, bounded), never copied into a store: they are small, rarely read, and must show what the topic
 * holds now. A {@code ref} ({@code <place|dlq>-<partition>-<offset>}) is the name ingest-api's re-drive takes; whether
 * a ref was re-driven comes from ingest-api's compacted {@code orders.redrives} marks.
 */
package io.orderpipeline.query.deadletter;
