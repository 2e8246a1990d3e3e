package io.orderpipeline.security;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** The shared identity beans: {@link SecuritySettings}, {@link Callers}, {@link ProblemResponses}. */
@AutoConfiguration
@EnableConfigurationProperties(SecuritySettings.class)
public class SecurityAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Callers callers(SecuritySettings settings) {
        return new Callers(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    ProblemResponses problemResponses() {
        return new ProblemResponses();
    }
}
