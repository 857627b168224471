package dev.farm.testkit.internal;

import dev.farm.testkit.FarmStack;
import dev.farm.testkit.FarmStackHandle;
import java.nio.file.Path;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The extension behind {@link FarmStack} and {@link dev.farm.testkit.FarmStacks}: starts the stack once per test
 * class, in the class's store, where JUnit closes it after the class; resolves {@link FarmStackHandle} parameters;
 * prints the last lines of every service when a test fails.
 */
public final class FarmStackExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver, TestWatcher {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(FarmStackExtension.class);
    private static final String KEY = "stack";

    private final @Nullable StackSettings settings;

    /** Creates the extension for {@link FarmStack}, which it reads from the test class. */
    public FarmStackExtension() {
        this.settings = null;
    }

    /**
     * Creates the extension for a stack made in code.
     *
     * @param settings what to run
     */
    public FarmStackExtension(StackSettings settings) {
        this.settings = settings;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        stack(context); // for an extension registered on an instance field, which sees no beforeAll
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == FarmStackHandle.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return stack(context);
    }

    @Override
    public void testFailed(ExtensionContext context, @Nullable Throwable cause) {
        RunningStack stack = context.getStore(NAMESPACE).get(KEY, RunningStack.class);
        if (stack != null) {
            System.err.print(stack.dump("farm-testkit: " + context.getDisplayName() + " failed"));
            System.err.flush();
        }
    }

    /** Returns the stack of the class (or of an enclosing class), starting it first if there is none yet. */
    private RunningStack stack(ExtensionContext context) {
        ExtensionContext owner = context;
        while (owner.getTestMethod().isPresent() && owner.getParent().isPresent()) {
            owner = owner.getParent().get();
        }
        ExtensionContext.Store store = owner.getStore(NAMESPACE);
        synchronized (FarmStackExtension.class) {
            RunningStack running = store.get(KEY, RunningStack.class); // the enclosing classes' stores too
            if (running != null) {
                return running;
            }
            RunningStack started = RunningStack.start(settings(owner));
            store.put(KEY, started);
            return started;
        }
    }

    private StackSettings settings(ExtensionContext context) {
        if (settings != null) {
            return settings;
        }
        Class<?> testClass = context.getRequiredTestClass();
        Optional<FarmStack> annotation = AnnotationSupport.findAnnotation(testClass, FarmStack.class);
        if (annotation.isEmpty()) {
            throw new ExtensionConfigurationException(testClass.getName()
                    + " uses farm-testkit's extension without @FarmStack: annotate it with @FarmStack(\"farm.yaml\"),"
                    + " or register FarmStacks.file(...).build() with @RegisterExtension");
        }
        String path = annotation.get().value();
        String where = "@FarmStack(\"" + path + "\") on " + testClass.getSimpleName();
        return new StackSettings(
                where,
                () -> StackSettings.load(Path.of(path), where),
                annotation.get().proxy());
    }
}
