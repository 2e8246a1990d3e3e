package io.orderpipeline.processor.topology;

import io.orderpipeline.schemas.avro.ExecutionReport;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.PlacementAttempt;

/** What the order lifecycle processor consumes: its inputs, partitioned by account, merged into one stream. */
sealed interface OrderInput {

    /** A command from {@code orders.commands}, with its instrument when the symbol is known. */
    record Command(OrderCommand command, Instrument instrument) implements OrderInput {}

    /** An attempt coming back from a retry tier, to be run at its due time. */
    record Retry(PlacementAttempt attempt) implements OrderInput {}

    /** A report of the venue from {@code orders.executions} (keyed by accountId, at least once). */
    record Execution(ExecutionReport report) implements OrderInput {}
}
