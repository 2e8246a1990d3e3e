package io.orderpipeline.processor.support;

import io.orderpipeline.infra.ApicurioRegistryProcess;
import java.nio.file.Path;
import java.util.List;

/** One real Apicurio Registry per test JVM, started on first use and stopped when the JVM exits. */
public final class TestRegistry {

    private static ApicurioRegistryProcess registry;

    private TestRegistry() {}

    /** The registry's Apicurio v2 API URL ({@code orders.registry.url}). */
    public static synchronized String url() {
        if (registry == null) {
            registry = ApicurioRegistryProcess.start(0, Path.of("target", "apicurio-registry.log"), List.of());
            ApicurioRegistryProcess started = registry;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-test-registry"));
        }
        return registry.registryApiUrl();
    }
}
