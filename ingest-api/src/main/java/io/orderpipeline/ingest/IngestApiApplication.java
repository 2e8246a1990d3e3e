package io.orderpipeline.ingest;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * ingest-api: the only write path into the order pipeline. {@code POST /orders} and {@code POST /orders/{id}/cancel}
 * turn validated HTTP requests into {@code OrderCommand}s on {@code orders.commands}.
 *
 * <p>The promise to clients: a 2xx means the command was acknowledged by the broker ({@code acks=all}, idempotent
 * producer); any other answer means the service did not get the command written (see {@code
 * io.orderpipeline.ingest.command.CommandLog} for the one ambiguous case, a broker lost between append and ack).
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
