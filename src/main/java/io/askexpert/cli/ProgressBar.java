package io.askexpert.cli;

import java.io.PrintStream;

/** A one-line progress bar on the terminal, redrawn at most ten times a second. */
final class ProgressBar {

    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final int total;
    private final long started = System.nanoTime();
    private long lastDraw;

    ProgressBar(PrintStream out, String label, int total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(total, 1);
    }

    synchronized void update(int done) {
        long now = System.nanoTime();
        if (done < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        int filled = (int) ((long) WIDTH * Math.min(done, total) / total);
        double seconds = (now - started) / 1e9;
        out.printf("\r%s [%s%s] %d/%d  %.1f/s ", label, "#".repeat(filled), ".".repeat(WIDTH - filled), done, total,
                seconds > 0 ? done / seconds : 0.0);
        if (done >= total) {
            out.println();
        }
        out.flush();
    }

    int total() {
        return total;
    }

    double elapsedSeconds() {
        return (System.nanoTime() - started) / 1e9;
    }
}
