package io.orderpipeline.processor.placement;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process exchange that fails on purpose: configurable latency, transient failure rate, fatal rate and outage
 * windows, deterministic under a seed, and idempotent by order id (see {@link ExchangeLedger}).
 *
 * <p>Each request is decided by a number drawn from (seed, orderId, attempt): below {@code fatalRate} it is rejected
 * for good, below {@code fatalRate + failureRate} it fails transiently, otherwise the order is placed. A replay of the
 * same attempt therefore meets the same fate, and the outcome of an order never depends on thread timing. An order id
 * the exchange already holds is acknowledged again without a new placement, whatever the draw; a withdrawn one is
 * refused. During an outage window every request fails transiently.
 *
 * <p>It answers directly ({@link ExchangeAck.Kind#ACKNOWLEDGED}, {@link RequestOutcome#DONE}) and never fills: an order
 * placed here stays {@code PLACED} until it is cancelled. For fills, use the venue ({@code exchange-simulator}).
 *
 * <p>With a latency of zero the answer is immediate; otherwise it arrives on a private scheduler thread after the
 * latency and the stream thread never waits for it.
 */
public final class SimulatedExchange implements ExchangeGateway, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SimulatedExchange.class);

    /**
     * @param latency time until the exchange answers ({@code 0}: at once)
     * @param failureRate share of attempts that fail transiently, 0.0-1.0
     * @param fatalRate share of attempts rejected for good, 0.0-1.0
     * @param seed seed of the deterministic draws
     * @param outages fixed windows during which the exchange is down
     * @param outageEvery with {@code outageLength}: a recurring outage at the start of every period since the epoch
     * @param outageLength length of the recurring outage ({@code 0}: none)
     */
    public record Settings(
            Duration latency,
            double failureRate,
            double fatalRate,
            long seed,
            List<OutageWindow> outages,
            Duration outageEvery,
            Duration outageLength) {

        public Settings {
            Objects.requireNonNull(latency, "latency");
            outages = List.copyOf(outages);
            Objects.requireNonNull(outageEvery, "outageEvery");
            Objects.requireNonNull(outageLength, "outageLength");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            if (failureRate < 0.0 || failureRate > 1.0 || fatalRate < 0.0 || fatalRate > 1.0) {
                throw new IllegalArgumentException("rates must be within 0.0-1.0");
            }
        }

        /** A reliable exchange that answers at once. */
        public static Settings reliable() {
            return new Settings(Duration.ZERO, 0.0, 0.0, 42L, List.of(), Duration.ZERO, Duration.ZERO);
        }

        public Settings withFailureRate(double value) {
            return new Settings(latency, value, fatalRate, seed, outages, outageEvery, outageLength);
        }

        public Settings withFatalRate(double value) {
            return new Settings(latency, failureRate, value, seed, outages, outageEvery, outageLength);
        }

        public Settings withLatency(Duration value) {
            return new Settings(value, failureRate, fatalRate, seed, outages, outageEvery, outageLength);
        }

        public Settings withOutages(List<OutageWindow> value) {
            return new Settings(latency, failureRate, fatalRate, seed, value, outageEvery, outageLength);
        }

        boolean inOutage(Instant now) {
            for (OutageWindow window : outages) {
                if (window.contains(now)) {
                    return true;
                }
            }
            long every = outageEvery.toMillis();
            return every > 0
                    && !outageLength.isZero()
                    && Math.floorMod(now.toEpochMilli(), every) < outageLength.toMillis();
        }
    }

    /** The exchange is down from {@code from} (inclusive) to {@code until} (exclusive). */
    public record OutageWindow(Instant from, Instant until) {

        public OutageWindow {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(until, "until");
        }

        boolean contains(Instant instant) {
            return !instant.isBefore(from) && instant.isBefore(until);
        }
    }

    private final Settings settings;
    private final Clock clock;
    private final ExchangeLedger ledger;
    private final ScheduledExecutorService scheduler;

    public SimulatedExchange(Settings settings, Clock clock, ExchangeLedger ledger) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.scheduler = settings.latency().isZero()
                ? null
                : Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "simulated-exchange");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    @Override
    public CompletionStage<ExchangeAck> place(PlacementRequest request) {
        if (scheduler == null) {
            return decide(request);
        }
        CompletableFuture<ExchangeAck> answer = new CompletableFuture<>();
        scheduler.schedule(
                () -> decide(request).whenComplete((ack, error) -> {
                    if (error != null) {
                        answer.completeExceptionally(error);
                    } else {
                        answer.complete(ack);
                    }
                }),
                settings.latency().toNanos(),
                TimeUnit.NANOSECONDS);
        return answer;
    }

    /** Withdraws the order at once: a live placement becomes cancelled, an unknown id can no longer be placed. */
    @Override
    public RequestOutcome cancel(CancelRequest request) {
        ledger.withdraw(request.orderId(), clock.instant());
        return RequestOutcome.DONE;
    }

    /**
     * Applies at once. The simulator keeps no book, only which order ids it holds, so a new quantity or price changes
     * nothing it records; the topology amends its state on {@link RequestOutcome#DONE}.
     */
    @Override
    public RequestOutcome replace(ReplaceRequest request) {
        if (ledger.isWithdrawn(request.orderId())
                || ledger.placement(request.orderId()).isEmpty()) {
            throw new ExchangeRejectedException("order " + request.orderId() + " is not live at the exchange");
        }
        return RequestOutcome.DONE;
    }

    /** The book of record: what was placed, withdrawn and requested. */
    public ExchangeLedger ledger() {
        return ledger;
    }

    public Settings settings() {
        return settings;
    }

    private CompletableFuture<ExchangeAck> decide(PlacementRequest request) {
        String orderId = request.orderId();
        ledger.recordRequest(orderId);
        if (ledger.isWithdrawn(orderId)) {
            return CompletableFuture.failedFuture(
                    new ExchangeRejectedException("order " + orderId + " was withdrawn at the exchange"));
        }
        var known = ledger.placement(orderId);
        if (known.isPresent()) {
            ledger.recordDuplicate();
            return CompletableFuture.completedFuture(new ExchangeAck(known.get().exchangeOrderId(), true));
        }
        Instant now = clock.instant();
        if (settings.inOutage(now)) {
            return CompletableFuture.failedFuture(
                    new ExchangeUnavailableException("exchange unavailable: outage window at " + now));
        }
        double draw = DeterministicRandom.unit(settings.seed(), orderId, request.attempt());
        if (draw < settings.fatalRate()) {
            return CompletableFuture.failedFuture(new ExchangeRejectedException(
                    "simulated fatal rejection of order " + orderId + " (attempt " + request.attempt() + ")"));
        }
        if (draw < settings.fatalRate() + settings.failureRate()) {
            return CompletableFuture.failedFuture(new ExchangeUnavailableException(
                    "simulated transient failure of order " + orderId + " (attempt " + request.attempt() + ")"));
        }
        var lookup = ledger.placeIfAbsent(
                orderId,
                () -> new ExchangeLedger.Placement(
                        orderId, exchangeOrderId(orderId), request.attempt(), now, Optional.empty()));
        switch (lookup.outcome()) {
            case WITHDRAWN:
                return CompletableFuture.failedFuture(
                        new ExchangeRejectedException("order " + orderId + " was withdrawn at the exchange"));
            case EXISTED:
                ledger.recordDuplicate();
                break;
            case CREATED:
                log.debug(
                        "placed order {} as {} (attempt {})",
                        orderId,
                        lookup.placement().exchangeOrderId(),
                        request.attempt());
                break;
        }
        return CompletableFuture.completedFuture(new ExchangeAck(
                lookup.placement().exchangeOrderId(), lookup.outcome() == ExchangeLedger.Outcome.EXISTED));
    }

    private String exchangeOrderId(String orderId) {
        return "EX-%016x".formatted(DeterministicRandom.bits(settings.seed(), orderId));
    }

    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
    }
}
