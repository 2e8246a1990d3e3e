package io.orderpipeline.fixgateway;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Where and as whom a {@link VenueConnection} logs on.
 *
 * @param host the venue's FIX acceptor host
 * @param port the venue's FIX acceptor port
 * @param senderCompId SenderCompID(49) of this session, unique per processor instance (e.g. {@code PIPELINE-1}); the
 *     venue keeps sequence numbers and resend storage per SenderCompID
 * @param targetCompId TargetCompID(56), the venue's CompID
 * @param storeDirectory QuickFIX/J {@code FileStore} directory: sequence numbers and sent messages survive a restart
 *     of the processor, so the venue resends what this session missed while it was down
 * @param reconnectInterval pause between logon attempts while the venue is unreachable
 * @param heartbeatInterval HeartBtInt(108); a gap (a report that could not be handed to the sink) is detected at the
 *     latest with the next heartbeat
 */
public record VenueSettings(
        String host,
        int port,
        String senderCompId,
        String targetCompId,
        Path storeDirectory,
        Duration reconnectInterval,
        Duration heartbeatInterval) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 9878;
    public static final String VENUE_COMP_ID = "VENUE";

    public VenueSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(senderCompId, "senderCompId");
        Objects.requireNonNull(targetCompId, "targetCompId");
        Objects.requireNonNull(storeDirectory, "storeDirectory");
        Objects.requireNonNull(reconnectInterval, "reconnectInterval");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (senderCompId.isBlank() || targetCompId.isBlank()) {
            throw new IllegalArgumentException("CompIDs must not be blank");
        }
        if (reconnectInterval.toSeconds() < 1 || heartbeatInterval.toSeconds() < 1) {
            throw new IllegalArgumentException("FIX intervals are whole seconds, at least 1 s");
        }
    }

    /** The defaults: 127.0.0.1:9878, TargetCompID {@code VENUE}, reconnect every 1 s, heartbeat every 5 s. */
    public static VenueSettings of(String senderCompId, Path storeDirectory) {
        return new VenueSettings(
                DEFAULT_HOST,
                DEFAULT_PORT,
                senderCompId,
                VENUE_COMP_ID,
                storeDirectory,
                Duration.ofSeconds(1),
                Duration.ofSeconds(5));
    }

    public VenueSettings withAddress(String host, int port) {
        return new VenueSettings(
                host, port, senderCompId, targetCompId, storeDirectory, reconnectInterval, heartbeatInterval);
    }

    /** The session id as QuickFIX/J names it, e.g. {@code FIX.4.4:PIPELINE-1->VENUE}. */
    public String sessionName() {
        return "FIX.4.4:" + senderCompId + "->" + targetCompId;
    }
}
