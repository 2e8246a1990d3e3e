package io.orderpipeline.processor.topology;

import io.orderpipeline.schemas.avro.OrderEvent;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.PlacementAttempt;

/** What the order lifecycle processor emits; the topology routes each kind to its topic. */
sealed interface OrderOutput {

    /** New state of an order, to {@code orders.state} (keyed by orderId). */
    record StateChanged(OrderState state) implements OrderOutput {}

    /** A transition or recorded no-op, to {@code orders.events} (keyed by orderId). */
    record EventOccurred(OrderEvent event) implements OrderOutput {}

    /** The next attempt, to retry tier {@code tier} (keyed by accountId, so it comes back to this task). */
    record RetryScheduled(int tier, PlacementAttempt attempt) implements OrderOutput {}

    /** A placement that failed for good, to the dead-letter topic with error headers (keyed by orderId). */
    record DeadLettered(PlacementAttempt attempt) implements OrderOutput {}
}
