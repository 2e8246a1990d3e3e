package io.orderpipeline.ingest.order;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;

/**
 * Body of a {@code 202} for {@code POST /orders/batch} (or of the {@code 200} that replays it for a repeated {@code
 * Idempotency-Key}): one entry per order of the request, in request order.
 *
 * @param accepted orders written (status {@code PENDING}), all in one Kafka transaction
 * @param rejected orders refused (status {@code REJECTED}); nothing of them was written
 * @param acceptedAt when ingest-api accepted the batch: the {@code requestedAt} of every command of it (ISO-8601,
 *     milliseconds); a replay returns the original value
 * @param items per order, by its index in the request
 */
@Schema(name = "BatchAccepted")
public record BatchAccepted(int accepted, int rejected, String acceptedAt, List<BatchItem> items) {

    static BatchAccepted of(List<BatchItem> items, String acceptedAt) {
        int accepted = (int) items.stream().filter(BatchItem::isAccepted).count();
        return new BatchAccepted(accepted, items.size() - accepted, acceptedAt, List.copyOf(items));
    }
}
