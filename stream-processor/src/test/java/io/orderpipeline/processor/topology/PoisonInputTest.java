package io.orderpipeline.processor.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.orderpipeline.processor.testing.OrderCommands;
import io.orderpipeline.processor.testing.OrderTopologyFixture;
import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * Records that cannot be read or processed go to the dead-letter queue, and the pipeline goes on. The DLQ records of
 * undeserializable input are checked on a real broker ({@code StreamProcessorApplicationTest}); the driver drops them.
 */
class PoisonInputTest {

    private static final byte[] GARBAGE = "not avro".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldSendCommandWhoseProcessingThrowsToDeadLetterQueueAndContinue() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given a well-formed Avro PLACE command that is not an order (no account, no side)
            OrderCommand noAccount = OrderCommands.place("o-bad").account(null).build();
            noAccount.setSide(null);
            fixture.send(noAccount);

            // when a valid order follows it
            fixture.send(OrderCommands.place("o-1").build());

            // then the bad command is on the DLQ byte for byte with the reason and its origin, nothing of it was
            // written, and the pipeline went on
            List<TestRecord<byte[], byte[]>> dead = fixture.deadLetterQueue();
            assertThat(dead).hasSize(1);
            assertThat(new String(dead.get(0).key(), StandardCharsets.UTF_8)).isEqualTo("o-bad");
            assertThat(dead.get(0).value())
                    .isEqualTo(fixture.topics()
                            .commands()
                            .valueSerde()
                            .serializer()
                            .serialize("orders.commands", noAccount));
            Headers headers = dead.get(0).headers();
            assertThat(text(headers, "__streams.errors.exception"))
                    .isEqualTo(MalformedCommandException.class.getName());
            assertThat(text(headers, "__streams.errors.message")).contains("accountId missing");
            assertThat(text(headers, "__streams.errors.topic")).isEqualTo("orders.commands");
            assertThat(text(headers, "__streams.errors.offset")).isEqualTo("0");
            assertThat(fixture.stateHistory("o-bad")).isEmpty();
            assertThat(fixture.events("o-bad")).isEmpty();
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    @Test
    void shouldSendPlaceWithKeyOtherThanItsAccountIdToDeadLetterQueue() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given
            // when a PLACE is keyed by something else than its accountId (the account's ledger would be split)
            fixture.send(
                    fixture.topics().commands(),
                    "other-key",
                    OrderCommands.place("o-1").build());

            // then
            assertThat(fixture.deadLetterQueue())
                    .singleElement()
                    .satisfies(r -> assertThat(text(r.headers(), "__streams.errors.message"))
                            .contains("record key differs from accountId"));
            assertThat(fixture.state("o-1")).isEmpty();
        }
    }

    @Test
    void shouldSkipUndeserializableCommandAndContinue() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given a poison record on orders.commands
            fixture.sendRaw("orders.commands", "o-bad".getBytes(StandardCharsets.UTF_8), GARBAGE);

            // when a valid order follows it
            fixture.send(OrderCommands.place("o-1").build());

            // then the stream thread is alive and the order placed
            assertThat(fixture.state("o-bad")).isEmpty();
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    @Test
    void shouldSkipUndeserializableRetryRecordAndContinue() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given
            // when a retry tier carries bytes that are not a PlacementAttempt
            fixture.sendRaw("orders.place.retry.2", "o-x".getBytes(StandardCharsets.UTF_8), GARBAGE);
            fixture.send(OrderCommands.place("o-1").build());

            // then
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    @Test
    void shouldSkipUndeserializableInstrumentAndKeepReferenceData() {
        try (OrderTopologyFixture fixture = OrderTopologyFixture.builder().build()) {
            // given
            // when the GlobalKTable's topic carries a poison record for AAPL
            fixture.sendRaw("instruments", "AAPL".getBytes(StandardCharsets.UTF_8), GARBAGE);
            fixture.send(OrderCommands.place("o-1").build());

            // then AAPL is still known and orders flow
            assertThat(fixture.state("o-1").orElseThrow().getStatus()).isEqualTo(OrderStatus.PLACED);
        }
    }

    private static String text(Headers headers, String name) {
        return new String(headers.lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
