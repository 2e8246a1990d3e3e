package io.orderpipeline.query.push;

import jakarta.websocket.Session;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketHandlerDecoratorFactory;

/**
 * The open WebSocket sessions (STOMP session id = WebSocket session id), so that a session that cannot keep up can be
 * closed. Also bounds Tomcat's blocking send for each session (to twice the push send-time limit), so that a writer
 * thread stuck on a client that stopped reading is released in bounded time.
 */
final class PushSessions implements WebSocketHandlerDecoratorFactory {

    private static final Logger log = LoggerFactory.getLogger(PushSessions.class);
    private static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

    private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();
    private final long sendTimeLimitMillis;

    PushSessions(long sendTimeLimitMillis) {
        this.sendTimeLimitMillis = sendTimeLimitMillis;
    }

    @Override
    public WebSocketHandler decorate(WebSocketHandler handler) {
        return new WebSocketHandlerDecorator(handler) {
            @Override
            public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                sessions.put(session.getId(), session);
                if (session instanceof NativeWebSocketSession nativeSession) {
                    Session tomcat = nativeSession.getNativeSession(Session.class);
                    if (tomcat != null) {
                        // twice the push limit: the hub's own check (which closes with 1013) normally fires first
                        tomcat.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, 2 * sendTimeLimitMillis);
                    }
                }
                super.afterConnectionEstablished(session);
            }

            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
                sessions.remove(session.getId());
                super.afterConnectionClosed(session, status);
            }
        };
    }

    /** Closes a session with 1013 (try again later); the client reconnects and resubscribes. */
    void close(String sessionId, String reason) {
        close(sessionId, CloseStatus.SERVICE_OVERLOAD.withReason(reason));
    }

    void close(String sessionId, CloseStatus status) {
        WebSocketSession session = sessions.remove(sessionId);
        if (session == null) {
            return;
        }
        try {
            session.close(status);
        } catch (IOException | RuntimeException e) {
            log.debug("Closing session {} failed: {}", sessionId, e.toString());
        }
    }

    int size() {
        return sessions.size();
    }
}
