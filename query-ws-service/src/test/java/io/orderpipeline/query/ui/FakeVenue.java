package io.orderpipeline.query.ui;

import com.sun.net.httpserver.HttpServer;
import io.orderpipeline.infra.Ports;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReference;

/** Stands in for the venue's admin API: {@code GET /admin/state} answers the state it is given, as the venue shapes it. */
final class FakeVenue implements AutoCloseable {

    private final HttpServer server;
    private final AtomicReference<String> state = new AtomicReference<>(state(true, 1.0));

    FakeVenue() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", Ports.free()), 0);
        server.createContext("/admin/state", exchange -> {
            byte[] body = state.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** One pipeline session, up or down, and the failure rate. */
    static String state(boolean loggedOn, double failureRate) {
        return "{\"sessions\":[{\"id\":\"FIX.4.4:PIPELINE-1->VENUE\",\"loggedOn\":" + loggedOn
                + ",\"nextSenderSeq\":5,\"nextTargetSeq\":7}],\"faults\":{\"failureRate\":" + failureRate
                + ",\"rejectRate\":0.0,\"latencyMs\":0,\"outage\":false},\"orders\":{\"NEW\":2},\"tombstones\":0,"
                + "\"market\":{\"AAPL\":187.25}}";
    }

    void set(String json) {
        state.set(json);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
