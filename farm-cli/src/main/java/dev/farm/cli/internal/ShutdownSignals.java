package dev.farm.cli.internal;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What happens when the user asks farm to stop with a signal (Ctrl-C, {@code kill}, a closed terminal). The JVM
 * implementation runs the registered action in a shutdown hook and then ends the JVM with the exit code the action
 * returns: 0 when it stopped a running stack, since stopping on request is success. Tests use their own implementation
 * to simulate the signal.
 */
public interface ShutdownSignals {

    /**
     * Registers what to run on a stop signal, replacing any earlier action.
     *
     * @param action stops the stack, flushes output and returns the exit code; runs on the signal's thread
     */
    void onSignal(IntSupplier action);

    /** Removes the registered action: a signal now just ends the JVM. */
    void clear();

    /**
     * Returns the process-wide implementation backed by a JVM shutdown hook.
     *
     * @return the implementation
     */
    static ShutdownSignals jvm() {
        return JvmShutdownSignals.INSTANCE;
    }

    /** One shutdown hook for the whole JVM, installed on first use. */
    final class JvmShutdownSignals implements ShutdownSignals {
        static final JvmShutdownSignals INSTANCE = new JvmShutdownSignals();

        private final AtomicReference<@Nullable IntSupplier> action = new AtomicReference<>();
        private volatile boolean installed;

        private JvmShutdownSignals() {}

        @Override
        public synchronized void onSignal(IntSupplier newAction) {
            action.set(newAction);
            if (!installed) {
                installed = true;
                Runtime.getRuntime().addShutdownHook(new Thread(this::run, "farm-cli-shutdown"));
            }
        }

        @Override
        public void clear() {
            action.set(null);
        }

        private void run() {
            IntSupplier current = action.getAndSet(null);
            if (current == null) {
                return; // farm is exiting on its own, with its own exit code
            }
            int code = 1;
            try {
                code = current.getAsInt();
            } finally {
                System.out.flush();
                System.err.flush();
                // halt, not exit: the JVM is already shutting down, and its own code would be 128 + the signal.
                Runtime.getRuntime().halt(code);
            }
        }
    }
}
