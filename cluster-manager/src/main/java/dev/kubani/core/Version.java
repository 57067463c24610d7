package dev.kubani.core;

/**
 * The version of Kubani's tools. A constant rather than a resource, so `cluster-mgr version`
 * never has to open the jar; VersionTest keeps it equal to the version in pom.xml.
 */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {
    }

    /** "cluster-mgr 0.1.0 (Java 17.0.15)". */
    public static String line() {
        return "cluster-mgr " + VERSION + " (Java " + System.getProperty("java.version") + ")";
    }
}
