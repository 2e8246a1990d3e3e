package io.orderpipeline.query.query;

import io.orderpipeline.query.feed.OrderStateListener;
import io.orderpipeline.query.view.OrderView;
import io.orderpipeline.query.view.QueryProperties;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.springframework.stereotype.Component;

/**
 * Long-poll requests waiting for an order to reach a version or status. Waiters are woken by the change feed (which
 * reads every partition, so a waiter on any instance sees every change); no request thread is held while waiting.
 * Bounded per instance and per order; a waiter is removed when it completes, times out or its client goes away.
 */
@Component
class OrderWaiters implements OrderStateListener {

    private final Map<String, List<Waiter>> byOrder = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();
    private final int maxWaiters;
    private final int maxPerOrder;

    OrderWaiters(QueryProperties properties) {
        this.maxWaiters = properties.longPoll().maxWaiters();
        this.maxPerOrder = properties.longPoll().maxWaitersPerOrder();
    }

    /** A registered wait; {@link #cancel()} it when the request ends for any reason. */
    final class Waiter {
        private final String orderId;
        private final Predicate<OrderView> condition;
        private final Consumer<OrderView> onSatisfied;
        private final AtomicInteger done = new AtomicInteger();

        private Waiter(String orderId, Predicate<OrderView> condition, Consumer<OrderView> onSatisfied) {
            this.orderId = orderId;
            this.condition = condition;
            this.onSatisfied = onSatisfied;
        }

        /** Offers a state; completes the wait (once) if it satisfies the condition. */
        boolean offer(OrderView state) {
            if (condition.test(state) && done.compareAndSet(0, 1)) {
                remove(this);
                onSatisfied.accept(state);
                return true;
            }
            return false;
        }

        void cancel() {
            if (done.compareAndSet(0, 2)) {
                remove(this);
            }
        }
    }

    /**
     * Registers a waiter <em>before</em> the caller reads the current state, so that no change can slip between the
     * read and the registration.
     *
     * @throws TooManyWaitersException beyond {@code orders.query.long-poll.max-waiters(-per-order)}
     */
    Waiter register(String orderId, Predicate<OrderView> condition, Consumer<OrderView> onSatisfied) {
        if (total.incrementAndGet() > maxWaiters) {
            total.decrementAndGet();
            throw new TooManyWaitersException("more than " + maxWaiters + " requests are waiting");
        }
        Waiter waiter = new Waiter(orderId, condition, onSatisfied);
        boolean[] admitted = {false};
        byOrder.compute(orderId, (id, list) -> {
            List<Waiter> waiters = list == null ? new CopyOnWriteArrayList<>() : list;
            if (waiters.size() < maxPerOrder) {
                waiters.add(waiter);
                admitted[0] = true;
            }
            return waiters.isEmpty() ? null : waiters;
        });
        if (!admitted[0]) {
            total.decrementAndGet();
            throw new TooManyWaitersException("more than " + maxPerOrder + " requests wait for order " + orderId);
        }
        return waiter;
    }

    @Override
    public void onState(OrderView state) {
        List<Waiter> waiters = byOrder.get(state.orderId());
        if (waiters != null) {
            for (Waiter waiter : new ArrayList<>(waiters)) {
                waiter.offer(state);
            }
        }
    }

    int size() {
        return total.get();
    }

    private void remove(Waiter waiter) {
        byOrder.computeIfPresent(waiter.orderId, (id, list) -> {
            if (list.remove(waiter)) {
                total.decrementAndGet();
            }
            return list.isEmpty() ? null : list;
        });
    }
}
