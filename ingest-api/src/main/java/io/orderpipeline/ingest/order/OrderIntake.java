package io.orderpipeline.ingest.order;

import io.orderpipeline.ingest.IngestMetrics;
import io.orderpipeline.ingest.command.CommandLog;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * Turns validated requests into commands on {@code orders.commands}. Every future it returns completes only after
 * the broker acknowledged the command (or fails with {@code CommandNotWrittenException}); nothing here blocks on
 * Kafka beyond {@code max.block.ms}.
 */
@Service
public class OrderIntake {

    private final CommandLog commands;
    private final OrderIds ids;
    private final Clock clock;
    private final IngestMetrics metrics;

    public OrderIntake(CommandLog commands, OrderIds ids, Clock clock, IngestMetrics metrics) {
        this.commands = commands;
        this.ids = ids;
        this.clock = clock;
        this.metrics = metrics;
    }

    /** The outcome of a request: the body to send and whether it replays an earlier acceptance. */
    public record Acceptance(CommandAccepted body, boolean replayed) {}

    /** Writes a PLACE command for a new order. */
    public CompletableFuture<Acceptance> place(PlaceOrder order) {
        String orderId = ids.next().toString();
        String commandId = ids.next().toString();
        OrderCommand command = placeCommand(order, orderId, commandId, null, clock.instant());
        return commands.append(command).thenApply(ack -> {
            metrics.accepted(CommandType.PLACE.name(), false);
            return new Acceptance(
                    new CommandAccepted(
                            orderId,
                            CommandAccepted.PENDING,
                            commandId,
                            order.accountId(),
                            order.clientOrderId(),
                            clock.instant().toString()),
                    false);
        });
    }

    /** Writes a CANCEL command. Whether the order exists and can still be cancelled is the topology's decision. */
    public CompletableFuture<Acceptance> cancel(UUID orderId) {
        String commandId = ids.next().toString();
        OrderCommand command = OrderCommand.newBuilder()
                .setCommandId(commandId)
                .setType(CommandType.CANCEL)
                .setOrderId(orderId.toString())
                .setRequestedAt(clock.instant())
                .build();
        return commands.append(command).thenApply(ack -> {
            metrics.accepted(CommandType.CANCEL.name(), false);
            return new Acceptance(
                    new CommandAccepted(
                            orderId.toString(),
                            CommandAccepted.CANCEL_REQUESTED,
                            commandId,
                            null,
                            null,
                            clock.instant().toString()),
                    false);
        });
    }

    static OrderCommand placeCommand(
            PlaceOrder order, String orderId, String commandId, String idempotencyKey, Instant requestedAt) {
        return OrderCommand.newBuilder()
                .setCommandId(commandId)
                .setType(CommandType.PLACE)
                .setOrderId(orderId)
                .setAccountId(order.accountId())
                .setClientOrderId(order.clientOrderId())
                .setSymbol(order.symbol())
                .setSide(order.side())
                .setOrderType(order.orderType())
                .setQuantity(order.quantity())
                .setPrice(order.price())
                .setIdempotencyKey(idempotencyKey)
                .setRequestedAt(requestedAt)
                .build();
    }
}
