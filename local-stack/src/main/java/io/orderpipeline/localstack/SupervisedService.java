package io.orderpipeline.localstack;

import io.orderpipeline.localstack.InstancePlan.ServiceInstance;
import io.orderpipeline.localstack.RestartPolicy.Decision;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One service instance under supervision: after start-up, an exit of its process is restarted as the
 * {@link RestartPolicy} says (with backoff, giving up after too many exits within the window), with a notice naming
 * the instance, pid, exit code and log file; once the new process reports healthy, a second notice says after how
 * long. Nothing else in the stack is touched: Kafka, the registry and the other instances keep running.
 *
 * <p>{@link #stop()} never races a restart: it marks the instance stopping and cancels a pending restart under the
 * same lock that a restart takes to start its process, so a restart either sees the stop and does nothing, or has
 * started its process, which the stop then stops.
 */
final class SupervisedService {

    private static final Duration HEALTH_POLL = Duration.ofMillis(250);

    private final ServiceInstance instance;
    private final StackSettings settings;
    private final ScheduledExecutorService scheduler;
    private final PrintStream out;
    private final List<Instant> exits = new ArrayList<>();
    private ServiceProcess current;
    private ScheduledFuture<?> pendingRestart;
    private boolean supervising;
    private boolean stopping;

    private SupervisedService(
            ServiceInstance instance, StackSettings settings, ScheduledExecutorService scheduler, PrintStream out) {
        this.instance = instance;
        this.settings = settings;
        this.scheduler = scheduler;
        this.out = out;
    }

    /** Starts the instance's first process; it is not supervised until {@link #supervise()}. */
    static SupervisedService start(
            ServiceInstance instance, StackSettings settings, ScheduledExecutorService scheduler, PrintStream out) {
        SupervisedService service = new SupervisedService(instance, settings, scheduler, out);
        service.current = service.launch();
        return service;
    }

    /**
     * From now on an exit is restarted. Called once the stack is up: an exit during start-up fails the start instead
     * (see {@link ServiceProcess#isHealthy()}).
     */
    void supervise() {
        ServiceProcess process;
        synchronized (this) {
            supervising = true;
            process = current;
        }
        watch(process);
    }

    String name() {
        return instance.name();
    }

    String module() {
        return instance.module();
    }

    int port() {
        return instance.port();
    }

    synchronized ServiceProcess current() {
        return current;
    }

    /** Stops the current process (SIGTERM, SIGKILL after the grace) and cancels a pending restart. */
    void stop() {
        ServiceProcess process;
        synchronized (this) {
            stopping = true;
            if (pendingRestart != null) {
                pendingRestart.cancel(false);
            }
            process = current;
        }
        if (process != null) {
            process.close();
        }
    }

    private ServiceProcess launch() {
        return ServiceProcess.start(
                instance.name(),
                settings.jar(instance.module()),
                instance.port(),
                instance.healthPath(),
                settings.serviceJvmOptions(),
                instance.environment(),
                instance.workDir(),
                instance.logFile());
    }

    private void watch(ServiceProcess process) {
        process.process().onExit().thenRun(() -> exited(process));
    }

    private void exited(ServiceProcess process) {
        Instant now = Instant.now();
        Decision decision;
        synchronized (this) {
            if (stopping || !supervising || process != current) {
                return;
            }
            exits.add(now);
            decision = settings.restartPolicy().decide(exits, now);
            if (decision instanceof Decision.Restart restart) {
                pendingRestart =
                        scheduler.schedule(() -> restart(now), restart.delay().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        int code = process.process().exitValue();
        String exitedWith =
                String.format("%s (pid %d) exited with code %d%s", name(), process.pid(), code, signal(code));
        StringBuilder notice = new StringBuilder(System.lineSeparator());
        if (decision instanceof Decision.Restart restart) {
            notice.append(String.format(
                    "%s; restarting it in %d s (exit %d of %d allowed within %d s). Log: %s",
                    exitedWith,
                    restart.delay().toSeconds(),
                    restart.recentExits(),
                    settings.restartPolicy().limit(),
                    settings.restartPolicy().window().toSeconds(),
                    instance.logFile()));
        } else if (decision instanceof Decision.GiveUp giveUp) {
            notice.append(String.format(
                    "%s: %d exits within %d s (LOCAL_STACK_RESTART_LIMIT, LOCAL_STACK_RESTART_WINDOW),"
                            + " so it is not restarted again. The rest of the stack keeps running; Ctrl-C stops it. Log: %s",
                    exitedWith, giveUp.recentExits(), giveUp.window().toSeconds(), instance.logFile()));
        }
        String lastLines = code < 128 ? process.lastLogLines() : "";
        if (!lastLines.isBlank()) {
            notice.append(System.lineSeparator()).append(lastLines.stripTrailing());
        }
        out.println(notice);
        out.flush();
    }

    /** Runs on the scheduler once the delay is over; waits for health on the same thread. */
    private void restart(Instant exitedAt) {
        long begin = System.nanoTime();
        ServiceProcess started;
        synchronized (this) {
            pendingRestart = null;
            if (stopping) {
                return;
            }
            try {
                started = launch();
            } catch (RuntimeException e) {
                out.printf("%n%s could not be restarted: %s%n", name(), e.getMessage());
                return;
            }
            current = started;
        }
        out.printf("%s restarting: pid %d%n", name(), started.pid());
        watch(started);
        long deadline = begin + settings.startTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (this) {
                if (stopping || current != started) {
                    return;
                }
            }
            try {
                if (started.isHealthy()) {
                    out.printf(
                            "%s restarted, healthy after %.1f s (pid %d; %.1f s after the exit)%n",
                            name(),
                            (System.nanoTime() - begin) / 1e9,
                            started.pid(),
                            Duration.between(exitedAt, Instant.now()).toMillis() / 1000.0);
                    out.flush();
                    return;
                }
            } catch (IllegalStateException exitedAgain) {
                return; // the exit handler decides about it
            }
            LockSupport.parkNanos(HEALTH_POLL.toNanos());
        }
        out.printf(
                "%s (pid %d) restarted but not healthy within %d s (LOCAL_STACK_START_TIMEOUT); still supervised. Log: %s%n",
                name(), started.pid(), settings.startTimeout().toSeconds(), instance.logFile());
    }

    private static String signal(int code) {
        return switch (code) {
            case 137 -> " (SIGKILL)";
            case 143 -> " (SIGTERM)";
            case 134 -> " (SIGABRT)";
            default -> "";
        };
    }
}
