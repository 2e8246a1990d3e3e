package io.orderpipeline.query.support;

import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import io.orderpipeline.schemas.avro.OrderType;
import io.orderpipeline.schemas.avro.Side;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes {@link OrderState} records to a state topic as the stream-processor would (there is no stream-processor in
 * this module's tests).
 */
public final class Orders implements AutoCloseable {

    private final KafkaProducer<String, OrderState> producer;
    private final String topic;
    private final String bootstrapServers;
    private final String registryUrl;

    public Orders(String bootstrapServers, String registryUrl, String topic) {
        this.topic = topic;
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.LINGER_MS_CONFIG,
                        5),
                new StringSerializer(),
                AvroSerdes.registry(registryUrl).valueSerde(OrderState.class).serializer());
    }

    /** A state of an order of account {@code acc-1}. */
    public static OrderState state(String orderId, String symbol, OrderStatus status, long version, Instant createdAt) {
        return state(orderId, "acc-1", symbol, status, version, createdAt);
    }

    public static OrderState state(
            String orderId, String accountId, String symbol, OrderStatus status, long version, Instant createdAt) {
        return OrderState.newBuilder()
                .setOrderId(orderId)
                .setAccountId(accountId)
                .setClientOrderId("c-" + orderId)
                .setSymbol(symbol)
                .setSide(Side.BUY)
                .setOrderType(OrderType.LIMIT)
                .setQuantity(100)
                .setPrice(new BigDecimal("187.25").setScale(6))
                .setStatus(status)
                .setVersion(version)
                .setAttempts(status == OrderStatus.PLACED ? 1 : 0)
                .setReasons(List.of())
                .setExchangeOrderId(status == OrderStatus.PLACED ? "X-" + orderId : null)
                .setCreatedAt(createdAt)
                .setUpdatedAt(createdAt.plusMillis(version))
                .build();
    }

    /** A fill of {@code quantity} at {@code price}, executed at {@code at}. */
    public static Fill fill(String executionId, long quantity, String price, Instant at) {
        return Fill.newBuilder()
                .setExecutionId(executionId)
                .setQuantity(quantity)
                .setPrice(new BigDecimal(price).setScale(6))
                .setExecutedAt(at)
                .build();
    }

    /**
     * {@code state} on {@code side} after {@code fills}, as the stream-processor writes it: filled and leaves quantity,
     * the volume-weighted average price (scale 6) and the fills in order.
     */
    public static OrderState filled(OrderState state, Side side, OrderStatus status, long version, Fill... fills) {
        long filled = 0;
        BigDecimal notional = BigDecimal.ZERO;
        for (Fill fill : fills) {
            filled += fill.getQuantity();
            notional = notional.add(fill.getPrice().multiply(BigDecimal.valueOf(fill.getQuantity())));
        }
        return OrderState.newBuilder(state)
                .setSide(side)
                .setStatus(status)
                .setVersion(version)
                .setUpdatedAt(state.getCreatedAt().plusMillis(version))
                .setFilledQuantity(filled)
                .setLeavesQuantity(status == OrderStatus.CANCELLED ? 0 : state.getQuantity() - filled)
                .setAveragePrice(
                        filled == 0 ? null : notional.divide(BigDecimal.valueOf(filled), 6, RoundingMode.HALF_EVEN))
                .setFills(List.of(fills))
                .build();
    }

    /** A fresh order id routed to {@code accountId}, as ingest-api mints them ({@link OrderRouting#route}). */
    public static String routedId(String accountId) {
        return OrderRouting.route(UUID.randomUUID(), accountId).toString();
    }

    /** Sends and waits for the broker's acknowledgement. */
    public void send(OrderState state) {
        try {
            producer.send(new ProducerRecord<>(topic, state.getOrderId(), state))
                    .get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write order state " + state.getOrderId(), e);
        }
    }

    /** Sends without waiting; {@link #flush()} before relying on it. */
    public void sendAsync(OrderState state) {
        producer.send(new ProducerRecord<>(topic, state.getOrderId(), state));
    }

    /**
     * Writes the state inside a transaction that is then aborted, as a stream-processor task that crashed or was
     * fenced mid-commit leaves it: the record sits in the log but no {@code read_committed} reader may ever see it.
     */
    public void sendAborted(OrderState state) {
        try (KafkaProducer<String, OrderState> transactional = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrapServers,
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        "aborting-" + UUID.randomUUID()),
                new StringSerializer(),
                AvroSerdes.registry(registryUrl).valueSerde(OrderState.class).serializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            transactional
                    .send(new ProducerRecord<>(topic, state.getOrderId(), state))
                    .get(30, TimeUnit.SECONDS);
            transactional.abortTransaction();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot write aborted order state " + state.getOrderId(), e);
        }
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
