package io.orderpipeline.ingest.admin;

import io.orderpipeline.ingest.command.CommandLog;
import io.orderpipeline.ingest.order.CommandAccepted;
import io.orderpipeline.ingest.order.OrderIds;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.springframework.stereotype.Service;

/**
 * Writes REPLAY commands: keyed by the order id into the partition its id routes to, like a CANCEL (see {@code
 * CommandLog}), naming no account (an operator may replay any order) and the operator as principal. Whether the order
 * is reopened is the stream-processor's decision: only a FAILED order is ({@code REPLAYED}); anything else, including
 * a replay repeated after the first reopened it, is a {@code REPLAY_IGNORED} no-op there, so a repeated request reopens
 * an order once.
 */
@Service
class OrderReplays {

    /** {@code CommandAccepted.status} of a written REPLAY. */
    static final String REPLAY_REQUESTED = "REPLAY_REQUESTED";

    private final CommandLog commands;
    private final OrderIds ids;
    private final Clock clock;

    OrderReplays(CommandLog commands, OrderIds ids, Clock clock) {
        this.commands = commands;
        this.ids = ids;
        this.clock = clock;
    }

    /** One REPLAY; an {@code Idempotency-Key} pins its command id, so that a retried request is recognisable. */
    CompletableFuture<CommandAccepted> replay(UUID orderId, String principal, Optional<String> idempotencyKey) {
        OrderCommand command = command(orderId, principal, idempotencyKey);
        return commands.append(command).thenApply(committed -> accepted(command));
    }

    /** REPLAYs of {@code orderIds} (distinct, valid), all in one transaction: all written, or none. */
    CompletableFuture<List<CommandAccepted>> replayAll(List<UUID> orderIds, String principal) {
        List<OrderCommand> replays = orderIds.stream()
                .map(id -> command(id, principal, Optional.empty()))
                .toList();
        return commands.appendAll(replays, List.of())
                .thenApply(committed ->
                        replays.stream().map(OrderReplays::accepted).toList());
    }

    private OrderCommand command(UUID orderId, String principal, Optional<String> idempotencyKey) {
        String commandId = idempotencyKey
                .map(key -> OrderIds.fromName("replay\u0000" + orderId + "\u0000" + key)
                        .toString())
                .orElseGet(() -> ids.next().toString());
        return OrderCommand.newBuilder()
                .setCommandId(commandId)
                .setType(CommandType.REPLAY)
                .setOrderId(orderId.toString())
                .setAccountId(null)
                .setIdempotencyKey(idempotencyKey.orElse(null))
                .setPrincipal(principal)
                .setRequestedAt(Instant.ofEpochMilli(clock.millis()))
                .build();
    }

    private static CommandAccepted accepted(OrderCommand command) {
        return new CommandAccepted(
                command.getOrderId(),
                REPLAY_REQUESTED,
                command.getCommandId(),
                null,
                null,
                command.getRequestedAt().toString());
    }
}
