package io.orderpipeline.processor.topology;

import io.orderpipeline.processor.validation.OrderValidator;
import io.orderpipeline.processor.validation.RejectionReason;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.Instrument;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderEventType;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's REPLAY command (ingest-api's {@code POST /admin/orders/{id}/replay}): the one transition out of a
 * terminal state, {@code FAILED -> RETRYING}.
 *
 * <ul>
 *   <li><b>Validated again</b>, as a new order is: against the instrument as it is now (lot, tick, band, tradable) and
 *       then the account's limit, since a FAILED order gave its reservation back. A replay that does not pass leaves
 *       the order {@code FAILED} and records {@code REPLAY_IGNORED} with the reasons (a failed replay is not a
 *       rejection of the order: it may be replayed again once the reference data or limit allows it).
 *   <li><b>A new round</b>: {@code REPLAYED} (version + 1, the operator as principal), attempts back to 0 and attempt 1
 *       sent at once, so the full retry budget applies again; if the round fails, the order is {@code FAILED} again
 *       (and on the dead-letter topic again).
 *   <li><b>Exactly once</b>: only a {@code FAILED} order is reopened. A replay of any other order, including the same
 *       replay delivered or requested twice (the order is {@code RETRYING}, {@code PLACED} or beyond by then), is a
 *       {@code REPLAY_IGNORED} event that changes nothing (same version). A second replay that arrives after the new
 *       round has failed again reopens it again: the topology cannot tell it from a new request.
 * </ul>
 *
 * <p>The venue is idempotent by ClOrdID (= order id): an order that failed on retryable refusals (the venue leaves the
 * id unused) can be placed by the replay; one the venue refused for good, or withdrew after a timeout (its tombstone),
 * gets the same refusal again and ends {@code FAILED} again.
 */
final class Replays {

    private static final Logger log = LoggerFactory.getLogger(Replays.class);

    private final OrderValidator validator;
    private final OrderWriter writer;
    private final Placements placements;

    Replays(OrderValidator validator, OrderWriter writer, Placements placements) {
        this.validator = validator;
        this.writer = writer;
        this.placements = placements;
    }

    /** {@code instrument}: the order's instrument as the GlobalKTable holds it now, {@code null} if gone. */
    void onReplay(OrderState state, OrderCommand command, Instrument instrument, Origin origin, Instant now) {
        if (state.getStatus() != OrderStatus.FAILED) {
            writer.emit(OrderTransitions.noOp(
                    state,
                    OrderEventType.REPLAY_IGNORED,
                    "order is " + state.getStatus() + ", not FAILED; REPLAY command " + command.getCommandId()
                            + " ignored",
                    now));
            return;
        }
        List<String> reasons = state.getFilledQuantity() > 0
                // it traded: a new NewOrderSingle for the whole quantity would trade it twice
                ? List.of(RejectionReason.ORDER_HAS_FILLS.name())
                : validator.validate(asPlace(state), instrument);
        if (reasons.isEmpty()) {
            reasons = writer.ledger()
                    .reserve(
                            state.getAccountId(),
                            state.getOrderId(),
                            state.getClientOrderId(),
                            OrderValidator.notional(asPlace(state), instrument),
                            now);
        }
        if (!reasons.isEmpty()) {
            log.info("order {}: REPLAY command {} refused: {}", state.getOrderId(), command.getCommandId(), reasons);
            writer.emit(OrderTransitions.noOp(
                    state,
                    OrderEventType.REPLAY_IGNORED,
                    reasons,
                    "REPLAY command " + command.getCommandId() + " refused: the order no longer passes validation",
                    now));
            return;
        }
        OrderState reopened = OrderTransitions.reopened(state, now);
        log.info(
                "order {} replayed by {} (command {})",
                state.getOrderId(),
                command.getPrincipal(),
                command.getCommandId());
        writer.transition(state, reopened, OrderEventType.REPLAYED, "replayed by command " + command.getCommandId());
        placements.attempt(reopened, 1, now, origin);
    }

    /** The order as the PLACE command it came from, for the validator. */
    private static OrderCommand asPlace(OrderState state) {
        return OrderCommand.newBuilder()
                .setCommandId("replay-" + state.getOrderId())
                .setType(CommandType.PLACE)
                .setOrderId(state.getOrderId())
                .setAccountId(state.getAccountId())
                .setClientOrderId(state.getClientOrderId())
                .setSymbol(state.getSymbol())
                .setSide(state.getSide())
                .setOrderType(state.getOrderType())
                .setQuantity(state.getQuantity())
                .setPrice(state.getPrice())
                .setRequestedAt(state.getUpdatedAt())
                .build();
    }
}
