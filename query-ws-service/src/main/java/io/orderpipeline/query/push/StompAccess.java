package io.orderpipeline.query.push;

import io.orderpipeline.query.query.OrderQueryService;
import io.orderpipeline.query.query.Viewer;
import io.orderpipeline.query.query.Viewers;
import io.orderpipeline.query.view.StoreUnavailableException;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.security.Caller;
import io.orderpipeline.security.SecuritySettings;
import jakarta.annotation.PreDestroy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;

/**
 * Identity on STOMP, on the client inbound channel before anything else sees a frame.
 *
 * <ul>
 *   <li><b>CONNECT</b> must carry {@code Authorization: Bearer <jwt>} (a native STOMP header; browsers cannot set
 *       headers on the WebSocket handshake, which is open). The token is validated by the same {@link JwtDecoder} as
 *       every HTTP request (signature, issuer, audience, {@code exp}/{@code nbf}) and must grant {@code orders:read}
 *       (or {@code orders:admin}). Otherwise the frame is refused: the client gets an ERROR frame and the connection
 *       is closed.
 *   <li><b>SUBSCRIBE</b> is allowed to {@value OrderPushHub#ALL} for an operator only; to {@value
 *       OrderPushHub#ACCOUNT_PREFIX}{@code {accountId}} for an account the token grants; to {@value
 *       OrderPushHub#ONE_PREFIX}{@code {orderId}} for an order of such an account — an id routed to one of the
 *       caller's accounts ({@link OrderRouting#isRoutedTo}, so a client may subscribe before its order exists), or,
 *       for ids that carry no route, an existing order the caller sees. Any other SUBSCRIBE (another account, another
 *       account's order, an unknown unrouted id, any other destination) gets one ERROR frame, the same for all, and
 *       the connection is closed; so does any other frame of a session that has not connected. The hub then delivers to a per-order subscription only states the caller sees.
 *   <li><b>Expiry</b>: a session is closed (ERROR frame {@code access token expired}, then the connection) at its
 *       token's {@code exp}; the client connects again with a fresh token and resubscribes.
 * </ul>
 */
@Component
class StompAccess implements ChannelInterceptor {

    private static final Logger log = LoggerFactory.getLogger(StompAccess.class);
    static final String REFUSED_SUBSCRIPTION = "subscription not allowed";
    static final String EXPIRED = "access token expired";
    /** How long after its ERROR frame a refused session is closed: ample for a frame already handed to the socket. */
    static final Duration CLOSE_GRACE = Duration.ofMillis(500);

    private final JwtDecoder decoder;
    private final Viewers viewers;
    private final SecuritySettings settings;
    private final OrderQueryService queries;
    private final OrderPushHub hub;
    private final ObjectProvider<MessageChannel> outbound;
    private final PushSessions pushSessions;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService expiries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "stomp-token-expiry");
        thread.setDaemon(true);
        return thread;
    });

    private record Session(Viewer viewer, ScheduledFuture<?> expiry) {}

    StompAccess(
            JwtDecoder decoder,
            Viewers viewers,
            SecuritySettings settings,
            OrderQueryService queries,
            OrderPushHub hub,
            PushSessions pushSessions,
            @Qualifier("clientOutboundChannel") ObjectProvider<MessageChannel> outbound) {
        this.pushSessions = pushSessions;
        this.decoder = decoder;
        this.viewers = viewers;
        this.settings = settings;
        this.queries = queries;
        this.hub = hub;
        this.outbound = outbound;
    }

    @Override
    public Message<?> preSend(Message<?> message, MessageChannel channel) {
        StompHeaderAccessor stomp = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
        if (stomp == null || stomp.getCommand() == null) {
            return message;
        }
        String sessionId = stomp.getSessionId();
        switch (stomp.getCommand()) {
            case CONNECT, STOMP -> connect(message, stomp, sessionId);
            case SUBSCRIBE -> {
                if (!authorized(sessionId, stomp.getDestination())) {
                    refuse(sessionId, REFUSED_SUBSCRIPTION);
                    return null; // dropped: neither the hub nor the broker hears of it
                }
            }
            case DISCONNECT -> forget(sessionId);
            default -> {
                if (!sessions.containsKey(sessionId)) {
                    throw new MessageDeliveryException(message, "not connected");
                }
            }
        }
        return message;
    }

    /** The viewer of a connected session. */
    Viewer viewer(String sessionId) {
        Session session = sessions.get(sessionId);
        if (session == null) {
            throw new IllegalStateException("session " + sessionId + " is not connected");
        }
        return session.viewer();
    }

    private void connect(Message<?> message, StompHeaderAccessor stomp, String sessionId) {
        String header = stomp.getFirstNativeHeader("Authorization");
        if (header == null) {
            header = stomp.getFirstNativeHeader("authorization");
        }
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new MessageDeliveryException(message, "CONNECT needs an Authorization: Bearer <token> header");
        }
        Jwt jwt;
        try {
            jwt = decoder.decode(header.substring(7).trim());
        } catch (JwtException e) {
            log.debug("STOMP CONNECT of session {} refused: {}", sessionId, e.getMessage());
            throw new MessageDeliveryException(message, "invalid token");
        }
        Instant expiresAt = jwt.getExpiresAt();
        if (expiresAt != null && !expiresAt.isAfter(Instant.now())) {
            throw new MessageDeliveryException(message, EXPIRED); // within the decoder's clock skew
        }
        Viewer viewer = viewers.of(jwt);
        Caller caller = viewer.caller();
        if (!caller.admin() && !caller.scopes().contains(settings.readScope())) {
            throw new MessageDeliveryException(message, "the token does not grant " + settings.readScope());
        }
        stomp.setUser(new JwtAuthenticationToken(jwt));
        // validated here; never handed on (with a relay, CONNECT goes on to the external broker)
        stomp.removeNativeHeader("Authorization");
        stomp.removeNativeHeader("authorization");
        ScheduledFuture<?> expiry = expiresAt == null
                ? null
                : expiries.schedule(
                        () -> expire(sessionId),
                        Math.max(0, Duration.between(Instant.now(), expiresAt).toMillis()),
                        TimeUnit.MILLISECONDS);
        Session previous = sessions.put(sessionId, new Session(viewer, expiry));
        if (previous != null && previous.expiry() != null) {
            previous.expiry().cancel(false);
        }
    }

    private boolean authorized(String sessionId, String destination) {
        Session session = sessions.get(sessionId);
        if (session == null || destination == null || !allowed(session.viewer(), destination)) {
            log.debug("Refusing SUBSCRIBE of session {} to {}", sessionId, destination);
            return false;
        }
        return true;
    }

    private boolean allowed(Viewer viewer, String destination) {
        Caller caller = viewer.caller();
        if (OrderPushHub.ALL.equals(destination)) {
            return caller.admin();
        }
        if (destination.startsWith(OrderPushHub.ACCOUNT_PREFIX)) {
            String account = destination.substring(OrderPushHub.ACCOUNT_PREFIX.length());
            return !account.isEmpty() && caller.mayActFor(account);
        }
        if (destination.startsWith(OrderPushHub.ONE_PREFIX)) {
            String orderId = destination.substring(OrderPushHub.ONE_PREFIX.length());
            return !orderId.isEmpty() && (caller.admin() || routedToCaller(orderId, caller) || seen(orderId, viewer));
        }
        return false;
    }

    private static boolean routedToCaller(String orderId, Caller caller) {
        UUID id;
        try {
            id = UUID.fromString(orderId);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return caller.accounts().stream().anyMatch(account -> OrderRouting.isRoutedTo(id, account));
    }

    /** An id without a route to the caller: allowed only if it is an existing order the caller sees. */
    private boolean seen(String orderId, Viewer viewer) {
        try {
            return queries.find(orderId, viewer).isPresent();
        } catch (StoreUnavailableException e) {
            return false;
        }
    }

    private void forget(String sessionId) {
        Session session = sessions.remove(sessionId);
        if (session != null && session.expiry() != null) {
            session.expiry().cancel(false);
        }
    }

    /** The token of {@code sessionId} expired: nothing more is delivered, the client gets ERROR and is closed. */
    private void expire(String sessionId) {
        if (sessions.containsKey(sessionId)) {
            log.info("Closing STOMP session {}: its access token expired", sessionId);
            refuse(sessionId, EXPIRED);
        }
    }

    /**
     * Ends a session: nothing more of the hub is delivered to it and no further frame of it is accepted; it is sent an
     * ERROR frame, and the connection is closed (1008) {@link #CLOSE_GRACE} later.
     *
     * <p>Why not Spring's own ERROR handling, which closes right after handing the frame to the session: if another
     * thread is still flushing an earlier frame to that session (the CONNECTED frame, typically), the ERROR frame
     * waits in the session's buffer, and the close that follows at once discards it. So the ERROR frame goes out like
     * the hub's messages (pre-encoded, {@link SharedFrameStompEncoder}), which Spring does not follow with a close,
     * and the close comes a grace later, by when the frame has long been written.
     */
    private void refuse(String sessionId, String reason) {
        forget(sessionId);
        hub.disconnect(sessionId);
        StompHeaderAccessor error = StompHeaderAccessor.create(StompCommand.MESSAGE);
        error.setSessionId(sessionId);
        error.setSubscriptionId("-");
        error.setHeader(SharedFrameStompEncoder.RAW_FRAME_HEADER, errorFrame(reason));
        error.setLeaveMutable(true);
        try {
            outbound.getObject().send(MessageBuilder.createMessage(new byte[0], error.getMessageHeaders()));
        } finally {
            expiries.schedule(
                    () -> pushSessions.close(sessionId, CloseStatus.POLICY_VIOLATION.withReason(reason)),
                    CLOSE_GRACE.toMillis(),
                    TimeUnit.MILLISECONDS);
        }
    }

    /** {@code ERROR} with a {@code message} header and no body, escaped as STOMP 1.2 wants header values. */
    static byte[] errorFrame(String message) {
        String escaped = message.replace("\\", "\\\\")
                .replace(":", "\\c")
                .replace("\n", "\\n")
                .replace("\r", "\\r");
        return ("ERROR\nmessage:" + escaped + "\ncontent-length:0\n\n\0").getBytes(StandardCharsets.UTF_8);
    }

    int sessions() {
        return sessions.size();
    }

    @PreDestroy
    void shutdown() {
        expiries.shutdownNow();
    }
}
