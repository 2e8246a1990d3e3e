package io.orderpipeline.query.kafka;

import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.shared.KafkaClients;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Creates the plain consumers of {@code orders.state} that the read side runs besides its Streams application: the
 * change feed and the push relay. Without a bean of this type they are {@link #from(KafkaClients) built by}
 * {@link KafkaClients}; a test may provide one that wraps real consumers to inject failures.
 */
@FunctionalInterface
public interface StateConsumers {

    /** The change feed's consumer ({@code io.orderpipeline.query.feed.OrderStateFeed}). */
    String FEED = "order-state-feed";

    /** The push relay's consumer ({@code io.orderpipeline.query.push.RelayPublisher}). */
    String RELAY = "push-relay";

    /**
     * @param component {@link #FEED} or {@link #RELAY}
     * @param overrides the component's settings, applied over {@code spring.kafka.*}
     * @param values a deserializer of its own (closing the consumer closes it)
     */
    Consumer<String, OrderState> create(
            String component, Map<String, Object> overrides, Deserializer<OrderState> values);

    /** Consumers built by {@link KafkaClients#consumer}: {@code spring.kafka.*}, then the overrides. */
    static StateConsumers from(KafkaClients clients) {
        return (component, overrides, values) -> clients.consumer(overrides, new StringDeserializer(), values);
    }
}
