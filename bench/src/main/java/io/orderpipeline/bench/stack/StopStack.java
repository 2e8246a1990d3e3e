package io.orderpipeline.bench.stack;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Stops a stack that no launcher supervises any more (see {@code bench.sh}: the launcher is detached so that the
 * harness may kill and restart the stream-processor): the services first, in parallel, then the registry, then
 * Kafka, each with SIGTERM and a grace period, found by the ports they listen on.
 *
 * <p>Arguments: {@code kafkaPort registryPort servicePort...}.
 */
public final class StopStack {

    private StopStack() {}

    public static void main(String[] args) {
        int kafka = Integer.parseInt(args[0]);
        int registry = Integer.parseInt(args[1]);
        List<CompletableFuture<Void>> services = new ArrayList<>();
        for (int i = 2; i < args.length; i++) {
            int port = Integer.parseInt(args[i]);
            services.add(CompletableFuture.runAsync(() -> stop(port, Duration.ofSeconds(30))));
        }
        services.forEach(CompletableFuture::join);
        stop(registry, Duration.ofSeconds(15));
        stop(kafka, Duration.ofSeconds(30));
    }

    private static void stop(int port, Duration grace) {
        ProcFs.pidListeningOn(port).stream()
                .mapToObj(ProcessHandle::of)
                .flatMap(Optional::stream)
                .forEach(handle -> {
                    System.out.println("stopping pid " + handle.pid() + " (port " + port + ")");
                    handle.destroy();
                    try {
                        handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (Exception timeout) {
                        handle.destroyForcibly();
                    }
                });
    }
}
