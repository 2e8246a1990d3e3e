package io.orderpipeline.ingest.support;

import io.orderpipeline.infra.KafkaBrokerProcess;
import io.orderpipeline.infra.Ports;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A real broker in a child JVM (infra's {@link KafkaBrokerProcess}) for tests that take it away: {@link #stop()} and
 * {@link #restart()} it on the same client port and data directory (topics, transactions and offsets survive), or
 * {@link #pause()} it with SIGSTOP (connections stay open, nothing answers) and {@link #resume()} it with SIGCONT.
 */
public final class BrokerProcess implements AutoCloseable {

    private final int port;
    private final Path dataDir;
    private final Path logFile;
    private KafkaBrokerProcess broker;
    private boolean paused;

    private BrokerProcess(int port, Path dir) {
        this.port = port;
        this.dataDir = dir.resolve("data");
        this.logFile = dir.resolve("kafka.log");
    }

    /** A broker on a free port, with its data and log under {@code target/broker-processes/<name>-<random>}. */
    public static BrokerProcess start(String name) {
        BrokerProcess process = notStarted(name);
        process.restart();
        return process;
    }

    /** A free port and a data directory, no broker yet: for a service that must start while Kafka is away. */
    public static BrokerProcess notStarted(String name) {
        Path dir = Path.of("target", "broker-processes", name + "-" + UUID.randomUUID())
                .toAbsolutePath();
        return new BrokerProcess(Ports.free(), dir);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** Controlled shutdown (SIGTERM); the port and the data directory stay for {@link #restart()}. */
    public synchronized void stop() {
        if (broker != null) {
            resume();
            broker.close();
            broker = null;
        }
    }

    /** Starts the broker (again) on the same port and data directory and waits until it serves metadata. */
    public synchronized void restart() {
        if (broker != null) {
            throw new IllegalStateException("broker already running");
        }
        broker = KafkaBrokerProcess.start(port, dataDir, logFile);
    }

    /** SIGSTOP: the broker keeps its sockets open and answers nothing, like a broker stuck in a long GC pause. */
    public synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** SIGCONT after {@link #pause()}. */
    public synchronized void resume() {
        if (paused) {
            signal("CONT");
            paused = false;
        }
    }

    @Override
    public synchronized void close() {
        stop();
    }

    private void signal(String signal) {
        if (broker == null) {
            throw new IllegalStateException("broker not running");
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(broker.pid()))
                    .inheritIO()
                    .start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + broker.pid() + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
