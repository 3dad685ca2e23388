package io.askexpert.sessions;

/** A session's title, made from its first question: one line, cut at a word near 60 characters. */
final class Titles {

    static final int MAX = 60;

    private Titles() {
    }

    static String fromQuestion(String question) {
        String line = question.replaceAll("\\s+", " ").strip();
        if (line.isEmpty()) {
            return "New conversation";
        }
        if (line.length() <= MAX) {
            return line;
        }
        int cut = line.lastIndexOf(' ', MAX - 1);
        if (cut < MAX / 2) {
            cut = MAX - 1;
        }
        return line.substring(0, cut).stripTrailing() + "…";
    }
}
