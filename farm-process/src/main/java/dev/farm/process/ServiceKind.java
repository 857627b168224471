package dev.farm.process;

/**
 * How farm runs a service.
 *
 * @since 0.1
 */
public enum ServiceKind {
    /** farm runs the command and supervises it; the service lives as long as its process does. The default. */
    PROCESS,
    /**
     * The command starts something that keeps running after the command exits ({@code pg_ctl start}, {@code docker
     * compose up -d}); a stop command stops it, and only its probes tell whether it lives.
     */
    DAEMON,
    /** farm never starts or stops it; it only probes it, for example a database someone else runs. */
    EXTERNAL
}
