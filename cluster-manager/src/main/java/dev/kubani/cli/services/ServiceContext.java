package dev.kubani.cli.services;

import dev.kubani.cli.ClusterMgr;
import dev.kubani.core.KubaniException;
import dev.kubani.inventory.Inventory;
import dev.kubani.inventory.Rules;
import dev.kubani.kube.KubeConnect;
import dev.kubani.services.CheckFailure;
import dev.kubani.services.Errors;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;

/**
 * What the services commands share: the domain the GitOps tree routes (postgres., redis. and
 * auth. under it), the inventory (read only if present), and one lazily built Kubernetes client.
 */
final class ServiceContext implements AutoCloseable {
    static final String DOMAIN_HOW = "pass --domain example.com, or set it once with 'cluster-mgr config-set domain "
            + "example.com' (the same value as CLUSTER_DOMAIN in gitops/flux-system/cluster-settings.yaml)";

    private final ClusterMgr root;
    private final String domainFlag;
    private final Duration timeout;
    private Inventory inventory;
    private boolean inventoryRead;
    private KubeConnect.Target target;
    private KubernetesClient client;
    private KubaniException clientError;

    ServiceContext(ClusterMgr root, String domainFlag, Duration timeout) {
        this.root = root;
        this.domainFlag = domainFlag;
        this.timeout = timeout;
    }

    /** The inventory when there is a readable one; the services commands work without it. */
    Inventory inventory() {
        if (!inventoryRead) {
            inventoryRead = true;
            Path p = root.inventoryPath();
            if (Files.isRegularFile(p)) {
                try {
                    inventory = Inventory.load(p);
                } catch (KubaniException e) {
                    inventory = null;
                }
            }
        }
        return inventory;
    }

    /** --domain, else the inventory variable {@code domain}; fails with how to set it. */
    String domain() {
        String d = domainFlag;
        String from = "--domain";
        if (d == null) {
            Inventory inv = inventory();
            Object v = inv == null ? null : inv.effectiveVars("all").get("domain");
            if (v != null && !String.valueOf(v).isBlank()) {
                d = String.valueOf(v);
                from = "inventory variable 'domain' (" + root.inventoryPath() + ")";
            }
        }
        if (d == null) {
            throw KubaniException.invalidInput("no domain configured for the service host names: " + DOMAIN_HOW);
        }
        d = d.strip().toLowerCase(Locale.ROOT);
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        String bad = Rules.dnsName(d);
        if (bad != null || !d.contains(".")) {
            throw KubaniException.invalidInput(from + ": '" + d + "' is not a domain name; write it like example.com");
        }
        return d;
    }

    String clusterName() {
        Inventory inv = inventory();
        return inv == null ? null : inv.clusterConfig().clusterName();
    }

    KubeConnect.Target target() {
        if (target == null) {
            target = KubeConnect.target(root.env().vars(), clusterName());
        }
        return target;
    }

    /** The cluster client; throws the explained failure (exit 3) when there is no usable kubeconfig. */
    KubernetesClient kube() {
        if (clientError != null) {
            throw clientError;
        }
        if (client == null) {
            try {
                client = KubeConnect.client(target(), timeout);
            } catch (KubaniException e) {
                clientError = e;
                throw e;
            }
        }
        return client;
    }

    /** Reads one key of a Secret, as a check step would: a failure says how to pass the value instead. */
    String secretValue(String namespace, String name, String key, String instead) throws CheckFailure {
        Secret s;
        try {
            s = kube().secrets().inNamespace(namespace).withName(name).get();
        } catch (KubaniException e) {
            throw new CheckFailure("cannot read Secret " + namespace + "/" + name + ": " + e.getMessage(), instead);
        } catch (RuntimeException e) {
            throw new CheckFailure("cannot read Secret " + namespace + "/" + name + ": "
                    + KubeConnect.explain(e, target).getMessage(), instead);
        }
        if (s == null) {
            throw new CheckFailure("Secret " + namespace + "/" + name + " does not exist", "Flux creates it from the SOPS-encrypted "
                    + "secret in gitops/ (see docs/secrets.md); or " + instead);
        }
        String v = null;
        if (s.getData() != null && s.getData().get(key) != null) {
            v = new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
        } else if (s.getStringData() != null) {
            v = s.getStringData().get(key);
        }
        if (v == null) {
            throw new CheckFailure("Secret " + namespace + "/" + name + " has no key '" + key + "'", instead);
        }
        return v;
    }

    /** A secret value from a file: the first line, without its line break. File problems are input errors. */
    static String readSecretFile(Path file, String flag) {
        try {
            String s = Files.readString(file, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            s = (nl < 0 ? s : s.substring(0, nl)).strip();
            if (s.isEmpty()) {
                throw KubaniException.invalidInput(flag + " " + file + ": the file is empty; put the value on its first line");
            }
            return s;
        } catch (IOException e) {
            throw KubaniException.invalidInput(flag + " " + file + ": cannot read (" + Errors.describe(e) + ")");
        }
    }

    /** HOST or HOST:PORT (IPv6 in brackets) with a default port. */
    static HostPort hostPort(String value, int defaultPort, String flag) {
        String v = value.strip();
        String host = v;
        int port = defaultPort;
        if (v.startsWith("[")) {
            int end = v.indexOf(']');
            if (end < 0) {
                throw KubaniException.invalidInput(flag + " " + value + ": missing ']' after the IPv6 address");
            }
            host = v.substring(1, end);
            if (v.length() > end + 1) {
                if (v.charAt(end + 1) != ':') {
                    throw KubaniException.invalidInput(flag + " " + value + ": write [ADDRESS]:PORT");
                }
                port = port(v.substring(end + 2), flag, value);
            }
        } else if (v.indexOf(':') >= 0 && v.indexOf(':') == v.lastIndexOf(':')) {
            host = v.substring(0, v.indexOf(':'));
            port = port(v.substring(v.indexOf(':') + 1), flag, value);
        }
        if (host.isEmpty()) {
            throw KubaniException.invalidInput(flag + " " + value + ": the host is empty; write HOST or HOST:PORT");
        }
        return new HostPort(host, port);
    }

    private static int port(String s, String flag, String value) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw KubaniException.invalidInput(flag + " " + value + ": '" + s + "' is not a port (1-65535)");
    }

    record HostPort(String host, int port) {
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
