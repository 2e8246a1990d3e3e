package io.orderpipeline.query.push;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans the STOMP configuration and the hub share (kept apart from {@link StompConfig} to avoid a cycle). */
@Configuration(proxyBeanMethods = false)
class PushBeans {

    @Bean
    PushSessions pushSessions(PushProperties properties) {
        return new PushSessions(properties.sendTimeLimit().toMillis());
    }
}
