package dev.farm.testkit;

import dev.farm.testkit.internal.FarmStackExtension;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a farm stack for a test class: started once before the first test, ready before any test runs, and stopped
 * after the last one, every process of every service, whether the tests passed, failed or were aborted.
 *
 * <pre>{@code
 * @FarmStack("../examples/hello")
 * class HelloTest {
 *     @Test
 *     void greets(FarmStackHandle stack) {
 *         assertThat(stack.service("api")).isReady();
 *     }
 * }
 * }</pre>
 *
 * <p>Test methods, lifecycle methods and constructors may declare a {@link FarmStackHandle} parameter. When a test
 * fails, the last lines of every service are printed to standard error. A stack that cannot start fails the class
 * with farm's own message. {@code @Nested} classes share their outer class's stack. For a stack made in code, use
 * {@link FarmStacks} with {@code @RegisterExtension} instead.
 *
 * @since 0.1
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ExtendWith(FarmStackExtension.class)
public @interface FarmStack {

    /**
     * Returns where the stack's configuration is: a {@code farm.yaml} file or the directory that holds it.
     *
     * @return the path, relative to the working directory (the module's directory under Maven)
     */
    String value();

    /**
     * Returns whether the stack's proxy runs, when its configuration has one; it listens on a free port, so a farm a
     * developer runs meanwhile is not in the way. See {@link FarmStackHandle#proxyUrl()}.
     *
     * @return true (the default) to run the proxy
     */
    boolean proxy() default true;
}
