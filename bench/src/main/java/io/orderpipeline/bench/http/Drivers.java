package io.orderpipeline.bench.http;

import java.util.List;

/** Several drivers on one loop: due when any is due, finished when all are. */
public final class Drivers implements LoadLoop.Driver {

    private final List<LoadLoop.Driver> drivers;

    private Drivers(List<LoadLoop.Driver> drivers) {
        this.drivers = List.copyOf(drivers);
    }

    public static Drivers all(LoadLoop.Driver... drivers) {
        return new Drivers(List.of(drivers));
    }

    @Override
    public long emitDue(long now, LoadLoop loop) {
        long next = Long.MAX_VALUE;
        for (LoadLoop.Driver d : drivers) {
            next = Math.min(next, d.emitDue(now, loop));
        }
        return next;
    }

    @Override
    public boolean finished(long now) {
        return drivers.stream().allMatch(d -> d.finished(now));
    }
}
