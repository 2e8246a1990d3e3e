package io.orderpipeline.processor.venue;

import io.orderpipeline.fixgateway.ReportSink;
import io.orderpipeline.fixgateway.VenueConnection;
import io.orderpipeline.fixgateway.VenueSettings;
import java.util.Optional;
import org.springframework.context.SmartLifecycle;

/**
 * This instance's FIX session as part of the application's lifecycle: opened after the processor's start-up (its
 * topics exist, so the first reports the venue resends can be written) and before Kafka Streams, closed after Kafka
 * Streams stopped (no stream thread sends any more). Logon happens in the background and is retried for ever; a venue
 * that is down only makes placements fail transiently (retry tiers).
 */
final class VenueSession implements SmartLifecycle {

    private final VenueSettings settings;
    private final ReportSink sink;
    private volatile VenueConnection connection;

    VenueSession(VenueSettings settings, ReportSink sink) {
        this.settings = settings;
        this.sink = sink;
    }

    /** The connection once started; empty before start and after stop. */
    Optional<VenueConnection> connection() {
        return Optional.ofNullable(connection);
    }

    VenueSettings settings() {
        return settings;
    }

    /** Where this session's reports go ({@code orders.executions}). */
    ReportSink sink() {
        return sink;
    }

    @Override
    public synchronized void start() {
        if (connection == null) {
            connection = VenueConnection.open(settings, sink);
        }
    }

    @Override
    public synchronized void stop() {
        VenueConnection open = connection;
        connection = null;
        if (open != null) {
            open.close();
        }
    }

    @Override
    public boolean isRunning() {
        return connection != null;
    }

    /** After {@code ProcessorStartup} (MAX - 2000), before the {@code StreamsBuilderFactoryBean} (MAX - 1000). */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 1500;
    }
}
