package io.orderpipeline.localstack;

import java.io.PrintStream;

/**
 * The launcher's command line: {@code [--reset] [--processors N] [--query-instances M] [--help]} ({@code --build} is
 * run-local.sh's and never reaches the launcher). {@code --processors=N} works too.
 */
record Arguments(boolean reset, boolean help, int processors, int queryInstances) {

    static Arguments parse(String... args) {
        boolean reset = false;
        boolean help = false;
        int processors = 1;
        int queryInstances = 1;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String flag = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (flag) {
                case "--reset" -> reset = true;
                case "-h", "--help" -> help = true;
                case "--processors", "--query-instances" -> {
                    String value;
                    if (arg.contains("=")) {
                        value = arg.substring(arg.indexOf('=') + 1);
                    } else if (i + 1 < args.length) {
                        value = args[++i];
                    } else {
                        throw new IllegalArgumentException(flag + " needs a number");
                    }
                    int count = count(flag, value);
                    if (flag.equals("--processors")) {
                        processors = count;
                    } else {
                        queryInstances = count;
                    }
                }
                default -> throw new IllegalArgumentException("Unknown argument: " + arg);
            }
        }
        return new Arguments(reset, help, processors, queryInstances);
    }

    private static int count(String flag, String value) {
        try {
            int count = Integer.parseInt(value.trim());
            if (count >= 1 && count <= 9) {
                return count;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(flag + " takes a number from 1 to 9, not '" + value + "'");
    }

    static void usage(PrintStream out) {
        out.println("usage: ./run-local.sh [--build] [--reset] [--processors N] [--query-instances M]");
        out.println(
                "  --build               rebuild the services first (run-local.sh builds anyway when a jar is missing"
                        + " or stale)");
        out.println("  --reset               wipe .local-stack/ (Kafka data, registry schemas, state stores, logs)"
                + " before start");
        out.println("  --processors N        N stream-processor instances (default 1): 8082, then from"
                + " LOCAL_STACK_EXTRA_PORT");
        out.println("  --query-instances M   M query-ws-service instances (default 1): 8081, then from"
                + " LOCAL_STACK_EXTRA_PORT (8083)");
        out.println("Every service instance is supervised: one that exits is restarted with backoff (1 s doubling to"
                + " 30 s), up to LOCAL_STACK_RESTART_LIMIT (5) exits within LOCAL_STACK_RESTART_WINDOW (300 s).");
        out.println("Environment: any service setting (e.g. ORDERS_EXCHANGE_FAILURERATE=0.5), and LOCAL_STACK_HOME,");
        out.println("  LOCAL_STACK_{KAFKA,REGISTRY,INGEST,QUERY,PROCESSOR,EXTRA}_PORT, LOCAL_STACK_SERVICE_JVM_OPTS,");
        out.println("  LOCAL_STACK_START_TIMEOUT (seconds), LOCAL_STACK_RESTART_LIMIT, LOCAL_STACK_RESTART_WINDOW"
                + " (seconds).");
    }
}
