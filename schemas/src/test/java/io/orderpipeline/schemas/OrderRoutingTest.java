package io.orderpipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.junit.jupiter.api.Test;

class OrderRoutingTest {

    @Test
    void shouldPutACancelByOrderIdIntoThePartitionOfTheAccountsPlace() {
        // given random accounts (printable ASCII, as ingest-api accepts) and partition counts
        Random random = new Random(42);
        for (int round = 0; round < 10_000; round++) {
            String accountId = randomAccount(random);
            int partitions = 1 + random.nextInt(64);
            UUID orderId = OrderRouting.route(UUID.randomUUID(), accountId);

            // when the cancel is routed by the id alone
            int cancelPartition = OrderRouting.partitionOf(orderId, partitions);

            // then it meets the PLACE, which Kafka's default partitioner put where the account key hashes
            int placePartition =
                    BuiltInPartitioner.partitionForKey(accountId.getBytes(StandardCharsets.UTF_8), partitions);
            assertThat(cancelPartition)
                    .as("account %s, %d partitions", accountId, partitions)
                    .isEqualTo(placePartition);
            assertThat(OrderRouting.partitionOf(accountId, partitions)).isEqualTo(placePartition);
            assertThat(OrderRouting.isRoutedTo(orderId, accountId)).isTrue();
        }
    }

    @Test
    void shouldKeepTheUuidShapeAndTheHighBits() {
        // given a UUIDv7
        UUID id = UUID.fromString("01890a5d-ac96-774b-bcce-b302099a8057");

        // when it is routed
        UUID routed = OrderRouting.route(id, "acc-1");

        // then version, variant and the time-ordered high half stay
        assertThat(routed.version()).isEqualTo(7);
        assertThat(routed.variant()).isEqualTo(2);
        assertThat(routed.getMostSignificantBits()).isEqualTo(id.getMostSignificantBits());
        assertThat(routed.getLeastSignificantBits() >>> 32).isEqualTo(id.getLeastSignificantBits() >>> 32);
        assertThat(OrderRouting.isRoutedTo(routed, "acc-2")).isFalse();
    }

    private static String randomAccount(Random random) {
        StringBuilder account = new StringBuilder();
        int length = 1 + random.nextInt(20);
        for (int i = 0; i < length; i++) {
            account.append((char) (0x21 + random.nextInt(0x7E - 0x21)));
        }
        return account.toString();
    }
}
