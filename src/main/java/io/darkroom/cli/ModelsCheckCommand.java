package io.darkroom.cli;

import io.darkroom.Darkroom;
import io.darkroom.provider.schema.ModelsCommand;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"Print the model catalog (use case, model, provider id, price, reference limits) and, per model,",
                "whether the provider's live schema agrees with config/models.yaml field by field.",
                "Exit 0: all agree; 1: drift (a provider changed a model); 2: the provider's models could not be read."})
class ModelsCheckCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return ModelsCommand.fromConfig(Darkroom.CONFIG).run(System.out);
    }
}
