package io.orderpipeline.processor.config;

/**
 * Stops the service for good, so that its supervisor starts a fresh one. The application's terminator closes the
 * Spring context and exits the JVM; a test puts one in its place that only records the call.
 */
@FunctionalInterface
interface ServiceTerminator {

    /**
     * @param exitCode the process exit code, non-zero: the service did not stop because it was asked to
     * @param reason what made the service give up, already logged
     */
    void terminate(int exitCode, String reason);
}
