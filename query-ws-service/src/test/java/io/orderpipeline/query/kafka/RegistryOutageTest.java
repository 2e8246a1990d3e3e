package io.orderpipeline.query.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.orderpipeline.query.support.Orders;
import io.orderpipeline.query.support.TestStack;
import io.orderpipeline.schemas.AvroSerdes;
import io.orderpipeline.schemas.avro.OrderState;
import io.orderpipeline.schemas.avro.OrderStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** What the read side's deserializers throw, against real registries, and which failures must not skip a record. */
class RegistryOutageTest {

    private static final String TOPIC = "orders.state";

    @Test
    void shouldTakeAnUnreachableRegistryForAnOutage() throws Exception {
        // given a registry URL nobody listens on
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        AvroSerdes serdes = AvroSerdes.registry("http://127.0.0.1:" + port + "/apis/registry/v2");

        // when a record's schema is looked up (wrapped as a consumer wraps it)
        Throwable failure = catchThrowable(() ->
                serdes.valueSerde(OrderState.class).deserializer().deserialize(TOPIC, framed(7, new byte[] {1, 2, 3})));

        // then
        assertThat(failure).isNotNull();
        assertThat(RegistryOutage.isOutage(failure)).isTrue();
        assertThat(RegistryOutage.isOutage(new KafkaException("Error deserializing VALUE", failure)))
                .isTrue();
    }

    @Test
    void shouldNotTakeAnUnknownSchemaIdForAnOutage() {
        // given the real registry, which has no schema with this id
        AvroSerdes serdes = AvroSerdes.registry(TestStack.registryUrl());

        // when
        Throwable failure = catchThrowable(() -> serdes.valueSerde(OrderState.class)
                .deserializer()
                .deserialize(TOPIC, framed(987_654_321, new byte[] {1, 2, 3})));

        // then
        assertThat(failure).isNotNull();
        assertThat(RegistryOutage.isOutage(failure)).isFalse();
    }

    @Test
    void shouldNotTakeAWrongMagicByteOrATruncatedRecordForAnOutage() {
        // given a valid record, and two broken ones
        Serde<OrderState> serde = AvroSerdes.inMemory().valueSerde(OrderState.class);
        byte[] valid =
                serde.serializer().serialize(TOPIC, Orders.state("o-1", "AAPL", OrderStatus.PENDING, 1, Instant.now()));
        byte[] truncated = Arrays.copyOf(valid, valid.length - 10);
        byte[] wrongMagic = valid.clone();
        wrongMagic[0] = 7;

        // when
        Throwable cutShort = catchThrowable(() -> serde.deserializer().deserialize(TOPIC, truncated));
        Throwable notOurs = catchThrowable(() -> serde.deserializer().deserialize(TOPIC, wrongMagic));

        // then
        assertThat(serde.deserializer().deserialize(TOPIC, valid).getOrderId()).isEqualTo("o-1");
        assertThat(cutShort).isNotNull();
        assertThat(notOurs).isNotNull();
        assertThat(RegistryOutage.isOutage(cutShort)).isFalse();
        assertThat(RegistryOutage.isOutage(notOurs)).isFalse();
    }

    private static byte[] framed(int schemaId, byte[] avro) {
        return ByteBuffer.allocate(5 + avro.length)
                .put((byte) 0)
                .putInt(schemaId)
                .put(avro)
                .array();
    }
}
