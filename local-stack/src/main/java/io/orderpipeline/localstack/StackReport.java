package io.orderpipeline.localstack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/** What the launcher prints once the stack is up: where to point a browser and curl, and each process's cost. */
final class StackReport {

    /** A row of the process table. */
    record Row(String name, long pid, String port) {}

    private StackReport() {}

    static void print(
            PrintStream out, StackSettings settings, List<SupervisedService> services, List<Row> rows, double upAfter) {
        String ingest = "http://127.0.0.1:" + settings.ingestPort();
        String query = "http://127.0.0.1:" + settings.queryPort();
        out.println();
        out.printf(
                "Order pipeline up in %.1f s (from launch to every service healthy; %d CPUs, load average %s)%n",
                upAfter, Runtime.getRuntime().availableProcessors(), loadAverage());
        out.println();
        out.println("  Live page        " + urls(services, InstancePlan.QUERY, "/") + "   (sign in as alice / alice)");
        printCalls(out, settings, System.getenv());
        out.println("  OpenAPI          " + ingest + "/swagger-ui.html   " + query + "/swagger-ui.html");
        out.println("  Health           " + urls(services, null, "/actuator/health"));
        out.println("  Kafka            " + settings.bootstrapServers());
        out.println("  Schema registry  " + settings.registryUrl() + "   (Confluent API: http://127.0.0.1:"
                + settings.registryPort() + "/apis/ccompat/v7)");
        out.println("  Logs             " + settings.logs());
        out.println("  State            " + settings.home() + "   (kept across restarts; --reset wipes it)");
        out.println();
        out.printf("  %-19s %8s %6s %10s %10s%n", "process", "pid", "port", "RSS", "CPU used");
        long totalRss = 0;
        double totalCpu = 0;
        for (Row row : rows) {
            OptionalLong rss = Rss.kib(row.pid());
            OptionalDouble cpu = Rss.cpuSeconds(row.pid());
            totalRss += rss.orElse(0);
            totalCpu += cpu.orElse(0);
            out.printf(
                    "  %-19s %8d %6s %10s %10s%n", row.name(), row.pid(), row.port(), Rss.format(rss), Rss.format(cpu));
        }
        out.printf(
                "  %-19s %8s %6s %10s %10s%n",
                "total", "", "", Rss.format(OptionalLong.of(totalRss)), Rss.format(OptionalDouble.of(totalCpu)));
        out.println();
        out.println("Services are supervised: one that exits is restarted (see local-stack/README.md, Supervision).");
        out.println("Press Ctrl-C to stop.");
        out.flush();
    }

    /**
     * The issuer, ready-to-paste token requests and calls with the token, and the demo identities: the defaults of
     * auth-server's {@code auth-server.yml}. When the environment replaces its clients or users, or points the services
     * at another issuer, the demo identities are not printed (they would be wrong); the calls still show the shape.
     */
    static void printCalls(PrintStream out, StackSettings settings, Map<String, String> env) {
        String issuer = settings.issuerUri();
        String ingest = "http://127.0.0.1:" + settings.ingestPort();
        String query = "http://127.0.0.1:" + settings.queryPort();
        String external = env.getOrDefault(InstancePlan.ISSUER_URI, "");
        boolean demo = external.isBlank()
                && env.keySet().stream()
                        .noneMatch(
                                name -> name.startsWith("ORDERS_AUTH_CLIENTS") || name.startsWith("ORDERS_AUTH_USERS"));
        out.println("  Token issuer     " + issuer + "/.well-known/openid-configuration   (OIDC discovery; JWKS "
                + issuer + "/oauth2/jwks)");
        if (!external.isBlank()) {
            out.println("                   the services trust " + external + " instead (" + InstancePlan.ISSUER_URI
                    + "): get TOKEN there");
        }
        out.println("  Get a token      " + tokenRequest("TOKEN", "trader-1:trader-1-secret", issuer));
        out.println("                   " + tokenRequest("TOKEN2", "trader-2:trader-2-secret", issuer));
        out.println("  Place an order   " + placeOrder(ingest, "acc-1") + "   # 202 (trader-1's account)");
        out.println("  Refused          " + placeOrder(ingest, "acc-3") + "   # 403 (trader-2's)");
        out.println("  Read it back     curl -s -H \"Authorization: Bearer $TOKEN\" " + query
                + "/orders/<orderId>   # the Location of the 202; with $TOKEN2: 404");
        out.println("  List orders      curl -s -H \"Authorization: Bearer $TOKEN\" '" + query
                + "/orders?limit=20'   # the token's accounts only; ops sees all");
        out.println("  STOMP            ws://127.0.0.1:" + settings.queryPort() + "/ws  (SockJS " + query
                + "/ws), CONNECT with the header Authorization: Bearer <token>");
        out.println(
                "                   subscribe to /topic/accounts.<accountId> (your accounts) or /topic/orders.<orderId>"
                        + " (your orders); /topic/orders (every order) is for ops");
        String venue = settings.venueAdminUrl();
        out.println("  Venue            FIX 4.4 127.0.0.1:" + settings.venuePort() + " (exchange-simulator), admin "
                + venue + "/admin/state");
        out.println("  Break the venue  curl -s -X PUT " + venue
                + "/admin/faults -H 'Content-Type: application/json' -d '{\"failureRate\":1.0}'   # orders retry,"
                + " then FAILED; 0.0 heals");
        if (!demo) {
            out.println("  Identities       from "
                    + (external.isBlank() ? "ORDERS_AUTH_CLIENTS* / ORDERS_AUTH_USERS*" : external)
                    + " (the demo ones below do not apply)");
            return;
        }
        out.println(
                "  Demo identities  client trader-1 / trader-1-secret  orders:write orders:read  accounts acc-1, acc-2");
        out.println("                   client trader-2 / trader-2-secret  orders:write orders:read  account acc-3");
        out.println("                   client ops / ops-secret            orders:admin orders:write orders:read  every"
                + " account");
        out.println("                   user alice / alice                 live page sign-in (client live-page,"
                + " code + PKCE)  accounts acc-1, acc-2");
        out.println(
                "                   user olga / olga                   live page sign-in as operator (orders:admin):"
                        + " every account, the operator view");
    }

    /**
     * A client-credentials request for the traders' scopes whose access token lands in {@code variable}; sed, so that
     * jq is not needed.
     */
    static String tokenRequest(String variable, String credentials, String issuer) {
        // without a scope parameter the issuer grants no scope at all (and every call would get 403)
        return variable + "=$(curl -s -u " + credentials + " -d grant_type=client_credentials -d scope='orders:write"
                + " orders:read' " + issuer + "/oauth2/token | sed -n 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/p')";
    }

    private static String placeOrder(String ingest, String account) {
        return "curl -si " + ingest + "/orders -H \"Authorization: Bearer $TOKEN\" -H 'Content-Type: application/json'"
                + " -d \"{\\\"accountId\\\":\\\"" + account + "\\\",\\\"clientOrderId\\\":\\\"c-$RANDOM\\\","
                + "\\\"symbol\\\":\\\"AAPL\\\",\\\"side\\\":\\\"BUY\\\",\\\"orderType\\\":\\\"LIMIT\\\","
                + "\\\"quantity\\\":100,\\\"price\\\":\\\"187.25\\\"}\"";
    }

    private static String urls(List<SupervisedService> services, String module, String path) {
        return services.stream()
                .filter(service -> module == null || service.module().equals(module))
                .map(service -> "http://127.0.0.1:" + service.port() + path)
                .collect(Collectors.joining("   "));
    }

    /** The 1-minute load average, which says how much the start-up time above owes to other work on the machine. */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException notLinux) {
            return "n/a";
        }
    }
}
