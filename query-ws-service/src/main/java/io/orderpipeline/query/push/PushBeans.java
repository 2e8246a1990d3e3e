package io.orderpipeline.query.push;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.messaging.StompSubProtocolHandler;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

/** Beans the STOMP configuration and the hub share (kept apart from {@link StompConfig} to avoid a cycle). */
@Configuration(proxyBeanMethods = false)
class PushBeans {

    @Bean
    PushSessions pushSessions(PushProperties properties) {
        return new PushSessions(properties.sendTimeLimit().toMillis());
    }

    /**
     * Makes the STOMP handler write the hub's shared frames ({@link SharedFrameStompEncoder}). Spring offers no
     * registry setting for the encoder; the handler exists once the endpoint registry has been built, which is
     * done by the time every singleton is.
     */
    @Bean
    SmartInitializingSingleton sharedFrameEncoder(ObjectProvider<SubProtocolWebSocketHandler> handlers) {
        return () -> handlers.forEach(handler -> handler.getProtocolHandlers().stream()
                .filter(StompSubProtocolHandler.class::isInstance)
                .map(StompSubProtocolHandler.class::cast)
                .forEach(stomp -> stomp.setEncoder(new SharedFrameStompEncoder())));
    }
}
