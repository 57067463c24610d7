package dev.kubani.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VersionTest {
    @Test
    void theConstantFollowsThePom() {
        assertThat(System.getProperty("kubani.project.version")).as("set by the surefire configuration").isNotBlank();
        assertThat(Version.VERSION).isEqualTo(System.getProperty("kubani.project.version"));
        assertThat(Version.line()).startsWith("cluster-mgr " + Version.VERSION + " (Java ");
    }
}
