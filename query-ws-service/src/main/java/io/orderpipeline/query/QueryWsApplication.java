package io.orderpipeline.query;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The read side of the order pipeline: a Kafka Streams application of its own that materializes {@code orders.state}
 * into queryable stores (by id and listing indexes), answers {@code GET /orders…} with interactive queries across
 * every instance, and pushes every state change to STOMP/WebSocket subscribers.
 *
 * <p>See {@code package-info.java} of each feature package for its guarantees.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class QueryWsApplication {

    /** Name of the configuration file ({@code query-ws-service.yml}); distinct per service so that all can share a JVM. */
    public static final String CONFIG_NAME = "query-ws-service";

    public static void main(String[] args) {
        new SpringApplicationBuilder(QueryWsApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME)
                .run(args);
    }
}
