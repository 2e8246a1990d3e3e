package io.orderpipeline.venue;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * exchange-simulator: the venue of the embedded run. A FIX 4.4 acceptor (QuickFIX/J) on {@code 127.0.0.1:9878} that
 * accepts any SenderCompID logging on to {@code VENUE}, a per-symbol book with a seeded fill model, a journal that
 * keeps the book across restarts, and an admin HTTP API on {@code 127.0.0.1:8086} to break and heal it at run time.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class VenueApplication {

    /** {@code spring.config.name}: the venue reads {@code exchange-simulator.yml}, so it can share a JVM. */
    public static final String CONFIG_NAME = "exchange-simulator";

    public static void main(String[] args) {
        new SpringApplicationBuilder(VenueApplication.class)
                .properties("spring.config.name=" + CONFIG_NAME)
                .run(args);
    }
}
