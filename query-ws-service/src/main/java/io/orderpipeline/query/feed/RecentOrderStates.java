package io.orderpipeline.query.feed;

import io.orderpipeline.query.view.OrderView;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * The latest state the feed has seen of recently changed orders, bounded to {@code orders.feed.recent-states}
 * entries (least recently changed evicted first). It closes the gap between the feed and the stores: a state the feed
 * has already dispatched may not be in the (separately consumed) store yet, so snapshots and long-polls take the newer
 * of the two. An evicted order has not changed for a long time, by when the store has long caught up.
 */
@Component
public class RecentOrderStates {

    private final Map<String, OrderView> states;

    RecentOrderStates(FeedProperties properties) {
        int capacity = properties.recentStates();
        this.states = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, OrderView> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Records {@code state} if it is newer than what is known; returns whether it was. */
    public synchronized boolean offer(OrderView state) {
        OrderView known = states.get(state.orderId());
        if (known != null && known.version() >= state.version()) {
            return false;
        }
        // re-insert so that the most recently changed order is evicted last
        states.remove(state.orderId());
        states.put(state.orderId(), state);
        return true;
    }

    public synchronized Optional<OrderView> get(String orderId) {
        return Optional.ofNullable(states.get(orderId));
    }

    /** The newer of {@code a} and {@code b} (by version); either may be empty. */
    public static Optional<OrderView> newest(Optional<OrderView> a, Optional<OrderView> b) {
        if (a.isEmpty()) {
            return b;
        }
        if (b.isEmpty()) {
            return a;
        }
        return a.get().version() >= b.get().version() ? a : b;
    }
}
