package io.orderpipeline.query.push;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.MessageDeliveryException;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.ExecutorChannelInterceptor;
import org.springframework.messaging.support.MessageHeaderAccessor;

/** The two channel interceptors that connect Spring's STOMP plumbing to the {@link OrderPushHub}. */
final class PushInterceptors {

    private PushInterceptors() {}

    /**
     * On the client inbound channel, in the thread that received the frame, after {@link StompAccess} has let the
     * frame through: registers subscriptions to our
     * destinations with the hub as soon as the SUBSCRIBE arrives, forgets them on UNSUBSCRIBE/DISCONNECT (Spring
     * sends a DISCONNECT message also when a connection just drops), and refuses SEND frames: clients only listen.
     */
    static final class Inbound implements ChannelInterceptor {

        private static final Logger log = LoggerFactory.getLogger(Inbound.class);

        private final OrderPushHub hub;
        private final StompAccess access;

        Inbound(OrderPushHub hub, StompAccess access) {
            this.hub = hub;
            this.access = access;
        }

        @Override
        public Message<?> preSend(Message<?> message, MessageChannel channel) {
            StompHeaderAccessor stomp = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
            if (stomp == null || stomp.getCommand() == null) {
                return message;
            }
            StompCommand command = stomp.getCommand();
            String sessionId = stomp.getSessionId();
            switch (command) {
                case SUBSCRIBE -> {
                    String destination = stomp.getDestination();
                    if (isOrderDestination(destination)) {
                        hub.subscribe(sessionId, stomp.getSubscriptionId(), destination, access.viewer(sessionId));
                    }
                }
                case UNSUBSCRIBE -> hub.unsubscribe(sessionId, stomp.getSubscriptionId());
                case DISCONNECT -> hub.disconnect(sessionId);
                case SEND -> {
                    log.debug("Refusing SEND to {} from session {}", stomp.getDestination(), sessionId);
                    throw new MessageDeliveryException(message, "this service does not accept messages from clients");
                }
                default -> {
                    // CONNECT, heart-beats, ACK/NACK: nothing to do
                }
            }
            return message;
        }

        static boolean isOrderDestination(String destination) {
            return OrderPushHub.ALL.equals(destination)
                    || (destination != null
                            && destination.startsWith(OrderPushHub.ONE_PREFIX)
                            && destination.length() > OrderPushHub.ONE_PREFIX.length())
                    || (destination != null
                            && destination.startsWith(OrderPushHub.ACCOUNT_PREFIX)
                            && destination.length() > OrderPushHub.ACCOUNT_PREFIX.length());
        }
    }

    /** On the client outbound channel: releases a session's next message once the previous one has been written. */
    static final class Outbound implements ExecutorChannelInterceptor {

        @Override
        public void afterMessageHandled(
                Message<?> message, MessageChannel channel, MessageHandler handler, Exception ex) {
            OrderPushHub.handled(message);
        }
    }
}
