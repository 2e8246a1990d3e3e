package io.orderpipeline.venue.book;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The book's append-only journal: one JSON line per change (an order's new state, the answer to a request id, a
 * tombstone), written and flushed before the answer leaves the venue, replayed at start (the last line per key wins).
 * A torn last line (a crash mid-write) is skipped.
 */
public final class Journal implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;
    private final BufferedWriter out;

    /**
     * One change. Exactly one of the three is set.
     *
     * @param order the order's state after the change
     * @param answer the answer given to request id {@code answer.clOrdId()} (repeated when the id comes again)
     * @param tombstone an order id cancelled before the venue saw it: it can never be placed
     */
    public record Entry(VenueOrder order, Report answer, String tombstone) {}

    private Journal(Path file) throws IOException {
        this.file = file;
        Files.createDirectories(file.getParent());
        this.out = Files.newBufferedWriter(
                file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    public static Journal open(Path file) {
        try {
            return new Journal(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal " + file, e);
        }
    }

    /** Every entry written so far, oldest first. */
    public List<Entry> replay() {
        List<Entry> entries = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    entries.add(JSON.readValue(line, Entry.class));
                } catch (RuntimeException e) {
                    log.warn("Skipping an unreadable journal line in {}: {}", file, e.toString());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal " + file, e);
        }
        return entries;
    }

    synchronized void append(Entry entry) {
        try {
            out.write(JSON.writeValueAsString(entry));
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the journal " + file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            log.warn("Closing the journal {} failed", file, e);
        }
    }
}
