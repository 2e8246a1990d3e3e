package io.orderpipeline.query.push;

import java.util.Map;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompEncoder;

/**
 * Spring's STOMP encoder, except for the order messages of the {@link OrderPushHub}: those carry their {@link
 * EncodedFrame} in header {@value #FRAME_HEADER} and are written as that frame, encoded once for all subscribers,
 * instead of being encoded again for every session. Every other frame (CONNECTED, RECEIPT, ERROR, heart-beats,
 * messages of the simple broker or relay) is encoded by Spring as before.
 */
final class SharedFrameStompEncoder extends StompEncoder {

    static final String FRAME_HEADER = "orderPushFrame";
    /** A complete frame, written as it is (the ERROR frames of {@link StompAccess}, which closes the session itself). */
    static final String RAW_FRAME_HEADER = "orderPushRawFrame";

    @Override
    public byte[] encode(Map<String, Object> headers, byte[] payload) {
        if (headers.get(RAW_FRAME_HEADER) instanceof byte[] raw) {
            return raw;
        }
        if (headers.get(FRAME_HEADER) instanceof EncodedFrame frame) {
            String subscriptionId = SimpMessageHeaderAccessor.getSubscriptionId(headers);
            if (subscriptionId != null) {
                return frame.forSubscription(subscriptionId);
            }
        }
        return super.encode(headers, payload);
    }
}
