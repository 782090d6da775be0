package io.securechat.transcript.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The words the blind index sees. */
class TermsTest {

    @Test
    void lowerCasedSplitOnAnythingButLettersAndDigitsDeduplicatedShortWordsDropped() {
        assertEquals(List.of("hello", "world", "42", "it"), Terms.words("Hello, WORLD! hello-world 42 a it's"));
    }

    @Test
    void nfkcFoldsCompatibilityForms() {
        // Full-width letters and the "ﬁ" ligature become their plain forms; composed and decomposed é match.
        assertEquals(Terms.words("file cafe\u0301"), Terms.words("ﬁle café"));
        assertEquals(List.of("abc"), Terms.words("ＡＢＣ"));
    }

    @Test
    void lettersOfEveryScriptCount() {
        assertEquals(List.of("привет", "日本語", "straße"), Terms.words("Привет 日本語 STRASSE? no: Straße"
                .replace("STRASSE? no: ", "")));
    }

    @Test
    void nothingToIndex() {
        assertEquals(List.of(), Terms.words(null));
        assertEquals(List.of(), Terms.words(""));
        assertEquals(List.of(), Terms.words("a b c ! ?"));
        assertEquals(List.of(), Terms.words("****"));
    }

    @Test
    void redactedCardNumbersKeepOnlyTheirLastDigits() {
        assertEquals(List.of("card", "1234"), Terms.words("card ************1234"));
    }
}
