package io.orderpipeline.processor.testing;

import io.orderpipeline.processor.placement.CancelRequest;
import io.orderpipeline.processor.placement.ExchangeAck;
import io.orderpipeline.processor.placement.ExchangeGateway;
import io.orderpipeline.processor.placement.ExchangeRejectedException;
import io.orderpipeline.processor.placement.ExchangeUnavailableException;
import io.orderpipeline.processor.placement.PlacementRequest;
import io.orderpipeline.processor.placement.ReplaceRequest;
import io.orderpipeline.processor.placement.RequestOutcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An exchange that answers directly (like the in-process simulator: acknowledgements, cancels and amends applied at
 * once) and whose answers a test decides: per order, a script of outcomes, one per request; after the script ends
 * (or without one) it places. Idempotent by orderId like a real exchange: once placed, every later request gets the
 * same exchange id. {@link Outcome#HOLD} leaves the answer open until {@link #release(String)} or
 * {@link #failHeld(String)}, for the asynchronous path and timeouts.
 *
 * <pre>{@code
 * ScriptedExchange exchange = new ScriptedExchange()
 *         .script("o-1", Outcome.FAIL, Outcome.FAIL)   // attempts 1 and 2 fail transiently, 3 places
 *         .script("o-2", Outcome.REJECT);             // fatal
 * }</pre>
 */
public final class ScriptedExchange implements ExchangeGateway {

    /** What the exchange does with one request. */
    public enum Outcome {
        /** Places the order (or acknowledges it again if already placed). */
        PLACE,
        /** Fails transiently ({@link ExchangeUnavailableException}). */
        FAIL,
        /** Refuses for good ({@link ExchangeRejectedException}). */
        REJECT,
        /** Answers only when the test says so. */
        HOLD
    }

    private final Map<String, Deque<Outcome>> scripts = new ConcurrentHashMap<>();
    private final Map<String, List<PlacementRequest>> requests = new ConcurrentHashMap<>();
    private final Map<String, String> placed = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<ExchangeAck>> held = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final Map<String, List<ReplaceRequest>> replaces = new ConcurrentHashMap<>();
    private volatile Outcome defaultOutcome = Outcome.PLACE;

    /** The outcomes of the next requests for {@code orderId}, in order. */
    public ScriptedExchange script(String orderId, Outcome... outcomes) {
        scripts.computeIfAbsent(orderId, id -> new ArrayDeque<>()).addAll(List.of(outcomes));
        return this;
    }

    /** The outcome of requests without a script (default {@link Outcome#PLACE}). */
    public ScriptedExchange otherwise(Outcome outcome) {
        this.defaultOutcome = outcome;
        return this;
    }

    @Override
    public CompletionStage<ExchangeAck> place(PlacementRequest request) {
        String orderId = request.orderId();
        requests.computeIfAbsent(orderId, id -> new ArrayList<>()).add(request);
        if (placed.containsKey(orderId)) {
            return CompletableFuture.completedFuture(new ExchangeAck(placed.get(orderId), true));
        }
        Deque<Outcome> script = scripts.get(orderId);
        Outcome outcome = script == null || script.isEmpty() ? defaultOutcome : script.poll();
        return switch (outcome) {
            case PLACE -> CompletableFuture.completedFuture(place(orderId));
            case FAIL ->
                CompletableFuture.failedFuture(
                        new ExchangeUnavailableException("scripted failure of attempt " + request.attempt()));
            case REJECT ->
                CompletableFuture.failedFuture(
                        new ExchangeRejectedException("scripted rejection of attempt " + request.attempt()));
            case HOLD -> held.computeIfAbsent(orderId, id -> new CompletableFuture<>());
        };
    }

    /** Cancels (or withdraws) at once, like the simulated exchange. */
    @Override
    public RequestOutcome cancel(CancelRequest request) {
        cancelled.add(request.orderId());
        return RequestOutcome.DONE;
    }

    /** Amends at once, like the simulated exchange. */
    @Override
    public RequestOutcome replace(ReplaceRequest request) {
        replaces.computeIfAbsent(request.orderId(), id -> new ArrayList<>()).add(request);
        return RequestOutcome.DONE;
    }

    /** Every replace received for {@code orderId}, in order. */
    public List<ReplaceRequest> replaces(String orderId) {
        return List.copyOf(replaces.getOrDefault(orderId, List.of()));
    }

    /** Answers the held request of {@code orderId}: placed. */
    public void release(String orderId) {
        CompletableFuture<ExchangeAck> answer = held.remove(orderId);
        if (answer == null) {
            throw new IllegalStateException("no held request for " + orderId);
        }
        answer.complete(place(orderId));
    }

    /** Answers the held request of {@code orderId}: transient failure. */
    public void failHeld(String orderId) {
        CompletableFuture<ExchangeAck> answer = held.remove(orderId);
        if (answer == null) {
            throw new IllegalStateException("no held request for " + orderId);
        }
        answer.completeExceptionally(new ExchangeUnavailableException("scripted late failure"));
    }

    /** Every request received for {@code orderId}, in order. */
    public List<PlacementRequest> requests(String orderId) {
        return List.copyOf(requests.getOrDefault(orderId, List.of()));
    }

    /** The exchange id {@code orderId} was placed under, if it was. */
    public Optional<String> placement(String orderId) {
        return Optional.ofNullable(placed.get(orderId));
    }

    /** Whether the processor withdrew {@code orderId}. */
    public boolean wasCancelled(String orderId) {
        return cancelled.contains(orderId);
    }

    private ExchangeAck place(String orderId) {
        String existing = placed.putIfAbsent(orderId, "EX-" + orderId);
        return new ExchangeAck(placed.get(orderId), existing != null);
    }
}
