package io.orderpipeline.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * ingest-api: the only write path into the order pipeline. {@code POST /orders} and {@code POST /orders/{id}/cancel}
 * turn validated HTTP requests into {@code OrderCommand}s on {@code orders.commands}.
 *
 * <p>The promise to clients: a 2xx means the command is committed in Kafka ({@code acks=all}, idempotent, transactional
 * producer); any other answer means it was not and never will be visible to {@code read_committed} consumers, except
 * the {@code outcome-unknown} 503 (the broker was lost during the commit itself; see {@code
 * io.orderpipeline.ingest.command.CommandLog}).
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApiApplication {

    /** {@code spring.config.name}: the service reads {@code ingest-api.yml}, so it can share a JVM with the others. */
    public static final String CONFIG_NAME = "ingest-api";

    public static void main(String[] args) {
        new SpringApplicationBuilder(IngestApiApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME)
                .run(args);
    }
}
