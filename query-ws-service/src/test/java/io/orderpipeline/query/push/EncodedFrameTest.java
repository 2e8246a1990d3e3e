package io.orderpipeline.query.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

class EncodedFrameTest {

    @Test
    void shouldBeTheFrameSpringsEncoderWritesForTheSameHeadersAndBody() {
        // given a message as the hub hands it to the channel, with a subscription id that needs escaping
        byte[] body = "{\"orderId\":\"o:1\",\"symbol\":\"ÄAPL\"}".getBytes(StandardCharsets.UTF_8);
        EncodedFrame frame = new EncodedFrame("/topic/orders.o:1", "snapshot", "o:1", 7, "42", body);
        StompHeaderAccessor headers = StompHeaderAccessor.create(StompCommand.MESSAGE);
        headers.setSubscriptionId("sub\\1:a");
        headers.setDestination(frame.destination());
        headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
        headers.setMessageId(frame.messageId());
        headers.setNativeHeader(OrderPushHub.KIND_HEADER, frame.kind());
        headers.setNativeHeader(OrderPushHub.ORDER_HEADER, frame.orderId());
        headers.setNativeHeader(OrderPushHub.VERSION_HEADER, "7");
        headers.setHeader(SharedFrameStompEncoder.FRAME_HEADER, frame);
        Message<byte[]> message = MessageBuilder.createMessage(body, headers.getMessageHeaders());

        // when both encoders write it
        byte[] shared = new SharedFrameStompEncoder().encode(message);
        byte[] spring = new StompEncoder().encode(message);

        // then a STOMP decoder reads the same frame from both, and the shared one is reused per subscription id
        Message<byte[]> fromShared = decode(shared);
        Message<byte[]> fromSpring = decode(spring);
        assertThat(fromShared.getPayload()).isEqualTo(fromSpring.getPayload()).isEqualTo(body);
        StompHeaderAccessor a = StompHeaderAccessor.wrap(fromShared);
        StompHeaderAccessor b = StompHeaderAccessor.wrap(fromSpring);
        assertThat(a.getCommand()).isEqualTo(StompCommand.MESSAGE);
        assertThat(a.toNativeHeaderMap()).isEqualTo(b.toNativeHeaderMap());
        assertThat(a.getSubscriptionId()).isEqualTo("sub\\1:a");
        assertThat(new SharedFrameStompEncoder().encode(message)).isSameAs(shared);
    }

    private static Message<byte[]> decode(byte[] frame) {
        List<Message<byte[]>> messages = new StompDecoder().decode(ByteBuffer.wrap(frame));
        assertThat(messages).hasSize(1);
        return messages.get(0);
    }
}
