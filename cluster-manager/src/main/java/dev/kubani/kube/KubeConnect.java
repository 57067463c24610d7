package dev.kubani.kube;

import dev.kubani.core.ExitCode;
import dev.kubani.core.KubaniException;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Finds the kubeconfig and context to use and builds a fabric8 client with bounded timeouts.
 * The one place that turns "cannot talk to the cluster" into a line a person can act on.
 *
 * <p>Kubeconfig: the first existing file of $KUBECONFIG, else ~/.kube/config. Context: the one
 * named after the cluster (cluster_name) when the kubeconfig has it, else the current context.
 */
public final class KubeConnect {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** Where the client points: kubeconfig file, context, API server URL. */
    public record Target(Path kubeconfig, String context, String server) {
    }

    private KubeConnect() {
    }

    /** The kubeconfig file for this environment (it may not exist). */
    public static Path kubeconfigPath(Map<String, String> env) {
        String kc = env.get("KUBECONFIG");
        if (kc != null && !kc.isBlank()) {
            for (String p : kc.split(java.io.File.pathSeparator)) {
                if (!p.isBlank() && Files.exists(Path.of(p))) {
                    return Path.of(p);
                }
            }
            return Path.of(kc.split(java.io.File.pathSeparator)[0]);
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Path.of(home, ".kube", "config");
    }

    /** Resolves the target without connecting. */
    public static Target target(Map<String, String> env, String clusterName) {
        Path kc = kubeconfigPath(env);
        if (!Files.isRegularFile(kc)) {
            throw KubaniException.unexpectedState("no kubeconfig at " + kc + ": run 'cluster-mgr provision' (it fetches "
                    + "one from the server), or point KUBECONFIG at yours");
        }
        Map<String, Object> doc = readKubeconfig(kc);
        String context = null;
        if (clusterName != null && hasContext(doc, clusterName)) {
            context = clusterName;
        } else if (doc.get("current-context") instanceof String cur && !cur.isBlank()) {
            context = cur;
        }
        if (context == null) {
            throw KubaniException.unexpectedState(kc + " has no current context and none named '" + clusterName
                    + "': pick one with 'kubectl config use-context NAME'");
        }
        return new Target(kc, context, serverOf(doc, context));
    }

    /** Builds a client for the target; requests time out after {@code timeout}. */
    public static KubernetesClient client(Target t, Duration timeout) {
        // fabric8 logs through SLF4J; without a provider SLF4J would print three warning lines on stderr.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        try {
            String yaml = Files.readString(t.kubeconfig());
            Config cfg = Config.fromKubeconfig(t.context(), yaml, t.kubeconfig().toString());
            int ms = (int) timeout.toMillis();
            cfg.setConnectionTimeout(ms);
            cfg.setRequestTimeout(ms);
            cfg.setRequestRetryBackoffLimit(0);
            return new KubernetesClientBuilder().withConfig(cfg).build();
        } catch (IOException e) {
            throw KubaniException.unexpectedState("cannot read " + t.kubeconfig() + ": " + e.getMessage());
        } catch (KubernetesClientException e) {
            throw KubaniException.unexpectedState(t.kubeconfig() + ": not a usable kubeconfig (" + firstLine(e.getMessage())
                    + "); fetch a fresh one with 'cluster-mgr provision --tags kubeconfig'");
        }
    }

    /** Resolves and connects in one step. */
    public static KubernetesClient connect(Map<String, String> env, String clusterName, Duration timeout) {
        return client(target(env, clusterName), timeout);
    }

    /** Turns a failure to talk to the API into one line with the server URL and the likely fix (exit 3). */
    public static KubaniException explain(Throwable e, Target t) {
        String server = t == null || t.server() == null ? "the API server" : t.server();
        String kc = t == null ? "the kubeconfig" : t.kubeconfig().toString();
        if (e instanceof KubernetesClientException kce && (kce.getCode() == 401 || kce.getCode() == 403)) {
            return new KubaniException(ExitCode.UNEXPECTED_STATE, "the Kubernetes API at " + server
                    + " refused the credentials in " + kc + " (HTTP " + kce.getCode() + "): fetch a fresh kubeconfig with "
                    + "'cluster-mgr provision --tags kubeconfig'");
        }
        Throwable root = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            root = c;
            if (c instanceof ConnectException || c instanceof HttpConnectTimeoutException || c instanceof SocketTimeoutException
                    || c instanceof UnknownHostException || c instanceof TimeoutException || c instanceof SSLException) {
                break;
            }
        }
        String why = root instanceof ConnectException ? "connection refused"
                : root instanceof UnknownHostException ? "unknown host"
                : root instanceof SSLException ? "TLS failed: " + firstLine(root.getMessage())
                : root instanceof HttpConnectTimeoutException || root instanceof SocketTimeoutException
                        || root instanceof TimeoutException ? "timed out"
                : firstLine(String.valueOf(root.getMessage()));
        return new KubaniException(ExitCode.UNEXPECTED_STATE, "cannot reach the Kubernetes API at " + server + " (" + why
                + "): check that K3s runs on the server ('sudo systemctl status k3s'), that this machine is on the "
                + "tailnet ('tailscale status'), and that " + kc + " points at the server's Tailscale IP");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> readKubeconfig(Path kc) {
        try {
            Object o = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(kc));
            if (o instanceof Map<?, ?> m) {
                return (Map<String, Object>) m;
            }
        } catch (IOException | RuntimeException e) {
            throw KubaniException.unexpectedState(kc + " is not a readable kubeconfig (" + firstLine(e.getMessage()) + ")");
        }
        throw KubaniException.unexpectedState(kc + " is not a kubeconfig (expected a YAML mapping)");
    }

    private static boolean hasContext(Map<String, Object> doc, String name) {
        if (doc.get("contexts") instanceof java.util.List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && name.equals(m.get("name"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String serverOf(Map<String, Object> doc, String context) {
        String cluster = null;
        if (doc.get("contexts") instanceof java.util.List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && context.equals(m.get("name")) && m.get("context") instanceof Map<?, ?> c) {
                    cluster = String.valueOf(c.get("cluster"));
                }
            }
        }
        if (cluster != null && doc.get("clusters") instanceof java.util.List<?> l) {
            for (Object o : l) {
                if (o instanceof Map<?, ?> m && cluster.equals(m.get("name")) && m.get("cluster") instanceof Map<?, ?> c) {
                    return String.valueOf(c.get("server"));
                }
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
