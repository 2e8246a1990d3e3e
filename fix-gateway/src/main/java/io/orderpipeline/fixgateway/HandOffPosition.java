package io.orderpipeline.fixgateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Where the venue must resume sending if this side stopped now: the lowest incoming MsgSeqNum(34) whose report is not
 * yet durably handed on. Reports are handed to the {@link ReportSink} without waiting ({@link #started}), and each
 * confirms later ({@link #done}) or fails ({@link #failed}); QuickFIX/J meanwhile counts every message as received.
 * So the session's own incoming sequence number may run ahead of what is durable, and this position is the one that
 * counts: {@link VenueConnection} lowers the session's expected sequence number to it at every logon (after a restart
 * or a dropped session) and after a failed hand-off, and the venue resends from there (ResendRequest, PossDupFlag=Y).
 * A resent report that was already on the topic is a duplicate the topology ignores by ExecID.
 *
 * <p>Kept in a file next to QuickFIX/J's {@code FileStore} ({@link #persist()}, a few times a second and at close).
 * The file may lag behind: a lower position only means more resends, never a lost report, because the position only
 * moves forward over messages that are durable.
 *
 * <p>Threads: {@link #started} and {@link #rewind} run on the session's thread (messages in sequence order); {@link
 * #done} and {@link #failed} on the sink's callback threads; {@link #resumePoint} and {@link #persist} anywhere.
 */
final class HandOffPosition {

    /** Sequence numbers handed to the sink and not yet confirmed (a failed one stays until the rewind). */
    private final ConcurrentSkipListSet<Integer> pending = new ConcurrentSkipListSet<>();

    private final AtomicBoolean failed = new AtomicBoolean();
    private final Path file;
    /** 1 + the last sequence number handed on; 0 while nothing is known (no file, nothing received). */
    private volatile int next;

    private volatile int persisted;

    private HandOffPosition(Path file, int next) {
        this.file = file;
        this.next = next;
        this.persisted = next;
    }

    /** The position kept in {@code file}, or an unknown one (no rewind at the first logon) if there is no file. */
    static HandOffPosition load(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return new HandOffPosition(file, Integer.parseInt(text));
        } catch (NoSuchFileException e) {
            return new HandOffPosition(file, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the hand-off position " + file, e);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("unreadable hand-off position in " + file, e);
        }
    }

    /** The report with this sequence number went to the sink (session thread, in order). */
    void started(int seqNum) {
        pending.add(seqNum);
        next = seqNum + 1;
    }

    /** The sink confirmed it. */
    void done(int seqNum) {
        pending.remove(seqNum);
    }

    /** The sink failed a report: it stays pending, and the next {@link #rewind()} makes the venue resend from it. */
    void failed() {
        failed.set(true);
    }

    /** Whether a hand-off failed since the last {@link #rewind()}. */
    boolean rewindDue() {
        return failed.get();
    }

    /**
     * The lowest sequence number that is not durable: the first pending one, else the one after the last handed on; 0
     * if unknown. Reads {@code next} before {@code pending}: {@link #started} adds to {@code pending} before it moves
     * {@code next}, so a concurrent reader never skips a report in flight.
     */
    int resumePoint() {
        int after = next;
        Integer first = pending.isEmpty() ? null : pending.first();
        return first == null ? after : Math.min(first, after);
    }

    /**
     * Called on the session's thread when the session's expected sequence number is set back to {@link
     * #resumePoint()}: everything from there on comes again, so the pending set starts over and the failure is
     * cleared. Late confirmations of the earlier copies are harmless (a confirmed copy is as good as its resend), a
     * late failure only asks for one more rewind.
     *
     * @return the sequence number the session must expect next, 0 if unknown (no rewind)
     */
    int rewind() {
        int resume = resumePoint();
        failed.set(false);
        pending.clear();
        if (resume > 0) {
            next = resume;
        }
        return resume;
    }

    /** Writes the position if it moved (atomically: a crash leaves the old or the new value, never half of one). */
    synchronized void persist() {
        int resume = resumePoint();
        if (resume == persisted || resume == 0) {
            return;
        }
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, Integer.toString(resume), StandardCharsets.US_ASCII);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            persisted = resume;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the hand-off position " + file, e);
        }
    }
}
