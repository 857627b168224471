package dev.farm.codegen.internal;

import java.nio.file.Path;
import java.util.List;

/** The real OpenAPI documents in src/test/resources/openapi-corpus (see its README for provenance and licenses). */
final class Corpus {

    static final Path DIR = NodeTools.MODULE.resolve("src/test/resources/openapi-corpus");

    /** Short name, then the file. */
    static final List<String[]> SPECS = List.of(
            new String[] {"petstore3", "petstore3-swagger.yaml"},
            new String[] {"petstore-expanded", "oai-petstore-expanded.yaml"},
            new String[] {"tictactoe", "oai-tictactoe.yaml"},
            new String[] {"ots-simple", "openapi-typescript-simple-example.yaml"},
            new String[] {"fastapi-template", "fastapi-fullstack-template.json"},
            new String[] {"prefect", "fastapi-prefect-server.json"},
            new String[] {"heyapi-full", "heyapi-3.1/full.yaml"},
            new String[] {"heyapi-external", "heyapi-3.1/external.yaml"},
            new String[] {"stripe", "stripe-api-2023-08-16.yaml"},
            new String[] {"hard-cases", "../synthetic/hard-cases.yaml"});

    private Corpus() {}

    static Path file(String name) {
        for (String[] spec : SPECS) {
            if (spec[0].equals(name)) {
                return DIR.resolve(spec[1]);
            }
        }
        throw new IllegalArgumentException(name);
    }
}
