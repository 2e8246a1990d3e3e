package io.orderpipeline.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orderpipeline.schemas.avro.OrderCommand;
import io.orderpipeline.schemas.avro.OrderState;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {

    @Test
    void shouldRoundTripACommandThroughTheInMemoryResolver() {
        // given
        OrderTopics topics = OrderTopics.create(TopicNames.defaults(), AvroSerdes.inMemory());
        OrderCommand command = Orders.placeCommand("o-1");
        Serde<OrderCommand> serde = topics.commands().valueSerde();

        // when
        byte[] bytes = serde.serializer().serialize(topics.commands().name(), command);
        OrderCommand read = serde.deserializer().deserialize(topics.commands().name(), bytes);

        // then
        assertThat(read).isEqualTo(command);
        assertThat(read.getPrice()).isEqualByComparingTo(new BigDecimal("187.25"));
    }

    @Test
    void shouldWriteTheConfluentFramingWithTheInMemoryResolver() {
        // given
        AvroSerdes serdes = AvroSerdes.inMemory();
        Serde<OrderCommand> serde = serdes.valueSerde(OrderCommand.class);

        // when
        byte[] bytes = serde.serializer().serialize("orders.commands", Orders.placeCommand("o-1"));

        // then
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        assertThat(buffer.get()).isZero();
        assertThat((long) buffer.getInt()).isEqualTo(serdes.inMemoryContentId(OrderCommand.getClassSchema()));
    }

    @Test
    void shouldGiveDifferentSchemasDifferentIds() {
        AvroSerdes serdes = AvroSerdes.inMemory();

        long command = serdes.inMemoryContentId(OrderCommand.getClassSchema());
        long state = serdes.inMemoryContentId(OrderState.getClassSchema());

        assertThat(command).isNotEqualTo(state);
        assertThat(serdes.inMemoryContentId(OrderCommand.getClassSchema())).isEqualTo(command);
    }

    @Test
    void shouldRefuseBytesWithoutTheMagicByte() {
        Serde<OrderCommand> serde = AvroSerdes.inMemory().valueSerde(OrderCommand.class);

        assertThatThrownBy(() -> serde.deserializer().deserialize("orders.commands", new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(RuntimeException.class);
    }
}
