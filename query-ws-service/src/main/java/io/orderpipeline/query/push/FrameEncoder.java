package io.orderpipeline.query.push;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.orderpipeline.query.view.OrderView;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.json.JsonMapper;

/**
 * Turns order states into {@link EncodedFrame}s for the {@link OrderPushHub}: per state, the JSON body is written once
 * and one frame per destination and kind, which every subscriber of that destination then shares. Counts both
 * ({@code orders.push.encoded.bodies}, {@code orders.push.encoded.frames}). Thread-safe; a {@link StateMessages} is
 * used by one thread at a time.
 */
final class FrameEncoder {

    private final JsonMapper json;
    private final AtomicLong messageIds = new AtomicLong();
    private final AtomicLong bodies = new AtomicLong();
    private final AtomicLong frames = new AtomicLong();

    FrameEncoder(JsonMapper json, MeterRegistry registry) {
        this.json = json;
        if (registry != null) {
            FunctionCounter.builder("orders.push.encoded.frames", frames, AtomicLong::get)
                    .description("STOMP frames encoded, each shared by every subscriber of its destination")
                    .register(registry);
            FunctionCounter.builder("orders.push.encoded.bodies", bodies, AtomicLong::get)
                    .description("order states written as JSON for STOMP")
                    .register(registry);
        }
    }

    StateMessages of(OrderView state) {
        return new StateMessages(state);
    }

    long bodies() {
        return bodies.get();
    }

    long frames() {
        return frames.get();
    }

    /** The messages of one state, encoded on first use. */
    final class StateMessages {
        private final OrderView state;
        private final Map<String, EncodedFrame> byDestinationAndKind = new HashMap<>(4);
        private byte[] body;

        private StateMessages(OrderView state) {
            this.state = state;
        }

        EncodedFrame frame(String destination, String kind) {
            return byDestinationAndKind.computeIfAbsent(destination + '\n' + kind, key -> {
                if (body == null) {
                    body = json.writeValueAsBytes(state);
                    bodies.incrementAndGet();
                }
                frames.incrementAndGet();
                return new EncodedFrame(
                        destination,
                        kind,
                        state.orderId(),
                        state.version(),
                        Long.toString(messageIds.incrementAndGet()),
                        body);
            });
        }
    }
}
