package io.orderpipeline.query.push;

import io.orderpipeline.query.feed.OrderStateListener;
import io.orderpipeline.query.view.OrderView;
import org.springframework.messaging.simp.SimpMessagingTemplate;
import org.springframework.stereotype.Component;

/** Publishes every state to {@code /topic/orders} and {@code /topic/orders.{id}}. */
@Component
class SimplePush implements OrderStateListener {

    private final SimpMessagingTemplate template;

    SimplePush(SimpMessagingTemplate template) {
        this.template = template;
    }

    @Override
    public void onState(OrderView state) {
        template.convertAndSend("/topic/orders", state);
        template.convertAndSend("/topic/orders." + state.orderId(), state);
    }
}
