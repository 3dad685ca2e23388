package io.askexpert.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Evaluates an arithmetic expression: numbers ({@code 12}, {@code 0.5}, {@code 1e-3}), {@code + - * / % ^}
 * with the usual precedence ({@code ^} binds tightest and to the right, so {@code -2^2 = -4} and
 * {@code 2^3^2 = 512}), parentheses, unary minus and plus, and the functions {@code sqrt ln log10 exp
 * abs round} (one argument; {@code round(x, digits)} too) and {@code min max} (one or more). Anything
 * else is refused with the position of the first character that does not fit.
 * <p>
 * Why a hand-written recursive-descent parser and not a library: the grammar is five rules, about
 * 250 lines here with the error messages. An expression library (exp4j, EvalEx) would add a dependency
 * for the same arithmetic and bring what we would have to switch off before a model may use it
 * (variables, user-defined functions and operators, boolean and string expressions), and the JDK has
 * had no script engine to lean on since Nashorn was removed in JDK 15 (evaluating model-written text as
 * script would be code execution anyway). Bounded: 1,000 characters, 64 levels of nesting.
 */
final class Arithmetic {

    static final int MAX_LENGTH = 1_000;
    static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private Arithmetic(String text) {
        this.text = text;
    }

    /** The value of {@code expression}; {@link InvalidToolInput} saying what is wrong otherwise. */
    static double evaluate(String expression) {
        if (expression.length() > MAX_LENGTH) {
            throw new InvalidToolInput("expression must be at most " + MAX_LENGTH + " characters");
        }
        Arithmetic parser = new Arithmetic(expression);
        parser.skipSpaces();
        if (parser.atEnd()) {
            throw new InvalidToolInput("expression is empty");
        }
        double value = parser.sum();
        if (!parser.atEnd()) {
            throw parser.unexpected();
        }
        return finite(value, "the result");
    }

    private double sum() {
        double value = product();
        while (true) {
            if (take('+')) {
                value = value + product();
            } else if (take('-')) {
                value = value - product();
            } else {
                return value;
            }
        }
    }

    private double product() {
        double value = unary();
        while (true) {
            if (take('*')) {
                value = value * unary();
            } else if (take('/')) {
                double divisor = unary();
                if (divisor == 0) {
                    throw new InvalidToolInput("expression divides by zero");
                }
                value = value / divisor;
            } else if (take('%')) {
                double divisor = unary();
                if (divisor == 0) {
                    throw new InvalidToolInput("expression takes a remainder modulo zero");
                }
                value = value % divisor;
            } else {
                return value;
            }
        }
    }

    private double unary() {
        if (++depth > MAX_DEPTH) {
            throw new InvalidToolInput("expression nests deeper than " + MAX_DEPTH + " levels");
        }
        try {
            if (take('-')) {
                return -unary();
            }
            if (take('+')) {
                return unary();
            }
            return power();
        } finally {
            depth--;
        }
    }

    private double power() {
        double base = primary();
        if (take('^')) {
            return finite(Math.pow(base, unary()), "a power");
        }
        return base;
    }

    private double primary() {
        if (take('(')) {
            double value = sum();
            expect(')');
            return value;
        }
        if (atEnd()) {
            throw new InvalidToolInput("expression ends where a number was expected");
        }
        char c = text.charAt(pos);
        if (Character.isDigit(c) || c == '.') {
            return number();
        }
        if (Character.isLetter(c)) {
            return function();
        }
        throw unexpected();
    }

    private double number() {
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int mark = pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            if (pos >= text.length() || !Character.isDigit(text.charAt(pos))) {
                pos = mark; // not an exponent: leave the letter for the error below
            }
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        String literal = text.substring(start, pos);
        skipSpaces();
        try {
            return finite(Double.parseDouble(literal), "the number " + literal);
        } catch (NumberFormatException e) {
            throw new InvalidToolInput("'" + literal + "' at position " + (start + 1) + " is not a number");
        }
    }

    private double function() {
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
            pos++;
        }
        String name = text.substring(start, pos).toLowerCase(Locale.ROOT);
        skipSpaces();
        if (!List.of("sqrt", "ln", "log10", "exp", "abs", "round", "min", "max").contains(name)) {
            throw new InvalidToolInput("unknown name '" + name + "' at position " + (start + 1)
                    + "; the functions are sqrt, ln, log10, exp, abs, round, min and max");
        }
        expect('(');
        List<Double> args = new ArrayList<>();
        args.add(sum());
        while (take(',')) {
            args.add(sum());
        }
        expect(')');
        return apply(name, args);
    }

    private static double apply(String name, List<Double> args) {
        double x = args.getFirst();
        if (!name.equals("min") && !name.equals("max") && args.size() > (name.equals("round") ? 2 : 1)) {
            throw new InvalidToolInput(name + " takes " + (name.equals("round") ? "one or two arguments" : "one argument"));
        }
        return switch (name) {
            case "sqrt" -> {
                if (x < 0) {
                    throw new InvalidToolInput("sqrt of a negative number");
                }
                yield Math.sqrt(x);
            }
            case "ln", "log10" -> {
                if (x <= 0) {
                    throw new InvalidToolInput(name + " of a number that is not positive");
                }
                yield name.equals("ln") ? Math.log(x) : Math.log10(x);
            }
            case "exp" -> finite(Math.exp(x), "exp");
            case "abs" -> Math.abs(x);
            case "round" -> round(x, args.size() == 2 ? args.get(1) : 0);
            case "min" -> args.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
            default -> args.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        };
    }

    private static double round(double x, double digits) {
        if (digits != Math.rint(digits) || digits < 0 || digits > 15) {
            throw new InvalidToolInput("round's digits must be a whole number from 0 to 15");
        }
        return new java.math.BigDecimal(Double.toString(x)).setScale((int) digits, java.math.RoundingMode.HALF_UP).doubleValue();
    }

    private static double finite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new InvalidToolInput(what + " is too large or undefined");
        }
        return value;
    }

    private boolean take(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            skipSpaces();
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!take(c)) {
            throw atEnd() ? new InvalidToolInput("expression ends where '" + c + "' was expected") : unexpected();
        }
    }

    private InvalidToolInput unexpected() {
        return new InvalidToolInput("unexpected '" + text.charAt(pos) + "' at position " + (pos + 1)
                + "; allowed: numbers, + - * / % ^, parentheses and sqrt ln log10 exp abs round min max");
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
