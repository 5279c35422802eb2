package io.darkroom.sim;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Properties;
import java.util.function.Consumer;

/**
 * One Atlas simulator for a test class: started before its first test, reset before each, stopped
 * after the last. {@link #configure(Properties)} points Darkroom at it.
 */
public final class AtlasSimulatorExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final AtlasSimulator.Settings settings = new AtlasSimulator.Settings();
    private AtlasSimulator simulator;

    public AtlasSimulatorExtension(Consumer<AtlasSimulator.Settings> tune) {
        tune.accept(settings);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        simulator = new AtlasSimulator(settings).start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        simulator.reset();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        simulator.stop();
    }

    public AtlasSimulator get() {
        return simulator;
    }

    /** Darkroom's atlas provider settings for this simulator, with its key. */
    public void configure(Properties properties) {
        properties.put("darkroom.providers.atlas.base-url", simulator.baseUrl());
        properties.put("darkroom.providers.atlas.api-key", settings.apiKey());
    }
}
