package io.orderpipeline.processor.placement;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The simulated exchange's book of record: which order ids it placed (and under which exchange id), which were
 * withdrawn, and how many requests each order id caused. It is the evidence that a replay never placed an order twice.
 *
 * <p><b>What "placed twice" means.</b> The exchange holds two live orders for one {@code orderId}, or the processor's
 * {@code PLACED} state names an exchange id the exchange does not hold. The ledger makes the first impossible by
 * construction (one placement per order id, created atomically) and records every request, so a test can check the
 * second and see how many replayed requests were absorbed ({@link #duplicateRequests()}).
 *
 * <p>In memory by default. {@link #journaled(Path)} appends every placement and withdrawal to a file (flushed per
 * line, so it survives a killed process) and replays it on start: the exchange then outlives a processor crash the
 * way a real exchange would. Request counters are statistics and are not journaled. Thread-safe.
 */
public final class ExchangeLedger implements AutoCloseable {

    /** One order the exchange accepted. {@code cancelledAt} is set once it was withdrawn. */
    public record Placement(
            String orderId, String exchangeOrderId, int attempt, Instant placedAt, Optional<Instant> cancelledAt) {

        public boolean live() {
            return cancelledAt.isEmpty();
        }
    }

    private final Map<String, Placement> placements = new ConcurrentHashMap<>();
    private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final AtomicLong totalRequests = new AtomicLong();
    private final AtomicLong duplicateRequests = new AtomicLong();
    private final BufferedWriter journal;

    private ExchangeLedger(BufferedWriter journal) {
        this.journal = journal;
    }

    public static ExchangeLedger inMemory() {
        return new ExchangeLedger(null);
    }

    /** A ledger kept in {@code file}: existing entries are read back first. */
    public static ExchangeLedger journaled(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            List<String> lines = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
            ExchangeLedger ledger = new ExchangeLedger(Files.newBufferedWriter(
                    file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
            lines.forEach(ledger::replay);
            return ledger;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open exchange ledger " + file, e);
        }
    }

    /** Counts one request for {@code orderId}; returns how many there were so far. */
    int recordRequest(String orderId) {
        totalRequests.incrementAndGet();
        return requests.computeIfAbsent(orderId, id -> new AtomicInteger()).incrementAndGet();
    }

    void recordDuplicate() {
        duplicateRequests.incrementAndGet();
    }

    /**
     * The placement of {@code orderId}: the existing one, or the one {@code create} makes, recorded atomically; none if
     * the order id was withdrawn first.
     */
    synchronized Lookup placeIfAbsent(String orderId, Supplier<Placement> create) {
        if (withdrawn.contains(orderId)) {
            return new Lookup(null, Outcome.WITHDRAWN);
        }
        Placement existing = placements.get(orderId);
        if (existing != null) {
            return new Lookup(existing, Outcome.EXISTED);
        }
        Placement created = create.get();
        placements.put(orderId, created);
        append("P", encode(orderId), created.exchangeOrderId(), Integer.toString(created.attempt()), millis(created));
        return new Lookup(created, Outcome.CREATED);
    }

    enum Outcome {
        CREATED,
        EXISTED,
        WITHDRAWN
    }

    record Lookup(Placement placement, Outcome outcome) {}

    /** Withdraws {@code orderId}: a live placement becomes cancelled; an unknown id can no longer be placed. */
    synchronized void withdraw(String orderId, Instant at) {
        if (!withdrawn.add(orderId)) {
            return;
        }
        placements.computeIfPresent(
                orderId,
                (id, p) -> new Placement(p.orderId(), p.exchangeOrderId(), p.attempt(), p.placedAt(), Optional.of(at)));
        append("C", encode(orderId), Long.toString(at.toEpochMilli()));
    }

    /** Whether {@code orderId} was withdrawn (it is refused from then on). */
    public boolean isWithdrawn(String orderId) {
        return withdrawn.contains(orderId);
    }

    public Optional<Placement> placement(String orderId) {
        return Optional.ofNullable(placements.get(orderId));
    }

    /** Every order the exchange ever accepted, at most one per order id. */
    public Collection<Placement> placements() {
        return List.copyOf(placements.values());
    }

    /** How many placement requests {@code orderId} caused (replays included). */
    public int requests(String orderId) {
        AtomicInteger count = requests.get(orderId);
        return count == null ? 0 : count.get();
    }

    public long totalRequests() {
        return totalRequests.get();
    }

    /** Requests for an order id the exchange already held: replays or retries after a lost answer. */
    public long duplicateRequests() {
        return duplicateRequests.get();
    }

    @Override
    public synchronized void close() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private void append(String... fields) {
        if (journal == null) {
            return;
        }
        try {
            journal.write(String.join("\t", fields));
            journal.newLine();
            journal.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write exchange ledger", e);
        }
    }

    private void replay(String line) {
        if (line.isBlank()) {
            return;
        }
        String[] f = line.split("\t");
        switch (f[0]) {
            case "P" -> {
                String orderId = decode(f[1]);
                placements.put(
                        orderId,
                        new Placement(
                                orderId,
                                f[2],
                                Integer.parseInt(f[3]),
                                Instant.ofEpochMilli(Long.parseLong(f[4])),
                                Optional.empty()));
            }
            case "C" -> {
                String orderId = decode(f[1]);
                Instant at = Instant.ofEpochMilli(Long.parseLong(f[2]));
                withdrawn.add(orderId);
                placements.computeIfPresent(
                        orderId,
                        (id, p) -> new Placement(
                                p.orderId(), p.exchangeOrderId(), p.attempt(), p.placedAt(), Optional.of(at)));
            }
            default -> throw new IllegalStateException("corrupt exchange ledger line: " + line);
        }
    }

    private static String millis(Placement placement) {
        return Long.toString(placement.placedAt().toEpochMilli());
    }

    private static String encode(String orderId) {
        return URLEncoder.encode(Objects.requireNonNull(orderId), StandardCharsets.UTF_8);
    }

    private static String decode(String field) {
        return URLDecoder.decode(field, StandardCharsets.UTF_8);
    }
}
