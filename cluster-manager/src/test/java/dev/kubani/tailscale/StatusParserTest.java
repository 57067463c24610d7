package dev.kubani.tailscale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubani.testutil.Fixtures;
import org.junit.jupiter.api.Test;

class StatusParserTest {
    @Test
    void readsACurrentClient() throws Exception {
        TailnetStatus s = StatusParser.parse(Fixtures.resource("tailscale/status-1.76.json"));
        assertThat(s.backendState()).isEqualTo("Running");
        assertThat(s.self().name()).isEqualTo("laptop");
        assertThat(s.self().self()).isTrue();
        assertThat(s.peers()).hasSize(6);
        Peer dgx = s.peers().stream().filter(p -> p.name().equals("dgx-spark")).findFirst().orElseThrow();
        assertThat(dgx.ipv4()).isEqualTo("100.64.0.3");
        assertThat(dgx.ipv6()).isEqualTo("fd7a:115c:a1e0::3");
        assertThat(dgx.tags()).containsExactly("tag:k8s", "tag:gpu");
        assertThat(dgx.online()).isTrue();
        Peer phone = s.peers().stream().filter(p -> p.os().equals("android")).findFirst().orElseThrow();
        assertThat(phone.name()).isEqualTo("pixel-8");
        assertThat(phone.hostName()).isEqualTo("Pixel 8");
        assertThat(phone.online()).isFalse();
    }

    @Test
    void readsAnOldClientWithNullsHugeIdsAndUnknownFields() throws Exception {
        TailnetStatus s = StatusParser.parse(Fixtures.resource("tailscale/status-1.30.json"));
        assertThat(s.version()).startsWith("1.30");
        assertThat(s.self().id()).isEqualTo("18446744073709551615");
        assertThat(s.peers()).hasSize(2);
        Peer pi = s.peers().get(0);
        assertThat(pi.id()).isEqualTo("9007199254740993");
        assertThat(pi.ipv4()).isEqualTo("100.100.1.2");
        assertThat(pi.tags()).isEmpty();
        Peer none = s.peers().get(1);
        assertThat(none.tailscaleIps()).isEmpty();
        assertThat(none.ipv4()).isNull();
        assertThat(none.os()).isNull();
        assertThat(none.name()).isEqualTo("no-ips");
    }

    @Test
    void toleratesAMissingPeerMapAndNullSelf() throws Exception {
        TailnetStatus s = StatusParser.parse("{\"BackendState\":\"NeedsLogin\",\"Self\":null,\"Peer\":null}");
        assertThat(s.self()).isNull();
        assertThat(s.peers()).isEmpty();
        assertThat(s.backendState()).isEqualTo("NeedsLogin");
    }

    @Test
    void rejectsWhatIsNotAStatusDocument() {
        assertThatThrownBy(() -> StatusParser.parse("[1,2]")).isInstanceOf(StatusParser.BadStatus.class);
        assertThatThrownBy(() -> StatusParser.parse("{\"Peer\": {")).isInstanceOf(StatusParser.BadStatus.class);
        assertThatThrownBy(() -> StatusParser.parse("tailscale: not running")).isInstanceOf(StatusParser.BadStatus.class);
        assertThatThrownBy(() -> StatusParser.parse("")).isInstanceOf(StatusParser.BadStatus.class);
    }
}
