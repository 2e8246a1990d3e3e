package io.orderpipeline.ingest;

import io.orderpipeline.ingest.order.OrderIds;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans shared by the features of ingest-api. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OrderIds orderIds(Clock clock) {
        return new OrderIds(clock);
    }
}
