package io.orderpipeline.localstack;

import io.orderpipeline.localstack.InstancePlan.ServiceInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What must hold before anything starts: the service jars are built, and every port of the stack is free. */
final class Preflight {

    private Preflight() {}

    static void requirePortsFree(StackSettings settings, List<ServiceInstance> plan) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("Kafka (LOCAL_STACK_KAFKA_PORT)", settings.kafkaPort());
        ports.put("schema registry (LOCAL_STACK_REGISTRY_PORT)", settings.registryPort());
        ports.put("venue FIX acceptor (LOCAL_STACK_VENUE_PORT)", settings.venuePort());
        for (ServiceInstance instance : plan) {
            ports.put(instance.name() + " (" + portVariable(instance) + ")", instance.port());
        }
        List<String> taken = new ArrayList<>();
        ports.forEach((what, port) -> {
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                probe.setReuseAddress(true);
            } catch (IOException inUse) {
                taken.add(port + " for " + what);
            }
        });
        if (!taken.isEmpty()) {
            throw new IllegalStateException("port(s) already in use on 127.0.0.1: " + String.join(", ", taken)
                    + ". Is another stack, Kafka or service running? Stop it, or move this stack with the"
                    + " variable named in brackets.");
        }
    }

    private static String portVariable(ServiceInstance instance) {
        if (!instance.name().equals(instance.module())) {
            return "LOCAL_STACK_EXTRA_PORT";
        }
        return switch (instance.module()) {
            case InstancePlan.AUTH -> "LOCAL_STACK_AUTH_PORT";
            case InstancePlan.VENUE -> "LOCAL_STACK_VENUE_ADMIN_PORT";
            case InstancePlan.INGEST -> "LOCAL_STACK_INGEST_PORT";
            case InstancePlan.QUERY -> "LOCAL_STACK_QUERY_PORT";
            default -> "LOCAL_STACK_PROCESSOR_PORT";
        };
    }

    static void requireJars(StackSettings settings) {
        List<String> missing = new ArrayList<>();
        for (String module : List.of(
                InstancePlan.AUTH,
                InstancePlan.VENUE,
                InstancePlan.INGEST,
                InstancePlan.PROCESSOR,
                InstancePlan.QUERY)) {
            if (!Files.isRegularFile(settings.jar(module))) {
                missing.add(settings.jar(module).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(
                    "service jars not built: " + missing + "; run ./run-local.sh, which builds them first");
        }
    }
}
