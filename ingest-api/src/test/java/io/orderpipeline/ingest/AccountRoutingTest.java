package io.orderpipeline.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.ingest.support.CommandTopicReader;
import io.orderpipeline.ingest.support.Http;
import io.orderpipeline.ingest.support.IngestInstance;
import io.orderpipeline.ingest.support.TestBroker;
import io.orderpipeline.ingest.support.TestIssuer;
import io.orderpipeline.ingest.support.TestRegistry;
import io.orderpipeline.schemas.OrderRouting;
import io.orderpipeline.schemas.avro.CommandType;
import io.orderpipeline.schemas.avro.OrderCommand;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/**
 * The write side is partitioned by account: on a real broker with a multi-partition commands topic, every PLACE is
 * keyed by its account and the CANCEL of an order, which names only the order id, lands in the partition of that
 * order's PLACE.
 */
class AccountRoutingTest {

    static final int PARTITIONS = 8;
    static final int ACCOUNTS = 40;

    @Test
    void shouldWriteThePlaceAndTheCancelOfAnOrderToTheAccountsPartition() {
        // given an instance writing to a commands topic of its own with 8 partitions
        String commands = "commands.routing-" + UUID.randomUUID();
        List<String> orderIds = new ArrayList<>();
        try (IngestInstance ingest = IngestInstance.start(
                TestBroker.shared(),
                TestRegistry.url(),
                "orders.topics.commands=" + commands,
                "orders.topics.idempotency=idempotency.routing-" + UUID.randomUUID(),
                "orders.topics.partitions=" + PARTITIONS)) {
            // ops (orders:admin) acts for every account
            Http http = ingest.http().as(TestIssuer.OPS);

            // when each of many accounts places an order without and one with an Idempotency-Key, and cancels both
            for (int i = 0; i < ACCOUNTS; i++) {
                String account = "acc-route-" + i;
                String body = Http.limitOrder("c-route-" + i).replace("acc-1", account);
                orderIds.add(placed(http.postJson("/orders", body)));
                orderIds.add(placed(http.postJson("/orders", body, "Idempotency-Key", "k-route-" + i)));
            }
            for (String orderId : orderIds) {
                assertThat(http.postJson("/orders/" + orderId + "/cancel", "").statusCode())
                        .isEqualTo(202);
            }
        }

        // then
        try (CommandTopicReader topic = new CommandTopicReader(TestBroker.shared(), TestRegistry.url(), commands)) {
            Map<String, List<ConsumerRecord<String, OrderCommand>>> byOrder = topic.readAll().stream()
                    .collect(Collectors.groupingBy(r -> r.value().getOrderId()));
            assertThat(byOrder.keySet()).containsExactlyInAnyOrderElementsOf(orderIds);
            byOrder.forEach((orderId, records) -> {
                assertThat(records)
                        .extracting(r -> r.value().getType())
                        .containsExactly(CommandType.PLACE, CommandType.CANCEL);
                ConsumerRecord<String, OrderCommand> place = records.get(0);
                ConsumerRecord<String, OrderCommand> cancel = records.get(1);
                String account = place.value().getAccountId();
                assertThat(OrderRouting.isRoutedTo(UUID.fromString(orderId), account))
                        .as("order id %s carries the route of %s", orderId, account)
                        .isTrue();
                assertThat(place.key()).isEqualTo(account);
                assertThat(place.partition()).isEqualTo(OrderRouting.partitionOf(account, PARTITIONS));
                assertThat(cancel.key()).isEqualTo(orderId);
                assertThat(cancel.partition()).as("the cancel of %s", orderId).isEqualTo(place.partition());
            });
            Set<Integer> used = byOrder.values().stream()
                    .map(records -> records.get(0).partition())
                    .collect(Collectors.toSet());
            assertThat(used).as("partitions the accounts spread over").hasSizeGreaterThan(PARTITIONS / 2);
        }
    }

    private static String placed(HttpResponse<String> response) {
        assertThat(response.statusCode()).isEqualTo(202);
        return Http.json(response).get("orderId").stringValue();
    }
}
