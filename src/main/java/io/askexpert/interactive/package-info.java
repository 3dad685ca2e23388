/**
 * The interactive modes (api.md §5.1 mode 1, §5.2 mode 2): one question, one streamed, cited
 * answer, as a run whose events can be replayed. Entry point: {@code InteractiveRunner}.
 */
@NullMarked
package io.askexpert.interactive;

import org.jspecify.annotations.NullMarked;
