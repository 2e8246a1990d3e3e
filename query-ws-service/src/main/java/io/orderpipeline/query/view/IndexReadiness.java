package io.orderpipeline.query.view;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which partitions' listing indexes this instance has built and keeps in step with {@value
 * OrderViewTopology#ORDERS_BY_ID}. The indexes have no changelog: an active task rebuilds them from the by-id store
 * when it starts processing, and only then are they complete. Standby and restoring copies never maintain them, so a
 * listing must not read their indexes (see {@link LocalOrderStore}).
 *
 * <p>A partition is marked by the task that built it and unmarked by that task only, so a task closing late on one
 * thread cannot unmark the copy that another thread (or a replacement client) has built since. Thread-safe.
 */
public final class IndexReadiness {

    private final Map<Integer, Object> built = new ConcurrentHashMap<>();

    /** The indexes of {@code partition} are complete; returns the token that {@link #dropped} needs. */
    Object built(int partition) {
        Object token = new Object();
        built.put(partition, token);
        return token;
    }

    /** The task that built {@code partition}'s indexes (with {@code token}) stopped maintaining them. */
    void dropped(int partition, Object token) {
        built.remove(partition, token);
    }

    /** Whether this instance's indexes of {@code partition} are complete and maintained. */
    public boolean isBuilt(int partition) {
        return built.containsKey(partition);
    }
}
