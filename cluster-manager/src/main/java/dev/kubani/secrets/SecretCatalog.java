package dev.kubani.secrets;

import dev.kubani.core.KubaniException;
import java.util.List;
import java.util.Locale;

/**
 * The Secrets the GitOps tree expects (gitops/README.md): where each file goes, its Secret name,
 * namespace and keys. Authentik's database and Redis passwords repeat the PostgreSQL and Redis
 * ones, because a Secret cannot be read across namespaces.
 */
public final class SecretCatalog {
    /** How a key's value is made. */
    public enum Source { PASSWORD, LONG_KEY, CLOUDFLARE_TOKEN, POSTGRES_USER_PASSWORD, REDIS_PASSWORD }

    public record Key(String name, Source source, boolean rotatedByDefault) {
    }

    public record Spec(String id, String title, String path, String secretName, String namespace, List<Key> keys) {
        public Key key(String name) {
            for (Key k : keys) {
                if (k.name().equals(name)) {
                    return k;
                }
            }
            return null;
        }
    }

    public static final Spec CLOUDFLARE = new Spec("cloudflare", "Cloudflare API token",
            "gitops/infrastructure/cert-manager/cloudflare-secret.enc.yaml", "cloudflare-api-token", "cert-manager",
            List.of(new Key("api-token", Source.CLOUDFLARE_TOKEN, true)));
    public static final Spec POSTGRESQL = new Spec("postgresql", "PostgreSQL credentials",
            "gitops/apps/base/postgresql/secret.enc.yaml", "postgresql-credentials", "database",
            List.of(new Key("postgres-password", Source.PASSWORD, true), new Key("password", Source.PASSWORD, true)));
    public static final Spec REDIS = new Spec("redis", "Redis credentials",
            "gitops/apps/base/redis/secret.enc.yaml", "redis-credentials", "cache",
            List.of(new Key("redis-password", Source.PASSWORD, true)));
    public static final Spec AUTHENTIK = new Spec("authentik", "Authentik credentials",
            "gitops/apps/base/authentik/secret.enc.yaml", "authentik-credentials", "auth",
            List.of(new Key("secret-key", Source.LONG_KEY, false),
                    new Key("postgresql-password", Source.POSTGRES_USER_PASSWORD, false),
                    new Key("redis-password", Source.REDIS_PASSWORD, false),
                    new Key("bootstrap-password", Source.PASSWORD, true)));

    /** In the order they are created (Authentik last: it repeats the others' passwords). */
    public static final List<Spec> ALL = List.of(CLOUDFLARE, POSTGRESQL, REDIS, AUTHENTIK);

    private SecretCatalog() {
    }

    /** A secret by id (postgresql), Secret name (postgresql-credentials) or short alias (postgres, cf). */
    public static Spec find(String name) {
        String n = name.toLowerCase(Locale.ROOT).strip();
        for (Spec s : ALL) {
            if (s.id().equals(n) || s.secretName().equals(n)) {
                return s;
            }
        }
        switch (n) {
            case "postgres":
                return POSTGRESQL;
            case "cf":
            case "cloudflare-token":
                return CLOUDFLARE;
            default:
                throw KubaniException.invalidInput("unknown secret '" + name + "'; use one of cloudflare, postgresql, redis, authentik");
        }
    }
}
