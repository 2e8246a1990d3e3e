package io.orderpipeline.bench.profile;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a JFR recording's CPU samples were: the hottest methods by self time (top frame), and by "area" — the first
 * frame, walking down from the top, whose class belongs to a library or project package we can act on (RocksDB,
 * Kafka clients, Avro, Apicurio, Jackson, Tomcat, logging, our own code...). Usage: {@code JfrTop file.jfr [top]}.
 */
public final class JfrTop {

    /** Package prefixes that name an area a tuning change can target, most specific first. */
    private static final List<String[]> AREAS = List.of(
            new String[] {"org.rocksdb.", "RocksDB (state stores)"},
            new String[] {"org.apache.kafka.streams.state.", "Kafka Streams state stores/caches"},
            new String[] {"org.apache.kafka.streams.", "Kafka Streams runtime"},
            new String[] {"org.apache.kafka.common.compress.", "Kafka compression"},
            new String[] {"org.apache.kafka.common.record.", "Kafka record batches"},
            new String[] {"org.apache.kafka.clients.producer.", "Kafka producer"},
            new String[] {"org.apache.kafka.clients.consumer.", "Kafka consumer"},
            new String[] {"org.apache.kafka.", "Kafka clients (network, metrics)"},
            new String[] {"io.apicurio.", "Apicurio serde"},
            new String[] {"org.apache.avro.", "Avro"},
            new String[] {"tools.jackson.", "Jackson 3"},
            new String[] {"com.fasterxml.jackson.", "Jackson 2"},
            new String[] {"ch.qos.logback.", "Logging"},
            new String[] {"org.slf4j.", "Logging"},
            new String[] {"org.apache.catalina.", "Tomcat"},
            new String[] {"org.apache.coyote.", "Tomcat"},
            new String[] {"org.apache.tomcat.", "Tomcat"},
            new String[] {"org.springframework.messaging.", "Spring messaging (STOMP)"},
            new String[] {"org.springframework.web.socket.", "Spring WebSocket"},
            new String[] {"org.springframework.", "Spring"},
            new String[] {"io.micrometer.", "Micrometer"},
            new String[] {"io.orderpipeline.", "project code"},
            new String[] {"sun.nio.", "JDK NIO"},
            new String[] {"java.util.zip.", "JDK zip/CRC"},
            new String[] {"java.", "JDK"},
            new String[] {"jdk.", "JDK"},
            new String[] {"sun.", "JDK"});

    private JfrTop() {}

    public static void main(String[] args) throws IOException {
        summarize(Path.of(args[0]), args.length > 1 ? Integer.parseInt(args[1]) : 15)
                .forEach(System.out::println);
    }

    /** Native frames where a thread waits rather than works (polls, parks): not a hot spot. */
    private static final List<String> IDLE = List.of(
            "EPoll.wait",
            "Net.poll",
            "Net.accept",
            "SocketDispatcher.read",
            "Object.wait",
            "Unsafe.park",
            "Thread.sleep",
            "FileDispatcherImpl.read",
            "Net.connect");

    /** Lines: total samples, top areas with shares, top self methods with shares, busy native methods. */
    public static List<String> summarize(Path file, int top) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> areas = new HashMap<>();
        Map<String, Integer> natives = new HashMap<>();
        int total = 0;
        int nativeTotal = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent event = recording.readEvent();
                String type = event.getEventType().getName();
                boolean java = type.equals("jdk.ExecutionSample");
                if ((!java && !type.equals("jdk.NativeMethodSample")) || event.getStackTrace() == null) {
                    continue;
                }
                List<RecordedFrame> frames = event.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                String leaf = name(frames.get(0));
                if (java) {
                    total++;
                    self.merge(leaf, 1, Integer::sum);
                    areas.merge(area(frames), 1, Integer::sum);
                } else if (!IDLE.contains(leaf)) {
                    nativeTotal++;
                    natives.merge(leaf + " <- " + area(frames), 1, Integer::sum);
                }
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(total + " CPU samples in Java code, " + nativeTotal + " samples in busy native code");
        lines.add("areas: " + String.join(", ", topOf(areas, top, total)));
        lines.add("hottest methods (self): " + String.join(", ", topOf(self, top, total)));
        if (nativeTotal > 0) {
            lines.add("busy native methods (share of native samples): "
                    + String.join(", ", topOf(natives, Math.min(top, 6), nativeTotal)));
        }
        return lines;
    }

    private static String name(RecordedFrame frame) {
        String type = frame.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "."
                + frame.getMethod().getName();
    }

    /** The area of the innermost frame that belongs to a named library; JDK frames count only if nothing else does. */
    static String area(List<RecordedFrame> frames) {
        String jdk = null;
        for (RecordedFrame frame : frames) {
            String type = frame.getMethod().getType().getName();
            String a = areaOf(type);
            if (a == null) {
                continue;
            }
            if (!a.startsWith("JDK")) {
                return a;
            }
            if (jdk == null) {
                jdk = a;
            }
        }
        return jdk == null ? "other" : jdk;
    }

    static String areaOf(String type) {
        for (String[] area : AREAS) {
            if (type.startsWith(area[0])) {
                return area[1];
            }
        }
        return null;
    }

    private static List<String> topOf(Map<String, Integer> counts, int top, int total) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .map(e -> String.format("%s %.0f%%", e.getKey(), 100.0 * e.getValue() / Math.max(1, total)))
                .toList();
    }
}
