package dev.kubani.util;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class TimesTest {
    @Test
    void theFastParserAgreesWithJavaTime() {
        for (String s : new String[] {"2026-11-01T10:00:00Z", "1999-12-31T23:59:59Z", "2024-02-29T00:00:01.123456789Z"}) {
            Instant want = OffsetDateTime.parse(s).toInstant().minusNanos(OffsetDateTime.parse(s).getNano());
            assertThat(Times.fastUtc(s)).isEqualTo(want);
        }
        assertThat(Times.fastUtc("2026-11-01T10:00:00+02:00")).isNull();
        assertThat(Times.fastUtc("2026-1x-01T10:00:00Z")).isNull();
        assertThat(Times.ago("2026-11-01T10:00:00+02:00")).endsWith(" ago");
        assertThat(Times.ago("0001-01-01T00:00:00Z")).isEqualTo("-");
        assertThat(Times.ago("2026-13-45T10:00:00Z")).isEqualTo("-");
        assertThat(Times.ago("garbage")).isEqualTo("-");
    }
}
