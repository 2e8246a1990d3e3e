package io.orderpipeline.query.deadletter;

import io.orderpipeline.shared.KafkaClients;
import io.orderpipeline.shared.TopicSettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.springframework.stereotype.Component;

/**
 * Reads the dead-letter topics for the admin API with a plain consumer per request: partitions assigned and sought
 * (no group, nothing committed, nothing written), {@code read_committed} (the stream-processor writes dead letters in
 * its transactions; an aborted one never happened), and every read bounded by a number of records and {@code
 * orders.dead-letters.read-timeout}.
 *
 * <p>Listings are <b>newest first</b>: each page reads, per partition, the {@code limit} offsets below the partition's
 * cursor position (its end on the first page), merges them by timestamp (newest first; then partition, offset) and
 * keeps {@code limit}. The cursor holds each partition's next upper bound, so pages neither repeat nor skip a record
 * that existed for the whole walk; records arriving meanwhile are above the bounds and show on a fresh first page.
 */
@Component
class DeadLetterReader {

    private static final String CURSOR_VERSION = "d1.";
    private static final Duration POLL = Duration.ofMillis(100);

    private final KafkaClients clients;
    private final DeadLetterProperties properties;
    private final DeadLetterDecoder decoder;
    private final TopicSettings topics;

    DeadLetterReader(
            KafkaClients clients, DeadLetterProperties properties, DeadLetterDecoder decoder, TopicSettings topics) {
        this.clients = clients;
        this.properties = properties;
        this.decoder = decoder;
        this.topics = topics;
    }

    /** A page of entries; {@code nextCursor} {@code null} once every partition is read down to its start. */
    record Page(List<DeadLetterEntry> items, String nextCursor) {}

    /** How far a short page widens its window (in multiples of the limit) before it is returned short. */
    private static final long MAX_WINDOW_FACTOR = 128;

    /** Counts of one topic's newest {@code scanned} records by reason and by exception class. */
    record TopicSummary(long total, long scanned, Map<String, Long> byReason, Map<String, Long> byException) {}

    String kafkaTopic(DeadLetterTopic topic) {
        return topic == DeadLetterTopic.PLACE ? topics.deadLetter() : topics.deadLetterQueue();
    }

    Page list(DeadLetterTopic topic, int limit, String cursor, Map<String, String> marks) {
        String name = kafkaTopic(topic);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, name);
            if (partitions.isEmpty()) {
                return new Page(List.of(), null);
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> upper = cursor == null ? consumer.endOffsets(partitions) : decode(cursor, name);
            // the dead-letter topics are written in transactions, and every commit marker takes an offset: a window of
            // `limit` offsets may hold fewer records. Read twice that (one marker per record at most when each record
            // is its own transaction), and widen while the page is short and older offsets are left.
            long window = 2L * limit;
            Map<TopicPartition, long[]> ranges;
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition;
            List<ConsumerRecord<byte[], byte[]>> taken;
            while (true) {
                ranges = new LinkedHashMap<>();
                boolean olderLeft = false;
                for (TopicPartition tp : partitions) {
                    long to = upper.getOrDefault(tp, 0L);
                    long first = begin.getOrDefault(tp, 0L);
                    long from = Math.max(first, to - window);
                    if (from < to) {
                        ranges.put(tp, new long[] {from, to});
                    }
                    olderLeft |= from > first;
                }
                byPartition = new TreeMap<>();
                for (ConsumerRecord<byte[], byte[]> record : read(consumer, ranges)) {
                    byPartition
                            .computeIfAbsent(record.partition(), p -> new ArrayList<>())
                            .add(record);
                }
                byPartition
                        .values()
                        .forEach(records -> records.sort(
                                Comparator.<ConsumerRecord<byte[], byte[]>>comparingLong(ConsumerRecord::offset)
                                        .reversed()));
                taken = newestFirst(byPartition, limit);
                if (taken.size() >= limit || !olderLeft || window >= MAX_WINDOW_FACTOR * limit) {
                    break;
                }
                window *= 4;
            }
            Map<TopicPartition, Long> next = new TreeMap<>(Comparator.comparingInt(TopicPartition::partition));
            for (TopicPartition tp : partitions) {
                long[] range = ranges.get(tp);
                List<ConsumerRecord<byte[], byte[]>> readHere = byPartition.getOrDefault(tp.partition(), List.of());
                List<ConsumerRecord<byte[], byte[]>> takenHere = taken.stream()
                        .filter(r -> r.partition() == tp.partition())
                        .toList();
                long bound = upper.getOrDefault(tp, 0L);
                if (range != null && takenHere.size() == readHere.size()) {
                    bound = range[0]; // all of the range shown (or nothing there but markers): continue below it
                } else if (!takenHere.isEmpty()) {
                    bound = takenHere.get(takenHere.size() - 1).offset(); // the lowest shown: a suffix was taken
                }
                next.put(tp, Math.max(bound, begin.getOrDefault(tp, 0L)));
            }
            boolean more = next.entrySet().stream().anyMatch(e -> e.getValue() > begin.getOrDefault(e.getKey(), 0L));
            List<DeadLetterEntry> items = taken.stream()
                    .map(r -> decoder.decode(topic, r, marks.get(refOf(topic, r)), false))
                    .toList();
            return new Page(items, more ? encode(next) : null);
        }
    }

    /** The record {@code ref} names, with its payload and headers; empty if the topic does not hold it (any more). */
    Optional<DeadLetterEntry> get(DeadLetterRef ref, String mark) {
        TopicPartition tp = new TopicPartition(kafkaTopic(ref.topic()), ref.partition());
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            if (partitions(consumer, tp.topic()).stream().noneMatch(tp::equals)) {
                return Optional.empty();
            }
            return read(consumer, Map.of(tp, new long[] {ref.offset(), ref.offset() + 1})).stream()
                    .filter(r -> r.offset() == ref.offset())
                    .findFirst()
                    .map(r -> decoder.decode(ref.topic(), r, mark, true));
        }
    }

    TopicSummary summary(DeadLetterTopic topic) {
        String name = kafkaTopic(topic);
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, name);
            if (partitions.isEmpty()) {
                return new TopicSummary(0, 0, Map.of(), Map.of());
            }
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long perPartition = Math.max(1, properties.summaryScan() / partitions.size());
            Map<TopicPartition, long[]> ranges = new LinkedHashMap<>();
            // a partition read from its beginning is counted record by record; of a longer one only the offsets are
            // known, an upper bound (transaction markers take offsets too: the DLT and the DLQ are written in
            // transactions, one marker per commit)
            Map<TopicPartition, Long> unscannedOffsets = new HashMap<>();
            for (TopicPartition tp : partitions) {
                long from = begin.getOrDefault(tp, 0L);
                long to = end.getOrDefault(tp, 0L);
                if (from < to) {
                    long scanFrom = Math.max(from, to - perPartition);
                    ranges.put(tp, new long[] {scanFrom, to});
                    if (scanFrom > from) {
                        unscannedOffsets.put(tp, scanFrom - from);
                    }
                }
            }
            Map<String, Long> byReason = new TreeMap<>();
            Map<String, Long> byException = new TreeMap<>();
            List<ConsumerRecord<byte[], byte[]>> read = read(consumer, ranges);
            for (ConsumerRecord<byte[], byte[]> record : read) {
                DeadLetterEntry entry = decoder.decode(topic, record, null, false);
                byReason.merge(entry.reason(), 1L, Long::sum);
                byException.merge(entry.exceptionClass() == null ? "unknown" : entry.exceptionClass(), 1L, Long::sum);
            }
            long total = read.size()
                    + unscannedOffsets.values().stream()
                            .mapToLong(Long::longValue)
                            .sum();
            return new TopicSummary(total, read.size(), byReason, byException);
        }
    }

    /** Every partition's records in {@code [from, to)}, as far as the read timeout allows. */
    private List<ConsumerRecord<byte[], byte[]>> read(
            KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, long[]> ranges) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        if (ranges.isEmpty()) {
            return records;
        }
        consumer.assign(ranges.keySet());
        ranges.forEach((tp, range) -> consumer.seek(tp, range[0]));
        Map<TopicPartition, long[]> open = new HashMap<>(ranges);
        long deadline = System.nanoTime() + properties.readTimeout().toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                long[] range = ranges.get(new TopicPartition(record.topic(), record.partition()));
                if (record.offset() >= range[0] && record.offset() < range[1]) {
                    records.add(record);
                }
            }
            open.entrySet().removeIf(e -> {
                if (consumer.position(e.getKey()) >= e.getValue()[1]) {
                    consumer.pause(List.of(e.getKey()));
                    return true;
                }
                return false;
            });
        }
        return records;
    }

    private static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<PartitionInfo> infos;
        try {
            infos = consumer.partitionsFor(topic, Duration.ofSeconds(5));
        } catch (TimeoutException e) {
            return List.of(); // not there (yet): nothing was dead-lettered
        }
        return infos == null
                ? List.of()
                : infos.stream()
                        .map(info -> new TopicPartition(topic, info.partition()))
                        .sorted(Comparator.comparingInt(TopicPartition::partition))
                        .toList();
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return clients.consumer(
                Map.of(
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        IsolationLevel.READ_COMMITTED.toString(),
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false,
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                        "earliest",
                        ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        Math.max(500, properties.maxLimit())),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    static String refOf(DeadLetterTopic topic, ConsumerRecord<?, ?> record) {
        return new DeadLetterRef(topic, record.partition(), record.offset()).toString();
    }

    /**
     * Up to {@code limit} records, each partition's from its highest offset down, partitions interleaved by record time
     * (newest first; ties: lower partition). Taking every partition in offset order keeps what a page takes from a
     * partition a run of its highest offsets, which is what makes the cursor exact even where record times are not
     * in offset order (a DLQ record keeps the time of the record it replaces).
     */
    private static List<ConsumerRecord<byte[], byte[]>> newestFirst(
            Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition, int limit) {
        Map<Integer, Integer> heads = new HashMap<>();
        List<ConsumerRecord<byte[], byte[]>> taken = new ArrayList<>();
        while (taken.size() < limit) {
            ConsumerRecord<byte[], byte[]> best = null;
            for (Map.Entry<Integer, List<ConsumerRecord<byte[], byte[]>>> partition : byPartition.entrySet()) {
                int head = heads.getOrDefault(partition.getKey(), 0);
                if (head < partition.getValue().size()) {
                    ConsumerRecord<byte[], byte[]> candidate =
                            partition.getValue().get(head);
                    if (best == null || candidate.timestamp() > best.timestamp()) {
                        best = candidate;
                    }
                }
            }
            if (best == null) {
                break;
            }
            taken.add(best);
            heads.merge(best.partition(), 1, Integer::sum);
        }
        return taken;
    }

    private static String encode(Map<TopicPartition, Long> bounds) {
        StringBuilder text = new StringBuilder(CURSOR_VERSION);
        bounds.forEach((tp, bound) ->
                text.append(tp.partition()).append('=').append(bound).append(','));
        return Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    private static Map<TopicPartition, Long> decode(String cursor, String topic) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!text.startsWith(CURSOR_VERSION)) {
                throw new IllegalArgumentException();
            }
            Map<TopicPartition, Long> bounds = new HashMap<>();
            for (String part : text.substring(CURSOR_VERSION.length()).split(",")) {
                if (part.isEmpty()) {
                    continue;
                }
                String[] kv = part.split("=");
                bounds.put(new TopicPartition(topic, Integer.parseInt(kv[0])), Long.parseLong(kv[1]));
            }
            return bounds;
        } catch (RuntimeException e) {
            throw new InvalidDeadLetterRequestException("cursor", "cursor is not valid");
        }
    }
}
