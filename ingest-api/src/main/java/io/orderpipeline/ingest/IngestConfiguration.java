package io.orderpipeline.ingest;

import io.orderpipeline.ingest.order.OrderIds;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.webmvc.autoconfigure.WebMvcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Beans shared by the features of ingest-api. */
@Configuration(proxyBeanMethods = false)
class IngestConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /**
     * Runs continuations of producer callbacks that may call {@code send()} again (the idempotency record). They must
     * not run on the producer's I/O thread: a {@code send()} there that waits for metadata waits for itself. Virtual
     * threads on JDK 21+, two daemon threads otherwise.
     */
    @Bean(destroyMethod = "shutdown")
    ExecutorService ingestContinuations() {
        try {
            return (ExecutorService)
                    Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException olderJdk) {
            AtomicInteger n = new AtomicInteger();
            return Executors.newFixedThreadPool(2, task -> {
                Thread thread = new Thread(task, "ingest-continuation-" + n.incrementAndGet());
                thread.setDaemon(true);
                return thread;
            });
        }
    }

    @Bean
    OrderIds orderIds(Clock clock) {
        return new OrderIds(clock);
    }

    /**
     * Refuses to start when Spring MVC's async timeout could fire before the producer's verdict: the timer would
     * answer 503 for a command that may still be acknowledged, breaking "no 5xx for a written command".
     */
    @Bean
    Object asyncTimeoutGuard(IngestSettings settings, WebMvcProperties mvc) {
        Duration asyncTimeout = mvc.getAsync().getRequestTimeout();
        Duration bound = settings.producer()
                .bound()
                .plus(settings.idempotency().catchUpTimeout())
                .plusSeconds(1);
        if (asyncTimeout != null && asyncTimeout.compareTo(bound) < 0) {
            throw new IllegalStateException("spring.mvc.async.request-timeout (" + asyncTimeout
                    + ") must exceed orders.ingest.producer.max-block + delivery-timeout + commit-timeout"
                    + " + orders.ingest.idempotency.catch-up-timeout + 1s (" + bound + ")");
        }
        return bound;
    }
}
