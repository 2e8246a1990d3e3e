package io.orderpipeline.venue.book;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the venue: every request, execution slice and market tick is a task on one engine thread, so the {@link Book}
 * sees one change at a time and nothing ever sleeps — an injected latency is a delayed task, which holds back that
 * answer only, not other sessions or orders. Reports go out through the {@link ReportSender} in the order the book
 * produced them.
 */
public final class VenueEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(VenueEngine.class);

    private final Book book;
    private final Market market;
    private final FillSettings fill;
    private final ReportSender sender;
    private final AtomicReference<Faults> faults;
    private final Random random;
    private final ScheduledExecutorService engine;
    /** Orders whose execution slices are scheduled (engine thread only). */
    private final Set<String> working = new HashSet<>();

    public VenueEngine(Book book, Market market, FillSettings fill, Faults initialFaults, ReportSender sender) {
        this.book = book;
        this.market = market;
        this.fill = fill;
        this.sender = sender;
        this.faults = new AtomicReference<>(initialFaults);
        this.random = new Random(fill.seed() ^ 0x5DEECE66DL);
        this.engine = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "venue-engine");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Starts the market's ticks (market model) and works the live orders the journal brought back. */
    public void start() {
        if (fill.model() == FillSettings.FillModel.MARKET) {
            long tick = fill.tickInterval().toMillis();
            engine.scheduleAtFixedRate(() -> guarded(this::onTick), tick, tick, TimeUnit.MILLISECONDS);
        }
        engine.execute(() -> guarded(() -> book.live().forEach(order -> work(order.clOrdId()))));
    }

    public Faults faults() {
        return faults.get();
    }

    public void faults(Faults next) {
        faults.set(next);
        log.info("Venue faults now {}", next);
    }

    public Book book() {
        return book;
    }

    public Market market() {
        return market;
    }

    public void onNewOrder(OrderRequest request, String session) {
        later(() -> {
            List<Report> reports = book.newOrder(request, session, this::roll);
            reports.forEach(sender::send);
            work(request.clOrdId());
        });
    }

    public void onAmend(AmendRequest request, String session) {
        later(() -> {
            book.amend(request, session).forEach(sender::send);
            work(request.orderId());
        });
    }

    /** An operator's expiry of a live order; {@code false} if it is not live. */
    public boolean expire(String orderId) {
        try {
            return engine.submit(() -> book.expire(orderId)
                            .map(report -> {
                                sender.send(report);
                                return true;
                            })
                            .orElse(false))
                    .get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("expiring " + orderId + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** An operator's price: the symbol's resting orders are checked against it at once. */
    public void setPrice(String symbol, BigDecimal price) {
        market.set(symbol, price);
        engine.execute(() -> guarded(() -> book.live().stream()
                .filter(order -> order.symbol().equals(symbol))
                .forEach(order -> work(order.clOrdId()))));
    }

    private Book.Injected roll() {
        Faults current = faults.get();
        if (current.outage() || random.nextDouble() < current.failureRate()) {
            return Book.Injected.FAILURE;
        }
        return random.nextDouble() < current.rejectRate() ? Book.Injected.REJECT : Book.Injected.NONE;
    }

    private void onTick() {
        market.tick();
        book.live().forEach(order -> work(order.clOrdId()));
    }

    /** Starts executing a live, marketable order that is not already being worked. */
    private void work(String orderId) {
        if (working.contains(orderId)) {
            return;
        }
        book.order(orderId).filter(VenueOrder::live).ifPresent(order -> {
            BigDecimal price = market.price(order.symbol()).orElseThrow();
            if (order.marketable(price)) {
                working.add(orderId);
                slice(orderId, slices());
            }
        });
    }

    private void slice(String orderId, int remaining) {
        VenueOrder order = book.order(orderId).orElse(null);
        BigDecimal price = order == null ? null : market.price(order.symbol()).orElseThrow();
        if (order == null || !order.live() || !order.marketable(price)) {
            // done, cancelled, or the market moved away: it rests until a tick or a price brings it back
            working.remove(orderId);
            return;
        }
        long quantity = remaining <= 1 ? order.leavesQty() : Math.max(1, order.leavesQty() / remaining);
        book.fill(orderId, quantity, order.executionPrice(price)).ifPresent(sender::send);
        if (book.order(orderId).map(VenueOrder::live).orElse(false)) {
            engine.schedule(
                    () -> guarded(() -> slice(orderId, Math.max(1, remaining - 1))),
                    fill.sliceInterval().toMillis(),
                    TimeUnit.MILLISECONDS);
        } else {
            working.remove(orderId);
        }
    }

    private int slices() {
        int min = fill.minSlices();
        int max = fill.maxSlices();
        switch (fill.model()) {
            case IMMEDIATE -> {
                return 1;
            }
            case PARTIAL -> {
                min = Math.max(2, min);
                max = Math.max(min, max);
            }
            case MARKET -> {}
        }
        return min + random.nextInt(max - min + 1);
    }

    private void later(Runnable task) {
        long delay = faults.get().latencyMs();
        if (delay > 0) {
            engine.schedule(() -> guarded(task), delay, TimeUnit.MILLISECONDS);
        } else {
            engine.execute(() -> guarded(task));
        }
    }

    /** A failing task must not cancel the periodic tick or kill the engine thread; it is logged with its cause. */
    private static void guarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.error("Venue task failed", e);
        }
    }

    @Override
    public void close() {
        engine.shutdownNow();
        try {
            engine.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
