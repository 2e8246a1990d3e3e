package io.orderpipeline.bench.stack;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The processes of the running stack, found by the ports they listen on (so the harness works whoever launched
 * them), with their CPU time and memory.
 */
public final class Stack {

    /** One process of the stack; {@code pid} is -1 when nothing listens on its port. */
    public record Member(String name, int port, long pid) {
        public boolean running() {
            return pid > 0;
        }
    }

    public static final String KAFKA = "kafka";
    public static final String REGISTRY = "registry";
    public static final String INGEST = "ingest-api";
    public static final String PROCESSOR = "stream-processor";
    public static final String QUERY = "query-ws-service";

    private final Map<String, Member> members;

    private Stack(Map<String, Member> members) {
        this.members = members;
    }

    /** Looks up who listens on each port now. */
    public static Stack discover(Map<String, Integer> ports) {
        Map<String, Member> found = new LinkedHashMap<>();
        ports.forEach((name, port) -> {
            OptionalLong pid = ProcFs.pidListeningOn(port);
            found.put(name, new Member(name, port, pid.orElse(-1)));
        });
        return new Stack(found);
    }

    public Member member(String name) {
        return members.get(name);
    }

    public boolean running(String name) {
        Member m = members.get(name);
        return m != null && m.running();
    }

    public List<Member> members() {
        return new ArrayList<>(members.values());
    }

    /** The same stack with {@code name} now at {@code pid} (after a restart). */
    public Stack with(String name, long pid) {
        Map<String, Member> copy = new LinkedHashMap<>(members);
        Member old = copy.get(name);
        copy.put(name, new Member(name, old.port(), pid));
        return new Stack(copy);
    }

    /** CPU nanoseconds used so far by each running member (a snapshot for deltas). */
    public Map<String, Long> cpuNanos() {
        Map<String, Long> cpu = new LinkedHashMap<>();
        for (Member m : members.values()) {
            if (m.running()) {
                cpu.put(m.name(), ProcFs.cpuNanos(m.pid()));
            }
        }
        return cpu;
    }

    /** Resident memory now ({@code VmRSS}) and at its peak ({@code VmHWM}), MiB, per running member. */
    public Map<String, double[]> memoryMiB() {
        Map<String, double[]> rss = new LinkedHashMap<>();
        for (Member m : members.values()) {
            if (m.running()) {
                rss.put(m.name(), new double[] {ProcFs.statusMiB(m.pid(), "VmRSS"), ProcFs.statusMiB(m.pid(), "VmHWM")
                });
            }
        }
        return rss;
    }

    /** CPU seconds per member between two snapshots. */
    public static Map<String, Double> cpuSecondsBetween(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Double> delta = new LinkedHashMap<>();
        after.forEach((name, nanos) -> {
            Long start = before.get(name);
            if (start != null && start >= 0 && nanos >= 0) {
                delta.put(name, (nanos - start) / 1e9);
            }
        });
        return delta;
    }
}
