package io.orderpipeline.processor.topology;

import io.orderpipeline.processor.account.AccountLedger;
import io.orderpipeline.schemas.avro.Fill;
import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The one place that writes an order's state: the store, {@code orders.state} and {@code orders.events} together, so a
 * version is never stored without its event. Used on the stream thread of the lifecycle task only.
 */
final class OrderWriter {

    private final ProcessorContext<String, OrderOutput> context;
    private final KeyValueStore<String, OrderState> orders;
    private final AccountLedger ledger;
    /** Who sent the command being processed; named on the events it causes directly. */
    private String principal;

    OrderWriter(
            ProcessorContext<String, OrderOutput> context,
            KeyValueStore<String, OrderState> orders,
            AccountLedger ledger) {
        this.context = context;
        this.orders = orders;
        this.ledger = ledger;
    }

    /** The principal of the command now processed ({@code null} for anything else: reports, retries, timeouts). */
    void actingFor(String principal) {
        this.principal = principal;
    }

    OrderState get(String orderId) {
        return orders.get(orderId);
    }

    AccountLedger ledger() {
        return ledger;
    }

    void transition(OrderState previous, OrderState next, OrderEventType type, String detail) {
        transition(previous, next, type, detail, null);
    }

    /**
     * Stores {@code next} and emits it with its event. Entering a terminal state gives the order's reservation back
     * to its account.
     */
    void transition(OrderState previous, OrderState next, OrderEventType type, String detail, Fill fill) {
        orders.put(next.getOrderId(), next);
        Instant now = next.getUpdatedAt();
        forward(next.getOrderId(), new OrderOutput.StateChanged(next), now);
        forward(
                next.getOrderId(),
                new OrderOutput.EventOccurred(attributed(OrderTransitions.event(previous, next, type, detail, fill))),
                now);
        boolean ended = OrderTransitions.isTerminal(next.getStatus())
                && (previous == null || !OrderTransitions.isTerminal(previous.getStatus()));
        if (ended) {
            ledger.release(next.getAccountId(), next.getOrderId(), now);
        }
    }

    void emit(OrderEvent event) {
        forward(event.getOrderId(), new OrderOutput.EventOccurred(attributed(event)), event.getOccurredAt());
    }

    /** Events a command causes by itself carry its principal; what the venue or a retry did carries none. */
    private OrderEvent attributed(OrderEvent event) {
        boolean asked = switch (event.getType()) {
            case ACCEPTED,
                    DUPLICATE_IGNORED,
                    CANCELLED,
                    CANCEL_IGNORED,
                    CANCEL_REQUESTED,
                    CANCEL_REJECTED,
                    AMEND_REQUESTED,
                    AMENDED,
                    AMEND_REJECTED,
                    REPLAYED,
                    REPLAY_IGNORED -> true;
            default -> false;
        };
        if (asked && principal != null) {
            event.setPrincipal(principal);
        }
        return event;
    }

    void forward(String key, OrderOutput output, Instant timestamp) {
        context.forward(new Record<>(key, output, timestamp.toEpochMilli()));
    }

    void forward(String key, OrderOutput output, Instant timestamp, Headers headers) {
        context.forward(new Record<>(key, output, timestamp.toEpochMilli(), headers));
    }
}
