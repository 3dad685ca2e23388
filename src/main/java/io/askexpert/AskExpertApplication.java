package io.askexpert;

import io.askexpert.cli.AskExpertCli;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Main class: every role and command goes through the CLI, which starts Spring as it needs. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class AskExpertApplication {

    public static void main(String[] args) {
        System.exit(AskExpertCli.run(args));
    }
}
