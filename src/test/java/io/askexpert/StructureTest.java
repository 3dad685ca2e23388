package io.askexpert;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The package layering of docs/ARCHITECTURE.md ("Packages") as rules over the compiled production
 * classes, so it stays kept as the codebase grows.
 *
 * <p>ArchUnit rather than Spring Modulith's {@code verify()}: Modulith checks cycles and access to
 * other modules' internal sub-packages, but the one-way layering (a capability never reaches up to
 * an orchestrator, tooling stays out of production code) would have to be spelled as allowed
 * dependencies in an annotation on every package; here it is five rules in one place. ArchUnit is
 * one test-scope jar run by plain JUnit tests. The packages named below include those that do not
 * exist yet ({@code queue}, {@code checkpoints}): a rule binds them as soon as their first class lands.
 */
class StructureTest {

    private static final String BASE = "io.askexpert.";

    /** Leaf capabilities: they return values and never know who orchestrates them. */
    private static final String[] CAPABILITIES = packages(
            "agents", "knowledge", "fusion", "llm", "sessions", "cost", "budget", "tools", "queue", "checkpoints",
            "outbound", "webhooks", "mcp");

    /** The orchestrators and edges that capabilities serve. */
    private static final String[] ABOVE_CAPABILITIES = packages("api", "runs", "interactive", "missions", "cli");

    /** Tooling in the jar that production code must not need: the benchmark, the mock LLM, evaluations. */
    private static final String[] TOOLING = packages("bench", "mockllm", "evaluation");

    private static final JavaClasses production = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.askexpert");

    @Test
    void top_level_packages_have_no_cycles() {
        slices().matching("io.askexpert.(*)..").should().beFreeOfCycles().check(production);
    }

    @Test
    void capabilities_never_depend_on_their_orchestrators_or_edges() {
        noClasses().that().resideInAnyPackage(CAPABILITIES)
                .should().dependOnClassesThat().resideInAnyPackage(ABOVE_CAPABILITIES)
                .because("data flows one way: api → interactive | missions → capabilities → stores")
                .check(production);
    }

    @Test
    void nothing_depends_on_the_api_edge() {
        noClasses().that().resideOutsideOfPackage(BASE + "api..")
                .should().dependOnClassesThat().resideInAPackage(BASE + "api..")
                .because("the HTTP edge is the top; the CLI starts it through Spring, not by reference")
                .check(production);
    }

    @Test
    void only_the_main_class_depends_on_the_cli() {
        // AskExpertApplication.main delegates every role and command to the CLI.
        noClasses().that().resideOutsideOfPackage(BASE + "cli..")
                .and().doNotBelongToAnyOf(AskExpertApplication.class)
                .should().dependOnClassesThat().resideInAPackage(BASE + "cli..")
                .check(production);
    }

    @Test
    void production_code_never_depends_on_tooling() {
        // The cli launches the tooling (bench, mock-llm, eval and the BEIR import of the knowledge
        // commands); the tooling packages may use one another (evaluation reports through bench).
        noClasses().that().resideOutsideOfPackages(concat(TOOLING, packages("cli")))
                .should().dependOnClassesThat().resideInAnyPackage(TOOLING)
                .because("the benchmark, the mock LLM and the evaluations are launched by the CLI only")
                .check(production);
    }

    private static String[] packages(String... names) {
        return Arrays.stream(names).map(name -> BASE + name + "..").toArray(String[]::new);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
