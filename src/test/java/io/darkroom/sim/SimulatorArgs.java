package io.darkroom.sim;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** The {@code --name value} command-line options of a simulator's main(). */
final class SimulatorArgs {

    private final Map<String, String> values;

    private SimulatorArgs(Map<String, String> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException on an option not in {@code known} or one without a value */
    static SimulatorArgs parse(String[] args, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option " + name + "; known: " + known);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value");
            }
            values.put(name, args[++i]);
        }
        return new SimulatorArgs(values);
    }

    String text(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    int integer(String name, int fallback) {
        String value = values.get(name);
        return value == null ? fallback : Integer.parseInt(value.trim());
    }

    long longInteger(String name, long fallback) {
        String value = values.get(name);
        return value == null ? fallback : Long.parseLong(value.trim());
    }
}
