package io.askexpert.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap a process still uses right after a full collection: {@code jcmd <pid> GC.run} forces
 * one, and the process's own GC log ({@code -Xlog:gc:file=…}) says what the heap held when it
 * ended. Read from the log, not from a {@code GC.heap_info} a moment later: under load the young
 * generation refills by tens of MiB in that moment. Live data without garbage, so two readings
 * far apart in time show whether it grows.
 */
final class HeapAfterGc {

    /** {@code GC(12) Pause Full (Diagnostic Command) 164M->41M(371M) 120.5ms}; older JDKs say System.gc(). */
    private static final Pattern FULL_PAUSE = Pattern.compile("Pause Full \\((?:Diagnostic Command|System\\.gc\\(\\))\\) "
            + "(\\d+)M->(\\d+)M");

    private HeapAfterGc() {
    }

    /** The JVM flag that writes the log {@link #sampleKiB} reads. */
    static String logFlag(Path gcLog) {
        return "-Xlog:gc:file=" + gcLog.toAbsolutePath();
    }

    /** KiB of heap in use after a forced full collection (MiB resolution), or empty when it could not be read. */
    static OptionalLong sampleKiB(long pid, Path gcLog) throws InterruptedException {
        try {
            int before = fullPauses(Files.readString(gcLog));
            jcmd(pid, "GC.run");
            String log = Files.readString(gcLog);
            return fullPauses(log) > before ? lastAfterKiB(log) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    /** The heap after the last forced full collection in a GC log. */
    static OptionalLong lastAfterKiB(String gcLog) {
        Matcher m = FULL_PAUSE.matcher(gcLog);
        long after = -1;
        while (m.find()) {
            after = Long.parseLong(m.group(2)) * 1024;
        }
        return after < 0 ? OptionalLong.empty() : OptionalLong.of(after);
    }

    private static int fullPauses(String gcLog) {
        Matcher m = FULL_PAUSE.matcher(gcLog);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Writes the process's live objects by class ({@code GC.class_histogram}, itself after a full
     * collection) to {@code file}: when the heap grows, two of them say what grew.
     */
    static void histogram(long pid, Path file) throws InterruptedException {
        try {
            Files.writeString(file, jcmd(pid, "GC.class_histogram"));
        } catch (IOException e) {
            // a missing histogram leaves the numbers without their explanation, nothing more
        }
    }

    private static String jcmd(long pid, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("jcmd " + command + " failed: " + out);
        }
        return out;
    }
}
