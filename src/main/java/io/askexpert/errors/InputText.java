package io.askexpert.errors;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Checks on free text from clients that every capability applies the same way. {@code isBlank}
 * is not enough: a no-break space, a zero-width space or a bidi override (U+202E) is not
 * whitespace to Java, yet a person sees nothing, and text made only of them reached retrieval
 * and failed there. Visible characters are the code points that are neither whitespace, space
 * separators, format characters (Cf) nor controls.
 */
public final class InputText {

    private InputText() {
    }

    /** How many characters of {@code text} a reader would see. */
    public static int visibleLength(String text) {
        int n = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (!Character.isWhitespace(cp) && !Character.isSpaceChar(cp)
                    && Character.getType(cp) != Character.FORMAT && Character.getType(cp) != Character.SURROGATE
                    && !Character.isISOControl(cp)) {
                n++;
            }
        }
        return n;
    }

    /** True when nothing of {@code text} would be seen. */
    public static boolean isInvisible(@Nullable String text) {
        return text == null || visibleLength(text) == 0;
    }

    /**
     * The stripped text when it has {@code min} to {@code max} characters, of which at least
     * {@code min} (and at least one) are visible.
     *
     * @throws AskExpertException {@code VALIDATION_ERROR} naming {@code field} otherwise
     */
    public static String require(String field, @Nullable String text, int min, int max) {
        if (text == null) {
            throw AskExpertException.invalid(field, field + " is required");
        }
        String stripped = text.strip();
        int visible = visibleLength(stripped);
        if (visible < Math.max(1, min) || stripped.length() > max) {
            throw new AskExpertException(ErrorCode.VALIDATION_ERROR,
                    field + " must be " + min + " to " + max + " characters, " + Math.max(1, min) + " or more of them visible",
                    Map.of("field", field, "min_length", min, "max_length", max, "actual_length", stripped.length(),
                            "visible_length", visible));
        }
        return stripped;
    }
}
