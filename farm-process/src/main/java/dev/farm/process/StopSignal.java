package dev.farm.process;

/**
 * The signal that asks a service's process group to stop; SIGKILL follows after the stop timeout. Servers that treat
 * SIGTERM as "reload" or ignore it (some Node.js dev servers, nginx's graceful stop on QUIT) are stopped with the one
 * they honour.
 *
 * @since 0.1
 */
public enum StopSignal {
    /** SIGTERM, the default. */
    TERM,
    /** SIGINT, what Ctrl-C sends. */
    INT,
    /** SIGQUIT. */
    QUIT,
    /** SIGHUP. */
    HUP,
    /** SIGUSR1. */
    USR1,
    /** SIGUSR2. */
    USR2,
    /** SIGKILL: no grace at all. */
    KILL
}
