package io.askexpert.cli;

import io.askexpert.config.ProcessRole;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** The long-running roles. Each blocks until the process is asked to stop. */
final class ServeCommand {

    private ServeCommand() {
    }

    @Command(name = "serve", description = "API and in-process worker (the default).")
    static final class Serve implements Callable<Integer> {
        @Unmatched String[] springArgs = new String[0];

        @Override
        public Integer call() {
            return block(SpringLauncher.startRole(ProcessRole.SERVE, springArgs));
        }
    }

    @Command(name = "api", description = "HTTP API only; missions run on separate workers.")
    static final class Api implements Callable<Integer> {
        @Unmatched String[] springArgs = new String[0];

        @Override
        public Integer call() {
            return block(SpringLauncher.startRole(ProcessRole.API, springArgs));
        }
    }

    @Command(name = "worker", description = "Mission worker only, no HTTP.")
    static final class Worker implements Callable<Integer> {
        @Unmatched String[] springArgs = new String[0];

        @Override
        public Integer call() {
            return block(SpringLauncher.startRole(ProcessRole.WORKER, springArgs));
        }
    }

    private static int block(org.springframework.context.ConfigurableApplicationContext context) {
        // Spring's non-daemon threads keep the JVM alive; returning would make main call exit.
        Thread waiter = Thread.ofPlatform().name("ask-expert-main").start(() -> {
            while (context.isActive()) {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        context.addApplicationListener(event -> {
            if (event instanceof org.springframework.context.event.ContextClosedEvent) {
                waiter.interrupt();
            }
        });
        try {
            waiter.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
