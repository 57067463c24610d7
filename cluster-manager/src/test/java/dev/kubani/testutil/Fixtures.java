package dev.kubani.testutil;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test inventories and other fixture files, copied into a temp directory. */
public final class Fixtures {
    private Fixtures() {
    }

    public static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/dev/kubani/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the fixture inventory (hosts.yml + group_vars/all.yml) under dir/inventory; returns hosts.yml. */
    public static Path inventory(Path dir) {
        try {
            Path inv = dir.resolve("inventory");
            Files.createDirectories(inv.resolve("group_vars"));
            Files.writeString(inv.resolve("hosts.yml"), resource("inventory/hosts.yml"));
            Files.writeString(inv.resolve("group_vars/all.yml"), resource("inventory/group_vars_all.yml"));
            return inv.resolve("hosts.yml");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The python that has Ansible's modules (the one ansible-inventory runs with). */
    public static String ansiblePython() {
        try {
            Path inv = Path.of("/usr/bin/ansible-inventory");
            String first = Files.readAllLines(inv).get(0);
            return first.replaceFirst("^#!\\s*", "").trim().split("\\s+")[0];
        } catch (IOException | IndexOutOfBoundsException e) {
            return "/usr/bin/python3";
        }
    }
}
