package io.orderpipeline.query.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A tiny external STOMP broker on 127.0.0.1 (what RabbitMQ's STOMP plugin would be in production): accepts CONNECT,
 * records SUBSCRIBEs per connection, and fans every SEND out as MESSAGE to the subscriptions of its destination.
 * Enough to test Spring's broker relay end to end without a real broker.
 */
public final class FakeStompBroker implements AutoCloseable {

    private final ServerSocket server;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<String> sentDestinations = new CopyOnWriteArrayList<>();
    private final AtomicLong messageIds = new AtomicLong();

    public FakeStompBroker() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fake-stomp-broker");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Destinations of the SEND frames received, in order. */
    public List<String> sent() {
        return List.copyOf(sentDestinations);
    }

    public int connections() {
        return connections.size();
    }

    /** Subscriptions per connection, for diagnostics. */
    public List<Map<String, String>> subscriptions() {
        return connections.stream().map(c -> Map.copyOf(c.subscriptions)).toList();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                Connection connection = new Connection(socket);
                connections.add(connection);
                Thread reader = new Thread(connection::read, "fake-stomp-connection");
                reader.setDaemon(true);
                reader.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final Map<String, String> subscriptions = new ConcurrentHashMap<>(); // id -> destination

        Connection(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        void read() {
            try (InputStream in = socket.getInputStream()) {
                ByteArrayOutputStream frame = new ByteArrayOutputStream();
                int b;
                while ((b = in.read()) >= 0) {
                    if (b == 0) {
                        handle(frame.toString(StandardCharsets.UTF_8));
                        frame.reset();
                    } else {
                        frame.write(b);
                    }
                }
            } catch (IOException e) {
                // connection closed
            } finally {
                connections.remove(this);
            }
        }

        private void handle(String raw) throws IOException {
            String text = raw.replaceFirst("^[\r\n]+", "");
            if (text.isEmpty()) {
                return;
            }
            int split = text.indexOf("\n\n");
            String[] lines = (split < 0 ? text : text.substring(0, split)).split("\n");
            String body = split < 0 ? "" : text.substring(split + 2);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(lines[i].substring(0, colon), lines[i].substring(colon + 1));
                }
            }
            switch (lines[0].trim()) {
                case "CONNECT", "STOMP" -> write("CONNECTED\nversion:1.2\nheart-beat:0,0\n\n");
                case "SUBSCRIBE" -> subscriptions.put(headers.get("id"), headers.get("destination"));
                case "UNSUBSCRIBE" -> subscriptions.remove(headers.get("id"));
                case "SEND" -> {
                    sentDestinations.add(headers.get("destination"));
                    for (Connection connection : connections) {
                        connection.deliver(headers, body);
                    }
                }
                case "DISCONNECT" -> socket.close();
                default -> {
                    // ACK/NACK/transactions are not needed here
                }
            }
        }

        void deliver(Map<String, String> headers, String body) throws IOException {
            String destination = headers.get("destination");
            for (Map.Entry<String, String> subscription : subscriptions.entrySet()) {
                if (subscription.getValue().equals(destination)) {
                    StringBuilder frame = new StringBuilder("MESSAGE\n")
                            .append("subscription:")
                            .append(subscription.getKey())
                            .append('\n')
                            .append("message-id:")
                            .append(messageIds.incrementAndGet())
                            .append('\n');
                    headers.forEach((name, value) -> {
                        if (!name.equals("content-length") && !name.equals("receipt")) {
                            frame.append(name).append(':').append(value).append('\n');
                        }
                    });
                    write(frame.append('\n').append(body).toString());
                }
            }
        }

        private synchronized void write(String frame) throws IOException {
            out.write(frame.getBytes(StandardCharsets.UTF_8));
            out.write(0);
            out.flush();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Connection connection : connections) {
            connection.socket.close();
        }
    }
}
