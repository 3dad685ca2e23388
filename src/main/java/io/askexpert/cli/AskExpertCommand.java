package io.askexpert.cli;

import picocli.CommandLine.Command;

@Command(name = "ask-expert", mixinStandardHelpOptions = true, version = "Ask Expert 0.1.0",
        description = "Consult AI domain experts: grounded, cited, costed, traced answers.",
        subcommands = {
                ServeCommand.Serve.class, ServeCommand.Api.class, ServeCommand.Worker.class,
                DbCommand.class, CheckEnvCommand.class, TokenCommand.class, AgentsCommand.class, BenchCommand.class,
                MockLlmCommand.class, KnowledgeCommands.class, EvalCommand.class, AskCommand.class, MissionCommand.class,
                DeployCommand.class, MembersCommand.class
        })
final class AskExpertCommand {
}
