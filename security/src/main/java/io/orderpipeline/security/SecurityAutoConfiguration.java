package io.orderpipeline.security;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * The shared identity beans: {@link SecuritySettings}, {@link Callers}, {@link ProblemResponses}, and what keeps a
 * token's cost per request low (issue 12's bound: token validation may cost at most 10 % of POST throughput):
 *
 * <ul>
 *   <li>every {@link JwtDecoder} bean (Spring Boot's, which ingest-api's filter chain and query-ws-service's STOMP
 *       CONNECT check both use) is wrapped in a {@link CachingJwtDecoder} unless {@code
 *       orders.security.token-cache.max-size=0};
 *   <li>the firewall checks header characters without regular expressions ({@link HeaderCharacters}), same rules;
 *   <li>Spring Security's observations are off ({@link SecurityObservationSettings#noObservations()}): its filters and
 *       authorization managers are then not wrapped at all. The HTTP server observation of each request stays. A
 *       service that wants them declares its own {@code SecurityObservationSettings}.
 * </ul>
 */
@AutoConfiguration
@EnableConfigurationProperties({SecuritySettings.class, TokenCacheSettings.class})
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

    @Bean
    static BeanPostProcessor cachingJwtDecoders(ObjectProvider<TokenCacheSettings> settings) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
                if (bean instanceof JwtDecoder decoder && !(bean instanceof CachingJwtDecoder)) {
                    TokenCacheSettings cache = settings.getObject();
                    return cache.enabled() ? new CachingJwtDecoder(decoder, cache) : bean;
                }
                return bean;
            }
        };
    }

    /** Servlet services: the filter chain's own costs. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(WebSecurityCustomizer.class)
    static class FilterChainCosts {

        @Bean
        @ConditionalOnMissingBean
        SecurityObservationSettings securityObservationSettings() {
            return SecurityObservationSettings.noObservations();
        }

        @Bean
        WebSecurityCustomizer fastHeaderChecks() {
            StrictHttpFirewall firewall = new StrictHttpFirewall();
            firewall.setAllowedHeaderNames(HeaderCharacters.NAMES);
            firewall.setAllowedHeaderValues(HeaderCharacters.VALUES);
            return web -> web.httpFirewall(firewall);
        }
    }
}
