package io.orderpipeline.query.push;

import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketTransportRegistration;

/**
 * STOMP over WebSocket at {@code /ws} (plain WebSocket) and {@code /ws} with SockJS fallbacks. Order destinations are
 * served by the {@link OrderPushHub}; the broker is Spring's simple broker by default, or an external STOMP broker
 * when {@code orders.stomp.relay.enabled=true} (see {@link StompRelayProperties}).
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocketMessageBroker
class StompConfig implements WebSocketMessageBrokerConfigurer {

    private final PushProperties push;
    private final StompRelayProperties relay;
    private final OrderPushHub hub;
    private final PushSessions sessions;
    private final ThreadPoolTaskScheduler heartbeats;

    StompConfig(
            PushProperties push,
            StompRelayProperties relay,
            OrderPushHub hub,
            PushSessions sessions,
            ThreadPoolTaskScheduler stompHeartbeatScheduler) {
        this.push = push;
        this.relay = relay;
        this.hub = hub;
        this.sessions = sessions;
        this.heartbeats = stompHeartbeatScheduler;
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        registry.addEndpoint("/ws").setAllowedOriginPatterns("*");
        registry.addEndpoint("/ws").setAllowedOriginPatterns("*").withSockJS();
    }

    @Override
    public void configureMessageBroker(MessageBrokerRegistry registry) {
        long heartbeat = push.heartbeat().toMillis();
        if (relay.enabled()) {
            var broker = registry.enableStompBrokerRelay("/topic")
                    .setRelayHost(relay.host())
                    .setRelayPort(relay.port())
                    .setClientLogin(relay.clientLogin())
                    .setClientPasscode(relay.clientPasscode())
                    .setSystemLogin(relay.systemLogin())
                    .setSystemPasscode(relay.systemPasscode());
            if (!relay.virtualHost().isBlank()) {
                broker.setVirtualHost(relay.virtualHost());
            }
        } else {
            registry.enableSimpleBroker("/topic")
                    .setHeartbeatValue(new long[] {heartbeat, heartbeat})
                    .setTaskScheduler(heartbeats);
        }
    }

    @Override
    public void configureWebSocketTransport(WebSocketTransportRegistration registration) {
        registration
                .setSendTimeLimit((int) push.sendTimeLimit().toMillis())
                .setSendBufferSizeLimit((int) push.sendBufferSizeLimit().toBytes())
                .setMessageSizeLimit((int) push.messageSizeLimit().toBytes())
                .addDecoratorFactory(sessions);
    }

    @Override
    public void configureClientInboundChannel(ChannelRegistration registration) {
        registration.interceptors(new PushInterceptors.Inbound(hub));
    }

    @Override
    public void configureClientOutboundChannel(ChannelRegistration registration) {
        registration.taskExecutor().corePoolSize(push.outboundThreads()).maxPoolSize(push.outboundThreads());
        registration.interceptors(new PushInterceptors.Outbound());
    }
}
