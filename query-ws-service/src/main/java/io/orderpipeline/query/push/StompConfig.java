package io.orderpipeline.query.push;

import jakarta.annotation.PreDestroy;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.simp.config.ChannelRegistration;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
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
    private final StompAccess access;
    // Deliberately not beans: an AsyncTaskExecutor bean would be picked up by Boot as the executor of every channel.
    private final ThreadPoolTaskScheduler heartbeats = new ThreadPoolTaskScheduler();
    private final ThreadPoolTaskExecutor writers = new ThreadPoolTaskExecutor();

    StompConfig(
            PushProperties push,
            StompRelayProperties relay,
            OrderPushHub hub,
            PushSessions sessions,
            StompAccess access) {
        this.push = push;
        this.access = access;
        this.relay = relay;
        this.hub = hub;
        this.sessions = sessions;
        heartbeats.setPoolSize(1);
        heartbeats.setThreadNamePrefix("stomp-heartbeat-");
        heartbeats.setDaemon(true);
        heartbeats.initialize();
        writers.setCorePoolSize(push.outboundThreads());
        writers.setMaxPoolSize(push.outboundThreads());
        writers.setThreadNamePrefix("stomp-writer-");
        writers.setDaemon(true);
        writers.initialize();
    }

    @PreDestroy
    void shutdown() {
        writers.shutdown();
        heartbeats.shutdown();
    }

    @Override
    public void registerStompEndpoints(StompEndpointRegistry registry) {
        String[] origins = push.allowedOriginPatterns().toArray(String[]::new);
        registry.addEndpoint("/ws").setAllowedOriginPatterns(origins);
        registry.addEndpoint("/ws").setAllowedOriginPatterns(origins).withSockJS();
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
        // identity first: nothing reaches the hub or the broker from a session without a valid token
        registration.interceptors(access, new PushInterceptors.Inbound(hub, access));
    }

    @Override
    public void configureClientOutboundChannel(ChannelRegistration registration) {
        registration.taskExecutor().corePoolSize(push.outboundThreads()).maxPoolSize(push.outboundThreads());
        registration.interceptors(new PushInterceptors.Outbound());
    }
}
