package dev.farm.cli.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when the user asks farm to stop with a signal (Ctrl-C, {@code kill}, a closed terminal). The JVM
 * implementation runs the registered action and then ends the JVM with the exit code the action returns: 0 when it
 * stopped a running stack, since stopping on request is success. A second Ctrl-C while the action runs runs the
 * {@linkplain #onForce force action} (every process killed at once) and ends the JVM with {@link #FORCED}; a third ends
 * it at once. Tests use their own implementation to simulate the signals.
 */
public interface ShutdownSignals {

    /**
     * The exit code after a second Ctrl-C: 130, the shell's code for "ended by SIGINT", since the stack was killed
     * rather than stopped, and a script may want to tell the two apart.
     */
    int FORCED = 130;

    /**
     * Registers what to run on a stop signal, replacing any earlier action.
     *
     * @param action stops the stack, flushes output and returns the exit code; runs on a thread of its own
     */
    void onSignal(IntSupplier action);

    /**
     * Registers what a second Ctrl-C runs while the stop action runs, replacing any earlier one. The default ignores
     * it: such an implementation has no second signal.
     *
     * @param force kills everything at once and returns once nothing is left; runs on a thread of its own, while the
     *     stop action may still run on another
     */
    default void onForce(Runnable force) {}

    /** Removes the registered actions: a signal now just ends the JVM. */
    void clear();

    /**
     * Returns the process-wide implementation: a SIGINT handler where the JDK offers one ({@code sun.misc.Signal}, in
     * {@code jdk.unsupported}, on JDK 17 to 25 without flags, on Windows too), and a JVM shutdown hook for SIGTERM,
     * SIGHUP and, where no handler can be installed, SIGINT (then a second Ctrl-C cannot be seen, and the first stop
     * runs to its end).
     *
     * @return the implementation
     */
    static ShutdownSignals jvm() {
        return JvmShutdownSignals.INSTANCE;
    }

    /** One shutdown hook and one SIGINT handler for the whole JVM, installed on first use. */
    final class JvmShutdownSignals implements ShutdownSignals {
        static final JvmShutdownSignals INSTANCE = new JvmShutdownSignals();

        private static final Logger LOG = LoggerFactory.getLogger(JvmShutdownSignals.class);

        private final AtomicReference<@Nullable IntSupplier> action = new AtomicReference<>();
        private final AtomicReference<@Nullable Runnable> force = new AtomicReference<>();
        /** SIGINTs seen since the stop began; 0 while no stop runs. */
        private final AtomicInteger interrupts = new AtomicInteger();
        /** Counted down once a stop, started by any signal, has chosen its exit code. */
        private final CountDownLatch stopped = new CountDownLatch(1);

        private volatile boolean stopping;
        private volatile boolean forced;
        private volatile int exitCode = 1;
        private volatile boolean installed;

        private JvmShutdownSignals() {}

        @Override
        public synchronized void onSignal(IntSupplier newAction) {
            action.set(newAction);
            if (!installed) {
                installed = true;
                Runtime.getRuntime().addShutdownHook(new Thread(this::onShutdown, "farm-cli-shutdown"));
                installInterruptHandler();
            }
        }

        @Override
        public void onForce(Runnable newForce) {
            force.set(newForce);
        }

        @Override
        public void clear() {
            action.set(null);
            force.set(null);
        }

        /** SIGTERM, SIGHUP, System.exit, or SIGINT where no handler could be installed. */
        private void onShutdown() {
            IntSupplier current = action.getAndSet(null);
            if (current == null) {
                if (stopping) {
                    awaitStop(); // a Ctrl-C's stop runs: let it finish, and end with its code
                    halt(exitCode);
                }
                return; // farm is exiting on its own, with its own exit code
            }
            stopping = true;
            runAndHalt(current); // halt, not exit: the JVM is shutting down, and its own code would be 128 + signal
        }

        /** Called on the JVM's signal thread for each SIGINT: the first stops, the second forces, the third ends. */
        void onInterrupt() {
            int count = interrupts.incrementAndGet();
            if (count == 1 && !stopping) {
                IntSupplier current = action.getAndSet(null);
                if (current == null) {
                    exit(FORCED); // nothing to stop: end as the JVM's own SIGINT handling would
                    return;
                }
                stopping = true;
                start("farm-cli-stop", () -> runAndHalt(current));
                return;
            }
            Runnable kill = force.getAndSet(null);
            if (count <= 2 && kill != null) {
                forced = true;
                start("farm-cli-force", () -> {
                    try {
                        kill.run();
                    } finally {
                        halt(FORCED);
                    }
                });
                return;
            }
            halt(FORCED); // the third, or nothing to force: the reaper companion ends what is left
        }

        private void runAndHalt(IntSupplier current) {
            int code = 1;
            try {
                code = current.getAsInt();
            } finally {
                exitCode = forced ? FORCED : code;
                stopped.countDown();
                if (!forced) {
                    halt(exitCode);
                } // forced: the force thread ends the JVM once everything is killed
            }
        }

        private void awaitStop() {
            try {
                stopped.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void start(String name, Runnable body) {
            Thread thread = new Thread(body, name);
            thread.start(); // not a daemon: the JVM must not end before it halts
        }

        private static void halt(int code) {
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(code);
        }

        private static void exit(int code) {
            start("farm-cli-exit", () -> System.exit(code)); // never block the signal thread
        }

        /**
         * Installs {@link #onInterrupt()} as the SIGINT handler through {@code sun.misc.Signal}, by reflection: the
         * class is in {@code jdk.unsupported}, whose direct use javac warns about. Where it is missing or refuses (an
         * embedded JVM started with {@code -Xrs}, a SIGINT inherited as ignored), the shutdown hook alone handles
         * SIGINT, as before.
         */
        private void installInterruptHandler() {
            try {
                Class<?> signal = Class.forName("sun.misc.Signal");
                Class<?> handler = Class.forName("sun.misc.SignalHandler");
                InvocationHandler onSignal = (proxy, method, args) -> {
                    if (method.getName().equals("handle")) {
                        onInterrupt();
                        return null;
                    }
                    return switch (method.getName()) {
                        case "hashCode" -> System.identityHashCode(proxy);
                        case "equals" -> proxy == args[0];
                        default -> "farm's SIGINT handler";
                    };
                };
                Object instance = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, onSignal);
                Object sigint = signal.getConstructor(String.class).newInstance("INT");
                Method handle = signal.getMethod("handle", signal, handler);
                handle.invoke(null, sigint, instance);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                LOG.debug("no SIGINT handler ({}); a second Ctrl-C cannot force the stop", e.toString());
            }
        }
    }
}
