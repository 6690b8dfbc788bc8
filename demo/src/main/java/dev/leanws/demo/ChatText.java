package dev.leanws.demo;

import java.lang.Character.UnicodeScript;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the chat lets through to other users: lines and close reasons without control
 * characters, and nicknames that cannot pass for one another.
 *
 * <p><b>Control characters.</b> A newline in a line or a close reason would render on the page
 * as a line of its own, e.g. a fake "bob joined"; bidirectional overrides can reorder what a
 * reader sees. Lines containing any are refused; relayed close reasons have them removed.
 *
 * <p><b>Nicknames</b> (after Unicode TR 39's "single script" and "confusable" checks, cut down):
 * a nickname's letters must all be of one script (Cyrillic {@code а} among Latin letters is
 * refused), and two nicknames are the same nickname when they are equal after NFKC,
 * case folding and the mapping of the usual Cyrillic and Greek look-alikes to Latin
 * ({@code ada}, {@code ADA}, {@code ａｄａ} and Cyrillic {@code ада} are one nickname).
 */
final class ChatText {

    /** 1 to 20 letters, digits, {@code _} or {@code -}. */
    private static final Pattern NICK_SYNTAX = Pattern.compile("[\\p{L}\\p{N}_-]{1,20}");

    /** Lower-case Cyrillic and Greek letters that look like Latin ones, and the Latin letter they look like. */
    private static final Map<Character, Character> LOOK_ALIKES = Map.ofEntries(
            Map.entry('а', 'a'), Map.entry('в', 'b'), Map.entry('е', 'e'), Map.entry('ё', 'e'), Map.entry('к', 'k'),
            Map.entry('м', 'm'), Map.entry('н', 'h'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'),
            Map.entry('т', 't'), Map.entry('у', 'y'), Map.entry('х', 'x'), Map.entry('і', 'i'), Map.entry('ј', 'j'),
            Map.entry('ѕ', 's'), Map.entry('ԁ', 'd'), Map.entry('һ', 'h'), Map.entry('ӏ', 'l'), Map.entry('ԛ', 'q'),
            Map.entry('ԝ', 'w'), Map.entry('α', 'a'), Map.entry('β', 'b'), Map.entry('ε', 'e'), Map.entry('η', 'n'),
            Map.entry('ι', 'i'), Map.entry('κ', 'k'), Map.entry('ν', 'v'), Map.entry('ο', 'o'), Map.entry('ρ', 'p'),
            Map.entry('τ', 't'), Map.entry('υ', 'u'), Map.entry('χ', 'x'), Map.entry('ω', 'w'), Map.entry('ѡ', 'w'));

    private ChatText() {
    }

    /** Whether {@code c} must not reach other users: C0/C1 controls, line and paragraph separators, bidi controls. */
    static boolean isControl(int c) {
        int type = Character.getType(c);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E)
                || (c >= 0x2066 && c <= 0x2069);
    }

    /** Whether {@code text} has a character {@link #isControl} refuses. */
    static boolean hasControl(String text) {
        return text.codePoints().anyMatch(ChatText::isControl);
    }

    /** {@code text} without the characters {@link #isControl} refuses (for close reasons, which we relay but did not choose). */
    static String withoutControls(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().filter(c -> !isControl(c)).forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /** Why {@code nick} cannot be a nickname, if it cannot. */
    static Optional<String> nicknameProblem(String nick) {
        if (!NICK_SYNTAX.matcher(nick).matches()) {
            return Optional.of("a nickname is 1 to 20 letters, digits, '_' or '-'");
        }
        UnicodeScript script = null;
        for (int c : nick.codePoints().toArray()) {
            UnicodeScript s = UnicodeScript.of(c);
            if (s == UnicodeScript.COMMON || s == UnicodeScript.INHERITED) {
                continue;   // digits, '_', '-', combining marks
            }
            if (script != null && s != script) {
                return Optional.of("a nickname is written in one script (" + nick + " mixes "
                        + script.name().toLowerCase(Locale.ROOT) + " and " + s.name().toLowerCase(Locale.ROOT) + ")");
            }
            script = s;
        }
        return Optional.empty();
    }

    /** What two nicknames must not share: NFKC, case-folded, look-alikes mapped to Latin. */
    static String key(String nick) {
        String folded = Normalizer.normalize(nick, Normalizer.Form.NFKC).toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
        folded = Normalizer.normalize(folded, Normalizer.Form.NFKC);
        StringBuilder sb = new StringBuilder(folded.length());
        for (int i = 0; i < folded.length(); i++) {
            char c = folded.charAt(i);
            sb.append(LOOK_ALIKES.getOrDefault(c, c));
        }
        return sb.toString();
    }
}
