package io.orderpipeline.query.push;

import static org.awaitility.Awaitility.await;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.RawStompClient;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

final class StompPushTestSupport {

    private StompPushTestSupport() {}

    /** Writes a marker order's versions until the subscription receives one: from then on it sees every change. */
    static void awaitLive(Orders orders, RawStompClient client, String subscription) {
        awaitLive(orders, client, subscription, "acc-1");
    }

    /** As {@link #awaitLive(Orders, RawStompClient, String)}, with a marker order of {@code accountId}. */
    static void awaitLive(Orders orders, RawStompClient client, String subscription, String accountId) {
        String marker = "marker-" + UUID.randomUUID();
        Instant created = Instant.now();
        long[] version = {0};
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    orders.send(Orders.state(marker, accountId, "AAPL", OrderStatus.PENDING, ++version[0], created));
                    return client.messages(subscription).stream().anyMatch(f -> marker.equals(f.header("order-id")));
                });
    }
}
