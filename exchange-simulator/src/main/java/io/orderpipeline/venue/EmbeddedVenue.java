package io.orderpipeline.venue;

import io.orderpipeline.venue.book.Faults;
import io.orderpipeline.venue.book.VenueEngine;
import io.orderpipeline.venue.book.VenueOrder;
import io.orderpipeline.venue.fix.FixAcceptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The real venue, started inside the calling JVM — for other modules' tests (like auth-server's {@code
 * EmbeddedIssuer}). It runs {@link VenueApplication} in its own Spring context ({@code exchange-simulator.yml}) on
 * 127.0.0.1, with free ports for FIX and the admin API and, unless {@code orders.venue.data-dir} is given, a fresh
 * temporary data directory.
 *
 * <pre>{@code
 * try (EmbeddedVenue venue = EmbeddedVenue.start("orders.venue.fill.model=immediate")) {
 *     // initiator: 127.0.0.1:venue.fixPort(), TargetCompID VENUE
 *     venue.setFailureRate(1.0);    // every new order refused, retryable
 *     venue.dropSessions();         // the initiators log on again and ask for the gap
 *     venue.restart();              // same ports and data directory: the book and the sessions' stores survive
 * }
 * }</pre>
 */
public final class EmbeddedVenue implements AutoCloseable {

    private final Map<String, String> settings;
    private ConfigurableApplicationContext context;

    private EmbeddedVenue(Map<String, String> settings) {
        this.settings = settings;
        this.context = run(settings);
        // a restart comes back on the same ports, where the initiators keep reconnecting
        settings.put("orders.venue.fix-port", Integer.toString(fixPort()));
        settings.put("server.port", Integer.toString(adminPort()));
    }

    /** @param properties {@code key=value} settings that win over {@code exchange-simulator.yml} */
    public static EmbeddedVenue start(String... properties) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("server.address", "127.0.0.1");
        settings.put("server.port", "0");
        settings.put("orders.venue.fix-host", "127.0.0.1");
        settings.put("orders.venue.fix-port", "0");
        settings.put("spring.main.banner-mode", "off");
        for (String property : properties) {
            int equals = property.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("not key=value: " + property);
            }
            settings.put(property.substring(0, equals), property.substring(equals + 1));
        }
        if (!settings.containsKey("orders.venue.data-dir")) {
            try {
                settings.put(
                        "orders.venue.data-dir",
                        Files.createTempDirectory("exchange-simulator").toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new EmbeddedVenue(settings);
    }

    private static ConfigurableApplicationContext run(Map<String, String> settings) {
        List<String> args = new ArrayList<>();
        settings.forEach((key, value) -> args.add("--" + key + "=" + value));
        return new SpringApplicationBuilder(VenueApplication.class)
                .properties("spring.config.name=" + VenueApplication.CONFIG_NAME)
                .run(args.toArray(String[]::new));
    }

    public int fixPort() {
        return context.getBean(FixAcceptor.class).port();
    }

    public int adminPort() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    /** {@code http://127.0.0.1:<port>}, base of {@code /admin/**} and {@code /actuator/health}. */
    public String adminUrl() {
        return "http://127.0.0.1:" + adminPort();
    }

    public Path dataDir() {
        return Path.of(settings.get("orders.venue.data-dir"));
    }

    public Faults faults() {
        return engine().faults();
    }

    /** Replaces the faults; an outage also drops the current sessions, as {@code PUT /admin/faults} does. */
    public void faults(Faults faults) {
        engine().faults(faults);
        if (faults.outage()) {
            dropSessions();
        }
    }

    public void setFailureRate(double failureRate) {
        faults(faults().with(failureRate, null, null, null));
    }

    public void setOutage(boolean outage) {
        faults(faults().with(null, null, null, outage));
    }

    /** Drops every FIX session now (no logout); initiators reconnect. */
    public void dropSessions() {
        context.getBean(FixAcceptor.class).dropSessions("dropped by EmbeddedVenue");
    }

    /** Sets a symbol's simulated price; resting orders that it reaches fill. */
    public void setPrice(String symbol, BigDecimal price) {
        engine().setPrice(symbol, price);
    }

    /** Expires a live order (ExecType C); {@code false} if it is not live. */
    public boolean expire(String clOrdId) {
        return engine().expire(clOrdId);
    }

    public List<VenueOrder> orders() {
        return engine().book().orders();
    }

    public Optional<VenueOrder> order(String clOrdId) {
        return engine().book().order(clOrdId);
    }

    public List<FixAcceptor.SessionView> sessions() {
        return context.getBean(FixAcceptor.class).sessionViews();
    }

    /** Stops and starts it again on the same ports and data directory (the journal and FIX stores are replayed). */
    public void restart() {
        context.close();
        context = run(settings);
    }

    @Override
    public void close() {
        context.close();
    }

    private VenueEngine engine() {
        return context.getBean(VenueEngine.class);
    }
}
