package io.darkroom.routes;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A typo in a route must fail the build, not production: every file in routes/ is checked against
 * the JSON schema that camel-yaml-dsl ships in its jar (the one its own validator uses).
 */
class RouteFilesTest {

    private static final Pattern PLACEHOLDER = Pattern.compile("\"\\{\\{[^{}]+}}\"");
    private static Schema schema;

    @BeforeAll
    static void loadSchema() throws IOException {
        try (InputStream in = RouteFilesTest.class.getClassLoader().getResourceAsStream("schema/camelYamlDsl.json")) {
            schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4).getSchema(in);
        }
    }

    @Test
    void everyRouteFileFitsTheYamlDslSchema() throws IOException {
        List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of("routes"))) {
            files = listed.filter(p -> p.getFileName().toString().endsWith(".camel.yaml")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no route files found");
        for (Path file : files) {
            List<Error> errors = schema.validate(Files.readString(file), InputFormat.YAML).stream()
                    .filter(error -> !isPlaceholder(error)).toList();
            assertTrue(errors.isEmpty(), file + " does not fit the YAML DSL schema: " + errors);
        }
    }

    /**
     * A whole value that is a property placeholder ({@code autoStartup: "{{darkroom.mail.enabled}}"})
     * is resolved by Camel before the type matters; the schema only sees a string.
     */
    private static boolean isPlaceholder(Error error) {
        return error.getInstanceNode() != null && PLACEHOLDER.matcher(error.getInstanceNode().toString()).matches();
    }

    @Test
    void aMisspelledStepIsCaught() {
        String route = """
                - route:
                    id: typo
                    from:
                      uri: direct:typo
                      steps:
                        - bean:
                            ref: somewhere
                            methd: misspelled
                """;
        assertFalse(schema.validate(route, InputFormat.YAML).isEmpty(), "a misspelled option must be reported");
    }
}
