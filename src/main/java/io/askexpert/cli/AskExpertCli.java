package io.askexpert.cli;

import picocli.CommandLine;

/** Parses the command line and runs one command; with no arguments it serves. */
public final class AskExpertCli {

    private AskExpertCli() {
    }

    public static int run(String... args) {
        String[] effective = args.length == 0 ? new String[] {"serve"} : args;
        CommandLine cli = new CommandLine(new AskExpertCommand());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + CliErrors.describe(e)));
            return 1;
        });
        return cli.execute(effective);
    }
}
