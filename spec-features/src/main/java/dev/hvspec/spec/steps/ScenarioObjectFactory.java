package dev.hvspec.spec.steps;

import io.cucumber.core.backend.ObjectFactory;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Cucumber's object factory for the suite: one instance of each glue class per scenario, created
 * through its single public constructor, whose parameters are themselves scenario-scoped
 * instances (so step classes share a {@link ModelBench} or a target session). Cucumber uses one
 * factory per thread, so no synchronisation is needed.
 */
public final class ScenarioObjectFactory implements ObjectFactory {
    private final Set<Class<?>> glueClasses = new HashSet<>();
    private final Map<Class<?>, Object> instances = new HashMap<>();
    private final Set<Class<?>> underConstruction = new HashSet<>();

    @Override
    public boolean addClass(Class<?> glueClass) {
        glueClasses.add(glueClass);
        return true;
    }

    @Override
    public void start() {
        instances.clear();
    }

    @Override
    public void stop() {
        for (Object instance : instances.values()) {
            if (instance instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("closing " + instance.getClass().getSimpleName(), e);
                }
            }
        }
        instances.clear();
    }

    @Override
    public <T> T getInstance(Class<T> type) {
        Object existing = instances.get(type);
        if (existing != null) {
            return type.cast(existing);
        }
        if (!underConstruction.add(type)) {
            throw new IllegalStateException("constructor cycle through " + type.getName());
        }
        try {
            T created = construct(type);
            instances.put(type, created);
            return created;
        } finally {
            underConstruction.remove(type);
        }
    }

    private <T> T construct(Class<T> type) {
        Constructor<?>[] constructors = type.getConstructors();
        if (constructors.length != 1) {
            throw new IllegalStateException(type.getName() + " needs exactly one public constructor");
        }
        Constructor<?> constructor = constructors[0];
        Object[] args = new Object[constructor.getParameterCount()];
        Class<?>[] parameterTypes = constructor.getParameterTypes();
        for (int i = 0; i < args.length; i++) {
            args[i] = getInstance(parameterTypes[i]);
        }
        try {
            return type.cast(constructor.newInstance(args));
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("creating " + type.getName() + ": " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("creating " + type.getName(), e);
        }
    }
}
