package dev.farm.codegen;

/**
 * What the generator emits besides the types.
 *
 * @param typesOnly emit only types ({@code Schemas}, every named schema type and {@code Operations}), no fetch client
 * @since 0.1
 */
public record CodegenOptions(boolean typesOnly) {

    /**
     * Types and the typed fetch client.
     *
     * @return the default options, never {@code null}
     */
    public static CodegenOptions defaults() {
        return new CodegenOptions(false);
    }

    /**
     * Types only, without the fetch client.
     *
     * @return the options, never {@code null}
     */
    public static CodegenOptions typesOnlyOptions() {
        return new CodegenOptions(true);
    }
}
