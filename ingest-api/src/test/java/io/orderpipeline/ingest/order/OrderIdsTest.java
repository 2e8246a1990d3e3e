package io.orderpipeline.ingest.order;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.schemas.OrderRouting;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class OrderIdsTest {

    @Test
    void shouldIssueVersion7IdsThatSortByCreationEvenWithinOneMillisecond() {
        // given a clock that does not move
        Instant now = Instant.parse("2026-01-02T03:04:05.678Z");
        OrderIds ids = new OrderIds(Clock.fixed(now, ZoneOffset.UTC));

        // when
        List<UUID> issued = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            issued.add(ids.next());
        }

        // then
        assertThat(issued).allSatisfy(id -> {
            assertThat(id.version()).isEqualTo(7);
            assertThat(id.variant()).isEqualTo(2);
        });
        assertThat(new HashSet<>(issued)).hasSize(issued.size());
        List<String> asText = issued.stream().map(UUID::toString).toList();
        assertThat(asText).isSorted();
        assertThat(issued.get(0).getMostSignificantBits() >>> 16).isEqualTo(now.toEpochMilli());
    }

    @Test
    void shouldKeepIdsIncreasingWhenTheClockStepsBack() {
        // given
        MutableClock clock = new MutableClock(Instant.parse("2026-01-02T03:04:05Z"));
        OrderIds ids = new OrderIds(clock);
        UUID before = ids.next();

        // when
        clock.now = clock.now.minusSeconds(5);
        UUID after = ids.next();

        // then
        assertThat(after.toString()).isGreaterThan(before.toString());
    }

    @Test
    void shouldDeriveTheSameVersion5IdFromTheSameName() {
        // when
        UUID first = OrderIds.fromName("place\u0000acc-1\u0000key-1");
        UUID again = OrderIds.fromName("place\u0000acc-1\u0000key-1");
        UUID otherAccount = OrderIds.fromName("place\u0000acc-2\u0000key-1");

        // then
        assertThat(first).isEqualTo(again).isNotEqualTo(otherAccount);
        assertThat(first.version()).isEqualTo(5);
        assertThat(first.variant()).isEqualTo(2);
    }

    @Test
    void shouldGiveAKeyedPlaceAStableIdRoutedToItsAccount() {
        // when
        UUID first = UUID.fromString(OrderIntake.keyedOrderId("acc-7", "key-1"));
        UUID again = UUID.fromString(OrderIntake.keyedOrderId("acc-7", "key-1"));

        // then the id is name-based, stable, and carries the account's route (what a CANCEL is routed by)
        assertThat(first).isEqualTo(again);
        assertThat(first.version()).isEqualTo(5);
        assertThat(first.variant()).isEqualTo(2);
        assertThat(OrderRouting.isRoutedTo(first, "acc-7")).isTrue();
        assertThat(OrderRouting.partitionOf(first, 12)).isEqualTo(OrderRouting.partitionOf("acc-7", 12));
    }

    private static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
