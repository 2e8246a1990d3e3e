package io.orderpipeline.query.support;

import io.orderpipeline.query.kafka.StateConsumers;
import io.orderpipeline.shared.KafkaClients;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaClientSupplier;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;

/**
 * Failures injected into the real Kafka consumers of one query instance: the change feed's and the push relay's
 * ({@link StateConsumers}) and the Streams application's main consumers ({@link KafkaClientSupplier}). Each consumer
 * is a real {@link KafkaConsumer} whose {@code poll} throws an armed failure once. The creation of further consumers
 * of a component can be held until the test releases it, so that the recovery window is observable.
 */
public final class Faults {

    /** The Streams application's main consumers. */
    public static final String STREAMS = "streams-main";

    /** An {@link Error}, as opposed to an exception, thrown by a consumer. */
    public static final class InjectedError extends Error {
        public InjectedError(String message) {
            super(message);
        }
    }

    private final Map<String, AtomicReference<Throwable>> nextPollFailure = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> created = new ConcurrentHashMap<>();

    /** Registers this instance's {@link StateConsumers} and {@link KafkaClientSupplier} in the context. */
    public ApplicationContextInitializer<ConfigurableApplicationContext> initializer() {
        return context -> {
            GenericApplicationContext generic = (GenericApplicationContext) context;
            generic.registerBean(StateConsumers.class, () -> stateConsumers(generic.getBean(KafkaClients.class)));
            generic.registerBean(KafkaClientSupplier.class, this::clientSupplier);
        };
    }

    /** The next {@code poll} of {@code component}'s current consumer throws {@code failure}. */
    public void failNextPoll(String component, Throwable failure) {
        nextPollFailure.computeIfAbsent(component, c -> new AtomicReference<>()).set(failure);
    }

    /** Whether an armed failure has not been thrown yet. */
    public boolean armed(String component) {
        AtomicReference<Throwable> failure = nextPollFailure.get(component);
        return failure != null && failure.get() != null;
    }

    /** New consumers of {@code component} wait until {@link #release(String)}. */
    public void holdNewConsumers(String component) {
        holds.put(component, new CountDownLatch(1));
    }

    public void release(String component) {
        CountDownLatch hold = holds.remove(component);
        if (hold != null) {
            hold.countDown();
        }
    }

    /** Consumers of {@code component} created so far. */
    public int created(String component) {
        AtomicInteger count = created.get(component);
        return count == null ? 0 : count.get();
    }

    private StateConsumers stateConsumers(KafkaClients clients) {
        return (component, overrides, values) ->
                consumer(component, clients.consumerConfig(overrides), new StringDeserializer(), values);
    }

    private KafkaClientSupplier clientSupplier() {
        return new KafkaClientSupplier() {
            @Override
            public Admin getAdmin(Map<String, Object> config) {
                return Admin.create(config);
            }

            @Override
            public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
                return new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            }

            @Override
            public Consumer<byte[], byte[]> getConsumer(Map<String, Object> config) {
                return consumer(STREAMS, config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            }

            @Override
            public Consumer<byte[], byte[]> getRestoreConsumer(Map<String, Object> config) {
                return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            }

            @Override
            public Consumer<byte[], byte[]> getGlobalConsumer(Map<String, Object> config) {
                return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            }
        };
    }

    private <K, V> Consumer<K, V> consumer(
            String component, Map<String, Object> config, Deserializer<K> keys, Deserializer<V> values) {
        CountDownLatch hold = holds.get(component);
        if (hold != null) {
            try {
                if (!hold.await(2, TimeUnit.MINUTES)) {
                    throw new IllegalStateException("test never released new consumers of " + component);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        created.computeIfAbsent(component, c -> new AtomicInteger()).incrementAndGet();
        AtomicReference<Throwable> failure = nextPollFailure.computeIfAbsent(component, c -> new AtomicReference<>());
        return new KafkaConsumer<>(config, keys, values) {
            @Override
            public ConsumerRecords<K, V> poll(Duration timeout) {
                Throwable injected = failure.getAndSet(null);
                if (injected instanceof RuntimeException exception) {
                    throw exception;
                }
                if (injected instanceof Error error) {
                    throw error;
                }
                return super.poll(timeout);
            }
        };
    }
}
