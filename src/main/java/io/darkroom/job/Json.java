package io.darkroom.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * The one JSON (and YAML) configuration of Darkroom. Documents Darkroom wrote itself (ledger rows,
 * spool files) are read leniently, so a row written by a newer version still reads; configuration
 * and provider contracts are read strictly where a typo must be an error.
 */
public final class Json {

    /** Compact writing, lenient reading. Thread-safe, shared. */
    public static final ObjectMapper MAPPER = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private static final ObjectMapper YAML = YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private Json() {
    }

    /** Indented, for files people read (manifests, error files, notes). */
    public static ObjectWriter pretty() {
        return MAPPER.writerWithDefaultPrettyPrinter();
    }

    /** Map keys sorted, so equal content always gives equal bytes (hashing). */
    public static ObjectWriter canonical() {
        return MAPPER.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    /** A YAML configuration file where an unknown key is an error, not silently ignored. */
    public static ObjectReader strictYaml(Class<?> type) {
        return YAML.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static ObjectReader strictYaml(TypeReference<?> type) {
        return YAML.readerFor(type).with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }
}
