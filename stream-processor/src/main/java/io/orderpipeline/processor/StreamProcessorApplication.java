package io.orderpipeline.processor;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * The stream-processor service: runs {@link io.orderpipeline.processor.topology.OrderTopology} (validate, place with
 * retry topics and a dead-letter topic, keep order state) and serves only Actuator on {@code 127.0.0.1:8082}
 * ({@code /actuator/health} with the Kafka Streams state, {@code /actuator/prometheus}).
 *
 * <p>Its configuration file is {@value #CONFIG_NAME}{@code .yml}, not {@code application.yml}, so that all three
 * services can run in one JVM (the end-to-end test) without reading each other's settings.
 */
@SpringBootApplication
public class StreamProcessorApplication {

    public static final String CONFIG_NAME = "stream-processor";

    public static void main(String[] args) {
        new SpringApplicationBuilder(StreamProcessorApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME)
                .run(args);
    }
}
